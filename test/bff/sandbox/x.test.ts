import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { REDIRECT_URI, basicAuth, consentForm, decide, form, makeSandbox, path, pkcePair, withParams } from './helpers.ts';
import type { TestSandbox } from './helpers.ts';

const CLIENT_ID = 'sandbox-x-client';
const CLIENT_SECRET = 'sandbox-x-secret';
const SOFIA = '1700000000000000001';
const KENJI = '1700000000000000002';
const SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'media.write', 'offline.access'];
const BASIC = basicAuth(CLIENT_ID, CLIENT_SECRET);

function authorizeUrl(t: TestSandbox, challenge: string, extra: Record<string, string> = {}): string {
  return withParams(t.paths.x['authorize'], {
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: SCOPES.join(' '),
    state: 'x-state',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  });
}

function tokenRequest(t: TestSandbox, fields: Record<string, string>, authorization: string | null = BASIC) {
  const req = request(t.app).post(path(t.paths.x['token'])).type('form');
  if (authorization) req.set('Authorization', authorization);
  return req.send(form(fields));
}

async function codeFor(t: TestSandbox, scope = SCOPES, user = SOFIA) {
  const pkce = pkcePair();
  const back = await decide(t.app, authorizeUrl(t, pkce.challenge), { user, scope, decision: 'allow' });
  return { code: back.searchParams.get('code') ?? '', verifier: pkce.verifier };
}

async function tokens(t: TestSandbox, scope = SCOPES, user = SOFIA) {
  const { code, verifier } = await codeFor(t, scope, user);
  const res = await tokenRequest(t, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier });
  assert.equal(res.status, 200, res.text);
  return res.body as { access_token: string; refresh_token?: string; scope: string; expires_in: number; token_type: string };
}

function me(t: TestSandbox, token: string) {
  return request(t.app)
    .get(withParams(`${path(t.paths.x['api'])}/users/me`, { 'user.fields': 'profile_image_url,username,name' }))
    .set('Authorization', `Bearer ${token}`);
}

describe('X sandbox: authorize', () => {
  it('shows a consent form with space-separated scopes', async () => {
    const t = makeSandbox();
    const res = await request(t.app).get(authorizeUrl(t, pkcePair().challenge));
    assert.equal(res.status, 200);
    const page = consentForm(res.text);
    assert.equal(page.title, 'Sandbox X');
    assert.deepEqual(
      page.users,
      [
        { value: SOFIA, selected: true },
        { value: KENJI, selected: false },
      ],
    );
    assert.deepEqual(
      page.scopes.map((s) => s.value),
      SCOPES,
    );
    assert.ok(page.scopes.every((s) => s.checked && s.labelled));
  });

  it('requires PKCE with S256: without it, or with plain, redirects with invalid_request', async () => {
    const t = makeSandbox();
    const none = withParams(t.paths.x['authorize'], {
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      scope: 'users.read',
      state: 'abc',
    });
    const plain = authorizeUrl(t, pkcePair().verifier, { code_challenge_method: 'plain' });
    for (const url of [none, plain]) {
      const res = await request(t.app).get(url);
      assert.equal(res.status, 302);
      const back = new URL(res.headers['location'] ?? '');
      assert.equal(back.searchParams.get('error'), 'invalid_request');
      assert.ok(back.searchParams.get('state'));
    }
  });

  it('refuses comma-separated scopes', async () => {
    const t = makeSandbox();
    const res = await request(t.app).get(authorizeUrl(t, pkcePair().challenge, { scope: 'tweet.read,users.read' }));
    assert.equal(new URL(res.headers['location'] ?? '').searchParams.get('error'), 'invalid_scope');
  });

  it('denial redirects with error=access_denied and state', async () => {
    const t = makeSandbox();
    const back = await decide(t.app, authorizeUrl(t, pkcePair().challenge), { user: SOFIA, scope: SCOPES, decision: 'deny' });
    assert.equal(back.toString(), `${REDIRECT_URI}?error=access_denied&state=x-state`);
  });
});

