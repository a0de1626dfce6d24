import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { DAY, REDIRECT_URI, consentForm, decide, form, makeSandbox, path, withParams } from './helpers.ts';
import type { TestSandbox } from './helpers.ts';

const CLIENT_ID = 'sandbox-instagram-client';
const CLIENT_SECRET = 'sandbox-instagram-secret';
const LUMEN = '17841400000000011';
const ROSA = '17841400000000012';
const LEGACY = '17841400000000013';
const SCOPES = [
  'instagram_business_basic',
  'instagram_business_content_publish',
  'instagram_business_manage_comments',
  'instagram_business_manage_insights',
];

function authorizeUrl(t: TestSandbox, extra: Record<string, string> = {}): string {
  return withParams(t.paths.instagram['authorize'], {
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: SCOPES.join(','),
    state: 'ig-state',
    ...extra,
  });
}

function redeem(t: TestSandbox, url: string | undefined, fields: Record<string, string>) {
  return request(t.app).post(path(url)).type('form').send(form(fields));
}

async function shortToken(t: TestSandbox, user = LUMEN, scope = SCOPES): Promise<string> {
  const back = await decide(t.app, authorizeUrl(t), { user, scope, decision: 'allow' });
  const res = await redeem(t, t.paths.instagram['token'], {
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    grant_type: 'authorization_code',
    redirect_uri: REDIRECT_URI,
    code: back.searchParams.get('code') ?? '',
  });
  assert.equal(res.status, 200, res.text);
  return res.body.data[0].access_token;
}

function exchange(t: TestSandbox, token: string, secret = CLIENT_SECRET) {
  return request(t.app).get(
    withParams(t.paths.instagram['exchange'], { grant_type: 'ig_exchange_token', client_secret: secret, access_token: token }),
  );
}

function refresh(t: TestSandbox, token: string) {
  return request(t.app).get(withParams(t.paths.instagram['refresh'], { grant_type: 'ig_refresh_token', access_token: token }));
}

function graph(t: TestSandbox, p: string, token: string, params: Record<string, string> = {}) {
  return request(t.app).get(withParams(`${path(t.paths.instagram['graph'])}${p}`, { ...params, access_token: token }));
}

function publish(t: TestSandbox, id: string, token: string) {
  return request(t.app)
    .post(`${path(t.paths.instagram['graph'])}/${id}/media`)
    .type('form')
    .send(form({ image_url: 'https://app.example.com/photo.jpg', caption: 'hello', access_token: token }));
}

