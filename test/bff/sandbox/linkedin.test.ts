import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { describe, it } from 'node:test';
import request from 'supertest';
import { DAY, REDIRECT_URI, consentForm, decide, form, makeSandbox, path, withParams } from './helpers.ts';
import type { TestSandbox } from './helpers.ts';

const CLIENT_ID = 'sandbox-linkedin-client';
const CLIENT_SECRET = 'sandbox-linkedin-secret';
const GRACE = 'Hn3kQ8vRzA';
const MARCUS = 'Pw7tLm2xYc';
const PAGES_ID = 'sandbox-linkedin-pages-client';
const PAGES_SECRET = 'sandbox-linkedin-pages-secret';
/** The member app: Sign In with OpenID Connect and Share on LinkedIn. */
const SCOPES = ['openid', 'profile', 'email', 'w_member_social'];
/** The Community Management app, alone on its app. */
const PAGE_SCOPES = ['r_organization_social', 'w_organization_social', 'rw_organization_admin'];
const VERSION = { 'LinkedIn-Version': '202601', 'X-Restli-Protocol-Version': '2.0.0' };

function authorizeUrl(t: TestSandbox, scope = SCOPES, extra: Record<string, string> = {}): string {
  return withParams(t.paths.linkedin['authorize'], {
    response_type: 'code',
    client_id: PAGE_SCOPES.includes(scope[0] ?? '') ? PAGES_ID : CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    state: 'li-state',
    scope: scope.join(' '),
    ...extra,
  });
}

function post(t: TestSandbox, endpoint: string | undefined, fields: Record<string, string>) {
  return request(t.app).post(path(endpoint)).type('form').send(form(fields));
}

async function tokens(t: TestSandbox, user = GRACE, scope = SCOPES, extra: Record<string, string> = {}) {
  const back = await decide(t.app, authorizeUrl(t, scope, extra), { user, scope, decision: 'allow' });
  const pages = PAGE_SCOPES.includes(scope[0] ?? '');
  const res = await post(t, t.paths.linkedin['token'], {
    grant_type: 'authorization_code',
    code: back.searchParams.get('code') ?? '',
    redirect_uri: REDIRECT_URI,
    client_id: pages ? PAGES_ID : CLIENT_ID,
    client_secret: pages ? PAGES_SECRET : CLIENT_SECRET,
  });
  assert.equal(res.status, 200, res.text);
  return res.body;
}

function refresh(t: TestSandbox, refreshToken: string) {
  return post(t, t.paths.linkedin['token'], {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
  });
}

function introspect(t: TestSandbox, token: string) {
  return post(t, t.paths.linkedin['introspect'], { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, token });
}

function api(t: TestSandbox, p: string, token: string) {
  return request(t.app).get(`${path(t.paths.linkedin['api'])}${p}`).set('Authorization', `Bearer ${token}`).set(VERSION);
}

