import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { auth, createTestContext, type TestContext } from '../../helpers/context.ts';
import { firstInOrder } from '../../../bff/paging.ts';

interface Listed { id: string; health: string; displayName: string }
interface Page { accounts: Listed[]; cursor: string | null; counts: { total: number; needsReconnect: number; paused: number } }

describe('GET /api/accounts pages, amber first', () => {
  let ctx: TestContext;
  let token: string;
  before(async () => {
    ctx = await createTestContext();
    await ctx.putWorkspace('big', { plan: 'enterprise' });
    token = await ctx.session('big');
    const now = ctx.clock.now().getTime();
    for (let i = 0; i < 130; i++) {
      const amber = i % 7 === 0;
      await ctx.insertAccount('big', {
        display_name: `Client ${String(i).padStart(3, '0')}`,
        ...(amber ? { token_expires_at: new Date(now - 86_400_000) } : {}),
      });
    }
  });
  after(() => ctx.close());

  const get = async (query: string) => {
    const res = await request(ctx.app).get(`/api/accounts${query}`).set(auth(token));
    return { status: res.status, body: res.body as Page };
  };

  it('walks every account once, in the same order as the whole list, with counts over all of them', async () => {
    const whole = (await get('')).body;
    assert.equal(whole.cursor, null);
    assert.equal(whole.accounts.length, 130);
    const seen: Listed[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { status: number; body: Page } = await get(`?limit=50${cursor ? `&after=${cursor}` : ''}`);
      assert.equal(page.status, 200);
      assert.deepEqual(page.body.counts, whole.counts);
      seen.push(...page.body.accounts);
      cursor = page.body.cursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(seen.map((a) => a.id), whole.accounts.map((a) => a.id));
    const firstHealthy = seen.findIndex((a) => a.health === 'healthy');
    assert.equal(firstHealthy, whole.counts.needsReconnect);
    assert.equal(whole.counts.needsReconnect, 19);
    assert.ok(seen.slice(firstHealthy).every((a) => a.health === 'healthy'), 'amber first');
  });

  it('goes on after an account disconnected between pages', async () => {
    const first = (await get('?limit=10')).body;
    const last = first.accounts.at(-1)!;
    const admin = await ctx.session('big', 'admin');
    await request(ctx.app).delete(`/api/accounts/${last.id}`).set(auth(admin)).expect(204);
    const next = (await get(`?limit=10&after=${first.cursor}`)).body;
    const whole = (await get('')).body.accounts.map((a) => a.id);
    assert.deepEqual(next.accounts.map((a) => a.id), whole.slice(9, 19));
  });

  it('refuses a cursor it never gave out', async () => {
    for (const bad of ['bm9wZQ', 'aGlzdDox', '!!']) {
      const res = await get(`?limit=10&after=${bad}`);
      assert.equal(res.status, 400, bad);
    }
  });
});

describe('firstInOrder', () => {
  const byValue = (a: { v: number; i: number }, b: { v: number; i: number }) => a.v - b.v || a.i - b.i;

  it('gives the first n of a sort, in order, for every n, without changing its input', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const items = Array.from({ length: 300 }, (_, i) => ({ v: Math.floor(random() * 40), i }));
    const before = [...items];
    const sorted = [...items].sort(byValue);
    for (const n of [0, 1, 2, 17, 50, 299, 300, 301]) assert.deepEqual(firstInOrder(items, n, byValue), sorted.slice(0, n), `n = ${n}`);
    assert.deepEqual(items, before);
  });

  it('keeps the earlier of equal items first, as a stable sort does', () => {
    const items = [3, 1, 2, 1, 3, 1].map((v, i) => ({ v, i }));
    const onlyValue = (a: { v: number }, b: { v: number }) => a.v - b.v;
    assert.deepEqual(firstInOrder(items, 4, onlyValue).map((x) => x.i), [1, 3, 5, 2]);
  });
});
