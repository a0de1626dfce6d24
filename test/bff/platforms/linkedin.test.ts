/**
 * The LinkedIn adapter against the sandbox over real HTTP: all-or-nothing consent, a
 * verified id_token, member plus administered organizations, a partner refresh token that
 * comes back unchanged and never lives longer, introspection, dead tokens and faults.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Grant, GrantedAccount, PlatformAdapter, StoredAccount } from '../../../bff/platforms/adapter.ts';
import { LINKEDIN_PAGE_SCOPES, REQUIRED_SCOPES } from '../../../bff/platforms/catalog.ts';
import { SANDBOX_LINKEDIN_PAGES_CLIENT } from '../../../bff/sandbox/seed.ts';
import { PAGE_CONNECT_METHOD, REAL_ENDPOINTS, createLinkedInAdapter } from '../../../bff/platforms/linkedin.ts';
import { sandboxEndpoints } from '../../../bff/sandbox/index.ts';
import { consent, startSandbox } from '../../helpers/sandbox.ts';
import type { SandboxServer } from '../../helpers/sandbox.ts';
import { control, rejectsWith, secondsFromNow, toStored, tokenRequests } from '../../helpers/platforms.ts';

const REDIRECT_URI = 'https://app.example.com/connections/callback/linkedin';
const GRACE = 'Hn3kQ8vRzA';
const MARCUS = 'Pw7tLm2xYc';
const HOUR = 3600;
const DAY = 24 * HOUR;

let server: SandboxServer;
let adapter: PlatformAdapter;

function makeAdapter(overrides: { timeoutSeconds?: number; endpoints?: Record<string, string>; secondApp?: boolean } = {}): PlatformAdapter {
  const { clientId, clientSecret } = server.sandbox.clients.linkedin;
  return createLinkedInAdapter({
    clientId,
    clientSecret,
    ...(overrides.secondApp === false ? {} : { secondApp: { ...SANDBOX_LINKEDIN_PAGES_CLIENT } }),
    endpoints: overrides.endpoints ?? server.endpoints.linkedin,
    clock: server.clock,
    allowInsecure: true,
    ...(overrides.timeoutSeconds !== undefined ? { timeoutSeconds: overrides.timeoutSeconds } : {}),
  });
}

beforeEach(async () => {
  server = await startSandbox();
  adapter = makeAdapter();
});

afterEach(async () => {
  await server.close();
});

async function callback(options: { user?: string; scopes?: string[]; decision?: 'allow' | 'deny'; state?: string; kind?: 'member' | 'organization' } = {}): Promise<URL> {
  const url = await adapter.authorizationUrl({ redirectUri: REDIRECT_URI, state: options.state ?? 's-li', codeVerifier: 'v'.repeat(43), ...(options.kind ? { kind: options.kind } : {}) });
  return consent(url, {
    user: options.user ?? GRACE,
    ...(options.scopes ? { scopes: options.scopes } : {}),
    ...(options.decision ? { decision: options.decision } : {}),
  });
}

async function connect(user = GRACE): Promise<{ grant: Grant; accounts: GrantedAccount[]; member: StoredAccount }> {
  const callbackUrl = await callback({ user });
  const grant = await adapter.exchangeCode({ callbackUrl, state: 's-li', codeVerifier: 'v'.repeat(43) });
  const accounts = await adapter.accounts(grant);
  const member = accounts.find((a) => a.kind === 'member');
  assert.ok(member);
  return { grant, accounts, member: toStored(member) };
}

/** The "LinkedIn Page" flow: the Community Management app, organization scopes only. */
async function connectPages(user = GRACE): Promise<{ grant: Grant; accounts: GrantedAccount[] }> {
  const callbackUrl = await callback({ user, kind: 'organization' });
  const grant = await adapter.exchangeCode({ callbackUrl, state: 's-li', codeVerifier: 'v'.repeat(43), kind: 'organization' });
  return { grant, accounts: await adapter.accounts(grant) };
}

