/**
 * The platforms' documented answers (test/fixtures/platforms/<platform>/*.json, each naming its
 * source page), fed to each adapter through a local HTTP server: independent of the sandbox,
 * which this project wrote itself. When the sandbox and a fixture disagree, the fixture wins.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { OffsetClock } from '../../../bff/clock.ts';
import { PlatformError, type StoredAccount } from '../../../bff/platforms/adapter.ts';
import { createFacebookAdapter } from '../../../bff/platforms/facebook.ts';
import { createInstagramAdapter } from '../../../bff/platforms/instagram.ts';
import { createLinkedInAdapter } from '../../../bff/platforms/linkedin.ts';
import { createTikTokAdapter } from '../../../bff/platforms/tiktok.ts';
import { createXAdapter } from '../../../bff/platforms/x.ts';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { assertAbout, rejectsWith } from '../../helpers/platforms.ts';

interface Fixture {
  source: string;
  status: number;
  headers?: Record<string, string>;
  body: unknown;
  /** An OpenID Connect answer's ID token claims, signed at run time (a documented token's signature cannot be checked). */
  idTokenClaims?: Record<string, unknown>;
}

function fixture(platform: string, name: string): Fixture {
  const loaded = JSON.parse(readFileSync(new URL(`../../fixtures/platforms/${platform}/${name}.json`, import.meta.url), 'utf8')) as Fixture;
  assert.match(loaded.source, /^https:\/\//, `${platform}/${name} names its source page`);
  return loaded;
}

type Route = (req: IncomingMessage, url: URL, body: string) => Fixture | undefined;
let routes: Route[] = [];
/** Every request the server had, in order: method, path with query, form/JSON body, Authorization. */
let seen: Array<{ method: string; url: URL; body: string; authorization: string | undefined }> = [];
let server: Server;
let base = '';
const clock = new OffsetClock();

function send(res: ServerResponse, f: Fixture): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(f.headers ?? {})) {
    headers[name] = value.replace(/^RESET_IN_(\d+)$/, (_m, s: string) => String(Math.floor(Date.now() / 1000) + Number(s)));
  }
  res.writeHead(f.status, headers).end(f.body === null ? '' : JSON.stringify(f.body));
}

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? 'GET', url, body, authorization: req.headers.authorization });
      for (const route of routes) {
        const answer = route(req, url, body);
        if (answer) return send(res, answer);
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"no fixture"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  routes = [];
  seen = [];
});

const on = (path: string | RegExp, answer: (url: URL) => Fixture): Route => (_req, url) =>
  (typeof path === 'string' ? url.pathname === path : path.test(url.pathname)) ? answer(url) : undefined;
/** A form body's fields. */
const form = (body: string): Record<string, string> => Object.fromEntries(new URLSearchParams(body));
const inSeconds = (seconds: number): number => clock.now().getTime() + seconds * 1000;
const ok = (body: unknown): Fixture => ({ source: 'https://example.invalid/minimal', status: 200, body });
const common = { clientId: 'client', clientSecret: 'secret', clock, allowInsecure: true, timeoutSeconds: 2 };
const stored = (over: Partial<StoredAccount> = {}): StoredAccount => ({
  platformAccountId: 'acct',
  kind: 'profile',
  connectMethod: 'oauth2',
  grantedScopes: [],
  tokens: { accessToken: 'at', refreshToken: 'rt', expiresAt: new Date(clock.now().getTime() + 3_600_000), refreshTokenExpiresAt: null },
  ...over,
});

