import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { auth, HOST_KEY } from '../../helpers/context.ts';
import { connectAccount, startTestServer, type TestServer } from '../../helpers/server.ts';

interface Entry { id: string; kind: string; message: string; actor: { type: string; id: string | null } | null; params: Record<string, unknown> }

describe("an account's history and the workspace's audit export", () => {
  let server: TestServer;
  let token: string;
  let accountId: string;
  const secrets: string[] = [];
  before(async () => {
    server = await startTestServer();
    await server.putWorkspace('hist', { plan: 'professional' });
    token = await server.session('hist', 'admin');
  });
  after(() => server.close());

  const control = (path: string, body: unknown) =>
    fetch(`${server.sandboxUrl}/control/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const get = async (path: string, key = token) => {
    const res = await fetch(`${server.url}${path}`, { headers: auth(key) });
    return { status: res.status, body: (await res.json()) as { entries: Entry[]; cursor: string | null; error?: { code: string } } };
  };
  const keepSecrets = async () => {
    const row = await server.services.accountRepository.findById(accountId);
    const { decryptCredentials } = await import('../../../bff/accounts/credentials.ts');
    const creds = decryptCredentials(server.services.cipher, row!);
    for (const v of [creds.accessToken, creds.refreshToken, row!.access_token_enc, row!.refresh_token_enc]) if (v) secrets.push(v);
  };

  it('connect, refresh, revoke, reconnect and disconnect list exactly those entries, newest first', async () => {
    const connected = await connectAccount(server, token, { platform: 'x', user: '1700000000000000001' });
    assert.equal(connected.result.status, 'connected');
    accountId = connected.result.accountIds![0]!;
    await keepSecrets();

    const refreshed = await server.services.refresh.refresh(accountId);
    assert.equal(refreshed.status, 'refreshed');
    await keepSecrets();

    assert.equal((await control('revoke', { platform: 'x', platformAccountId: '1700000000000000001' })).status, 200);
    // X has no push signal: the verification is a renewal once the 2-hour access token lapsed (SPEC "Background work").
    assert.equal((await control('clock', { advanceSeconds: 2 * 3600 + 600 })).status, 200);
    const check = await fetch(`${server.url}/api/health-check`, { method: 'POST', headers: auth(token) });
    assert.equal(check.status, 200);

    const reconnected = await connectAccount(server, token, { reconnect: accountId, user: '1700000000000000001' });
    assert.equal(reconnected.result.status, 'connected');
    await keepSecrets();

    // Read the timeline while the account is still listed, then disconnect it.
    const before = await get(`/api/accounts/${accountId}/history`);
    assert.equal(before.status, 200);
    assert.deepEqual(before.body.entries.map((e) => e.kind), ['reconnected', 'revoked', 'refreshed', 'connected']);
    const [reconnect, revoked, , connect] = before.body.entries;
    assert.deepEqual(connect!.actor, { type: 'user', id: 'user-1', name: null });
    assert.equal(connect!.params['via'], 'panel');
    assert.equal(revoked!.params['signal'], 'verification');
    assert.match(reconnect!.message, /^Reconnected by user-1 as @/);

    const del = await fetch(`${server.url}/api/accounts/${accountId}`, { method: 'DELETE', headers: auth(token) });
    assert.equal(del.status, 204);

    const audit = await get('/v1/workspaces/hist/audit', HOST_KEY);
    assert.equal(audit.status, 200);
    const mine = audit.body.entries.filter((e) => (e as unknown as { accountId: string }).accountId === accountId);
    assert.deepEqual(mine.map((e) => e.kind), ['connected', 'refreshed', 'revoked', 'reconnected', 'disconnected']);
    assert.equal(mine.at(-1)!.actor?.id, 'user-1');
    const text = JSON.stringify(audit.body);
    assert.ok(secrets.length >= 4);
    for (const secret of secrets) assert.ok(!text.includes(secret), 'no token or ciphertext in the audit export');
    assert.doesNotMatch(text, /access_?token|refresh_?token/i);
  });

  it('pages the history by cursor, newest first, and refuses a cursor from another list', async () => {
    const row = await server.insertAccount('hist', { display_name: 'Paged' });
    const { history } = server.services;
    await server.database.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 55; i++) await history.record({ workspaceId: 'hist', accountId: row.id, kind: 'refreshed', at: new Date() }, trx);
    });
    const first = await get(`/api/accounts/${row.id}/history`);
    assert.equal(first.body.entries.length, 50);
    assert.ok(first.body.cursor);
    const second = await get(`/api/accounts/${row.id}/history?after=${first.body.cursor}`);
    assert.equal(second.body.entries.length, 5);
    assert.equal(second.body.cursor, null);
    const ids = [...first.body.entries, ...second.body.entries].map((e) => Number(e.id));
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a));

    const auditPage = await get('/v1/workspaces/hist/audit', HOST_KEY);
    const wrong = await get(`/api/accounts/${row.id}/history?after=${auditPage.body.cursor ?? 'YXVkaXQ6MQ'}`);
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error?.code, 'invalid_cursor');
  });

  it("does not show another workspace's account history", async () => {
    await server.putWorkspace('other', { plan: 'free' });
    const row = await server.insertAccount('other');
    const res = await get(`/api/accounts/${row.id}/history`);
    assert.equal(res.status, 404);
  });
});
