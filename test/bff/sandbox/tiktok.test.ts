import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { DAY, REDIRECT_URI, consentForm, decide, form, makeSandbox, path, withParams } from './helpers.ts';
import type { TestSandbox } from './helpers.ts';

const CLIENT_KEY = 'sandbox-tiktok-client';
const CLIENT_SECRET = 'sandbox-tiktok-secret';
const PRIYA = 'tt-open-0001';
const LEO = 'tt-open-0002';
const SCOPES = ['user.info.basic', 'user.info.profile', 'user.info.stats', 'video.list', 'video.publish'];

function authorizeUrl(t: TestSandbox, extra: Record<string, string> = {}): string {
  return withParams(t.paths.tiktok['authorize'], {
    client_key: CLIENT_KEY,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: SCOPES.join(','),
    state: 'tt-state',
    ...extra,
  });
}

function tokenRequest(t: TestSandbox, fields: Record<string, string>) {
  return request(t.app).post(path(t.paths.tiktok['token'])).type('form').send(form(fields));
}

async function tokens(t: TestSandbox, user = PRIYA, scope = SCOPES) {
  const back = await decide(t.app, authorizeUrl(t), { user, scope, decision: 'allow' });
  const res = await tokenRequest(t, {
    client_key: CLIENT_KEY,
    client_secret: CLIENT_SECRET,
    code: back.searchParams.get('code') ?? '',
    grant_type: 'authorization_code',
    redirect_uri: REDIRECT_URI,
  });
  assert.equal(res.status, 200, res.text);
  return res.body as { access_token: string; refresh_token: string; refresh_expires_in: number; scope: string };
}

function refresh(t: TestSandbox, refreshToken: string) {
  return tokenRequest(t, { client_key: CLIENT_KEY, client_secret: CLIENT_SECRET, grant_type: 'refresh_token', refresh_token: refreshToken });
}

function userInfo(t: TestSandbox, token: string, fields = 'open_id,avatar_url,display_name,username') {
  return request(t.app)
    .get(withParams(`${path(t.paths.tiktok['api'])}/user/info/`, { fields }))
    .set('Authorization', `Bearer ${token}`);
}

describe('TikTok sandbox: authorize', () => {
  it('shows a consent form for client_key with comma-separated scopes', async () => {
    const t = makeSandbox();
    const res = await request(t.app).get(authorizeUrl(t));
    assert.equal(res.status, 200);
    const page = consentForm(res.text);
    assert.equal(page.title, 'Sandbox TikTok');
    assert.deepEqual(
      page.users,
      [
        { value: PRIYA, selected: true },
        { value: LEO, selected: false },
      ],
    );
    assert.deepEqual(
      page.scopes.map((s) => [s.value, s.checked, s.labelled]),
      SCOPES.map((s) => [s, true, true]),
    );
  });

  it('knows the app only as client_key: client_id gets an error page', async () => {
    const t = makeSandbox();
    const url = withParams(t.paths.tiktok['authorize'], { client_id: CLIENT_KEY, redirect_uri: REDIRECT_URI, scope: 'user.info.basic' });
    const res = await request(t.app).get(url);
    assert.equal(res.status, 400);
    assert.equal(res.headers['location'], undefined);
  });

  it('refuses space-separated scopes with invalid_scope at the redirect', async () => {
    const t = makeSandbox();
    const res = await request(t.app).get(authorizeUrl(t, { scope: 'user.info.basic video.list' }));
    assert.equal(res.status, 302);
    const back = new URL(res.headers['location'] ?? '');
    assert.equal(back.searchParams.get('error'), 'invalid_scope');
  });

  it('denial redirects with error=access_denied and error_description', async () => {
    const t = makeSandbox();
    const back = await decide(t.app, authorizeUrl(t), { user: PRIYA, scope: SCOPES, decision: 'deny' });
    assert.equal(back.origin + back.pathname, REDIRECT_URI);
    assert.deepEqual([...back.searchParams.keys()], ['error', 'error_description']);
    assert.equal(back.searchParams.get('error'), 'access_denied');
  });

  it('approval redirects with code, the granted scopes and state', async () => {
    const t = makeSandbox();
    const back = await decide(t.app, authorizeUrl(t), { user: PRIYA, scope: ['user.info.basic', 'video.list'], decision: 'allow' });
    assert.deepEqual([...back.searchParams.keys()], ['code', 'scopes', 'state']);
    assert.equal(back.searchParams.get('scopes'), 'user.info.basic,video.list');
    assert.equal(back.searchParams.get('state'), 'tt-state');
  });
});