describe('LinkedIn, from its documented answers', () => {
  const endpoints = () => ({
    authorize: `${base}/oauth/v2/authorization`,
    token: `${base}/oauth/v2/accessToken`,
    introspect: `${base}/oauth/v2/introspectToken`,
    revoke: `${base}/oauth/v2/revoke`,
    api: base,
    userinfo: `${base}/v2/userinfo`,
    issuer: `${base}/oauth`,
    jwks: `${base}/oauth/openid/jwks`,
  });

  it('connects Pages from a token answer without token_type and a paged organizationAcls (ADMINISTRATOR, CONTENT_ADMINISTRATOR)', async () => {
    routes = [
      on('/oauth/v2/accessToken', () => fixture('linkedin', 'token-response')),
      on('/rest/organizationAcls', (url) => fixture('linkedin', url.searchParams.get('start') === '2' ? 'organization-acls-page-2' : 'organization-acls-page-1')),
      on(/^\/rest\/organizations\/\d+$/, (url) => ok({ id: Number(url.pathname.split('/').pop()), localizedName: `Org ${url.pathname.split('/').pop()}` })),
    ];
    // The fixture pages by 2: ask the adapter's page size, then follow the fixture's paging.
    const adapter = createLinkedInAdapter({ ...common, endpoints: endpoints() });
    const callbackUrl = new URL('https://app.example.com/oauth/callback/linkedin?code=AQTQmah11lalyH65DAIivsjsAQV5P&state=s');
    const grant = await adapter.exchangeCode({ callbackUrl, state: 's', codeVerifier: 'v'.repeat(43), kind: 'organization' });
    assert.equal(grant.userId, 'iFDV9vDrUu');
    assert.equal(grant.tokens.refreshToken?.slice(0, 8), 'AQWAft_W');
    const accounts = await adapter.accounts(grant);
    assert.deepEqual(accounts.map((a) => a.platformAccountId), ['2414183', '10002687']);
  });

  it('connect (Pages): the token answer gives tokens with expiries from expires_in and refresh_token_expires_in; organizations are named from their lookup', async () => {
    routes = [
      on('/oauth/v2/accessToken', () => fixture('linkedin', 'token-response')),
      on('/rest/organizationAcls', (url) => fixture('linkedin', url.searchParams.get('start') === '2' ? 'organization-acls-page-2' : 'organization-acls-page-1')),
      on('/rest/organizations/2414183', () => fixture('linkedin', 'organization')),
      on('/rest/organizations/10002687', () => ok({ id: 10002687, localizedName: 'Second Org' })),
    ];
    const adapter = createLinkedInAdapter({ ...common, endpoints: endpoints() });
    const callbackUrl = new URL('https://app.example.com/oauth/callback/linkedin?code=AQTQmah11lalyH65DAIivsjsAQV5P&state=s');
    const grant = await adapter.exchangeCode({ callbackUrl, state: 's', codeVerifier: 'v'.repeat(43), kind: 'organization' });
    assert.equal(grant.tokens.accessToken, 'AQUvlL_DYEzvT2wz1QJiEPeLioeA');
    assertAbout(grant.tokens.expiresAt, inSeconds(5_184_000), 'access token expiry');
    assertAbout(grant.tokens.refreshTokenExpiresAt, inSeconds(525_600), 'refresh token expiry');
    assert.deepEqual(grant.grantedScopes, ['r_organization_social', 'rw_organization_admin', 'w_organization_social']);
    const exchange = form(seen[0]!.body);
    assert.deepEqual({ id: exchange['client_id'], secret: exchange['client_secret'], grant: exchange['grant_type'] }, { id: 'client', secret: 'secret', grant: 'authorization_code' });
    const accounts = await adapter.accounts(grant);
    assert.deepEqual(
      accounts.map((a) => [a.platformAccountId, a.kind, a.displayName, a.username, a.canPublish]),
      [['2414183', 'organization', 'LinkedIn', 'linkedin', true], ['10002687', 'organization', 'Second Org', null, true]],
    );
    assert.equal(seen.find((r) => r.url.pathname === '/rest/organizations/2414183') !== undefined, true);
  });

  /**
   * The member flow's token answer carries an ID token: signed here with a key the local server
   * publishes as LinkedIn's JWKS, with the documented claims and this test's issuer and client.
   */
  async function memberTokenAnswer(over: Record<string, unknown> = {}, signingKey?: CryptoKey): Promise<{ answer: Fixture; jwks: Fixture }> {
    const documented = fixture('linkedin', 'token-response-member');
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const now = Math.floor(clock.now().getTime() / 1000);
    const claims = { ...documented.idTokenClaims, iss: endpoints().issuer, aud: common.clientId, iat: now, exp: now + 3600, ...over };
    const idToken = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'fixture-key' }).sign(signingKey ?? privateKey);
    const jwk = { ...(await exportJWK(publicKey)), kid: 'fixture-key', alg: 'RS256', use: 'sig' };
    return { answer: { ...documented, body: { ...(documented.body as Record<string, unknown>), id_token: idToken } }, jwks: ok({ keys: [jwk] }) };
  }

  it('connect (member): the OpenID Connect answer is checked (issuer, audience, times, JWKS signature) and its sub names the member', async () => {
    const { answer, jwks } = await memberTokenAnswer();
    routes = [on('/oauth/v2/accessToken', () => answer), on('/oauth/openid/jwks', () => jwks), on('/v2/userinfo', () => fixture('linkedin', 'userinfo'))];
    const adapter = createLinkedInAdapter({ ...common, endpoints: endpoints() });
    const callbackUrl = new URL('https://app.example.com/oauth/callback/linkedin?code=AQTQmah11lalyH65DAIivsjsAQV5P&state=s');
    const grant = await adapter.exchangeCode({ callbackUrl, state: 's', codeVerifier: 'v'.repeat(43), kind: 'member' });
    assert.equal(grant.kind, 'member');
    assert.equal(grant.userId, '782bbtaQ');
    assert.equal(grant.tokens.accessToken, 'AQUWDoDmzuq3FbP4sHz8R0jwn3vOqyFZ7tiZ4cL1w6M');
    assertAbout(grant.tokens.expiresAt, inSeconds(5_183_999), 'access token expiry');
    assert.equal(grant.tokens.refreshToken, null, 'no refresh token outside the partner program');
    assert.deepEqual(grant.grantedScopes, ['openid', 'profile', 'w_member_social']);
    assert.ok(seen.some((r) => r.url.pathname === '/oauth/openid/jwks'), 'the signature was checked against the JWKS');
    assert.ok(!seen.some((r) => r.url.pathname === '/v2/userinfo'), 'the ID token named the member: no userinfo call at connect');
    const exchange = form(seen.find((r) => r.url.pathname === '/oauth/v2/accessToken')!.body);
    assert.deepEqual({ id: exchange['client_id'], secret: exchange['client_secret'], grant: exchange['grant_type'] }, { id: 'client', secret: 'secret', grant: 'authorization_code' });
  });

  it('connect (member): an ID token from another issuer, for another client, expired, or signed with a key not in the JWKS is refused', async () => {
    const callbackUrl = new URL('https://app.example.com/oauth/callback/linkedin?code=AQTQmah11lalyH65DAIivsjsAQV5P&state=s');
    const now = Math.floor(clock.now().getTime() / 1000);
    const { privateKey: stranger } = await generateKeyPair('RS256');
    const cases: Array<[string, Record<string, unknown>, CryptoKey?]> = [
      ['another issuer', { iss: 'https://www.linkedin.com' }],
      ['another client', { aud: 'someone-else' }],
      ['expired', { iat: now - 7200, exp: now - 3600 }],
      ['a key not in the JWKS', {}, stranger],
    ];
    for (const [what, over, key] of cases) {
      const { answer, jwks } = await memberTokenAnswer(over, key);
      routes = [on('/oauth/v2/accessToken', () => answer), on('/oauth/openid/jwks', () => jwks)];
      const adapter = createLinkedInAdapter({ ...common, endpoints: endpoints() });
      await assert.rejects(adapter.exchangeCode({ callbackUrl, state: 's', codeVerifier: 'v'.repeat(43), kind: 'member' }), (err: unknown) => {
        assert.ok(err instanceof PlatformError, `${what}: ${String(err)}`);
        assert.notEqual(err.kind, 'transient', `${what} is not something to retry`);
        assert.ok(!err.message.includes('AQUWDoDmzuq3'), `${what}: no token in the message`);
        return true;
      });
    }
  });

  it('connect (member): /v2/userinfo names the member', async () => {
    routes = [on('/v2/userinfo', () => fixture('linkedin', 'userinfo'))];
    const adapter = createLinkedInAdapter({ ...common, endpoints: endpoints() });
    const [account] = await adapter.accounts({ platform: 'linkedin', kind: 'member', tokens: stored().tokens, grantedScopes: ['openid', 'profile', 'w_member_social'], dataAccessExpiresAt: null, userId: '782bbtaQ' });
    assert.deepEqual(
      [account!.platformAccountId, account!.kind, account!.displayName, account!.avatarUrl, account!.canPublish],
      ['782bbtaQ', 'member', 'John Doe', 'https://media.licdn-ei.com/dms/image/C5F03AQHqK8v7tB1HCQ/profile-displayphoto-shrink_100_100/0/', true],
    );
  });

  it('a 401 (serviceErrorCode 65600) on a read is a revoked grant', async () => {
    routes = [on('/v2/userinfo', () => fixture('linkedin', 'unauthorized'))];
    await rejectsWith(
      createLinkedInAdapter({ ...common, endpoints: endpoints() }).accounts({ platform: 'linkedin', kind: 'member', tokens: stored().tokens, grantedScopes: [], dataAccessExpiresAt: null, userId: 'u' }),
      'permanent',
      'token_revoked',
    );
  });

  it('refresh: the token answer without token_type is repaired; the unchanged refresh token keeps its earlier expiry', async () => {
    routes = [on('/oauth/v2/accessToken', () => fixture('linkedin', 'refresh-response'))];
    const refreshToken = (fixture('linkedin', 'refresh-response').body as { refresh_token: string }).refresh_token;
    const storedExpiry = new Date(inSeconds(400_000));
    const refreshed = await createLinkedInAdapter({ ...common, endpoints: endpoints() }).refresh(
      stored({ tokens: { accessToken: 'at', refreshToken, expiresAt: new Date(inSeconds(60)), refreshTokenExpiresAt: storedExpiry } }),
    );
    assert.equal(refreshed.tokens.accessToken, 'BBBB2222');
    assertAbout(refreshed.tokens.expiresAt, inSeconds(5_184_000), 'access token expiry');
    assert.equal(refreshed.tokens.refreshToken, refreshToken);
    assert.deepEqual(refreshed.tokens.refreshTokenExpiresAt, storedExpiry, 'never extended');
    assert.deepEqual({ grant: form(seen[0]!.body)['grant_type'], id: form(seen[0]!.body)['client_id'] }, { grant: 'refresh_token', id: 'client' });
  });

  it('refresh answered invalid_grant is permanent', async () => {
    routes = [on('/oauth/v2/accessToken', () => fixture('linkedin', 'refresh-invalid-grant'))];
    await rejectsWith(createLinkedInAdapter({ ...common, endpoints: endpoints() }).refresh(stored()), 'permanent', 'invalid_grant');
  });

  it('verification by introspectToken: active gives scopes and expiry; revoked is permanent; expired with a live refresh token is left to the refresh', async () => {
    const adapter = createLinkedInAdapter({ ...common, endpoints: endpoints() });
    routes = [on('/oauth/v2/introspectToken', () => fixture('linkedin', 'introspect-active'))];
    const active = await adapter.inspect(stored({ kind: 'organization' }));
    assert.deepEqual(active, {
      grantedScopes: ['r_organization_social', 'rw_organization_admin', 'w_organization_social'],
      canPublish: true,
      expiresAt: new Date(1548706154 * 1000),
    });
    assert.equal(form(seen[0]!.body)['token'], 'at');
    routes = [on('/oauth/v2/introspectToken', () => fixture('linkedin', 'introspect-revoked'))];
    await rejectsWith(adapter.inspect(stored()), 'permanent', 'token_revoked');
    routes = [on('/oauth/v2/introspectToken', () => fixture('linkedin', 'introspect-expired'))];
    assert.deepEqual(await adapter.inspect(stored()), { expiresAt: new Date(1548706154 * 1000) });
    await rejectsWith(adapter.inspect(stored({ tokens: { ...stored().tokens, refreshToken: null } })), 'permanent', 'token_expired');
  });

  it('revokes the access token with the app credentials (200, empty body)', async () => {
    routes = [on('/oauth/v2/revoke', () => fixture('linkedin', 'revoke-response'))];
    await createLinkedInAdapter({ ...common, endpoints: endpoints() }).revoke(stored());
    assert.deepEqual({ token: form(seen[0]!.body)['token'], id: form(seen[0]!.body)['client_id'], secret: form(seen[0]!.body)['client_secret'] }, { token: 'at', id: 'client', secret: 'secret' });
  });

  it('reads a 426 as the operator’s retired LINKEDIN_API_VERSION', async () => {
    routes = [on('/rest/organizationAcls', () => fixture('linkedin', 'version-retired'))];
    const adapter = createLinkedInAdapter({ ...common, endpoints: endpoints(), apiVersion: '202301' });
    const err = await rejectsWith(adapter.accounts({ platform: 'linkedin', kind: 'organization', tokens: stored().tokens, grantedScopes: [], dataAccessExpiresAt: null, userId: 'u' }), 'operator', 'api_version_retired');
    assert.match(err.message, /LINKEDIN_API_VERSION/);
  });
});