describe('LinkedIn sandbox: authorize', () => {
  it('shows a consent form with space-separated scopes', async () => {
    const t = makeSandbox();
    const res = await request(t.app).get(authorizeUrl(t));
    const page = consentForm(res.text);
    assert.equal(page.title, 'Sandbox LinkedIn');
    assert.deepEqual(
      page.users,
      [
        { value: GRACE, selected: true },
        { value: MARCUS, selected: false },
      ],
    );
    assert.deepEqual(
      page.scopes.map((s) => [s.value, s.checked, s.labelled]),
      SCOPES.map((s) => [s, true, true]),
    );
  });

  it('denial redirects with user_cancelled_authorize, a description and state', async () => {
    const t = makeSandbox();
    const back = await decide(t.app, authorizeUrl(t), { user: GRACE, scope: SCOPES, decision: 'deny' });
    assert.deepEqual([...back.searchParams.keys()], ['error', 'error_description', 'state']);
    assert.equal(back.searchParams.get('error'), 'user_cancelled_authorize');
    assert.equal(back.searchParams.get('state'), 'li-state');
  });

  it('an unknown scope is refused at the redirect with unauthorized_scope_error', async () => {
    const t = makeSandbox();
    const res = await request(t.app).get(authorizeUrl(t, ['openid', 'r_liteprofile']));
    assert.equal(new URL(res.headers['location'] ?? '').searchParams.get('error'), 'unauthorized_scope_error');
  });

  it('the member app is refused the Community Management scopes: unauthorized_scope_error', async () => {
    const t = makeSandbox();
    const res = await request(t.app).get(withParams(t.paths.linkedin['authorize'], {
      response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, state: 'li-state', scope: [...SCOPES, ...PAGE_SCOPES].join(' '),
    }));
    assert.equal(res.status, 302);
    const back = new URL(res.headers['location'] ?? '');
    assert.equal(back.searchParams.get('error'), 'unauthorized_scope_error');
    assert.match(back.searchParams.get('error_description') ?? '', /r_organization_social/);
  });

  it('the Pages app may ask only for the Community Management scopes', async () => {
    const t = makeSandbox();
    const mixed = await request(t.app).get(withParams(t.paths.linkedin['authorize'], {
      response_type: 'code', client_id: PAGES_ID, redirect_uri: REDIRECT_URI, state: 'li-state', scope: ['openid', ...PAGE_SCOPES].join(' '),
    }));
    assert.equal(new URL(mixed.headers['location'] ?? '').searchParams.get('error'), 'unauthorized_scope_error');
    const body = await tokens(t, GRACE, PAGE_SCOPES);
    assert.equal(body.scope, PAGE_SCOPES.join(','));
    assert.equal(body.id_token, undefined);
  });

  it('grants all requested scopes or none: unticked boxes are ignored', async () => {
    const t = makeSandbox();
    const back = await decide(t.app, authorizeUrl(t), { user: GRACE, scope: ['openid'], decision: 'allow' });
    const res = await post(t, t.paths.linkedin['token'], {
      grant_type: 'authorization_code',
      code: back.searchParams.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    assert.equal(res.body.scope, SCOPES.join(','));
  });
});

describe('LinkedIn sandbox: tokens', () => {
  it('exchanges a code (credentials in the form) for access, refresh and id tokens; scope comma-separated', async () => {
    const t = makeSandbox();
    const body = await tokens(t, GRACE, SCOPES, { nonce: 'n-1' });
    assert.deepEqual(Object.keys(body).sort(), [
      'access_token',
      'expires_in',
      'id_token',
      'refresh_token',
      'refresh_token_expires_in',
      'scope',
    ]);
    assert.equal(body.expires_in, 5184000);
    assert.equal(body.refresh_token_expires_in, 31536000);
    assert.equal('token_type' in body, false, 'LinkedIn sends no token_type (RFC 6749 5.1 deviation)');
    assert.equal(body.scope, SCOPES.join(','));

    // The id_token is a real RS256 JWT signed with the key published at the JWKS URL.
    const [header, payload, signature] = String(body.id_token).split('.');
    const jwks = await request(t.app).get(path(t.paths.linkedin['jwks']));
    const key = createPublicKey({ key: jwks.body.keys[0] as JsonWebKey, format: 'jwk' });
    assert.ok(verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature ?? '', 'base64url')));
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    assert.equal(claims.sub, GRACE);
    assert.equal(claims.aud, CLIENT_ID);
    assert.equal(claims.nonce, 'n-1');
    assert.equal(claims.email, 'grace.thompson@example.com');
    assert.match(claims.iss, /\/sandbox\/linkedin\/www\/oauth$/);

    const discovery = await request(t.app).get(`${path(t.paths.linkedin['issuer'])}/.well-known/openid-configuration`);
    // Same issuer, up to the port of supertest's throwaway server.
    assert.equal(new URL(discovery.body.issuer).pathname, new URL(claims.iss).pathname);
  });

  it('refuses wrong client credentials and a reused code', async () => {
    const t = makeSandbox();
    const back = await decide(t.app, authorizeUrl(t), { user: GRACE, scope: SCOPES, decision: 'allow' });
    const fields = {
      grant_type: 'authorization_code',
      code: back.searchParams.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    };
    const wrong = await post(t, t.paths.linkedin['token'], { ...fields, client_secret: 'x' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'invalid_client');
    assert.equal((await post(t, t.paths.linkedin['token'], fields)).status, 200);
    const reused = await post(t, t.paths.linkedin['token'], fields);
    assert.equal(reused.status, 400);
    assert.deepEqual(Object.keys(reused.body), ['error', 'error_description']);
    assert.equal(reused.body.error, 'invalid_grant');
  });

  it('refresh returns a new access token and the same refresh token, whose lifetime keeps shrinking', async () => {
    const t = makeSandbox();
    const first = await tokens(t);
    t.clock.advance(30 * DAY);
    const second = await refresh(t, first.refresh_token);
    assert.equal(second.status, 200);
    assert.notEqual(second.body.access_token, first.access_token);
    assert.equal(second.body.refresh_token, first.refresh_token);
    assert.equal(second.body.expires_in, 5184000);
    assert.equal('token_type' in second.body, false);
    assert.equal(second.body.refresh_token_expires_in, 31536000 - 30 * DAY);
    t.clock.advance(100 * DAY);
    const third = await refresh(t, first.refresh_token);
    assert.equal(third.body.refresh_token_expires_in, 31536000 - 130 * DAY);
    t.clock.advance(235 * DAY);
    const dead = await refresh(t, first.refresh_token);
    assert.equal(dead.status, 400);
    assert.equal(dead.body.error, 'invalid_grant');
  });

  it('introspection reports active, expired and revoked', async () => {
    const t = makeSandbox();
    const first = await tokens(t);
    const active = await introspect(t, first.access_token);
    assert.equal(active.status, 200);
    assert.equal(active.body.active, true);
    assert.equal(active.body.status, 'active');
    assert.equal(active.body.client_id, CLIENT_ID);
    assert.equal(active.body.scope, SCOPES.join(','));
    for (const key of ['authorized_at', 'created_at', 'expires_at']) assert.equal(typeof active.body[key], 'number');
    assert.equal(active.body.expires_at - active.body.created_at, 5184000);

    t.clock.advance(60 * DAY);
    const expired = await introspect(t, first.access_token);
    assert.equal(expired.body.active, false);
    assert.equal(expired.body.status, 'expired');

    const second = await tokens(t);
    const revoke = await post(t, t.paths.linkedin['revoke'], { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, token: second.access_token });
    assert.equal(revoke.status, 200);
    const revoked = await introspect(t, second.access_token);
    assert.equal(revoked.body.active, false);
    assert.equal(revoked.body.status, 'revoked');
    assert.equal((await refresh(t, second.refresh_token)).status, 400);
    const dead = await api(t, '/v2/userinfo', second.access_token);
    assert.equal(dead.status, 401);
    assert.deepEqual(dead.body, { serviceErrorCode: 65600, message: 'Invalid access token', status: 401 });
  });
});

describe('LinkedIn sandbox: API', () => {
  it('/v2/userinfo returns the OpenID claims', async () => {
    const t = makeSandbox();
    const { access_token } = await tokens(t);
    const res = await request(t.app).get(path(t.paths.linkedin['userinfo'])).set('Authorization', `Bearer ${access_token}`);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), ['email', 'email_verified', 'family_name', 'given_name', 'locale', 'name', 'picture', 'sub']);
    assert.equal(res.body.sub, GRACE);
    assert.equal(res.body.name, 'Grace Thompson');
  });

  it('lists every approved role of a member, paged, and serves each organization', async () => {
    const t = makeSandbox();
    const { access_token } = await tokens(t, GRACE, PAGE_SCOPES);
    const acls = await api(t, '/rest/organizationAcls?q=roleAssignee&state=APPROVED', access_token);
    assert.equal(acls.status, 200);
    assert.deepEqual(acls.body.elements, [
      { organization: 'urn:li:organization:90000001', role: 'ADMINISTRATOR', state: 'APPROVED', roleAssignee: `urn:li:person:${GRACE}` },
      { organization: 'urn:li:organization:90000002', role: 'ADMINISTRATOR', state: 'APPROVED', roleAssignee: `urn:li:person:${GRACE}` },
      { organization: 'urn:li:organization:90000003', role: 'ANALYST', state: 'APPROVED', roleAssignee: `urn:li:person:${GRACE}` },
    ]);
    const first = await api(t, '/rest/organizationAcls?q=roleAssignee&start=0&count=2', access_token);
    assert.equal(first.body.elements.length, 2);
    assert.deepEqual({ start: first.body.paging.start, count: first.body.paging.count, total: first.body.paging.total }, { start: 0, count: 2, total: 3 });
    assert.equal(first.body.paging.links[0].rel, 'next');
    const second = await api(t, '/rest/organizationAcls?q=roleAssignee&start=2&count=2', access_token);
    assert.deepEqual(second.body.elements.map((e: { organization: string }) => e.organization), ['urn:li:organization:90000003']);
    assert.deepEqual(second.body.paging.links, []);

    const org = await api(t, '/rest/organizations/90000001', access_token);
    assert.equal(org.status, 200);
    assert.equal(org.body.id, 90000001);
    assert.equal(org.body.localizedName, 'Thompson Analytics');
    assert.equal(org.body.vanityName, 'thompson-analytics');
    assert.ok(org.body.logoV2.original.startsWith('urn:li:digitalmediaAsset:'));
    assert.equal((await request(t.app).get(new URL(org.body.logoUrl).pathname)).status, 200);

    const marcus = await tokens(t, MARCUS, PAGE_SCOPES);
    const content = await api(t, '/rest/organizationAcls?q=roleAssignee&role=CONTENT_ADMINISTRATOR', marcus.access_token);
    assert.deepEqual(content.body.elements.map((e: { organization: string }) => e.organization), ['urn:li:organization:90000002']);
  });

  it('answers HTTP 426 for a retired LinkedIn-Version', async () => {
    const t = makeSandbox();
    const { access_token } = await tokens(t, GRACE, PAGE_SCOPES);
    const retired = await request(t.app)
      .get(`${path(t.paths.linkedin['api'])}/rest/organizationAcls?q=roleAssignee`)
      .set('Authorization', `Bearer ${access_token}`)
      .set({ 'LinkedIn-Version': '202401', 'X-Restli-Protocol-Version': '2.0.0' });
    assert.equal(retired.status, 426);
    assert.equal(retired.body.code, 'VERSION_RETIRED');
  });

  it('organization ACLs need rw_organization_admin and the LinkedIn-Version header', async () => {
    const t = makeSandbox();
    const limited = await tokens(t, GRACE, ['openid', 'profile', 'w_member_social']);
    const denied = await api(t, '/rest/organizationAcls?q=roleAssignee', limited.access_token);
    assert.equal(denied.status, 403);
    assert.equal(denied.body.status, 403);
    assert.equal(typeof denied.body.serviceErrorCode, 'number');

    const full = await tokens(t, GRACE, PAGE_SCOPES);
    const unversioned = await request(t.app)
      .get(`${path(t.paths.linkedin['api'])}/rest/organizationAcls?q=roleAssignee`)
      .set('Authorization', `Bearer ${full.access_token}`);
    assert.equal(unversioned.status, 400);
    assert.equal(unversioned.body.code, 'VERSION_MISSING');
  });
});
