import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { SignJWT } from 'jose';
import { auth, createTestContext, HOST_KEY, type TestContext } from '../helpers/context.ts';
import { REQUIRED_SCOPES } from '../../bff/platforms/catalog.ts';

const DAY = 86_400_000;

describe('widget API', () => {
  let ctx: TestContext;
  let member: string;
  let admin: string;

  before(async () => {
    ctx = await createTestContext();
    await ctx.putWorkspace('ws', { plan: 'professional' });
    member = await ctx.session('ws', 'member');
    admin = await ctx.session('ws', 'admin');
  });
  after(() => ctx.close());

  describe('GET /api/accounts', () => {
    it('lists accounts amber first, then by platform, then by name, in the SPEC shape', async () => {
      await ctx.putWorkspace('sorted', { plan: 'enterprise' });
      const now = ctx.clock.now().getTime();
      await ctx.insertAccount('sorted', { platform: 'x', kind: 'profile', display_name: 'beta', granted_scopes: [...REQUIRED_SCOPES.x] });
      await ctx.insertAccount('sorted', { platform: 'facebook', display_name: 'Zulu' });
      await ctx.insertAccount('sorted', { platform: 'facebook', display_name: 'alpha' });
      await ctx.insertAccount('sorted', { platform: 'x', kind: 'profile', display_name: 'Expired', granted_scopes: [...REQUIRED_SCOPES.x], token_expires_at: new Date(now - 1000) });
      await ctx.insertAccount('sorted', { platform: 'facebook', display_name: 'Revoked', last_error_code: 'token_revoked', last_error_message: 'Error validating access token' });
      const gone = await ctx.insertAccount('sorted', { platform: 'facebook', display_name: 'Gone' });
      await ctx.services.accountRepository.disconnect('sorted', gone.id, new Date());

      const res = await request(ctx.app).get('/api/accounts').set(auth(await ctx.session('sorted')));
      assert.equal(res.status, 200);
      const names = res.body.accounts.map((a: { displayName: string }) => a.displayName);
      assert.deepEqual(names, ['Revoked', 'Expired', 'alpha', 'Zulu', 'beta']);
      const [revoked, expired, alpha] = res.body.accounts;
      assert.deepEqual(Object.keys(alpha).sort(), [
        'actionNeededBy', 'avatarUrl', 'canPublish', 'checkedAt', 'connectedAt', 'displayName', 'health', 'id', 'kind', 'lastError', 'lastRefreshedAt', 'pausedReason', 'platform', 'reason', 'reasonMessage', 'reasonParams', 'status', 'tokenExpiresAt', 'username',
      ]);
      assert.equal(alpha.health, 'healthy');
      assert.equal(alpha.reason, null);
      assert.equal(expired.health, 'needs_reconnect');
      assert.equal(expired.reason, 'token_expired');
      assert.equal(revoked.reason, 'token_revoked');
      assert.deepEqual(revoked.lastError, { code: 'token_revoked', message: 'Error validating access token' });
    });

    it('never returns a token or ciphertext', async () => {
      await ctx.putWorkspace('secrets', { plan: 'free' });
      const row = await ctx.insertAccount('secrets', { accessToken: 'SECRET-ACCESS-TOKEN', refreshToken: 'SECRET-REFRESH-TOKEN' });
      const token = await ctx.session('secrets', 'admin');
      for (const path of ['/api/accounts', `/api/accounts/${row.id}`]) {
        const text = (await request(ctx.app).get(path).set(auth(token))).text;
        assert.ok(!text.includes('SECRET-'), path);
        assert.ok(!text.includes(row.access_token_enc!), path);
      }
    });

    it('follows the clock: an account turns amber when its token expires', async () => {
      await ctx.putWorkspace('clocked', { plan: 'free' });
      await ctx.insertAccount('clocked', { token_expires_at: new Date(ctx.clock.now().getTime() + 2 * DAY) });
      const token = await ctx.session('clocked');
      const before = await request(ctx.app).get('/api/accounts').set(auth(token));
      assert.equal(before.body.accounts[0].health, 'healthy');
      ctx.clock.advance(2 * 86_400);
      const after = await request(ctx.app).get('/api/accounts').set(auth(token));
      assert.equal(after.body.accounts[0].reason, 'token_expired');
    });
  });

  describe('JSON answers', () => {
    it('carry what Express sends: Content-Type with charset, Content-Length, an ETag, 304 when fresh, no body for HEAD', async () => {
      await ctx.putWorkspace('etag', { plan: 'professional' });
      await ctx.insertAccount('etag', { platform: 'facebook', display_name: 'Tagged' });
      const session = auth(await ctx.session('etag'));
      const res = await request(ctx.app).get('/api/accounts').set(session);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(Number(res.headers['content-length']), Buffer.byteLength(res.text));
      assert.match(String(res.headers['etag']), /^W\/"[0-9a-f]+-[\w+/=-]+"$/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      const again = await request(ctx.app).get('/api/accounts').set(session).set('If-None-Match', String(res.headers['etag']));
      assert.equal(again.status, 304);
      assert.equal(again.text, '');
      const head = await request(ctx.app).head('/api/accounts').set(session);
      assert.equal(head.status, 200);
      assert.equal(head.headers['content-length'], res.headers['content-length']);
      assert.equal(head.text, undefined);
    });

    it("carry the ETag Express's own res.send would, and follow the app's etag setting", async () => {
      await ctx.putWorkspace('etag-kinds', { plan: 'professional' });
      await ctx.insertAccount('etag-kinds', { platform: 'facebook', display_name: 'Tagged ünïcode' });
      const session = auth(await ctx.session('etag-kinds'));
      const expressTag = async (setting: unknown, text: string) => {
        const plain = express();
        plain.set('etag', setting);
        plain.get('/', (_req, res) => void res.type('application/json').send(text));
        return (await request(plain).get('/')).headers['etag'];
      };
      const app = ctx.bff.router;
      try {
        for (const setting of ['weak', 'strong', false, (body: Buffer) => `"custom-${body.length}"`]) {
          app.set('etag', setting);
          const res = await request(app).get('/api/accounts').set(session);
          assert.equal(res.status, 200);
          assert.equal(res.headers['etag'], await expressTag(setting, res.text), String(setting));
        }
      } finally {
        app.set('etag', 'weak');
      }
      assert.match(String((await request(app).get('/api/accounts').set(session)).headers['etag']), /^W\//);
    });
  });

  describe('GET /api/accounts/:id', () => {
    let accountId: string;
    before(async () => {
      const row = await ctx.insertAccount('ws', {
        display_name: 'Bakery',
        username: 'bakery',
        granted_scopes: ['pages_show_list', 'pages_manage_posts', 'pages_read_engagement'],
        data_access_expires_at: new Date(ctx.clock.now().getTime() + 80 * DAY),
      });
      accountId = row.id;
      await ctx.services.accountRepository.upsertPosts(
        row.id,
        [1, 2].map((n) => ({
          id: randomUUID(),
          platformPostId: `post-${n}`,
          message: `Post ${n}`,
          permalinkUrl: `https://example.test/p/${n}`,
          mediaUrl: null,
          publishedAt: new Date(Date.UTC(2026, 10, n)),
          metrics: { likes: n * 10 },
        })),
        new Date(),
      );
    });

    it('shows the account with its reason, its missing scopes named, and recent posts newest first', async () => {
      const res = await request(ctx.app).get(`/api/accounts/${accountId}`).set(auth(member));
      assert.equal(res.status, 200);
      const { account } = res.body;
      assert.equal(account.displayName, 'Bakery');
      assert.equal(account.reason, 'missing_permissions');
      assert.match(account.reasonMessage, /pages_manage_engagement, read_insights/);
      assert.deepEqual(account.recentPosts.map((p: { id: string }) => p.id), ['post-2', 'post-1']);
      assert.deepEqual(account.recentPosts[0].metrics, { likes: 20 });
    });

    it('shows the token debug panel to admins only', async () => {
      const asMember = await request(ctx.app).get(`/api/accounts/${accountId}`).set(auth(member));
      assert.equal(asMember.body.account.debug, undefined);
      const asAdmin = await request(ctx.app).get(`/api/accounts/${accountId}`).set(auth(admin));
      const { debug } = asAdmin.body.account;
      assert.deepEqual(debug.grantedScopes, ['pages_show_list', 'pages_manage_posts', 'pages_read_engagement']);
      assert.deepEqual(debug.missingScopes, ['pages_manage_engagement', 'read_insights']);
      assert.ok(debug.tokenExpiresAt);
      assert.ok(debug.dataAccessExpiresAt);
    });

    it('has no recent posts on platforms without them', async () => {
      const row = await ctx.insertAccount('ws', { platform: 'tiktok', kind: 'profile', granted_scopes: [...REQUIRED_SCOPES.tiktok] });
      const res = await request(ctx.app).get(`/api/accounts/${row.id}`).set(auth(member));
      assert.equal(res.body.account.recentPosts, null);
    });

    it("answers 404 for another workspace's account, exactly as for one that never existed", async () => {
      await ctx.putWorkspace('other', { plan: 'free' });
      const theirs = await ctx.insertAccount('other', { display_name: 'Theirs' });
      const foreign = await request(ctx.app).get(`/api/accounts/${theirs.id}`).set(auth(member));
      const missing = await request(ctx.app).get(`/api/accounts/${randomUUID()}`).set(auth(member));
      assert.equal(foreign.status, 404);
      assert.deepEqual(foreign.body, missing.body);
      const del = await request(ctx.app).delete(`/api/accounts/${theirs.id}`).set(auth(member));
      assert.equal(del.status, 404);
      assert.equal((await ctx.services.accountRepository.findById(theirs.id))!.disconnected_at, null);
    });

    it('answers 400 for a malformed id', async () => {
      for (const id of ['123', 'not-a-uuid', `${randomUUID()}x`, '%00']) {
        const res = await request(ctx.app).get(`/api/accounts/${id}`).set(auth(member));
        assert.equal(res.status, 400, id);
        assert.equal(res.body.error.code, 'invalid_id');
      }
    });
  });

  describe('DELETE /api/accounts/:id', () => {
    it('deletes the credentials, hides the account, keeps its posts and writes one event', async () => {
      await ctx.putWorkspace('del', { plan: 'free' });
      const row = await ctx.insertAccount('del', { display_name: 'Leaving Page', refreshToken: 'r' });
      await ctx.services.accountRepository.upsertPosts(
        row.id,
        [{ id: randomUUID(), platformPostId: 'kept', message: 'still here', permalinkUrl: null, mediaUrl: null, publishedAt: new Date(), metrics: { likes: 3 } }],
        new Date(),
      );
      const token = await ctx.session('del');
      const res = await request(ctx.app).delete(`/api/accounts/${row.id}`).set(auth(token));
      assert.equal(res.status, 204);
      assert.equal(res.text, '');

      const stored = (await ctx.services.accountRepository.findById(row.id))!;
      assert.ok(stored.disconnected_at);
      assert.equal(stored.access_token_enc, null);
      assert.equal(stored.refresh_token_enc, null);
      assert.equal(await ctx.services.accountRepository.countPosts(row.id), 1);

      const list = await request(ctx.app).get('/api/accounts').set(auth(token));
      assert.deepEqual(list.body.accounts, []);
      assert.equal((await request(ctx.app).get(`/api/accounts/${row.id}`).set(auth(token))).status, 404);
      assert.equal((await request(ctx.app).delete(`/api/accounts/${row.id}`).set(auth(token))).status, 404);

      const events = await request(ctx.app).get('/api/events').set(auth(token));
      assert.deepEqual(
        events.body.events.map((e: { type: string; message: string; accountId: string }) => [e.type, e.message, e.accountId]),
        [['account_disconnected', 'Leaving Page disconnected', row.id]],
      );
    });

    it('revokes at the platform first, and disconnects even when that fails', async () => {
      const revoked: string[] = [];
      const failing = await createTestContext({
        deps: {
          revokeAtPlatform: async (row) => {
            revoked.push(row.id);
            throw new Error('platform down');
          },
        },
      });
      try {
        await failing.putWorkspace('w', { plan: 'free' });
        const row = await failing.insertAccount('w');
        const res = await request(failing.app).delete(`/api/accounts/${row.id}`).set(auth(await failing.session('w')));
        assert.equal(res.status, 204);
        assert.deepEqual(revoked, [row.id]);
        assert.ok((await failing.services.accountRepository.findById(row.id))!.disconnected_at);
      } finally {
        await failing.close();
      }
    });
  });

  describe('GET /api/platforms', () => {
    it("lists every platform with its state on the workspace's plan, and the count against the limit", async () => {
      await ctx.putWorkspace('plat', { plan: 'free' });
      await ctx.insertAccount('plat');
      const res = await request(ctx.app).get('/api/platforms').set(auth(await ctx.session('plat')));
      assert.equal(res.status, 200);
      assert.equal(res.body.accountCount, 1);
      assert.equal(res.body.accountLimit, 3);
      assert.deepEqual(
        res.body.platforms.map((p: { platform: string; status: string; requiredPlan: string; label: string }) => [p.platform, p.label, p.status, p.requiredPlan]),
        [
          ['facebook', 'Facebook', 'available', 'free'],
          ['instagram', 'Instagram', 'available', 'free'],
          ['tiktok', 'TikTok', 'upgrade_required', 'professional'],
          ['x', 'X', 'upgrade_required', 'professional'],
          ['linkedin', 'LinkedIn', 'upgrade_required', 'professional'],
          ['telegram', 'Telegram', 'coming_soon', 'professional'],
          ['whatsapp', 'WhatsApp', 'coming_soon', 'enterprise'],
        ],
      );
    });

    it('gives a null limit when unlimited', async () => {
      await ctx.putWorkspace('unl', { plan: 'enterprise' });
      const res = await request(ctx.app).get('/api/platforms').set(auth(await ctx.session('unl')));
      assert.equal(res.body.accountLimit, null);
      assert.ok(res.body.platforms.filter((p: { status: string }) => p.status === 'available').length === 5);
    });
  });

  describe('POST /api/connections', () => {
    it('refuses a platform the plan lacks (403 plan_upgrade_required)', async () => {
      await ctx.putWorkspace('gate-free', { plan: 'free' });
      const res = await request(ctx.app).post('/api/connections').set(auth(await ctx.session('gate-free'))).send({ platform: 'linkedin' });
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'plan_upgrade_required');
      assert.match(res.body.error.message, /LinkedIn is available on the Professional plan/);
    });

    it('refuses a new account at the limit (403 account_limit_reached), counting only connected accounts', async () => {
      await ctx.putWorkspace('gate-limit', { plan: 'free', accountLimit: 2 });
      const token = await ctx.session('gate-limit');
      const first = await ctx.insertAccount('gate-limit');
      await ctx.insertAccount('gate-limit');
      const full = await request(ctx.app).post('/api/connections').set(auth(token)).send({ platform: 'facebook' });
      assert.equal(full.status, 403);
      assert.equal(full.body.error.code, 'account_limit_reached');
      assert.match(full.body.error.message, /allows 2 accounts/);

      await request(ctx.app).delete(`/api/accounts/${first.id}`).set(auth(token)).expect(204);
      const room = await request(ctx.app).post('/api/connections').set(auth(token)).send({ platform: 'facebook' });
      assert.notEqual(room.status, 403);
    });

    it('refuses coming-soon and unknown platforms', async () => {
      const soon = await request(ctx.app).post('/api/connections').set(auth(member)).send({ platform: 'telegram' });
      assert.equal(soon.status, 403);
      assert.equal(soon.body.error.code, 'platform_coming_soon');
      const unknown = await request(ctx.app).post('/api/connections').set(auth(member)).send({ platform: 'myspace' });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.error.code, 'unknown_platform');
      const missing = await request(ctx.app).post('/api/connections').set(auth(member)).send({});
      assert.equal(missing.status, 400);
    });

    it('validates mode and returnTo', async () => {
      const mode = await request(ctx.app).post('/api/connections').set(auth(member)).send({ platform: 'facebook', mode: 'tab' });
      assert.equal(mode.status, 400);
      const foreign = await request(ctx.app).post('/api/connections').set(auth(member)).send({ platform: 'facebook', returnTo: 'https://evil.example/steal' });
      assert.equal(foreign.status, 400);
      assert.equal(foreign.body.error.code, 'invalid_return_to');
      const relative = await request(ctx.app).post('/api/connections').set(auth(member)).send({ platform: 'facebook', returnTo: '/page' });
      assert.equal(relative.body.error.code, 'invalid_return_to');
    });
  });

  describe('GET /api/events', () => {
    it('pages through events with an opaque cursor and refuses a malformed one', async () => {
      await ctx.putWorkspace('ev', { plan: 'enterprise' });
      const token = await ctx.session('ev');
      const start = await request(ctx.app).get('/api/events').set(auth(token));
      assert.deepEqual(start.body.events, []);
      const rows = await Promise.all(['One', 'Two'].map((name) => ctx.insertAccount('ev', { display_name: name })));
      for (const row of rows) await request(ctx.app).delete(`/api/accounts/${row.id}`).set(auth(token)).expect(204);

      const page = await request(ctx.app).get('/api/events').query({ after: start.body.cursor }).set(auth(token));
      assert.equal(page.status, 200);
      assert.deepEqual(page.body.events.map((e: { message: string }) => e.message).sort(), ['One disconnected', 'Two disconnected']);
      for (const e of page.body.events) assert.deepEqual(Object.keys(e).sort(), ['accountId', 'createdAt', 'id', 'message', 'params', 'type']);
      const next = await request(ctx.app).get('/api/events').query({ after: page.body.cursor }).set(auth(token));
      assert.deepEqual(next.body, { events: [], cursor: page.body.cursor });

      for (const after of ['garbage!', '12', Buffer.from('ev1:abc').toString('base64url'), 'x'.repeat(200)]) {
        const res = await request(ctx.app).get('/api/events').query({ after }).set(auth(token));
        assert.equal(res.status, 400, after);
        assert.equal(res.body.error.code, 'invalid_cursor');
      }
      const extra = await request(ctx.app).get('/api/events?after=a&after=b').set(auth(token));
      assert.equal(extra.status, 400);
    });

    it("never shows another workspace's events", async () => {
      await ctx.putWorkspace('ev-a', { plan: 'free' });
      await ctx.putWorkspace('ev-b', { plan: 'free' });
      const row = await ctx.insertAccount('ev-a');
      await request(ctx.app).delete(`/api/accounts/${row.id}`).set(auth(await ctx.session('ev-a'))).expect(204);
      const res = await request(ctx.app).get('/api/events').set(auth(await ctx.session('ev-b')));
      assert.deepEqual(res.body.events, []);
    });
  });

  describe('sessions', () => {
    it('answers 401 without a session, with a malformed or forged one, and with the host key', async () => {
      const none = await request(ctx.app).get('/api/accounts');
      assert.equal(none.body.error.code, 'missing_session');
      const malformed = await request(ctx.app).get('/api/accounts').set(auth('abc.def'));
      assert.equal(malformed.body.error.code, 'invalid_session');
      const forged = await new SignJWT({ wid: 'ws', role: 'admin' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('u')
        .setJti('j')
        .setIssuer('connections-panel')
        .setAudience('connections-panel:widget')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('a-guessed-secret-key-of-32-bytes!!'));
      const forgedRes = await request(ctx.app).get('/api/accounts').set(auth(forged));
      assert.equal(forgedRes.status, 401);
      assert.equal(forgedRes.body.error.code, 'invalid_session');
      const [h, p, s] = member.split('.');
      const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
      const tampered = [h, Buffer.from(JSON.stringify({ ...payload, role: 'admin', wid: 'other' })).toString('base64url'), s].join('.');
      assert.equal((await request(ctx.app).get('/api/accounts').set(auth(tampered))).status, 401);
      const hostKey = await request(ctx.app).get('/api/accounts').set(auth(HOST_KEY));
      assert.equal(hostKey.status, 401);
      assert.equal(hostKey.body.error.code, 'wrong_credentials');
    });

    it('expires by real time, not by the sandbox clock', async () => {
      const token = await ctx.session('ws', 'member', 60);
      ctx.clock.advance(3 * 86_400); // the product clock moving does not end a session
      assert.equal((await request(ctx.app).get('/api/accounts').set(auth(token))).status, 200);
      ctx.wallClock.advance(61);
      const res = await request(ctx.app).get('/api/accounts').set(auth(token));
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'session_expired');
    });
  });

  it('answers unknown widget routes with a JSON 404 and refuses unknown query parameters', async () => {
    const res = await request(ctx.app).get('/api/nothing').set(auth(member));
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
    const q = await request(ctx.app).get('/api/accounts?foo=1').set(auth(member));
    assert.equal(q.status, 400);
    assert.equal(q.body.error.code, 'unknown_parameter');
  });
});