describe('X, from its documented answers', () => {
  const endpoints = () => ({ authorize: `${base}/i/oauth2/authorize`, token: `${base}/2/oauth2/token`, revoke: `${base}/2/oauth2/revoke`, api: `${base}/2` });

  it('connects: code -> tokens (expiry from expires_in, rotating refresh token, space-separated scopes), then /2/users/me names the account', async () => {
    routes = [on('/2/oauth2/token', () => fixture('x', 'token-response')), on('/2/users/me', () => fixture('x', 'users-me'))];
    const adapter = createXAdapter({ ...common, endpoints: endpoints() });
    const callbackUrl = new URL('https://app.example.com/oauth/callback/x?code=VGNibzFWSWREZm01bjN1N3dicWlNUG1oa2xRRVNNdmVHelJGY2hPWGxNd2dxOjE2MjIxNjA4MjU4MjU6MTowOmFjOjE&state=s');
    const grant = await adapter.exchangeCode({ callbackUrl, state: 's', codeVerifier: 'v'.repeat(43) });
    assert.equal(grant.userId, '2244994945');
    assert.equal(grant.tokens.accessToken, 'VGNibzFWSWREZm01bjN1N3dicWlNUG1oa2xRRVNNdmVHelJGY2hPWGxNd2dxOjE2MjIxNjA4MjU4MjU6MToxOmF0OjE');
    assert.equal(grant.tokens.refreshToken, 'bWRWa3gzdnk3WHRGU1o0bmRRcTJ5VUxWX1lZTDdJSUtmaWcxbTVxdEFXcW5tOjE2MjIxNjA4MjU4MjU6MToxOnJ0OjE');
    assertAbout(grant.tokens.expiresAt, inSeconds(7200), 'access token expiry');
    assert.equal(grant.tokens.refreshTokenExpiresAt, null, 'X documents no refresh-token lifetime');
    assert.deepEqual(grant.grantedScopes, ['tweet.write', 'users.read', 'tweet.read', 'offline.access']);
    const exchange = seen.find((r) => r.url.pathname === '/2/oauth2/token')!;
    assert.match(exchange.authorization ?? '', /^Basic /, 'confidential client: HTTP Basic');
    assert.equal(form(exchange.body)['code_verifier'], 'v'.repeat(43));
    const [account] = await adapter.accounts(grant);
    assert.deepEqual(
      { id: account!.platformAccountId, name: account!.displayName, username: account!.username, avatar: account!.avatarUrl, canPublish: account!.canPublish },
      { id: '2244994945', name: 'X Dev', username: 'TwitterDev', avatar: 'https://pbs.twimg.com/profile_images/1445764922474827784/W2zEPN7U_normal.jpg', canPublish: true },
    );
  });

  it('refreshes with Basic auth and stores the rotated refresh token', async () => {
    routes = [on('/2/oauth2/token', () => fixture('x', 'refresh-response'))];
    const adapter = createXAdapter({ ...common, endpoints: endpoints() });
    const refreshed = await adapter.refresh(stored({ grantedScopes: ['users.read'] }));
    assert.equal(refreshed.tokens.refreshToken, 'bnVJNjFUN29RbUVaVlR0S1h6NHFLS1kzQk5TQjBrT0Z4ajJ6R0dUZmJLS2l2OjE2MjIxNjA4NjIzNDI6MTowOnJ0OjE');
    assert.equal(refreshed.tokens.accessToken.slice(0, 8), 'Wp6Qk9Ba');
    assertAbout(refreshed.tokens.expiresAt, inSeconds(7200), 'renewed expiry');
    assert.deepEqual(refreshed.grantedScopes, ['tweet.write', 'users.read', 'tweet.read', 'offline.access']);
    assert.equal(form(seen[0]!.body)['grant_type'], 'refresh_token');
    assert.equal(form(seen[0]!.body)['refresh_token'], 'rt');
    assert.match(seen[0]!.authorization ?? '', /^Basic /);
  });

  it('a used or revoked refresh token (400 invalid_request) is a permanent invalid_grant', async () => {
    routes = [on('/2/oauth2/token', () => fixture('x', 'refresh-invalid-request'))];
    await rejectsWith(createXAdapter({ ...common, endpoints: endpoints() }).refresh(stored()), 'permanent', 'invalid_grant');
  });

  it('verification: /2/users/me answers the documented user; 401 with a live access token is revoked, with an expired one it is left to the refresh', async () => {
    routes = [on('/2/users/me', () => fixture('x', 'users-me'))];
    const adapter = createXAdapter({ ...common, endpoints: endpoints() });
    assert.deepEqual(await adapter.inspect(stored()), {});
    routes = [on('/2/users/me', () => fixture('x', 'unauthorized'))];
    await rejectsWith(adapter.inspect(stored()), 'permanent', 'token_revoked');
    const expiredAt = new Date(clock.now().getTime() - 1000);
    const inspection = await adapter.inspect(stored({ tokens: { ...stored().tokens, expiresAt: expiredAt } }));
    assert.deepEqual(inspection, { expiresAt: expiredAt });
  });

  it('revokes the refresh token, then the access token, each with its hint', async () => {
    routes = [on('/2/oauth2/revoke', () => fixture('x', 'revoke-response'))];
    await createXAdapter({ ...common, endpoints: endpoints() }).revoke(stored());
    assert.deepEqual(
      seen.map((r) => [form(r.body)['token'], form(r.body)['token_type_hint']]),
      [['rt', 'refresh_token'], ['at', 'access_token']],
    );
  });

  it('402 credits-depleted is the operator’s billing', async () => {
    routes = [on('/2/users/me', () => fixture('x', 'credits-depleted'))];
    const adapter = createXAdapter({ ...common, endpoints: endpoints() });
    await rejectsWith(adapter.inspect(stored()), 'operator', 'billing_credits_depleted');
  });

  it('429 waits until x-rate-limit-reset', async () => {
    routes = [on('/2/users/me', () => fixture('x', 'rate-limited'))];
    const adapter = createXAdapter({ ...common, endpoints: endpoints() });
    const err = await rejectsWith(adapter.inspect(stored()), 'transient', 'platform_rate_limited');
    assert.ok(err.retryAfterSeconds !== undefined && err.retryAfterSeconds > 800 && err.retryAfterSeconds <= 900);
  });
});