describe('Instagram sandbox: Instagram Login', () => {
  it('shows a consent form listing the professional accounts and the requested scopes', async () => {
    const t = makeSandbox();
    const res = await request(t.app).get(authorizeUrl(t));
    assert.equal(res.status, 200);
    const page = consentForm(res.text);
    assert.equal(page.title, 'Sandbox Instagram');
    assert.deepEqual(
      page.users.map((u) => u.value),
      [LUMEN, ROSA, LEGACY],
    );
    assert.equal(page.users[0]?.selected, true);
    assert.deepEqual(
      page.scopes.map((s) => s.value),
      SCOPES,
    );
    assert.ok(page.scopes.every((s) => s.checked && s.labelled));
  });

  it('denial redirects with Instagram’s error parameters', async () => {
    const t = makeSandbox();
    const back = await decide(t.app, authorizeUrl(t), { user: LUMEN, scope: SCOPES, decision: 'deny' });
    assert.equal(
      back.toString(),
      `${REDIRECT_URI}?error=access_denied&error_reason=user_denied&error_description=The+user+denied+your+request`,
    );
  });

  it('approval redirects with code and state and #_ appended', async () => {
    const t = makeSandbox();
    const back = await decide(t.app, authorizeUrl(t), { user: LUMEN, scope: SCOPES, decision: 'allow' });
    assert.equal(back.hash, '#_');
    assert.equal(back.searchParams.get('state'), 'ig-state');
    assert.ok(back.searchParams.get('code'));
  });

  it('exchanges the code (secret in the form) for {data:[{access_token,user_id,permissions}]}', async () => {
    const t = makeSandbox();
    const back = await decide(t.app, authorizeUrl(t), { user: ROSA, scope: SCOPES.slice(0, 2), decision: 'allow' });
    const fields = {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      grant_type: 'authorization_code',
      redirect_uri: REDIRECT_URI,
      code: back.searchParams.get('code') ?? '',
    };
    const wrong = await redeem(t, t.paths.instagram['token'], { ...fields, client_secret: 'wrong' });
    assert.equal(wrong.status, 400);
    assert.deepEqual(Object.keys(wrong.body).sort(), ['code', 'error_message', 'error_type']);
    assert.equal(wrong.body.error_type, 'OAuthException');
    const asQuery = await request(t.app).post(withParams(t.paths.instagram['token'], fields));
    assert.equal(asQuery.status, 400, 'the secret must come in the form body');

    const res = await redeem(t, t.paths.instagram['token'], fields);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ['data']);
    const [entry] = res.body.data;
    assert.deepEqual(Object.keys(entry), ['access_token', 'user_id', 'permissions']);
    assert.equal(entry.user_id, ROSA);
    assert.equal(entry.permissions, 'instagram_business_basic,instagram_business_content_publish');
    assert.match(entry.access_token, /^sbx-ig-/);

    const again = await redeem(t, t.paths.instagram['token'], fields);
    assert.equal(again.status, 400);
    assert.match(again.body.error_message, /used/);
  });

  it('a short-lived token lasts an hour', async () => {
    const t = makeSandbox();
    const token = await shortToken(t);
    assert.equal((await graph(t, '/me', token)).status, 200);
    t.clock.advance(3600);
    const res = await graph(t, '/me', token);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 190);
    assert.equal(res.body.error.error_subcode, 463);
  });

  it('serves the profile and media of the account', async () => {
    const t = makeSandbox();
    const token = await shortToken(t);
    const me = await graph(t, '/me', token, { fields: 'user_id,username,name,profile_picture_url,account_type' });
    assert.equal(me.status, 200);
    assert.equal(me.body.user_id, LUMEN);
    assert.equal(me.body.username, 'studio.lumen');
    assert.equal(me.body.account_type, 'BUSINESS');
    assert.match(me.body.profile_picture_url, /\/sandbox\/avatars\/17841400000000011\.svg$/);
    const media = await graph(t, `/${LUMEN}/media`, token, { fields: 'id,caption,media_type,media_url,permalink,timestamp' });
    assert.equal(media.status, 200);
    assert.equal(media.body.data.length, 3);
    assert.equal(media.body.data[0].timestamp, '2026-11-22T12:00:00+0000');
    assert.equal(media.body.data[0].media_type, 'CAROUSEL_ALBUM');
    const other = await graph(t, `/${ROSA}/media`, token);
    assert.equal(other.status, 400);
  });

  it('a creator account reports MEDIA_CREATOR', async () => {
    const t = makeSandbox();
    const me = await graph(t, '/me', await shortToken(t, ROSA), { fields: 'account_type' });
    assert.equal(me.body.account_type, 'MEDIA_CREATOR');
  });

  it('grants only the ticked scopes: without content_publish a publish attempt fails with code 10', async () => {
    const t = makeSandbox();
    const limited = await shortToken(t, LUMEN, ['instagram_business_basic']);
    const res = await publish(t, LUMEN, limited);
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 10);
    const full = await publish(t, LUMEN, await shortToken(t));
    assert.equal(full.status, 200);
    assert.match(full.body.id, /^\d+$/);
  });
});

