import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { auth } from '../../helpers/context.ts';
import { connectAccount, startTestServer, type TestServer } from '../../helpers/server.ts';
import { SANDBOX_CLIENTS } from '../../../bff/sandbox/seed.ts';

interface Listed {
  id: string;
  health: string;
  reason: string | null;
  canPublish: boolean;
}

/** Issue 16: push signals turn an account amber at once; a bad or replayed signature changes nothing. */
describe('push signals', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const control = (path: string, body: unknown) =>
    fetch(`${server.sandboxUrl}/control/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const list = async (token: string) => ((await (await fetch(`${server.url}/api/accounts`, { headers: auth(token) })).json()) as { accounts: Listed[] }).accounts;
  const events = async (token: string) =>
    ((await (await fetch(`${server.url}/api/events`, { headers: auth(token) })).json()) as { events: { type: string; accountId: string }[] }).events.filter((e) => e.type !== 'account_connected');

  async function connected(workspace: string, platform: string, user: string) {
    await server.putWorkspace(workspace, { plan: 'enterprise' });
    const token = await server.session(workspace);
    const { result } = await connectAccount(server, token, { platform, user });
    assert.equal(result.status, 'connected', JSON.stringify(result));
    return { token, id: result.accountIds![0]! };
  }

  function signedRequest(payload: Record<string, unknown>, secret = SANDBOX_CLIENTS.facebook.clientSecret): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${createHmac('sha256', secret).update(body).digest('base64url')}.${body}`;
  }
  const nowSeconds = () => Math.floor(server.clock.now().getTime() / 1000);
  const deauthorize = (signed: string, kind = 'deauthorize') =>
    fetch(`${server.url}/oauth/${kind}/facebook`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ signed_request: signed }) });

  for (const { platform, user, revokeId } of [
    { platform: 'facebook', user: '100000000000002', revokeId: '100000000000002' },
    { platform: 'tiktok', user: 'tt-open-0001', revokeId: 'tt-open-0001' },
  ]) {
    it(`${platform}: the person removing the app turns the account amber at once, with exactly one event`, async () => {
      const { token, id } = await connected(`push-${platform}`, platform, user);
      const res = await control('revoke', { platform, platformAccountId: revokeId, by: 'user' });
      assert.equal(res.status, 200);
      assert.deepEqual(((await res.json()) as { pushed: number[] }).pushed, [200], 'the sandbox sent the signed push');
      // No health check needed: the push did it.
      const account = (await list(token)).find((a) => a.id === id)!;
      assert.equal(account.health, 'needs_reconnect');
      assert.equal(account.reason, 'token_revoked');
      assert.equal(account.canPublish, false);
      assert.deepEqual((await events(token)).map((e) => [e.type, e.accountId]), [['reconnect_required', id]]);
      // A later verification finds the same and writes nothing more.
      server.clock.advance(24 * 3600);
      await server.services.scheduler.runOnce();
      assert.equal((await events(token)).length, 1);
    });
  }

  it('meta: a bad, stale or replayed signed_request is a 400 that changes nothing', async () => {
    const { token, id } = await connected('push-bad-meta', 'facebook', '100000000000002');
    const row = (await server.services.accountRepository.findById(id))!;
    const userId = row.platform_user_id!;
    assert.ok(userId);
    const payload = { algorithm: 'HMAC-SHA256', issued_at: nowSeconds(), user_id: userId };
    for (const bad of [
      signedRequest(payload, 'not-the-app-secret'),
      signedRequest({ ...payload, issued_at: nowSeconds() - 2 * 3600 }),
      'garbage',
      `${signedRequest(payload).split('.')[0]}.${Buffer.from(JSON.stringify({ ...payload, user_id: 'someone-else' })).toString('base64url')}`,
    ]) {
      const res = await deauthorize(bad);
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_signature');
    }
    assert.equal((await list(token)).find((a) => a.id === id)!.health, 'healthy');
    assert.deepEqual(await events(token), []);

    // The same valid signal twice: the second is a replay.
    const valid = signedRequest(payload);
    assert.equal((await deauthorize(valid)).status, 200);
    assert.equal((await deauthorize(valid)).status, 400);
    assert.equal((await events(token)).length, 1);
  });

  it("meta: data deletion deletes that person's tokens and answers { url, confirmation_code }", async () => {
    const { token, id } = await connected('push-deletion', 'facebook', '100000000000002');
    const userId = (await server.services.accountRepository.findById(id))!.platform_user_id!;
    const res = await deauthorize(signedRequest({ algorithm: 'HMAC-SHA256', issued_at: nowSeconds(), user_id: userId }), 'data-deletion');
    assert.equal(res.status, 200);
    const body = (await res.json()) as { url: string; confirmation_code: string };
    assert.match(body.confirmation_code, /^[0-9a-f]{20}$/);
    assert.equal((await fetch(body.url)).status, 200);
    const row = (await server.services.accountRepository.findById(id))!;
    assert.equal(row.access_token_enc, null);
    assert.equal(row.refresh_token_enc, null);
    assert.equal((await list(token)).find((a) => a.id === id)!.health, 'needs_reconnect');
  });

  it('tiktok: a bad or stale TikTok-Signature is a 400 that changes nothing', async () => {
    const { token, id } = await connected('push-bad-tiktok', 'tiktok', 'tt-open-0002');
    const body = JSON.stringify({ client_key: SANDBOX_CLIENTS.tiktok.clientId, event: 'authorization.removed', create_time: nowSeconds(), user_openid: 'tt-open-0002', content: '{"reason":1}' });
    const sign = (t: number, secret = SANDBOX_CLIENTS.tiktok.clientSecret) => `t=${t},s=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
    const send = (signature: string | null, raw = body) =>
      fetch(`${server.url}/webhooks/tiktok`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(signature ? { 'TikTok-Signature': signature } : {}) }, body: raw });
    for (const res of [
      await send(null),
      await send(sign(nowSeconds(), 'wrong-secret')),
      await send(sign(nowSeconds() - 3600)),
      await send(sign(nowSeconds()), body.replace('tt-open-0002', 'tt-open-0001')),
    ]) {
      assert.equal(res.status, 400);
    }
    assert.equal((await list(token)).find((a) => a.id === id)!.health, 'healthy');
    assert.deepEqual(await events(token), []);
    const signature = sign(nowSeconds());
    assert.equal((await send(signature)).status, 200);
    assert.equal((await send(signature)).status, 400, 'a replay');
    assert.equal((await list(token)).find((a) => a.id === id)!.health, 'needs_reconnect');
  });
});