describe('TikTok, from its documented answers', () => {
  const endpoints = () => ({ authorize: `${base}/v2/auth/authorize/`, token: `${base}/v2/oauth/token/`, revoke: `${base}/v2/oauth/revoke/`, api: `${base}/v2` });

  it('connects: code -> tokens (2 h access, 180-day refresh, comma scopes, open_id), then user info names the account', async () => {
    routes = [on('/v2/oauth/token/', () => fixture('tiktok', 'token-response')), on('/v2/user/info/', () => fixture('tiktok', 'user-info'))];
    const adapter = createTikTokAdapter({ ...common, endpoints: endpoints() });
    const callbackUrl = new URL('https://app.example.com/oauth/callback/tiktok?code=abc&scopes=user.info.basic%2Cvideo.list&state=s');
    const grant = await adapter.exchangeCode({ callbackUrl, state: 's', codeVerifier: 'v'.repeat(43) });
    assert.equal(grant.userId, 'afd97af1-b87b-48b9-ac98-410aghda5344');
    assert.deepEqual(grant.tokens.accessToken, 'act.example12345Example12345Example');
    assert.deepEqual(grant.tokens.refreshToken, 'rft.example12345Example12345Example');
    assertAbout(grant.tokens.expiresAt, inSeconds(7200), 'access token expiry');
    assertAbout(grant.tokens.refreshTokenExpiresAt, inSeconds(15_552_000), 'refresh token expiry');
    assert.deepEqual(grant.grantedScopes, ['user.info.basic', 'video.list']);
    const exchange = form(seen[0]!.body);
    assert.equal(exchange['client_key'], 'client');
    assert.equal(exchange['client_secret'], 'secret');
    const [account] = await adapter.accounts(grant);
    assert.deepEqual(
      { id: account!.platformAccountId, name: account!.displayName, avatar: account!.avatarUrl, canPublish: account!.canPublish },
      { id: 'afd97af1-b87b-48b9-ac98-410aghda5344', name: 'Tik Toker', avatar: 'https://p19-sign.tiktokcdn-us.com/obj/tos-useast5-avt-0068-tx/b17f0e4b3a4f4a50993cf72cda8b88b8~c5_168x168.jpeg', canPublish: false },
    );
    assert.equal(seen[1]!.url.searchParams.get('fields'), 'open_id,avatar_url,display_name');
  });

  it('refreshes with client_key in the body and keeps the rotated refresh token and its new lifetime', async () => {
    routes = [on('/v2/oauth/token/', () => fixture('tiktok', 'refresh-response'))];
    const refreshed = await createTikTokAdapter({ ...common, endpoints: endpoints() }).refresh(stored());
    assert.equal(refreshed.tokens.accessToken, 'act.example12345Example12345Example2');
    assert.equal(refreshed.tokens.refreshToken, 'rft.example12345Example12345Example2');
    assertAbout(refreshed.tokens.expiresAt, inSeconds(7200), 'access token expiry');
    assertAbout(refreshed.tokens.refreshTokenExpiresAt, inSeconds(15_552_000), 'refresh token expiry');
    assert.deepEqual(refreshed.grantedScopes, ['user.info.basic', 'video.list']);
    assert.deepEqual(
      { grant: form(seen[0]!.body)['grant_type'], token: form(seen[0]!.body)['refresh_token'], key: form(seen[0]!.body)['client_key'] },
      { grant: 'refresh_token', token: 'rt', key: 'client' },
    );
  });

  for (const name of ['refresh-invalid-grant', 'refresh-invalid-grant-200']) {
    it(`refresh answered invalid_grant (${name}) is permanent`, async () => {
      routes = [on('/v2/oauth/token/', () => fixture('tiktok', name))];
      await rejectsWith(createTikTokAdapter({ ...common, endpoints: endpoints() }).refresh(stored()), 'permanent', 'invalid_grant');
    });
  }

  it('verification: user info with the documented answer is healthy; scope_not_authorized is a refused permission; 429 is transient', async () => {
    const adapter = createTikTokAdapter({ ...common, endpoints: endpoints() });
    routes = [on('/v2/user/info/', () => fixture('tiktok', 'user-info'))];
    assert.deepEqual(await adapter.inspect(stored({ grantedScopes: ['user.info.basic'] })), {});
    routes = [on('/v2/user/info/', () => fixture('tiktok', 'user-info-scope-not-authorized'))];
    await rejectsWith(adapter.inspect(stored({ grantedScopes: ['user.info.basic'] })), 'rejected', 'missing_permissions');
    routes = [on('/v2/user/info/', () => fixture('tiktok', 'user-info-rate-limited'))];
    await rejectsWith(adapter.inspect(stored({ grantedScopes: ['user.info.basic'] })), 'transient', 'platform_rate_limited');
  });

  it('connect: access_token_invalid in a 200 body refreshes once and retries with the rotated tokens', async () => {
    let reads = 0;
    routes = [
      on('/v2/oauth/token/', () => fixture('tiktok', 'refresh-response')),
      on('/v2/user/info/', () => fixture('tiktok', reads++ === 0 ? 'user-info-token-invalid' : 'user-info')),
    ];
    const adapter = createTikTokAdapter({ ...common, endpoints: endpoints() });
    const [account] = await adapter.accounts({ platform: 'tiktok', tokens: stored().tokens, grantedScopes: ['user.info.basic'], dataAccessExpiresAt: null, userId: 'afd97af1-b87b-48b9-ac98-410aghda5344' });
    assert.equal(account!.displayName, 'Tik Toker');
    assert.equal(account!.tokens.refreshToken, 'rft.example12345Example12345Example2');
    assert.equal(seen[2]!.authorization, 'Bearer act.example12345Example12345Example2');
  });

  it('revokes the grant with its access token and client_key', async () => {
    routes = [on('/v2/oauth/revoke/', () => fixture('tiktok', 'revoke-response'))];
    await createTikTokAdapter({ ...common, endpoints: endpoints() }).revoke(stored());
    assert.deepEqual({ token: form(seen[0]!.body)['token'], key: form(seen[0]!.body)['client_key'] }, { token: 'at', key: 'client' });
  });

  it('access_token_invalid inside an HTTP 200 body means refresh, not revoked', async () => {
    routes = [on('/v2/user/info/', () => fixture('tiktok', 'user-info-token-invalid'))];
    const adapter = createTikTokAdapter({ ...common, endpoints: { authorize: `${base}/v2/auth/authorize/`, token: `${base}/v2/oauth/token/`, revoke: `${base}/v2/oauth/revoke/`, api: `${base}/v2` } });
    const inspection = await adapter.inspect(stored({ grantedScopes: ['user.info.basic'] }));
    assert.ok(inspection.expiresAt && inspection.expiresAt.getTime() <= clock.now().getTime());
    assert.equal(inspection.renew, true, 'asks the caller to renew now and check again');
  });
});

