import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { DAY, REDIRECT_URI, consentForm, decide, makeSandbox, path, pkcePair, withParams } from './helpers.ts';
import type { TestSandbox } from './helpers.ts';

const CLIENT_ID = 'sandbox-facebook-client';
const CLIENT_SECRET = 'sandbox-facebook-secret';
const AMELIA = '100000000000001';
const DANIEL = '100000000000002';
const BAKERY_PAGE = '200000000000001';
const BAKERY_IG = '17841400000000001';
const SCOPES = ['pages_show_list', 'pages_read_engagement', 'pages_manage_posts', 'instagram_basic'];
const APP_TOKEN = `${CLIENT_ID}|${CLIENT_SECRET}`;

function authorizeUrl(t: TestSandbox, extra: Record<string, string> = {}): string {
  return withParams(t.paths.facebook['authorize'], {
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    state: 'st-123',
    scope: SCOPES.join(','),
    response_type: 'code',
    ...extra,
  });
}

async function code(t: TestSandbox, options: { user?: string; scope?: string[]; extra?: Record<string, string> } = {}) {
  const back = await decide(t.app, authorizeUrl(t, options.extra), {
    user: options.user ?? AMELIA,
    scope: options.scope ?? SCOPES,
    decision: 'allow',
  });
  return back.searchParams.get('code') ?? '';
}

function exchange(t: TestSandbox, params: Record<string, string>) {
  return request(t.app).get(withParams(t.paths.facebook['token'], params));
}

async function shortToken(t: TestSandbox, options: { user?: string; scope?: string[] } = {}): Promise<string> {
  const res = await exchange(t, {
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uri: REDIRECT_URI,
    code: await code(t, options),
  });
  assert.equal(res.status, 200, res.text);
  return res.body.access_token;
}

async function longToken(t: TestSandbox, options: { user?: string; scope?: string[] } = {}): Promise<string> {
  const res = await exchange(t, {
    grant_type: 'fb_exchange_token',
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    fb_exchange_token: await shortToken(t, options),
  });
  assert.equal(res.status, 200, res.text);
  return res.body.access_token;
}

function graph(t: TestSandbox, path_: string, token: string, params: Record<string, string> = {}) {
  return request(t.app).get(withParams(`${path(t.paths.facebook['graph'])}${path_}`, { ...params, access_token: token }));
}

function debugToken(t: TestSandbox, token: string) {
  return request(t.app).get(withParams(t.paths.facebook['debugToken'], { input_token: token, access_token: APP_TOKEN }));
}

describe('Facebook sandbox: login dialog', () => {
  it('shows a consent form with the users, one checked box per requested scope, and Allow/Deny', async () => {
    const t = makeSandbox();
    const res = await request(t.app).get(authorizeUrl(t));
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /text\/html/);
    const page = consentForm(res.text);
    assert.equal(page.title, 'Sandbox Facebook');
    assert.equal(page.action, authorizeUrl(t));
    assert.deepEqual(page.users, [
      { value: AMELIA, selected: true },
      { value: DANIEL, selected: false },
      { value: '100000000000003', selected: false },
    ]);
    assert.deepEqual(
      page.scopes,
      SCOPES.map((value) => ({ value, checked: true, labelled: true })),
    );
    assert.ok(res.text.includes('<button name="decision" value="allow">Allow</button>'));
    assert.ok(res.text.includes('<button name="decision" value="deny">Deny</button>'));
  });

  it('escapes what it echoes into its pages', async () => {
    const t = makeSandbox();
    const error = await request(t.app).get(authorizeUrl(t, { client_id: '<script>alert(1)</script>' }));
    assert.equal(error.status, 400);
    assert.ok(!error.text.includes('<script>'));
    assert.ok(error.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });

  it('shows an error page, never a redirect, for an unknown client or a missing redirect_uri', async () => {
    const t = makeSandbox();
    for (const url of [
      authorizeUrl(t, { client_id: 'someone-else' }),
      withParams(t.paths.facebook['authorize'], { client_id: CLIENT_ID, state: 's', scope: 'pages_show_list' }),
    ]) {
      const res = await request(t.app).get(url);
      assert.equal(res.status, 400);
      assert.equal(res.headers['location'], undefined);
      assert.match(res.text, /<title>Sandbox Facebook - error<\/title>/);
    }
  });

  it('splits scopes on commas only: space-separated scopes are invalid', async () => {
    const t = makeSandbox();
    const res = await request(t.app).get(authorizeUrl(t, { scope: 'pages_show_list pages_read_engagement' }));
    assert.equal(res.status, 400);
    assert.match(res.text, /Invalid scopes/);
  });

  it('denial redirects with exactly Facebook’s error parameters', async () => {
    const t = makeSandbox();
    const back = await decide(t.app, authorizeUrl(t), { user: AMELIA, scope: SCOPES, decision: 'deny' });
    assert.equal(
      back.toString(),
      `${REDIRECT_URI}?error=access_denied&error_code=200&error_reason=user_denied&error_description=Permissions+error&state=st-123`,
    );
  });

  it('approval redirects with code and state, and #_=_ appended', async () => {
    const t = makeSandbox();
    const back = await decide(t.app, authorizeUrl(t), { user: AMELIA, scope: SCOPES, decision: 'allow' });
    assert.equal(back.origin + back.pathname, REDIRECT_URI);
    assert.deepEqual([...back.searchParams.keys()], ['code', 'state']);
    assert.equal(back.searchParams.get('state'), 'st-123');
    assert.equal(back.hash, '#_=_');
  });
});

