import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { decodeJwt } from 'jose';
import { auth, createTestContext, HOST_KEY, type TestContext } from '../helpers/context.ts';

describe('host API', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());
  const host = () => ({ Authorization: `Bearer ${HOST_KEY}` });

  describe('PUT /v1/workspaces/:workspaceId', () => {
    it('creates a workspace (201) with the plan limit, then updates it (200)', async () => {
      const created = await request(ctx.app).put('/v1/workspaces/acme').set(host()).send({ name: 'Acme', plan: 'free' });
      assert.equal(created.status, 201);
      assert.deepEqual(
        { ...created.body.workspace, createdAt: undefined, updatedAt: undefined },
        { id: 'acme', name: 'Acme', plan: 'free', accountLimit: 3, accountLimitOverride: null, accountCount: 0, pausedCount: 0, createdAt: undefined, updatedAt: undefined },
      );
      const updated = await request(ctx.app).put('/v1/workspaces/acme').set(host()).send({ name: 'Acme Ltd', plan: 'professional', accountLimit: 75 });
      assert.equal(updated.status, 200);
      assert.equal(updated.body.workspace.plan, 'professional');
      assert.equal(updated.body.workspace.accountLimit, 75);
      assert.equal(updated.body.workspace.accountLimitOverride, 75);
      assert.equal(updated.body.workspace.name, 'Acme Ltd');
    });

    it('replaces the settings: an omitted accountLimit returns to the plan default', async () => {
      const res = await request(ctx.app).put('/v1/workspaces/acme').set(host()).send({ plan: 'enterprise' });
      assert.equal(res.status, 200);
      assert.equal(res.body.workspace.accountLimit, null);
      assert.equal(res.body.workspace.name, null);
    });

    it('refuses bad input with a clear 400', async () => {
      const cases: [string, unknown, string][] = [
        ['/v1/workspaces/acme', { plan: 'gold' }, 'invalid_field'],
        ['/v1/workspaces/acme', {}, 'missing_field'],
        ['/v1/workspaces/acme', { plan: 'free', accountLimit: -1 }, 'invalid_field'],
        ['/v1/workspaces/acme', { plan: 'free', accountLimit: 2.5 }, 'invalid_field'],
        ['/v1/workspaces/acme', { plan: 'free', accountLimit: '10' }, 'invalid_field'],
        ['/v1/workspaces/acme', { plan: 'free', name: 42 }, 'invalid_field'],
        ['/v1/workspaces/acme', { plan: 'free', owner: 'me' }, 'unknown_field'],
        ['/v1/workspaces/acme', [1, 2], 'invalid_body'],
        ['/v1/workspaces/-bad', { plan: 'free' }, 'invalid_id'],
        [`/v1/workspaces/${'a'.repeat(129)}`, { plan: 'free' }, 'invalid_id'],
      ];
      for (const [path, body, code] of cases) {
        const res = await request(ctx.app).put(path).set(host()).send(body as object);
        assert.equal(res.status, 400, `${path} ${JSON.stringify(body)}`);
        assert.equal(res.body.error.code, code, `${path} ${JSON.stringify(body)}`);
        assert.equal(typeof res.body.error.message, 'string');
      }
    });

    it('answers 400 for malformed JSON and 415 for a body that is not JSON', async () => {
      const bad = await request(ctx.app).put('/v1/workspaces/acme').set(host()).set('Content-Type', 'application/json').send('{"plan":');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'invalid_json');
      const form = await request(ctx.app).put('/v1/workspaces/acme').set(host()).type('form').send('plan=free');
      assert.equal(form.status, 415);
      assert.equal(form.body.error.code, 'unsupported_media_type');
    });

    it('answers 413 for a body over 100 kB', async () => {
      const res = await request(ctx.app).put('/v1/workspaces/acme').set(host()).send({ plan: 'free', name: 'x'.repeat(110 * 1024) });
      assert.equal(res.status, 413);
      assert.equal(res.body.error.code, 'payload_too_large');
    });
  });

  describe('POST /v1/sessions', () => {
    before(() => ctx.putWorkspace('sess-ws', { plan: 'free' }));

    it('mints a signed session token carrying workspace, user, role and expiry (default one hour)', async () => {
      const res = await request(ctx.app).post('/v1/sessions').set(host()).send({ workspaceId: 'sess-ws', userId: 'u-42', role: 'admin' });
      assert.equal(res.status, 201);
      const claims = decodeJwt(res.body.token);
      assert.equal(claims.wid, 'sess-ws');
      assert.equal(claims.sub, 'u-42');
      assert.equal(claims.role, 'admin');
      const expiresAt = new Date(res.body.expiresAt).getTime();
      assert.equal(claims.exp, expiresAt / 1000);
      assert.ok(Math.abs(expiresAt - (Date.now() + 3600_000)) < 5_000);
    });

    it('accepts ttlSeconds from 60 to 86,400 and refuses outside it', async () => {
      for (const ttlSeconds of [60, 86_400]) {
        const res = await request(ctx.app).post('/v1/sessions').set(host()).send({ workspaceId: 'sess-ws', userId: 'u', role: 'member', ttlSeconds });
        assert.equal(res.status, 201);
        assert.ok(Math.abs(new Date(res.body.expiresAt).getTime() - (Date.now() + ttlSeconds * 1000)) < 5_000);
      }
      for (const ttlSeconds of [59, 86_401, 0, -5, 100.5, '600']) {
        const res = await request(ctx.app).post('/v1/sessions').set(host()).send({ workspaceId: 'sess-ws', userId: 'u', role: 'member', ttlSeconds });
        assert.equal(res.status, 400, String(ttlSeconds));
        assert.match(res.body.error.message, /ttlSeconds/);
      }
    });

    it('refuses unknown roles, missing users and unknown workspaces', async () => {
      const role = await request(ctx.app).post('/v1/sessions').set(host()).send({ workspaceId: 'sess-ws', userId: 'u', role: 'owner' });
      assert.equal(role.status, 400);
      const user = await request(ctx.app).post('/v1/sessions').set(host()).send({ workspaceId: 'sess-ws', role: 'member' });
      assert.equal(user.status, 400);
      assert.equal(user.body.error.code, 'missing_field');
      const ws = await request(ctx.app).post('/v1/sessions').set(host()).send({ workspaceId: 'nope', userId: 'u', role: 'member' });
      assert.equal(ws.status, 404);
      assert.equal(ws.body.error.code, 'workspace_not_found');
    });
  });

  describe('GET /v1/workspaces/:workspaceId/accounts', () => {
    it('returns the same list the widget sees', async () => {
      await ctx.putWorkspace('list-ws', { plan: 'enterprise' });
      await ctx.insertAccount('list-ws', { display_name: 'Zed Page' });
      await ctx.insertAccount('list-ws', { display_name: 'Amber Page', can_publish: false });
      const hostList = await request(ctx.app).get('/v1/workspaces/list-ws/accounts').set(host());
      const widgetList = await request(ctx.app).get('/api/accounts').set(auth(await ctx.session('list-ws')));
      assert.equal(hostList.status, 200);
      assert.deepEqual(hostList.body, widgetList.body);
      assert.deepEqual(hostList.body.accounts.map((a: { displayName: string }) => a.displayName), ['Amber Page', 'Zed Page']);
    });

    it('is a 404 for an unknown workspace', async () => {
      const res = await request(ctx.app).get('/v1/workspaces/ghost/accounts').set(host());
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'workspace_not_found');
    });
  });

  describe('authentication', () => {
    it('needs the host API key', async () => {
      const none = await request(ctx.app).put('/v1/workspaces/acme').send({ plan: 'free' });
      assert.equal(none.status, 401);
      assert.equal(none.body.error.code, 'missing_credentials');
      const wrong = await request(ctx.app).put('/v1/workspaces/acme').set('Authorization', 'Bearer not-the-key').send({ plan: 'free' });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.code, 'invalid_api_key');
      const scheme = await request(ctx.app).put('/v1/workspaces/acme').set('Authorization', `Basic ${HOST_KEY}`).send({ plan: 'free' });
      assert.equal(scheme.status, 401);
    });

    it('refuses a session token', async () => {
      await ctx.putWorkspace('auth-ws', { plan: 'free' });
      const token = await ctx.session('auth-ws', 'admin');
      const res = await request(ctx.app).get('/v1/workspaces/auth-ws/accounts').set(auth(token));
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'wrong_credentials');
    });
  });

  it('answers unknown host routes with a JSON 404', async () => {
    const res = await request(ctx.app).get('/v1/nothing-here').set(host());
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
  });
});