describe('Meta, from its documented answers', () => {
  const graph = () => `${base}/v23.0`;
  const facebook = () =>
    createFacebookAdapter({ ...common, endpoints: { authorize: `${base}/dialog/oauth`, token: `${graph()}/oauth/access_token`, revoke: `${graph()}/me/permissions`, debugToken: `${graph()}/debug_token`, graph: graph() } });
  const tokenAnswers = () => on('/v23.0/oauth/access_token', () => fixture('facebook', seen.at(-1)!.body.includes('fb_exchange_token') ? 'long-lived-user-token' : 'code-exchange'));
  const pageAccount = (over: Partial<StoredAccount> = {}) =>
    stored({ platformAccountId: '1234567890', kind: 'page', connectMethod: 'facebook_login', grantedScopes: ['pages_show_list', 'pages_manage_posts'], tokens: { accessToken: 'page-token', refreshToken: 'user-token', expiresAt: new Date(inSeconds(3600)), refreshTokenExpiresAt: null }, ...over });

  it('Facebook connect: code -> short-lived -> 60-day user token, debug_token scopes and data access, /me/accounts Pages with their own non-expiring tokens', async () => {
    routes = [
      tokenAnswers(),
      on('/v23.0/debug_token', () => fixture('facebook', 'debug-token')),
      on('/v23.0/me/accounts', () => fixture('facebook', 'me-accounts')),
      on('/v23.0/1234567890', () => fixture('facebook', 'page-profile')),
    ];
    const adapter = facebook();
    const callbackUrl = new URL('https://app.example.com/oauth/callback/facebook?code=AQD-code&state=s#_=_');
    const grant = await adapter.exchangeCode({ callbackUrl, state: 's', codeVerifier: 'v'.repeat(43) });
    assert.equal(grant.tokens.accessToken, 'EAALongLivedUserToken0123456789');
    assertAbout(grant.tokens.expiresAt, inSeconds(5_183_944), 'user token expiry from expires_in');
    assert.deepEqual(grant.dataAccessExpiresAt, new Date(4102444800 * 1000));
    assert.deepEqual(grant.grantedScopes, ['pages_show_list', 'pages_read_engagement', 'pages_manage_posts']);
    assert.equal(grant.userId, '1207059');
    const exchange = seen.find((r) => form(r.body)['grant_type'] === 'fb_exchange_token')!;
    assert.equal(form(exchange.body)['fb_exchange_token'], 'EAAShortLivedUserToken0123456789');
    assert.equal(seen.find((r) => r.url.pathname === '/v23.0/debug_token')!.url.searchParams.get('input_token'), 'EAALongLivedUserToken0123456789');
    const [page] = await adapter.accounts(grant);
    assert.deepEqual(
      { id: page!.platformAccountId, kind: page!.kind, name: page!.displayName, username: page!.username, avatar: page!.avatarUrl, canPublish: page!.canPublish },
      { id: '1234567890', kind: 'page', name: "Jen's Cafe", username: 'jenscafe', avatar: 'https://scontent.xx.fbcdn.net/v/t1.0-1/p50x50/jenscafe.jpg', canPublish: true },
    );
    assert.equal(page!.tokens.accessToken, 'EAACEdEose0cBAPageToken0123456789');
    assert.equal(page!.tokens.refreshToken, 'EAALongLivedUserToken0123456789', 'the user token renews the Page token');
  });

  it('Facebook refresh: fb_exchange_token with the user token, then the Page token re-read from /me/accounts', async () => {
    routes = [tokenAnswers(), on('/v23.0/me/accounts', () => fixture('facebook', 'me-accounts'))];
    const { tokens } = await facebook().refresh(pageAccount());
    assert.equal(tokens.accessToken, 'EAACEdEose0cBAPageToken0123456789');
    assert.equal(tokens.refreshToken, 'EAALongLivedUserToken0123456789');
    assertAbout(tokens.expiresAt, inSeconds(5_183_944), 'the user token’s expiry');
    assert.equal(form(seen[0]!.body)['fb_exchange_token'], 'user-token');
  });

  it('Facebook refresh of an expired user token (190/463) is token_expired; 190/458 is token_revoked', async () => {
    routes = [on('/v23.0/oauth/access_token', () => fixture('facebook', 'token-expired-463'))];
    await rejectsWith(facebook().refresh(pageAccount()), 'permanent', 'token_expired');
    routes = [on('/v23.0/oauth/access_token', () => fixture('facebook', 'token-190'))];
    await rejectsWith(facebook().refresh(pageAccount()), 'permanent', 'token_revoked');
  });

  it('Facebook verification: debug_token of the Page and user tokens (Page expires_at 0 never counts), and a batch where one grant is dead (190/460)', async () => {
    routes = [
      on('/v23.0/debug_token', (url) => fixture('facebook', url.searchParams.get('input_token') === 'page-token' ? 'debug-token-page' : 'debug-token')),
      on('/v23.0/me/accounts', () => fixture('facebook', 'me-accounts')),
    ];
    const adapter = facebook();
    assert.deepEqual(await adapter.inspect(pageAccount()), {
      grantedScopes: ['pages_show_list', 'pages_read_engagement', 'pages_manage_posts'],
      expiresAt: new Date(4099766400 * 1000),
      dataAccessExpiresAt: new Date(4102444800 * 1000),
      canPublish: true,
    });
    routes = [on('/v23.0/', () => fixture('facebook', 'batch-debug-token'))];
    const [live, dead] = await adapter.verifyGrants!([pageAccount(), pageAccount({ platformAccountId: '99', tokens: { ...pageAccount().tokens, refreshToken: 'other-user-token' } })]);
    assert.deepEqual(live, { grantedScopes: ['pages_show_list', 'pages_read_engagement', 'pages_manage_posts'], expiresAt: new Date(4099766400 * 1000), dataAccessExpiresAt: new Date(4102444800 * 1000) });
    assert.ok(dead instanceof PlatformError && dead.kind === 'permanent' && dead.code === 'token_revoked', String(dead));
    const batch = JSON.parse(form(seen.at(-1)!.body)['batch']!) as Array<{ relative_url: string }>;
    assert.deepEqual(batch.map((b) => b.relative_url), ['debug_token?input_token=user-token', 'debug_token?input_token=other-user-token']);
  });

  it('Facebook revoke: DELETE /me/permissions with the user token', async () => {
    routes = [on('/v23.0/me/permissions', () => fixture('facebook', 'revoke-response'))];
    await facebook().revoke(pageAccount());
    assert.equal(seen[0]!.method, 'DELETE');
    assert.ok(seen[0]!.url.searchParams.get('access_token') === 'user-token' || seen[0]!.authorization === 'Bearer user-token');
  });

  const instagram = () =>
    createInstagramAdapter({
      ...common,
      endpoints: { authorize: `${base}/oauth/authorize`, token: `${base}/oauth/access_token`, exchange: `${base}/ig/access_token`, refresh: `${base}/ig/refresh_access_token`, graph: `${base}/ig/v23.0` },
    });
  const igAccount = () => stored({ platformAccountId: '17841405793187218', kind: 'professional', connectMethod: 'instagram_login', grantedScopes: ['instagram_business_basic', 'instagram_business_content_publish'], tokens: { accessToken: 'ig-token', refreshToken: null, expiresAt: new Date(inSeconds(86_400 * 30)), refreshTokenExpiresAt: null } });

  it('Instagram Login connect: the data[] code answer, ig_exchange_token for 60 days, then /me (data[] as documented)', async () => {
    routes = [
      on('/oauth/access_token', () => fixture('instagram', 'code-exchange')),
      on('/ig/access_token', () => fixture('instagram', 'long-lived-token')),
      on('/ig/v23.0/me', () => fixture('instagram', 'me')),
    ];
    const adapter = instagram();
    const callbackUrl = new URL('https://app.example.com/oauth/callback/instagram?code=AQBx-hBsH3...#_&state=s');
    callbackUrl.search = '?code=AQBx-hBsH3%23_&state=s';
    const grant = await adapter.exchangeCode({ callbackUrl, state: 's', codeVerifier: 'v'.repeat(43) });
    assert.equal(grant.userId, '17841405793187218', 'user_id kept exact (beyond a JS number)');
    assert.equal(grant.tokens.accessToken, 'IGAALongLived60Days0123456789');
    assertAbout(grant.tokens.expiresAt, inSeconds(5_183_944), 'long-lived expiry');
    assert.deepEqual(grant.grantedScopes, ['instagram_business_basic', 'instagram_business_manage_messages', 'instagram_business_content_publish', 'instagram_business_manage_comments']);
    assert.equal(form(seen[0]!.body)['code'], 'AQBx-hBsH3', 'the #_ suffix is dropped');
    assert.deepEqual(
      { grant: seen[1]!.url.searchParams.get('grant_type'), token: seen[1]!.url.searchParams.get('access_token') },
      { grant: 'ig_exchange_token', token: 'EAACEdEose0cBAIgLoginShortLived' },
    );
    const [account] = await adapter.accounts(grant);
    assert.deepEqual(
      { id: account!.platformAccountId, name: account!.displayName, username: account!.username, kind: account!.kind },
      { id: '17841405793187218', name: 'jayposiris', username: 'jayposiris', kind: 'professional' },
    );
  });

  it('Instagram Login refresh: ig_refresh_token gives 60 days more; under 24 h old it is refused, not dead', async () => {
    routes = [on('/ig/refresh_access_token', () => fixture('instagram', 'refresh-token'))];
    const { tokens } = await instagram().refresh(igAccount());
    assert.deepEqual({ token: tokens.accessToken, refresh: tokens.refreshToken }, { token: 'IGAARefreshed60Days0123456789', refresh: null });
    assertAbout(tokens.expiresAt, inSeconds(5_183_944), 'refreshed expiry');
    assert.deepEqual({ grant: seen[0]!.url.searchParams.get('grant_type'), token: seen[0]!.url.searchParams.get('access_token') }, { grant: 'ig_refresh_token', token: 'ig-token' });
    routes = [on('/ig/refresh_access_token', () => fixture('instagram', 'refresh-too-young'))];
    await rejectsWith(instagram().refresh(igAccount()), 'rejected');
  });

  it('Instagram Login verification: /me answers (data[] as documented); 190 is revoked', async () => {
    routes = [on('/ig/v23.0/me', () => fixture('instagram', 'me'))];
    const inspection = await instagram().inspect(igAccount());
    assert.deepEqual(inspection, { canPublish: false }, 'the documented answer carries no account_type');
    routes = [on('/ig/v23.0/me', () => fixture('instagram', 'token-190'))];
    await rejectsWith(instagram().inspect(igAccount()), 'permanent', 'token_revoked');
    const [answer] = await instagram().verifyGrants!([igAccount()]);
    assert.ok(answer instanceof PlatformError && answer.code === 'token_revoked');
  });

  it('Instagram Login revoke: no endpoint, nothing is called', async () => {
    await instagram().revoke(igAccount());
    assert.equal(seen.length, 0);
  });

  it('Facebook: 80001 with X-Business-Use-Case-Usage is a rate limit with its wait', async () => {
    routes = [on('/v23.0/me/accounts', () => fixture('facebook', 'rate-limited-business'))];
    const graph = `${base}/v23.0`;
    const adapter = createFacebookAdapter({ ...common, endpoints: { authorize: `${base}/dialog/oauth`, token: `${graph}/oauth/access_token`, revoke: `${graph}/me/permissions`, debugToken: `${graph}/debug_token`, graph } });
    const err = await rejectsWith(
      adapter.accounts({ platform: 'facebook', tokens: stored().tokens, grantedScopes: [], dataAccessExpiresAt: null, userId: 'u' }),
      'transient',
      'platform_rate_limited',
    );
    assert.equal(err.retryAfterSeconds, 19 * 60);
  });

  it('Instagram: code 4 with X-App-Usage is a rate limit', async () => {
    routes = [on(/\/media$/, () => fixture('instagram', 'app-rate-limited'))];
    const graph = `${base}/ig/v23.0`;
    const adapter = createInstagramAdapter({
      ...common,
      endpoints: { authorize: `${base}/oauth/authorize`, token: `${base}/oauth/access_token`, exchange: `${base}/ig/access_token`, refresh: `${base}/ig/refresh_access_token`, graph },
    });
    await rejectsWith(adapter.recentPosts(stored({ kind: 'professional', connectMethod: 'instagram_login' })), 'transient', 'platform_rate_limited');
  });
});
