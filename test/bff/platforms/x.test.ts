/**
 * The X adapter against the sandbox over real HTTP: PKCE S256, Basic client authentication,
 * space-separated scopes, partial consent, refresh tokens only with offline.access and
 * rotating, dead tokens and faults.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import * as client from 'openid-client';
import type { Grant, PlatformAdapter, StoredAccount } from '../../../bff/platforms/adapter.ts';
import { REQUIRED_SCOPES } from '../../../bff/platforms/catalog.ts';
import { REAL_ENDPOINTS, createXAdapter } from '../../../bff/platforms/x.ts';
import { sandboxEndpoints } from '../../../bff/sandbox/index.ts';
import { consent, startSandbox } from '../../helpers/sandbox.ts';
import type { SandboxServer } from '../../helpers/sandbox.ts';
import { control, rejectsWith, secondsFromNow, toStored, tokenRequests } from '../../helpers/platforms.ts';

const REDIRECT_URI = 'https://app.example.com/connections/callback/x';
const SOFIA = '1700000000000000001';
const HOUR = 3600;
const DAY = 24 * HOUR;

let server: SandboxServer;
let adapter: PlatformAdapter;

function makeAdapter(timeoutSeconds?: number): PlatformAdapter {
  const { clientId, clientSecret } = server.sandbox.clients.x;
  return createXAdapter({
    clientId,
    clientSecret,
    endpoints: server.endpoints.x,
    clock: server.clock,
    allowInsecure: true,
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
  });
}

beforeEach(async () => {
  server = await startSandbox();
  adapter = makeAdapter();
});

afterEach(async () => {
  await server.close();
});

interface Attempt {
  state: string;
  codeVerifier: string;
  url: URL;
}

async function startAttempt(): Promise<Attempt> {
  const state = client.randomState();
  const codeVerifier = client.randomPKCECodeVerifier();
  return { state, codeVerifier, url: await adapter.authorizationUrl({ redirectUri: REDIRECT_URI, state, codeVerifier }) };
}

async function connect(options: { user?: string; scopes?: string[] } = {}): Promise<{ grant: Grant; stored: StoredAccount }> {
  const { state, codeVerifier, url } = await startAttempt();
  const callbackUrl = await consent(url, { user: options.user ?? SOFIA, ...(options.scopes ? { scopes: options.scopes } : {}) });
  const grant = await adapter.exchangeCode({ callbackUrl, state, codeVerifier });
  const [account] = await adapter.accounts(grant);
  assert.ok(account);
  return { grant, stored: toStored(account) };
}

describe('X adapter: endpoints and authorize URL', () => {
  it('exports real https endpoints with the same keys as the sandbox', () => {
    const sandboxKeys = Object.keys(sandboxEndpoints('http://127.0.0.1:1/sandbox').x).sort();
    assert.deepEqual(Object.keys(REAL_ENDPOINTS).sort(), sandboxKeys);
    for (const url of Object.values(REAL_ENDPOINTS)) assert.match(url, /^https:\/\//);
  });

  it('asks with client_id, space-separated required scopes and an S256 challenge of the verifier', async () => {
    const { url, state, codeVerifier } = await startAttempt();
    assert.equal(url.origin + url.pathname, server.endpoints.x['authorize']);
    assert.equal(url.searchParams.get('client_id'), 'sandbox-x-client');
    assert.equal(url.searchParams.get('scope'), REQUIRED_SCOPES.x.join(' '));
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.equal(url.searchParams.get('redirect_uri'), REDIRECT_URI);
    assert.equal(url.searchParams.get('state'), state);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(url.searchParams.get('code_challenge'), createHash('sha256').update(codeVerifier).digest('base64url'));
  });
});

describe('X adapter: connecting', () => {
  it('turns an allowed consent into a grant with lifetimes and scopes from the token response', async () => {
    server.clock.advance(3 * DAY);
    const { grant } = await connect();
    assert.equal(grant.platform, 'x');
    assert.equal(grant.userId, SOFIA);
    assert.deepEqual([...grant.grantedScopes].sort(), [...REQUIRED_SCOPES.x].sort());
    assert.match(grant.tokens.accessToken, /^sbx-x/);
    assert.match(grant.tokens.refreshToken ?? '', /^sbx-x-rt/);
    assert.ok(Math.abs(secondsFromNow(server, grant.tokens.expiresAt) - 2 * HOUR) <= 2);
    // X documents no refresh-token lifetime: none is invented.
    assert.equal(grant.tokens.refreshTokenExpiresAt, null);
  });

  it('reads the profile into one publishable account', async () => {
    const { grant } = await connect();
    const accounts = await adapter.accounts(grant);
    assert.equal(accounts.length, 1);
    const [account] = accounts;
    assert.equal(account?.platformAccountId, SOFIA);
    assert.equal(account?.kind, 'profile');
    assert.equal(account?.displayName, 'Sofia Marquez');
    assert.equal(account?.username, 'sofiabuilds');
    assert.match(account?.avatarUrl ?? '', /\/avatars\/1700000000000000001\.svg$/);
    assert.equal(account?.canPublish, true);
    assert.equal(account?.connectMethod, 'oauth2');
  });

  it('leaves unchecked scopes out of the grant, and cannot publish without tweet.write', async () => {
    const kept = ['tweet.read', 'users.read', 'offline.access'];
    const { grant } = await connect({ user: '1700000000000000002', scopes: kept });
    assert.deepEqual([...grant.grantedScopes].sort(), [...kept].sort());
    const [account] = await adapter.accounts(grant);
    assert.equal(account?.displayName, 'Kenji Watanabe');
    assert.equal(account?.canPublish, false);
  });

  it('refuses a grant that does not let it read who connected', async () => {
    const { state, codeVerifier, url } = await startAttempt();
    const callbackUrl = await consent(url, { user: SOFIA, scopes: ['tweet.read', 'tweet.write', 'offline.access'] });
    const error = await rejectsWith(adapter.exchangeCode({ callbackUrl, state, codeVerifier }), 'rejected', 'missing_permissions');
    assert.match(error.message, /users\.read/);
  });

  it('sends the PKCE verifier: a wrong one is refused', async () => {
    const { state, url } = await startAttempt();
    const callbackUrl = await consent(url, { user: SOFIA });
    await rejectsWith(
      adapter.exchangeCode({ callbackUrl, state, codeVerifier: client.randomPKCECodeVerifier() }),
      'rejected',
      'platform_rejected',
    );
  });

  it('refuses a code older than X’s 30 seconds', async () => {
    const { state, codeVerifier, url } = await startAttempt();
    const callbackUrl = await consent(url, { user: SOFIA });
    server.clock.advance(31);
    await rejectsWith(adapter.exchangeCode({ callbackUrl, state, codeVerifier }), 'rejected', 'platform_rejected');
  });

  it('reads a denial at the redirect as access_denied', async () => {
    const { state, codeVerifier, url } = await startAttempt();
    const callbackUrl = await consent(url, { user: SOFIA, decision: 'deny' });
    assert.deepEqual(adapter.redirectError(callbackUrl.searchParams), {
      code: 'access_denied',
      message: 'You declined access on X. Nothing was connected.',
    });
    await rejectsWith(adapter.exchangeCode({ callbackUrl, state, codeVerifier }), 'rejected', 'access_denied');
  });

  it('passes on other redirect errors with the platform description', () => {
    const error = adapter.redirectError(new URLSearchParams({ error: 'invalid_request', error_description: 'Missing code_challenge.', state: 's' }));
    assert.equal(error?.code, 'platform_error');
    assert.match(error?.message ?? '', /Missing code_challenge\./);
  });

  it('refuses a callback whose state is not this attempt', async () => {
    const { codeVerifier, url } = await startAttempt();
    const callbackUrl = await consent(url, { user: SOFIA });
    const before = await tokenRequests(server, 'x');
    await rejectsWith(adapter.exchangeCode({ callbackUrl, state: client.randomState(), codeVerifier }), 'rejected', 'state_mismatch');
    assert.equal(await tokenRequests(server, 'x'), before);
  });
});

describe('X adapter: refresh', () => {
  it('makes exactly one token request with Basic auth and returns the rotated refresh token', async () => {
    const { stored } = await connect();
    server.clock.advance(HOUR);
    const before = await tokenRequests(server, 'x');
    const refreshed = await adapter.refresh(stored);
    assert.equal((await tokenRequests(server, 'x')) - before, 1);
    assert.ok(refreshed.tokens.refreshToken);
    assert.notEqual(refreshed.tokens.refreshToken, stored.tokens.refreshToken);
    assert.notEqual(refreshed.tokens.accessToken, stored.tokens.accessToken);
    assert.ok(Math.abs(secondsFromNow(server, refreshed.tokens.expiresAt) - 2 * HOUR) <= 2);

    assert.deepEqual(await adapter.inspect({ ...stored, tokens: refreshed.tokens }), {});
    // X answers the retired refresh token with invalid_request; it is still a dead grant.
    await rejectsWith(adapter.refresh(stored), 'permanent', 'invalid_grant');
  });

  it('has nothing to refresh with without offline.access: refused while valid, expired after', async () => {
    const { stored } = await connect({ scopes: ['tweet.read', 'tweet.write', 'users.read', 'media.write'] });
    assert.equal(stored.tokens.refreshToken, null);
    const before = await tokenRequests(server, 'x');
    await rejectsWith(adapter.refresh(stored), 'rejected', 'refresh_unavailable');
    server.clock.advance(2 * HOUR + 60);
    await rejectsWith(adapter.refresh(stored), 'permanent', 'token_expired');
    await rejectsWith(adapter.inspect(stored), 'permanent', 'token_expired');
    assert.equal(await tokenRequests(server, 'x'), before);
  });

  it('reports a 5xx at the token endpoint as transient', async () => {
    const { stored } = await connect();
    await control(server, 'faults', { platform: 'x', kind: 'error', count: 1 });
    await rejectsWith(adapter.refresh(stored), 'transient', 'platform_unavailable');
    const refreshed = await adapter.refresh(stored);
    assert.ok(refreshed.tokens.refreshToken);
  });

  it('reports a refresh that does not answer as transient, its outcome unknown (X may have rotated)', async () => {
    const { stored } = await connect();
    // Impatient only for the call under test: the connect above may take a cold start.
    const impatient = makeAdapter(0.3);
    await control(server, 'faults', { platform: 'x', kind: 'timeout', count: 1 });
    await rejectsWith(impatient.refresh(stored), 'transient', 'refresh_outcome_unknown');
  });

  it('reports a failing code exchange as transient too', async () => {
    const { state, codeVerifier, url } = await startAttempt();
    const callbackUrl = await consent(url, { user: SOFIA });
    await control(server, 'faults', { platform: 'x', kind: 'error', count: 1 });
    await rejectsWith(adapter.exchangeCode({ callbackUrl, state, codeVerifier }), 'transient', 'platform_unavailable');
  });
});

describe('X adapter: health and revocation', () => {
  it('inspects a live token without complaint', async () => {
    const { stored } = await connect();
    assert.deepEqual(await adapter.inspect(stored), {});
    assert.deepEqual(await adapter.recentPosts(stored), []);
  });

  it('reports a grant revoked at X as permanent for inspect and refresh', async () => {
    const { stored } = await connect();
    await control(server, 'revoke', { platform: 'x', platformAccountId: SOFIA });
    const error = await rejectsWith(adapter.inspect(stored), 'permanent', 'token_revoked');
    assert.ok(!error.message.includes(stored.tokens.accessToken));
    await rejectsWith(adapter.refresh(stored), 'permanent', 'invalid_grant');
  });

  it('treats an expired access token that can still be renewed as nothing to worry about', async () => {
    const { stored } = await connect();
    server.clock.advance(2 * HOUR + 60);
    assert.deepEqual(await adapter.inspect(stored), { expiresAt: stored.tokens.expiresAt });
  });

  it('revokes the grant at X', async () => {
    const { stored } = await connect();
    await adapter.revoke(stored);
    await rejectsWith(adapter.inspect(stored), 'permanent', 'token_revoked');
    await rejectsWith(adapter.refresh(stored), 'permanent', 'invalid_grant');
  });
});
