/**
 * Sessions and workspace isolation on every widget endpoint: an expired session is refused
 * everywhere, another workspace's accounts and attempts do not exist for a session, and a
 * member never receives an admin-only field. (Forged, tampered, alg-none and misplaced
 * credentials on every endpoint are generated in hostile-input.test.ts.)
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { auth, createTestContext, type TestContext } from '../../helpers/context.ts';
import { databaseSnapshot } from '../../helpers/snapshot.ts';

/** Fields only an admin session may receive (the token debug panel). */
const ADMIN_ONLY = ['debug', 'grantedScopes', 'missingScopes', 'requiredScopes', 'dataAccessExpiresAt', 'refreshTokenExpiresAt'];

function keysDeep(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysDeep(v, into);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      keysDeep(v, into);
    }
  }
  return into;
}

describe('sessions and workspace isolation', () => {
  let ctx: TestContext;
  let mineId: string;
  let theirsId: string;
  let theirAttempt: string;

  before(async () => {
    ctx = await createTestContext();
    await ctx.putWorkspace('mine', { plan: 'enterprise' });
    await ctx.putWorkspace('theirs', { plan: 'enterprise' });
    mineId = (await ctx.insertAccount('mine', { display_name: 'Mine', data_access_expires_at: new Date(Date.now() + 86_400_000) })).id;
    theirsId = (await ctx.insertAccount('theirs', { display_name: 'Theirs' })).id;
    const started = await request(ctx.app).post('/api/connections').set(auth(await ctx.session('theirs'))).send({ platform: 'facebook' });
    assert.equal(started.status, 201);
    theirAttempt = started.body.attemptId;
    // Events in both workspaces.
    await request(ctx.app).delete(`/api/accounts/${(await ctx.insertAccount('theirs', { display_name: 'Gone' })).id}`).set(auth(await ctx.session('theirs'))).expect(204);
  });
  after(() => ctx.close());

  /** Every widget endpoint, as a member of `mine` would call it. */
  const ENDPOINTS = () =>
    [
      ['GET', '/api/accounts', undefined],
      ['GET', `/api/accounts/${mineId}`, undefined],
      ['GET', '/api/platforms', undefined],
      ['GET', '/api/events', undefined],
      ['POST', '/api/health-check', {}],
      ['GET', `/api/connections/${theirAttempt}`, undefined],
      ['POST', '/api/connections', { platform: 'instagram' }],
      ['POST', `/api/accounts/${mineId}/reconnect`, {}],
      ['POST', `/api/connections/${randomUUID()}/select`, { ids: ['1'] }],
      ['DELETE', `/api/accounts/${mineId}`, undefined],
    ] as const;

  const call = (method: string, path: string, token: string, body?: object) => {
    const req = request(ctx.app)[method.toLowerCase() as 'get'](path).set(auth(token));
    return body ? req.send(body) : req;
  };

  it('refuses an expired session on every endpoint (401 session_expired), and writes nothing', async () => {
    const token = await ctx.session('mine', 'admin', 60);
    assert.equal((await call('GET', '/api/accounts', token)).status, 200);
    ctx.wallClock.advance(61); // sessions minted later are judged by the same moved clock
    const before = await databaseSnapshot(ctx.database.db);
    for (const [method, path, body] of ENDPOINTS()) {
      const res = await call(method, path, token, body);
      assert.equal(res.status, 401, `${method} ${path}`);
      assert.equal(res.body.error.code, 'session_expired', `${method} ${path}`);
    }
    assert.deepEqual(await databaseSnapshot(ctx.database.db), before);
  });

  it("another workspace's accounts, attempts and events do not exist for a session", async () => {
    const admin = await ctx.session('mine', 'admin');
    const before = await databaseSnapshot(ctx.database.db);
    for (const [method, path, body] of [
      ['GET', `/api/accounts/${theirsId}`, undefined],
      ['DELETE', `/api/accounts/${theirsId}`, undefined],
      ['POST', `/api/accounts/${theirsId}/reconnect`, {}],
      ['GET', `/api/connections/${theirAttempt}`, undefined],
      ['POST', `/api/connections/${theirAttempt}/select`, { ids: ['1'] }],
    ] as const) {
      const res = await call(method, path, admin, body);
      assert.equal(res.status, 404, `${method} ${path}: ${res.status}`);
      const unknown = await call(method, path.replace(/[0-9a-f-]{36}/, randomUUID()), admin, body);
      assert.deepEqual(res.body, unknown.body, `${method} ${path}: the same answer as for an id that never existed`);
    }
    assert.deepEqual(await databaseSnapshot(ctx.database.db), before, 'nothing was written');
    const list = await call('GET', '/api/accounts', admin);
    assert.deepEqual(list.body.accounts.map((a: { id: string }) => a.id), [mineId]);
    const events = await call('GET', '/api/events', admin);
    assert.deepEqual(events.body.events, [], "none of the other workspace's events");
    const health = await call('POST', '/api/health-check', admin, {});
    assert.deepEqual(health.body.accounts.map((a: { id: string }) => a.id), [mineId]);
  });

  it('never gives a member an admin-only field, on any endpoint; an admin gets the debug panel', async () => {
    const member = await ctx.session('mine', 'member');
    for (const [method, path, body] of ENDPOINTS()) {
      if (method === 'DELETE') continue;
      const res = await call(method, path, member, body);
      assert.ok(res.status < 500, `${method} ${path}: ${res.status}`);
      const leaked = ADMIN_ONLY.filter((k) => keysDeep(res.body).has(k));
      assert.deepEqual(leaked, [], `${method} ${path} gave a member ${leaked.join(', ')}`);
    }
    const asAdmin = await call('GET', `/api/accounts/${mineId}`, await ctx.session('mine', 'admin'));
    assert.ok(asAdmin.body.account.debug, 'the admin sees the debug panel');
    assert.ok(Array.isArray(asAdmin.body.account.debug.grantedScopes));
  });
});