describe('Instagram sandbox: long-lived tokens', () => {
  it('ig_exchange_token gives a 60-day token, with the app secret', async () => {
    const t = makeSandbox();
    const short = await shortToken(t);
    const wrong = await exchange(t, short, 'nope');
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.type, 'OAuthException');
    const res = await exchange(t, short);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { access_token: res.body.access_token, token_type: 'bearer', expires_in: 5184000 });
    assert.equal((await graph(t, '/me', res.body.access_token)).status, 200);
  });

  it('ig_exchange_token refuses an expired short-lived token', async () => {
    const t = makeSandbox();
    const short = await shortToken(t);
    t.clock.advance(3601);
    const res = await exchange(t, short);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 190);
  });

  it('ig_refresh_token needs a token at least 24 hours old and not expired', async () => {
    const t = makeSandbox();
    const long = (await exchange(t, await shortToken(t))).body.access_token;
    const other = (await exchange(t, await shortToken(t))).body.access_token;
    const tooYoung = await refresh(t, long);
    assert.equal(tooYoung.status, 400);
    assert.equal(tooYoung.body.error.type, 'OAuthException');
    assert.notEqual(tooYoung.body.error.code, 190, 'a young token is not a dead token');

    t.clock.advance(23 * 3600);
    assert.equal((await refresh(t, long)).status, 400);
    t.clock.advance(3600);
    const refreshed = await refresh(t, long);
    assert.equal(refreshed.status, 200);
    assert.deepEqual(refreshed.body, { access_token: refreshed.body.access_token, token_type: 'bearer', expires_in: 5184000 });

    t.clock.advance(59 * DAY);
    const expired = await refresh(t, other);
    assert.equal(expired.status, 400);
    assert.equal(expired.body.error.code, 190);
    assert.equal(expired.body.error.error_subcode, 463);
    // The refreshed token counts 60 days from its refresh, so it is still alive.
    assert.equal((await graph(t, '/me', refreshed.body.access_token)).status, 200);
  });

  it('ig_refresh_token refuses a short-lived token', async () => {
    const t = makeSandbox();
    const res = await refresh(t, await shortToken(t));
    assert.equal(res.status, 400);
  });
});

describe('Instagram sandbox: retired Basic Display', () => {
  const BD_SCOPES = ['user_profile', 'user_media'];

  async function legacyToken(t: TestSandbox): Promise<string> {
    const url = withParams(t.paths.instagram['basicDisplayAuthorize'], {
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: BD_SCOPES.join(','),
      state: 'bd',
    });
    const page = consentForm((await request(t.app).get(url)).text);
    assert.deepEqual(
      page.users.map((u) => u.value),
      [LEGACY],
    );
    const back = await decide(t.app, url, { user: LEGACY, scope: BD_SCOPES, decision: 'allow' });
    const res = await redeem(t, t.paths.instagram['basicDisplayToken'], {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      grant_type: 'authorization_code',
      redirect_uri: REDIRECT_URI,
      code: back.searchParams.get('code') ?? '',
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { access_token: res.body.access_token, user_id: LEGACY });
    return res.body.access_token;
  }

  it('creates a personal account that can read but not publish', async () => {
    const t = makeSandbox();
    const token = await legacyToken(t);
    const me = await request(t.app).get(
      withParams(`${path(t.paths.instagram['basicDisplayGraph'])}/me`, { fields: 'id,username,account_type', access_token: token }),
    );
    assert.equal(me.status, 200);
    assert.deepEqual(me.body, { id: LEGACY, username: 'jonas.polaroids', account_type: 'PERSONAL' });
    const media = await graph(t, `/${LEGACY}/media`, token, { fields: 'id,caption,media_type,media_url,permalink,timestamp' });
    assert.equal(media.status, 200);
    assert.equal(media.body.data.length, 2);

    const attempt = await publish(t, LEGACY, token);
    assert.equal(attempt.status, 403);
    assert.equal(attempt.body.error.type, 'OAuthException');
    assert.equal(attempt.body.error.code, 10);

    // Even a long-lived Basic Display token stays unable to publish.
    const long = (await exchange(t, token)).body.access_token;
    assert.equal((await publish(t, LEGACY, long)).body.error.code, 10);
  });

  it('reconnecting the same account through Instagram Login gives the same id, BUSINESS, able to publish', async () => {
    const t = makeSandbox();
    await legacyToken(t);
    const token = await shortToken(t, LEGACY);
    const me = await graph(t, '/me', token, { fields: 'user_id,username,account_type' });
    assert.deepEqual(me.body, { user_id: LEGACY, username: 'jonas.polaroids', account_type: 'BUSINESS', id: LEGACY });
    assert.equal((await publish(t, LEGACY, token)).status, 200);
  });

  it('a Basic Display code is not accepted by the Instagram Login token endpoint', async () => {
    const t = makeSandbox();
    const url = withParams(t.paths.instagram['basicDisplayAuthorize'], {
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      scope: 'user_profile',
    });
    const back = await decide(t.app, url, { user: LEGACY, scope: ['user_profile'], decision: 'allow' });
    const res = await redeem(t, t.paths.instagram['token'], {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      grant_type: 'authorization_code',
      redirect_uri: REDIRECT_URI,
      code: back.searchParams.get('code') ?? '',
    });
    assert.equal(res.status, 400);
  });
});