describe('Facebook sandbox: token endpoint', () => {
  it('exchanges a code for a short-lived token by GET with query credentials, or by POST form', async () => {
    const t = makeSandbox();
    const viaGet = await exchange(t, { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: REDIRECT_URI, code: await code(t) });
    assert.equal(viaGet.status, 200);
    assert.deepEqual(Object.keys(viaGet.body).sort(), ['access_token', 'expires_in', 'token_type']);
    assert.equal(viaGet.body.token_type, 'bearer');
    assert.equal(viaGet.body.expires_in, 3600);
    assert.match(viaGet.body.access_token, /^sbx-fb-[A-Za-z0-9_-]{40,}$/);

    const viaPost = await request(t.app)
      .post(path(t.paths.facebook['token']))
      .type('form')
      .send({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: REDIRECT_URI, code: await code(t) });
    assert.equal(viaPost.status, 200);
    assert.notEqual(viaPost.body.access_token, viaGet.body.access_token);
  });

  it('refuses a wrong secret or an unknown app with OAuthException', async () => {
    const t = makeSandbox();
    const c = await code(t);
    const wrongSecret = await exchange(t, { client_id: CLIENT_ID, client_secret: 'nope', redirect_uri: REDIRECT_URI, code: c });
    assert.equal(wrongSecret.status, 400);
    assert.equal(wrongSecret.body.error.type, 'OAuthException');
    assert.equal(wrongSecret.body.error.code, 1);
    assert.equal(typeof wrongSecret.body.error.fbtrace_id, 'string');
    const unknownApp = await exchange(t, { client_id: 'other', client_secret: CLIENT_SECRET, redirect_uri: REDIRECT_URI, code: c });
    assert.equal(unknownApp.body.error.code, 101);
    // The failed attempts did not use the code up.
    const ok = await exchange(t, { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: REDIRECT_URI, code: c });
    assert.equal(ok.status, 200);
  });

  it('accepts a code once', async () => {
    const t = makeSandbox();
    const params = { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: REDIRECT_URI, code: await code(t) };
    assert.equal((await exchange(t, params)).status, 200);
    const again = await exchange(t, params);
    assert.equal(again.status, 400);
    assert.equal(again.body.error.code, 100);
    assert.equal(again.body.error.message, 'This authorization code has been used.');
  });

  it('lets a code expire after 10 minutes of sandbox time', async () => {
    const t = makeSandbox();
    const params = { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: REDIRECT_URI, code: await code(t) };
    t.clock.advance(601);
    const res = await exchange(t, params);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 100);
    assert.match(res.body.error.message, /expired/);
  });

  it('requires the same redirect_uri', async () => {
    const t = makeSandbox();
    const res = await exchange(t, { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: 'https://evil.example/cb', code: await code(t) });
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /redirect_uri is identical/);
  });

  it('checks the PKCE verifier when the dialog got a challenge (optional otherwise)', async () => {
    const t = makeSandbox();
    const { verifier, challenge } = pkcePair();
    const c = await code(t, { extra: { code_challenge: challenge, code_challenge_method: 'S256' } });
    const base = { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: REDIRECT_URI, code: c };
    assert.equal((await exchange(t, base)).status, 400);
    assert.equal((await exchange(t, { ...base, code_verifier: pkcePair().verifier })).status, 400);
    assert.equal((await exchange(t, { ...base, code_verifier: verifier })).status, 200);
  });

  it('exchanges a valid user token for a 60-day token, but not an expired one', async () => {
    const t = makeSandbox();
    const short = await shortToken(t);
    const res = await exchange(t, { grant_type: 'fb_exchange_token', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, fb_exchange_token: short });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { access_token: res.body.access_token, token_type: 'bearer', expires_in: 5184000 });
    assert.notEqual(res.body.access_token, short);

    const other = await shortToken(t);
    t.clock.advance(3601);
    const late = await exchange(t, { grant_type: 'fb_exchange_token', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, fb_exchange_token: other });
    assert.equal(late.status, 400);
    assert.equal(late.body.error.code, 190);
    assert.equal(late.body.error.error_subcode, 463);
  });

  it('refuses fb_exchange_token without the app secret', async () => {
    const t = makeSandbox();
    const res = await exchange(t, { grant_type: 'fb_exchange_token', client_id: CLIENT_ID, fb_exchange_token: await shortToken(t) });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 1);
  });
});