describe('X sandbox: tokens', () => {
  it('exchanges a code with Basic auth and the verifier for X’s token response', async () => {
    const t = makeSandbox();
    const body = await tokens(t);
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 7200);
    assert.equal(body.scope, SCOPES.join(' '));
    assert.match(body.access_token, /^sbx-x-/);
    assert.match(body.refresh_token ?? '', /^sbx-x-rt-/);
  });

  it('refuses the secret in the body, a wrong secret, or no credentials', async () => {
    const t = makeSandbox();
    const { code, verifier } = await codeFor(t);
    const fields = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier };
    const inBody = await tokenRequest(t, { ...fields, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }, null);
    assert.equal(inBody.status, 401);
    assert.deepEqual(inBody.body, { error: 'unauthorized_client', error_description: 'Missing valid authorization header' });
    assert.equal((await tokenRequest(t, fields, basicAuth(CLIENT_ID, 'wrong'))).status, 401);
    assert.equal((await tokenRequest(t, fields)).status, 200);
  });

  it('checks the code_verifier against the S256 challenge', async () => {
    const t = makeSandbox();
    const { code, verifier } = await codeFor(t);
    const fields = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI };
    const attempts: Array<Record<string, string>> = [{}, { code_verifier: pkcePair().verifier }];
    for (const wrong of attempts) {
      const res = await tokenRequest(t, { ...fields, ...wrong });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { error: 'invalid_request', error_description: 'Value passed for the authorization code was invalid.' });
    }
    assert.equal((await tokenRequest(t, { ...fields, code_verifier: verifier })).status, 200);
    assert.equal((await tokenRequest(t, { ...fields, code_verifier: verifier })).status, 400, 'a code is single-use');
  });

  it('a code lives 30 seconds', async () => {
    const t = makeSandbox();
    const { code, verifier } = await codeFor(t);
    t.clock.advance(30);
    const res = await tokenRequest(t, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_request');
  });

  it('grants only the ticked scopes, and no refresh token without offline.access', async () => {
    const t = makeSandbox();
    const body = await tokens(t, ['tweet.read', 'users.read']);
    assert.equal(body.scope, 'tweet.read users.read');
    assert.equal(body.refresh_token, undefined);
  });

  it('refresh (Basic auth required) rotates: the old refresh token is rejected', async () => {
    const t = makeSandbox();
    const first = await tokens(t);
    const refreshToken = first.refresh_token ?? '';
    const noBasic = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID }, null);
    assert.equal(noBasic.status, 401);
    const second = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: refreshToken });
    assert.equal(second.status, 200);
    assert.notEqual(second.body.refresh_token, refreshToken);
    assert.equal(second.body.expires_in, 7200);
    const replay = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: refreshToken });
    assert.equal(replay.status, 400);
    assert.deepEqual(replay.body, { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' });
    // The replay revoked the whole grant: the new refresh token and access token die with it.
    assert.equal((await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: second.body.refresh_token })).status, 400);
    assert.equal((await me(t, second.body.access_token)).status, 401);
  });

  it('an access token lasts two hours', async () => {
    const t = makeSandbox();
    const { access_token } = await tokens(t);
    assert.equal((await me(t, access_token)).status, 200);
    t.clock.advance(7200);
    const res = await me(t, access_token);
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
  });

  it('revoke (Basic auth) kills the access token and its refresh token', async () => {
    const t = makeSandbox();
    const first = await tokens(t);
    const unauth = await request(t.app)
      .post(path(t.paths.x['revoke']))
      .type('form')
      .send(form({ token: first.access_token, token_type_hint: 'access_token', client_id: CLIENT_ID }));
    assert.equal(unauth.status, 401);
    const res = await request(t.app)
      .post(path(t.paths.x['revoke']))
      .set('Authorization', BASIC)
      .type('form')
      .send(form({ token: first.access_token, token_type_hint: 'access_token' }));
    assert.deepEqual(res.body, { revoked: true });
    assert.equal((await me(t, first.access_token)).status, 401);
    const refreshed = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '' });
    assert.equal(refreshed.status, 400);
  });
});

describe('X sandbox: users/me', () => {
  it('returns the user with the requested user.fields', async () => {
    const t = makeSandbox();
    const res = await me(t, (await tokens(t, SCOPES, KENJI)).access_token);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body.data).sort(), ['id', 'name', 'profile_image_url', 'username']);
    assert.equal(res.body.data.id, KENJI);
    assert.equal(res.body.data.username, 'kenji_w');
    assert.match(res.body.data.profile_image_url, /\/sandbox\/avatars\/1700000000000000002\.svg$/);
  });

  it('needs users.read', async () => {
    const t = makeSandbox();
    const res = await me(t, (await tokens(t, ['tweet.read'])).access_token);
    assert.equal(res.status, 403);
    assert.equal(res.body.status, 403);
  });
});
