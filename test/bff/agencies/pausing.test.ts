import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { auth, createTestContext, HOST_KEY, type TestContext } from '../../helpers/context.ts';
import { connectAccount, startTestServer, type TestServer } from '../../helpers/server.ts';
import { placeAccounts } from '../../../bff/plans/pausing.ts';

const host = () => ({ Authorization: `Bearer ${HOST_KEY}` });
const T0 = Date.parse('2026-11-01T00:00:00Z');

describe('placeAccounts (SPEC "Plan downgrade")', () => {
  const acc = (id: string, platform: string, minutes: number, status: 'active' | 'paused' = 'active') => ({ id, platform, connected_at: new Date(T0 + minutes * 60_000), status });

  it('pauses platforms the plan lacks, then the most recently connected beyond the limit', () => {
    const accounts = [acc('a', 'facebook', 0), acc('b', 'x', 1), acc('c', 'instagram', 2), acc('d', 'facebook', 3), acc('e', 'instagram', 4)];
    assert.deepEqual(
      placeAccounts(accounts, 'free', 2).map((p) => [p.id, p.status, p.pausedReason]),
      [['a', 'active', null], ['b', 'paused', 'plan_platform'], ['c', 'active', null], ['d', 'paused', 'plan_limit'], ['e', 'paused', 'plan_limit']],
    );
  });

  it('keeps the accounts the host names, and running it again changes nothing', () => {
    const accounts = [acc('a', 'facebook', 0), acc('c', 'instagram', 2), acc('e', 'instagram', 4)];
    const first = placeAccounts(accounts, 'free', 2, ['e']);
    assert.deepEqual(first.map((p) => p.status), ['active', 'paused', 'active']);
    const again = placeAccounts(accounts.map((a, i) => ({ ...a, status: first[i]!.status })), 'free', 2);
    assert.deepEqual(again, first);
  });
});

describe('pausing on downgrade, resuming on upgrade', () => {
  let ctx: TestContext;
  const ids: Record<string, string> = {};
  before(async () => {
    ctx = await createTestContext();
    await ctx.putWorkspace('agency', { plan: 'professional' });
    // Six accounts, connected in this order.
    const six: [string, string, string][] = [
      ['fb1', 'facebook', 'page'],
      ['ig1', 'instagram', 'business'],
      ['x1', 'x', 'profile'],
      ['tt1', 'tiktok', 'profile'],
      ['fb2', 'facebook', 'page'],
      ['ig2', 'instagram', 'business'],
    ];
    for (const [i, [name, platform, kind]] of six.entries()) {
      const row = await ctx.insertAccount('agency', { platform, kind, display_name: name, connected_at: new Date(T0 + i * 60_000) });
      ids[name] = row.id;
    }
  });
  after(() => ctx.close());

  const statuses = async () => {
    const token = await ctx.session('agency');
    const res = await request(ctx.app).get('/api/accounts').set(auth(token));
    assert.equal(res.status, 200);
    return Object.fromEntries((res.body.accounts as { displayName: string; status: string; pausedReason: string | null }[]).map((a) => [a.displayName, `${a.status}${a.pausedReason ? `:${a.pausedReason}` : ''}`]));
  };
  const eventsOf = async (type: string) => {
    const token = await ctx.session('agency');
    const res = await request(ctx.app).get('/api/events').set(auth(token));
    return (res.body.events as { type: string; accountId: string; message: string }[]).filter((e) => e.type === type);
  };

  it('Professional -> Free with 6 accounts pauses exactly the paid platforms and the most recent beyond 3', async () => {
    const res = await request(ctx.app).put('/v1/workspaces/agency').set(host()).send({ plan: 'free' });
    assert.equal(res.status, 200);
    assert.equal(res.body.workspace.accountCount, 3);
    assert.equal(res.body.workspace.pausedCount, 3);
    assert.deepEqual(await statuses(), {
      fb1: 'active',
      ig1: 'active',
      x1: 'paused:plan_platform',
      tt1: 'paused:plan_platform',
      fb2: 'active',
      ig2: 'paused:plan_limit',
    });
    const paused = await eventsOf('account_paused');
    assert.deepEqual(paused.map((e) => e.accountId).sort(), [ids['x1'], ids['tt1'], ids['ig2']].sort());
    assert.ok(paused.some((e) => e.message === 'ig2 is paused: it is over your plan'));
  });

  it('a paused account stays listed, cannot publish, and answers 409 account_paused for credentials', async () => {
    const token = await ctx.session('agency');
    const list = await request(ctx.app).get('/api/accounts').set(auth(token));
    const ig2 = list.body.accounts.find((a: { id: string }) => a.id === ids['ig2']);
    assert.equal(ig2.canPublish, false);
    const creds = await request(ctx.app).get(`/v1/accounts/${ids['ig2']}/credentials`).set(host());
    assert.equal(creds.status, 409);
    assert.equal(creds.body.error.code, 'account_paused');
    const ok = await request(ctx.app).get(`/v1/accounts/${ids['fb1']}/credentials`).set(host());
    assert.equal(ok.status, 200);
  });

  it('a PUT that changes nothing pauses and resumes nothing', async () => {
    const before = (await eventsOf('account_paused')).length;
    await request(ctx.app).put('/v1/workspaces/agency').set(host()).send({ plan: 'free' }).expect(200);
    assert.equal((await eventsOf('account_paused')).length, before);
    assert.equal((await eventsOf('account_resumed')).length, 0);
  });

  it('keepAccountIds names which accounts stay active', async () => {
    await request(ctx.app).put('/v1/workspaces/agency').set(host()).send({ plan: 'free', keepAccountIds: [ids['ig2']] }).expect(200);
    const now = await statuses();
    assert.equal(now['ig2'], 'active');
    assert.equal(now['fb2'], 'paused:plan_limit');
    assert.equal(now['fb1'], 'active');
    assert.equal(now['ig1'], 'active');
  });

  it('disconnecting an active account resumes a paused one by itself', async () => {
    const token = await ctx.session('agency', 'admin');
    await request(ctx.app).delete(`/api/accounts/${ids['ig2']}`).set(auth(token)).expect(204);
    const now = await statuses();
    assert.equal(now['fb2'], 'active');
    assert.equal(Object.values(now).filter((s) => s === 'active').length, 3);
  });

  it('the upgrade back to Professional resumes every paused account', async () => {
    const res = await request(ctx.app).put('/v1/workspaces/agency').set(host()).send({ plan: 'professional' });
    assert.equal(res.body.workspace.pausedCount, 0);
    assert.deepEqual(await statuses(), { fb1: 'active', ig1: 'active', x1: 'active', tt1: 'active', fb2: 'active' });
    const resumed = await eventsOf('account_resumed');
    assert.ok([ids['x1'], ids['tt1']].every((id) => resumed.some((e) => e.accountId === id)));
    assert.ok(resumed.some((e) => e.message === 'x1 is active again'));
  });

  it('writes paused and resumed into each account\'s history', async () => {
    const rows = await ctx.database.db.selectFrom('account_history').select(['kind', 'params']).where('account_id', '=', ids['x1']!).orderBy('id').execute();
    assert.deepEqual(rows.map((r) => r.kind), ['paused', 'resumed']);
    assert.equal((rows[0]!.params as Record<string, unknown>)['reason'], 'plan_platform');
  });
});