describe('LinkedIn adapter: endpoints and authorize URL', () => {
  it('exports real https endpoints with the same keys as the sandbox', () => {
    const sandboxKeys = Object.keys(sandboxEndpoints('http://127.0.0.1:1/sandbox').linkedin).sort();
    assert.deepEqual(Object.keys(REAL_ENDPOINTS).sort(), sandboxKeys);
    for (const url of Object.values(REAL_ENDPOINTS)) assert.match(url, /^https:\/\//);
  });

  it('asks the member app for the member scopes only, space-separated, with client_id and no PKCE', async () => {
    const url = await adapter.authorizationUrl({ redirectUri: REDIRECT_URI, state: 's-url', codeVerifier: 'v'.repeat(43) });
    assert.equal(url.origin + url.pathname, server.endpoints.linkedin['authorize']);
    assert.equal(url.searchParams.get('client_id'), 'sandbox-linkedin-client');
    assert.equal(url.searchParams.get('scope'), 'openid profile w_member_social');
    assert.deepEqual([...REQUIRED_SCOPES.linkedin], ['openid', 'profile', 'w_member_social']);
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.equal(url.searchParams.get('redirect_uri'), REDIRECT_URI);
    assert.equal(url.searchParams.get('state'), 's-url');
    assert.equal(url.searchParams.has('code_challenge'), false);
  });
});

describe('LinkedIn adapter: two connect flows (Community Management alone on its app)', () => {
  it('asks the Pages app for the organization scopes only', async () => {
    const url = await adapter.authorizationUrl({ redirectUri: REDIRECT_URI, state: 's-url', codeVerifier: 'v'.repeat(43), kind: 'organization' });
    assert.equal(url.searchParams.get('client_id'), SANDBOX_LINKEDIN_PAGES_CLIENT.clientId);
    assert.equal(url.searchParams.get('scope'), LINKEDIN_PAGE_SCOPES.join(' '));
  });

  it('falls back to the first app for Pages when there is no second app', async () => {
    adapter = makeAdapter({ secondApp: false });
    const url = await adapter.authorizationUrl({ redirectUri: REDIRECT_URI, state: 's-url', codeVerifier: 'v'.repeat(43), kind: 'organization' });
    assert.equal(url.searchParams.get('client_id'), 'sandbox-linkedin-client');
    assert.equal(url.searchParams.get('scope'), LINKEDIN_PAGE_SCOPES.join(' '));
  });

  it('connects the Pages Grace may post for: ADMINISTRATOR roles, not ANALYST', async () => {
    const { grant, accounts } = await connectPages(GRACE);
    assert.equal(grant.userId, GRACE, 'the member comes from the ACLs (no OpenID Connect on the Pages app)');
    assert.deepEqual([...grant.grantedScopes].sort(), [...LINKEDIN_PAGE_SCOPES].sort());
    assert.deepEqual(
      accounts.map((a) => [a.kind, a.platformAccountId, a.displayName, a.canPublish, a.connectMethod]),
      [
        ['organization', '90000001', 'Thompson Analytics', true, PAGE_CONNECT_METHOD],
        ['organization', '90000002', 'Brightwater Co-op', true, PAGE_CONNECT_METHOD],
      ],
    );
  });

  it('accepts CONTENT_ADMINISTRATOR: Marcus may post for Brightwater Co-op', async () => {
    const { accounts } = await connectPages(MARCUS);
    assert.deepEqual(accounts.map((a) => a.platformAccountId), ['90000002']);
  });

  it('refreshes, inspects and revokes a Page with the Pages app', async () => {
    const { accounts } = await connectPages(GRACE);
    const page = toStored(accounts[0]!);
    assert.equal((await adapter.inspect(page)).canPublish, true);
    const refreshed = await adapter.refresh(page);
    assert.equal(refreshed.tokens.refreshToken, page.tokens.refreshToken);
    await adapter.revoke({ ...page, tokens: refreshed.tokens });
    await rejectsWith(adapter.inspect({ ...page, tokens: refreshed.tokens }), 'permanent', 'token_revoked');
  });
});

describe('LinkedIn adapter: connecting', () => {
  it('turns consent into a grant with lifetimes from the token response and the id_token subject', async () => {
    server.clock.advance(10 * DAY); // the id_token is checked against the product clock
    const callbackUrl = await callback();
    const grant = await adapter.exchangeCode({ callbackUrl, state: 's-li', codeVerifier: 'v'.repeat(43) });
    assert.equal(grant.platform, 'linkedin');
    assert.equal(grant.userId, GRACE);
    assert.deepEqual([...grant.grantedScopes].sort(), [...REQUIRED_SCOPES.linkedin].sort());
    assert.ok(Math.abs(secondsFromNow(server, grant.tokens.expiresAt) - 60 * DAY) <= 2);
    assert.ok(grant.tokens.refreshToken);
    assert.ok(Math.abs(secondsFromNow(server, grant.tokens.refreshTokenExpiresAt) - 365 * DAY) <= 2);
  });

  it('grants every scope even when boxes were unchecked (all or nothing)', async () => {
    const callbackUrl = await callback({ scopes: ['openid', 'profile'] });
    const grant = await adapter.exchangeCode({ callbackUrl, state: 's-li', codeVerifier: 'v'.repeat(43) });
    assert.deepEqual([...grant.grantedScopes].sort(), [...REQUIRED_SCOPES.linkedin].sort());
  });

  it('gives Grace Thompson her member profile only (her Pages are the other flow)', async () => {
    const { grant, accounts } = await connect(GRACE);
    assert.deepEqual(
      accounts.map((a) => [a.kind, a.platformAccountId, a.displayName, a.username, a.canPublish]),
      [['member', GRACE, 'Grace Thompson', null, true]],
    );
    assert.match(accounts[0]?.avatarUrl ?? '', /\/avatars\/Hn3kQ8vRzA\.svg$/);
    assert.deepEqual(accounts[0]?.tokens, grant.tokens);
    assert.equal(accounts[0]?.connectMethod, 'oauth2');
  });

  it('gives Marcus Bell just himself', async () => {
    const { accounts } = await connect(MARCUS);
    assert.deepEqual(
      accounts.map((a) => [a.kind, a.platformAccountId, a.displayName]),
      [['member', MARCUS, 'Marcus Bell']],
    );
  });

  it('reads both LinkedIn cancellations as access_denied', async () => {
    const callbackUrl = await callback({ decision: 'deny' });
    assert.equal(callbackUrl.searchParams.get('error'), 'user_cancelled_authorize');
    const expected = { code: 'access_denied', message: 'You declined access on LinkedIn. Nothing was connected.' };
    assert.deepEqual(adapter.redirectError(callbackUrl.searchParams), expected);
    assert.deepEqual(adapter.redirectError(new URLSearchParams({ error: 'user_cancelled_login', state: 's' })), expected);
    await rejectsWith(adapter.exchangeCode({ callbackUrl, state: 's-li', codeVerifier: 'v'.repeat(43) }), 'rejected', 'access_denied');
  });

  it('passes on other redirect errors with the platform description', () => {
    const params = new URLSearchParams({ error: 'unauthorized_scope_error', error_description: 'Scope "r_ads" is not authorized for your application' });
    const error = adapter.redirectError(params);
    assert.equal(error?.code, 'platform_error');
    assert.match(error?.message ?? '', /Scope "r_ads" is not authorized/);
  });

  it('refuses a callback whose state is not this attempt', async () => {
    const callbackUrl = await callback({ state: 'mine' });
    await rejectsWith(adapter.exchangeCode({ callbackUrl, state: 'theirs', codeVerifier: 'v'.repeat(43) }), 'rejected', 'state_mismatch');
  });

  it('verifies the id_token signature against the JWKS', async () => {
    // Another sandbox signs with another key: its JWKS cannot verify this one's id_token.
    const other = await startSandbox();
    try {
      adapter = makeAdapter({ endpoints: { ...server.endpoints.linkedin, jwks: other.endpoints.linkedin['jwks'] ?? '' } });
      const callbackUrl = await callback();
      await rejectsWith(adapter.exchangeCode({ callbackUrl, state: 's-li', codeVerifier: 'v'.repeat(43) }), 'rejected', 'invalid_id_token');
    } finally {
      await other.close();
    }
  });

  it('verifies the id_token issuer', async () => {
    adapter = makeAdapter({ endpoints: { ...server.endpoints.linkedin, issuer: 'https://www.linkedin.com/oauth' } });
    const callbackUrl = await callback();
    await rejectsWith(adapter.exchangeCode({ callbackUrl, state: 's-li', codeVerifier: 'v'.repeat(43) }), 'rejected', 'invalid_id_token');
  });
});

describe('LinkedIn adapter: refresh', () => {
  it('makes one token request, keeps the same refresh token and never extends its expiry', async () => {
    const { member } = await connect();
    server.clock.advance(30 * DAY);
    const before = await tokenRequests(server, 'linkedin');
    const refreshed = await adapter.refresh(member);
    assert.equal((await tokenRequests(server, 'linkedin')) - before, 1);
    assert.equal(refreshed.tokens.refreshToken, member.tokens.refreshToken);
    assert.notEqual(refreshed.tokens.accessToken, member.tokens.accessToken);
    assert.ok(Math.abs(secondsFromNow(server, refreshed.tokens.expiresAt) - 60 * DAY) <= 2);
    const stored = member.tokens.refreshTokenExpiresAt?.getTime() ?? 0;
    const after = refreshed.tokens.refreshTokenExpiresAt?.getTime() ?? Infinity;
    assert.ok(after <= stored, 'the refresh token expiry does not grow');
    assert.ok(stored - after < 2000, 'and it is still the same expiry');
    assert.ok(Math.abs(secondsFromNow(server, refreshed.tokens.refreshTokenExpiresAt) - 335 * DAY) <= 2);
  });

  it('does not call LinkedIn once the refresh token has run out: token_expired', async () => {
    const { member } = await connect();
    server.clock.advance(366 * DAY);
    const before = await tokenRequests(server, 'linkedin');
    await rejectsWith(adapter.refresh(member), 'permanent', 'token_expired');
    await rejectsWith(adapter.inspect(member), 'permanent', 'token_expired');
    assert.equal(await tokenRequests(server, 'linkedin'), before);
  });

  it('reports faults at the token endpoint as transient', async () => {
    const { member } = await connect();
    await control(server, 'faults', { platform: 'linkedin', kind: 'error', count: 1 });
    await rejectsWith(adapter.refresh(member), 'transient', 'platform_unavailable');
    // Impatient only for the call under test: the connect above may take a cold start.
    const impatient = makeAdapter({ timeoutSeconds: 0.3 });
    await control(server, 'faults', { platform: 'linkedin', kind: 'timeout', count: 1 });
    await rejectsWith(impatient.refresh(member), 'transient', 'platform_timeout');
    const refreshed = await adapter.refresh(member);
    assert.equal(refreshed.tokens.refreshToken, member.tokens.refreshToken);
  });
});

describe('LinkedIn adapter: health and revocation', () => {
  it('inspects through introspection: scopes, expiry, publish capability by account kind', async () => {
    const { accounts, member } = await connect();
    const inspection = await adapter.inspect(member);
    assert.deepEqual([...(inspection.grantedScopes ?? [])].sort(), [...REQUIRED_SCOPES.linkedin].sort());
    assert.equal(inspection.canPublish, true);
    assert.ok(Math.abs(secondsFromNow(server, inspection.expiresAt) - 60 * DAY) <= 2);
    assert.equal(accounts.length, 1);
    assert.deepEqual(await adapter.recentPosts(member), []);
  });

  it('reports a grant revoked at LinkedIn as permanent for inspect and refresh', async () => {
    const { member } = await connect();
    await control(server, 'revoke', { platform: 'linkedin', platformAccountId: GRACE });
    await rejectsWith(adapter.inspect(member), 'permanent', 'token_revoked');
    await rejectsWith(adapter.refresh(member), 'permanent', 'invalid_grant');
  });

  it('treats an expired access token with a live refresh token as renewable', async () => {
    const { member } = await connect();
    server.clock.advance(61 * DAY);
    const inspection = await adapter.inspect(member);
    assert.equal(inspection.grantedScopes, undefined);
    assert.ok(secondsFromNow(server, inspection.expiresAt) < 0, 'it says when the access token expired');
    const refreshed = await adapter.refresh(member);
    assert.equal((await adapter.inspect({ ...member, tokens: refreshed.tokens })).canPublish, true);
  });

  it('reports an expired access token without a refresh token as token_expired', async () => {
    const { member } = await connect();
    server.clock.advance(61 * DAY);
    await rejectsWith(adapter.inspect({ ...member, tokens: { ...member.tokens, refreshToken: null, refreshTokenExpiresAt: null } }), 'permanent', 'token_expired');
  });

  it('revokes the token at LinkedIn', async () => {
    const { member } = await connect();
    await adapter.revoke(member);
    await rejectsWith(adapter.inspect(member), 'permanent', 'token_revoked');
    await rejectsWith(adapter.refresh(member), 'permanent', 'invalid_grant');
  });

  it('reads a revoked member token as permanent when listing accounts', async () => {
    const callbackUrl = await callback({ kind: 'organization' });
    const grant = await adapter.exchangeCode({ callbackUrl, state: 's-li', codeVerifier: 'v'.repeat(43), kind: 'organization' });
    await control(server, 'revoke', { platform: 'linkedin', platformAccountId: '90000001' });
    await rejectsWith(adapter.accounts(grant), 'permanent', 'token_revoked');
  });
});