describe('Facebook sandbox: granted scopes', () => {
  it('grants only the ticked permissions and reports the others as declined', async () => {
    const t = makeSandbox();
    const token = await shortToken(t, { scope: ['pages_show_list', 'pages_read_engagement'] });
    const perms = await graph(t, '/me/permissions', token);
    assert.equal(perms.status, 200);
    assert.deepEqual(perms.body.data, [
      { permission: 'pages_show_list', status: 'granted' },
      { permission: 'pages_read_engagement', status: 'granted' },
      { permission: 'pages_manage_posts', status: 'declined' },
      { permission: 'instagram_basic', status: 'declined' },
    ]);
    const debug = await debugToken(t, token);
    assert.deepEqual(debug.body.data.scopes, ['pages_show_list', 'pages_read_engagement']);
  });

  it('debug_token reports type, expiry, data access expiry (90 days after consent) and granular scopes', async () => {
    const t = makeSandbox();
    const consentAt = Math.floor(t.clock.now().getTime() / 1000);
    const token = await shortToken(t);
    const res = await debugToken(t, token);
    assert.equal(res.status, 200);
    const data = res.body.data;
    assert.equal(data.app_id, CLIENT_ID);
    assert.equal(data.type, 'USER');
    assert.equal(data.is_valid, true);
    assert.equal(data.user_id, AMELIA);
    assert.ok(Math.abs(data.expires_at - (consentAt + 3600)) <= 2);
    assert.ok(Math.abs(data.data_access_expires_at - (consentAt + 90 * DAY)) <= 2);
    assert.deepEqual(data.scopes, SCOPES);
    assert.deepEqual(data.granular_scopes[0], {
      scope: 'pages_show_list',
      target_ids: ['200000000000001', '200000000000002', '200000000000003'],
    });
    assert.deepEqual(data.granular_scopes[3], { scope: 'instagram_basic', target_ids: ['17841400000000001', '17841400000000002'] });
  });

  it('debug_token needs the app token and reports an invalid token as is_valid false with an error', async () => {
    const t = makeSandbox();
    const token = await shortToken(t);
    const noApp = await request(t.app).get(withParams(t.paths.facebook['debugToken'], { input_token: token, access_token: token }));
    assert.equal(noApp.status, 400);
    t.clock.advance(3601);
    const expired = await debugToken(t, token);
    assert.equal(expired.body.data.is_valid, false);
    assert.equal(expired.body.data.error.code, 190);
    assert.equal(expired.body.data.error.subcode, 463);
    const garbage = await debugToken(t, 'not-a-token');
    assert.equal(garbage.body.data.is_valid, false);
    assert.equal(garbage.body.data.error.code, 190);
  });

  it('a permission removed with DELETE /me/permissions/{permission} is missing afterwards', async () => {
    const t = makeSandbox();
    const token = await shortToken(t);
    const del = await request(t.app).delete(withParams(`${path(t.paths.facebook['graph'])}/me/permissions/pages_show_list`, { access_token: token }));
    assert.deepEqual(del.body, { success: true });
    const accounts = await graph(t, '/me/accounts', token);
    assert.equal(accounts.status, 403);
    assert.equal(accounts.body.error.code, 10);
  });
});