describe('plan changes and connections at once', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('never leave more active accounts than the limit', async () => {
    await server.putWorkspace('race', { plan: 'professional' });
    for (let i = 0; i < 2; i++) await server.insertAccount('race', { display_name: `seed${i}`, connected_at: new Date(T0 + i * 60_000) });
    const token = await server.session('race');
    const connects = [
      connectAccount(server, token, { platform: 'instagram', user: '17841400000000011' }),
      connectAccount(server, token, { platform: 'instagram', user: '17841400000000012' }),
      connectAccount(server, token, { platform: 'facebook', user: '100000000000002' }),
      connectAccount(server, token, { platform: 'x', user: '1700000000000000001' }),
    ].map((p) => p.then((r) => r.result.error?.code ?? r.result.status, (e: Error) => e.message.slice(0, 120)));
    const puts = [
      request(server.app).put('/v1/workspaces/race').set(host()).send({ plan: 'free' }),
      request(server.app).put('/v1/workspaces/race').set(host()).send({ plan: 'free', accountLimit: 2 }),
    ].map((r) => r.then((res) => res.status)); // supertest starts a request when it is awaited
    const [outcomes, putStatuses] = await Promise.all([Promise.all(connects), Promise.all(puts)]);
    assert.deepEqual(putStatuses, [200, 200]);
    // Each connection either landed or was refused by the plan or the limit, never by anything else.
    assert.ok(outcomes.every((o) => o === 'connected' || /account_limit_reached|plan_upgrade_required/.test(o)), JSON.stringify(outcomes));
    const ws = await request(server.app).get('/v1/workspaces/race').set(host());
    const { accountLimit, accountCount } = ws.body.workspace;
    assert.ok(accountCount <= accountLimit, `${accountCount} active with a limit of ${accountLimit}`);
    const rows = await server.database.db.selectFrom('social_accounts').select(['platform', 'status']).where('workspace_id', '=', 'race').where('disconnected_at', 'is', null).execute();
    assert.ok(rows.every((r) => r.platform !== 'x' || r.status === 'paused'), 'X is not on the Free plan');
  });
});
