/**
 * A renewal of a rotating refresh token whose answer never came (issue 15, item 6): X may
 * have rotated the token, and replaying the old one makes X revoke the whole grant. The
 * account keeps its access token until it expires (no renewal, in the background or on
 * demand, while it lives), the doubt is in its history, and only then is the stored refresh
 * token tried again, once: it works when the platform had not rotated it (`timeout`: the
 * request was never handled) and asks for a reconnect, saying why, when it had (`lost`).
 * Real HTTP throughout: the BFF, its token deadline and the sandbox's faults.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { auth, HOST_KEY } from '../../helpers/context.ts';
import { connectAccount, startTestServer, type TestServer } from '../../helpers/server.ts';

const X_USER = '1700000000000000001';
/** X access tokens live 2 hours: this leaves 3 minutes, inside the on-demand renewal margin (5). */
const NEAR_EXPIRY_SECONDS = 2 * 3600 - 180;

async function setUp(workspace: string) {
  const server = await startTestServer();
  await server.putWorkspace(workspace, { plan: 'professional' });
  const token = await server.session(workspace);
  const { result } = await connectAccount(server, token, { platform: 'x', user: X_USER });
  assert.equal(result.status, 'connected', JSON.stringify(result));
  const accountId = result.accountIds![0]!;

  const credentials = async () => {
    const res = await fetch(`${server.url}/v1/accounts/${accountId}/credentials`, { headers: { Authorization: `Bearer ${HOST_KEY}` } });
    return { status: res.status, body: (await res.json()) as { accessToken?: string; error?: { code: string; message: string } } };
  };
  const tokenRequests = async () => ((await (await fetch(`${server.sandboxUrl}/control/stats`)).json()) as { tokenRequests: { x: number } }).tokenRequests.x;
  const fault = async (kind: 'lost' | 'timeout') => {
    const res = await fetch(`${server.sandboxUrl}/control/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ platform: 'x', kind, count: 1 }) });
    assert.equal(res.status, 200);
  };
  const account = async () =>
    ((await (await fetch(`${server.url}/api/accounts/${accountId}`, { headers: auth(token) })).json()) as { account: { health: string; reason: string | null; lastError: { code: string; message: string } | null } }).account;
  const history = async () =>
    ((await (await fetch(`${server.url}/api/accounts/${accountId}/history`, { headers: auth(token) })).json()) as { entries: Array<{ kind: string; params: Record<string, unknown> }> }).entries.map((e) => `${e.kind}${e.params['code'] ? `:${String(e.params['code'])}` : ''}`);

  return { server, accountId, credentials, tokenRequests, fault, account, history };
}

/** The renewal answer is lost, and nothing is replayed while the access token lives. */
async function loseARenewal(t: Awaited<ReturnType<typeof setUp>>) {
  const first = await t.credentials();
  assert.equal(first.status, 200);
  const oldToken = first.body.accessToken!;
  t.server.clock.advance(NEAR_EXPIRY_SECONDS);

  const before = await t.tokenRequests();
  const doubtful = await t.credentials();
  // The renewal was sent and its answer never came: the access token still lives, so it is what the host gets.
  assert.equal(doubtful.status, 200, JSON.stringify(doubtful.body));
  assert.equal(doubtful.body.accessToken, oldToken);
  assert.equal(await t.tokenRequests(), before + 1);
  assert.deepEqual((await t.history()).slice(0, 1), ['verification_failed:refresh_outcome_unknown'], 'the doubt is in the history');
  assert.equal((await t.account()).health, 'healthy');

  // No replay while the access token lives: not on demand, not in the background, not with the panel open.
  assert.equal((await t.credentials()).body.accessToken, oldToken);
  await t.server.services.scheduler.runOnce();
  const checked = await fetch(`${t.server.url}/api/health-check`, { method: 'POST', headers: { ...auth(await t.server.session('w')), 'Content-Type': 'application/json' }, body: '{}' });
  assert.ok(checked.status < 500);
  assert.equal(await t.tokenRequests(), before + 1, 'the old refresh token was not sent again while the access token lived');

  // The access token has expired: nothing left to lose, the stored refresh token is tried once.
  t.server.clock.advance(240);
  return { oldToken, before };
}

describe('a lost renewal answer (X rotates refresh tokens)', { concurrency: true, timeout: 120_000 }, () => {
  it('when X had rotated the token: one try after the access token expired, then a reconnect that says why', async () => {
    const t = await setUp('w');
    try {
      await t.fault('lost');
      const { before } = await loseARenewal(t);
      const refused = await t.credentials();
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      assert.equal(refused.body.error?.code, 'needs_reconnect');
      assert.equal(await t.tokenRequests(), before + 2, 'exactly one try with the old refresh token');
      const account = await t.account();
      assert.equal(account.health, 'needs_reconnect');
      assert.match(account.lastError?.message ?? '', /did not answer a token renewal on \d{4}-\d\d-\d\d \d\d:\d\d UTC.*most likely renewed the token.*reconnect/i);
      assert.deepEqual((await t.history()).slice(0, 2), ['revoked:invalid_grant', 'verification_failed:refresh_outcome_unknown']);

      // Nothing more is sent for a dead grant: the next look is the daily one.
      await t.server.services.scheduler.runOnce();
      await t.credentials();
      assert.equal(await t.tokenRequests(), before + 2);
    } finally {
      await t.server.close();
    }
  });

  it('when X never handled the lost request: the try after expiry renews, and the account stays green', async () => {
    const t = await setUp('w');
    try {
      await t.fault('timeout');
      const { oldToken, before } = await loseARenewal(t);
      const renewed = await t.credentials();
      assert.equal(renewed.status, 200, JSON.stringify(renewed.body));
      assert.notEqual(renewed.body.accessToken, oldToken);
      assert.equal(await t.tokenRequests(), before + 2);
      const account = await t.account();
      assert.equal(account.health, 'healthy');
      assert.equal(account.lastError, null);
      assert.deepEqual((await t.history()).slice(0, 2), ['refreshed', 'verification_failed:refresh_outcome_unknown']);
    } finally {
      await t.server.close();
    }
  });
});