describe('Facebook sandbox: Pages', () => {
  it('/me/accounts lists the user’s Pages with Page tokens and tasks', async () => {
    const t = makeSandbox();
    const token = await longToken(t);
    const res = await graph(t, '/me/accounts', token, { fields: 'id,name,access_token,tasks' });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.data.map((p: { id: string; name: string }) => [p.id, p.name]),
      [
        ['200000000000001', 'Hart & Crumb Bakery'],
        ['200000000000002', 'Northside Running Club'],
        ['200000000000003', 'Amelia Hart Photography'],
      ],
    );
    for (const page of res.body.data) {
      assert.deepEqual(Object.keys(page).sort(), ['access_token', 'id', 'name', 'tasks']);
      assert.match(page.access_token, /^sbx-fbpage-/);
      assert.ok(page.tasks.includes('CREATE_CONTENT'));
    }
    // Reading again hands out the same Page token.
    const again = await graph(t, '/me/accounts', token, { fields: 'id,access_token' });
    assert.equal(again.body.data[0].access_token, res.body.data[0].access_token);

    const daniel = await graph(t, '/me/accounts', await shortToken(t, { user: DANIEL }), { fields: 'id,name' });
    assert.deepEqual(daniel.body.data, [{ id: '200000000000004', name: 'Osei Bike Repairs' }]);
  });

  it('a Page token from a long-lived user token never expires; from a short-lived one it expires with it', async () => {
    const t = makeSandbox();
    const long = await longToken(t);
    const fromLong = (await graph(t, '/me/accounts', long, { fields: 'id,access_token' })).body.data[0].access_token;
    const debugLong = (await debugToken(t, fromLong)).body.data;
    assert.equal(debugLong.type, 'PAGE');
    assert.equal(debugLong.expires_at, 0);
    assert.equal(debugLong.profile_id, BAKERY_PAGE);

    const short = await shortToken(t);
    const shortExpiry = (await debugToken(t, short)).body.data.expires_at;
    const fromShort = (await graph(t, '/me/accounts', short, { fields: 'id,access_token' })).body.data[0].access_token;
    assert.equal((await debugToken(t, fromShort)).body.data.expires_at, shortExpiry);

    t.clock.advance(3601);
    assert.equal((await graph(t, '/me', fromShort)).body.error.error_subcode, 463);
    const me = await graph(t, '/me', fromLong);
    assert.deepEqual(me.body, { id: BAKERY_PAGE, name: 'Hart & Crumb Bakery' });
  });

  it('serves the Page profile with picture{url} and its linked Instagram account', async () => {
    const t = makeSandbox();
    const token = await shortToken(t);
    const res = await graph(t, `/${BAKERY_PAGE}`, token, { fields: 'id,name,username,link,picture{url}' });
    assert.equal(res.status, 200);
    assert.equal(res.body.username, 'hartandcrumb');
    assert.match(res.body.link, /^http:\/\/127\.0\.0\.1:\d+\/sandbox\/profiles\//);
    assert.deepEqual(Object.keys(res.body.picture.data), ['url', 'height', 'width', 'is_silhouette']);
    const avatar = new URL(res.body.picture.data.url);
    const svg = await request(t.app).get(avatar.pathname);
    assert.equal(svg.status, 200);
    assert.match(svg.headers['content-type'] ?? '', /image\/svg\+xml/);

    const ig = await graph(t, `/${BAKERY_PAGE}`, token, { fields: 'instagram_business_account' });
    assert.deepEqual(ig.body, { instagram_business_account: { id: BAKERY_IG }, id: BAKERY_PAGE });
    const none = await graph(t, '/200000000000003', token, { fields: 'instagram_business_account' });
    assert.deepEqual(none.body, { id: '200000000000003' });
  });

  it('hides other users’ Pages and rejects unknown fields the Graph way', async () => {
    const t = makeSandbox();
    const token = await shortToken(t);
    const other = await graph(t, '/200000000000004', token);
    assert.equal(other.status, 400);
    assert.equal(other.body.error.code, 100);
    assert.equal(other.body.error.error_subcode, 33);
    const bad = await graph(t, `/${BAKERY_PAGE}`, token, { fields: 'id,nonsense' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /nonexisting field \(nonsense\)/);
  });

  it('published_posts needs a Page token and pages_read_engagement, and returns the posts with metrics', async () => {
    const t = makeSandbox();
    const user = await longToken(t);
    const fields = { fields: 'id,message,created_time,permalink_url,full_picture,likes.summary(true),comments.summary(true),shares' };
    const withUserToken = await graph(t, `/${BAKERY_PAGE}/published_posts`, user, fields);
    assert.equal(withUserToken.status, 400);
    assert.equal(withUserToken.body.error.code, 210);

    const pageToken = (await graph(t, '/me/accounts', user, { fields: 'id,access_token' })).body.data[0].access_token;
    const res = await graph(t, `/${BAKERY_PAGE}/published_posts`, pageToken, fields);
    assert.equal(res.status, 200);
    assert.equal(res.body.data.length, 3);
    const post = res.body.data[0];
    assert.equal(post.id, '200000000000001_300000000000013');
    assert.equal(post.created_time, '2026-11-21T08:15:00+0000');
    assert.match(post.permalink_url, /\/sandbox\/posts\//);
    assert.match(post.full_picture, /\/sandbox\/media\/.*\.svg$/);
    assert.equal(post.likes.summary.total_count, 212);
    assert.equal(post.comments.summary.total_count, 31);
    assert.deepEqual(post.shares, { count: 9 });
    assert.equal((await request(t.app).get(new URL(post.full_picture).pathname)).status, 200);

    const noEngagement = await longToken(t, { scope: ['pages_show_list'] });
    const limitedPage = (await graph(t, '/me/accounts', noEngagement, { fields: 'id,access_token' })).body.data[0].access_token;
    const denied = await graph(t, `/${BAKERY_PAGE}/published_posts`, limitedPage);
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 10);
  });

  it('serves the linked Instagram account and its media through Facebook Login', async () => {
    const t = makeSandbox();
    const token = await shortToken(t);
    const profile = await graph(t, `/${BAKERY_IG}`, token, { fields: 'id,username,name,profile_picture_url' });
    assert.equal(profile.status, 200);
    assert.equal(profile.body.username, 'hartandcrumb');
    assert.match(profile.body.profile_picture_url, /\/sandbox\/avatars\/17841400000000001\.svg$/);
    const media = await graph(t, `/${BAKERY_IG}/media`, token, { fields: 'id,caption,media_type,media_url,permalink,timestamp' });
    assert.equal(media.status, 200);
    assert.equal(media.body.data.length, 3);
    assert.deepEqual(Object.keys(media.body.data[0]), ['id', 'caption', 'media_type', 'media_url', 'permalink', 'timestamp']);

    const withoutIg = await shortToken(t, { scope: ['pages_show_list'] });
    assert.equal((await graph(t, `/${BAKERY_IG}/media`, withoutIg)).body.error.code, 10);
  });
});

describe('Facebook sandbox: dead tokens', () => {
  it('an expired user token fails with 190/463', async () => {
    const t = makeSandbox();
    const token = await shortToken(t);
    assert.equal((await graph(t, '/me', token)).status, 200);
    t.clock.advance(3600);
    const res = await graph(t, '/me', token);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.type, 'OAuthException');
    assert.equal(res.body.error.code, 190);
    assert.equal(res.body.error.error_subcode, 463);
  });

  it('DELETE /me/permissions revokes the grant: user and Page tokens fail with 190/458', async () => {
    const t = makeSandbox();
    const user = await longToken(t);
    const page = (await graph(t, '/me/accounts', user, { fields: 'id,access_token' })).body.data[0].access_token;
    const del = await request(t.app).delete(withParams(`${path(t.paths.facebook['graph'])}/me/permissions`, { access_token: user }));
    assert.deepEqual(del.body, { success: true });
    for (const token of [user, page]) {
      const res = await graph(t, '/me', token);
      assert.equal(res.body.error.code, 190);
      assert.equal(res.body.error.error_subcode, 458);
    }
    const exchanged = await exchange(t, { grant_type: 'fb_exchange_token', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, fb_exchange_token: user });
    assert.equal(exchanged.body.error.code, 190);
  });

  it('after 90 days data access has expired even for a fresh long-lived token', async () => {
    const t = makeSandbox();
    let token = await longToken(t);
    t.clock.advance(55 * DAY);
    const renewed = await exchange(t, { grant_type: 'fb_exchange_token', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, fb_exchange_token: token });
    token = renewed.body.access_token;
    t.clock.advance(36 * DAY);
    const debug = await debugToken(t, token);
    assert.equal(debug.body.data.is_valid, true);
    assert.ok(debug.body.data.data_access_expires_at * 1000 < t.clock.now().getTime());
    const me = await graph(t, '/me', token);
    assert.equal(me.body.error.code, 190);
    assert.match(me.body.error.message, /Data access/);
  });

  it('accepts the token in the Authorization header too', async () => {
    const t = makeSandbox();
    const token = await shortToken(t);
    const res = await request(t.app).get(`${path(t.paths.facebook['graph'])}/me`).set('Authorization', `Bearer ${token}`);
    assert.deepEqual(res.body, { id: AMELIA, name: 'Amelia Hart' });
  });
});