describe('TikTok sandbox: tokens', () => {
  it('exchanges a code (client_key + client_secret in the body) for TikTok’s token response', async () => {
    const t = makeSandbox();
    const back = await decide(t.app, authorizeUrl(t), { user: LEO, scope: ['user.info.basic', 'video.list'], decision: 'allow' });
    const fields = {
      client_key: CLIENT_KEY,
      client_secret: CLIENT_SECRET,
      code: back.searchParams.get('code') ?? '',
      grant_type: 'authorization_code',
      redirect_uri: REDIRECT_URI,
    };
    const withClientId = await tokenRequest(t, { ...fields, client_key: '', client_id: CLIENT_KEY });
    assert.equal(withClientId.status, 401);
    assert.equal(withClientId.body.error, 'invalid_client');
    assert.equal(typeof withClientId.body.log_id, 'string');
    assert.equal((await tokenRequest(t, { ...fields, client_secret: 'wrong' })).status, 401);

    const res = await tokenRequest(t, fields);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), [
      'access_token',
      'expires_in',
      'open_id',
      'refresh_expires_in',
      'refresh_token',
      'scope',
      'token_type',
    ]);
    assert.equal(res.body.expires_in, 7200);
    assert.equal(res.body.refresh_expires_in, 180 * DAY);
    assert.equal(res.body.open_id, LEO);
    assert.equal(res.body.scope, 'user.info.basic,video.list');
    assert.equal(res.body.token_type, 'Bearer');
    assert.match(res.body.access_token, /^sbx-tt-/);

    const again = await tokenRequest(t, fields);
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
  });

  it('a code expires after 10 minutes', async () => {
    const t = makeSandbox();
    const back = await decide(t.app, authorizeUrl(t), { user: PRIYA, scope: SCOPES, decision: 'allow' });
    t.clock.advance(600);
    const res = await tokenRequest(t, {
      client_key: CLIENT_KEY,
      client_secret: CLIENT_SECRET,
      code: back.searchParams.get('code') ?? '',
      grant_type: 'authorization_code',
      redirect_uri: REDIRECT_URI,
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_grant');
  });

  it('refresh rotates the refresh token: the old one is rejected, the expiry keeps counting down', async () => {
    const t = makeSandbox();
    const first = await tokens(t);
    t.clock.advance(10 * DAY);
    const second = await refresh(t, first.refresh_token);
    assert.equal(second.status, 200);
    assert.notEqual(second.body.refresh_token, first.refresh_token);
    assert.notEqual(second.body.access_token, first.access_token);
    assert.equal(second.body.expires_in, 7200);
    assert.equal(second.body.refresh_expires_in, 180 * DAY - 10 * DAY);
    assert.equal(second.body.scope, SCOPES.join(','));

    const replay = await refresh(t, first.refresh_token);
    assert.equal(replay.status, 200, 'TikTok answers this error inside an HTTP 200 body');
    assert.equal(replay.body.error, 'invalid_grant');
    assert.equal(typeof replay.body.error_description, 'string');
    assert.equal(typeof replay.body.log_id, 'string');

    assert.equal((await refresh(t, second.body.refresh_token)).status, 200);
  });

  it('an access token lasts 2 hours; a refresh token 180 days', async () => {
    const t = makeSandbox();
    const first = await tokens(t);
    t.clock.advance(2 * 3600);
    const dead = await userInfo(t, first.access_token);
    assert.equal(dead.status, 401);
    assert.equal(dead.body.error.code, 'access_token_invalid');
    t.clock.advance(180 * DAY);
    assert.equal((await refresh(t, first.refresh_token)).body.error, 'invalid_grant');
  });

  it('revoke kills the access token and its refresh token', async () => {
    const t = makeSandbox();
    const first = await tokens(t);
    const res = await request(t.app)
      .post(path(t.paths.tiktok['revoke']))
      .type('form')
      .send(form({ client_key: CLIENT_KEY, client_secret: CLIENT_SECRET, token: first.access_token }));
    assert.equal(res.status, 200);
    const info = await userInfo(t, first.access_token);
    assert.equal(info.status, 401);
    assert.deepEqual(Object.keys(info.body), ['error']);
    assert.equal(info.body.error.code, 'access_token_invalid');
    assert.equal((await refresh(t, first.refresh_token)).body.error, 'invalid_grant');
  });
});

describe('TikTok sandbox: user info', () => {
  it('returns the requested fields with the ok error object', async () => {
    const t = makeSandbox();
    const { access_token } = await tokens(t);
    const res = await userInfo(t, access_token);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body.data.user), ['open_id', 'avatar_url', 'display_name', 'username']);
    assert.equal(res.body.data.user.display_name, 'Priya Raman');
    assert.equal(res.body.data.user.username, 'priya.cooks');
    assert.match(res.body.data.user.avatar_url, /\/sandbox\/avatars\/tt-open-0001\.svg$/);
    assert.equal(res.body.error.code, 'ok');
    assert.equal(res.body.error.message, '');
    assert.equal(typeof res.body.error.log_id, 'string');
  });

  it('refuses a field whose scope was not granted with scope_not_authorized', async () => {
    const t = makeSandbox();
    const { access_token } = await tokens(t, PRIYA, ['user.info.basic']);
    const res = await userInfo(t, access_token);
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'scope_not_authorized');
    assert.equal((await userInfo(t, access_token, 'open_id,display_name')).status, 200);
  });
});
