/**
 * The TikTok adapter against the sandbox over real HTTP: client_key instead of client_id,
 * comma-separated scopes, partial consent, rotating refresh tokens, dead tokens and faults.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Grant, PlatformAdapter, StoredAccount } from '../../../bff/platforms/adapter.ts';
import { REQUIRED_SCOPES } from '../../../bff/platforms/catalog.ts';
import { REAL_ENDPOINTS, createTikTokAdapter } from '../../../bff/platforms/tiktok.ts';
import { sandboxEndpoints } from '../../../bff/sandbox/index.ts';
import { consent, startSandbox } from '../../helpers/sandbox.ts';
import type { SandboxServer } from '../../helpers/sandbox.ts';
import { control, rejectsWith, secondsFromNow, toStored, tokenRequests } from '../../helpers/platforms.ts';

const REDIRECT_URI = 'https://app.example.com/connections/callback/tiktok';
const PRIYA = 'tt-open-0001';
const HOUR = 3600;
const DAY = 24 * HOUR;

let server: SandboxServer;
let adapter: PlatformAdapter;

function makeAdapter(timeoutSeconds?: number): PlatformAdapter {
  const { clientId, clientSecret } = server.sandbox.clients.tiktok;
  return createTikTokAdapter({
    clientId,
    clientSecret,
    endpoints: server.endpoints.tiktok,
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

/** One full connect: authorize URL, the person's choice on the consent page, code exchange. */
async function connect(options: { user?: string; scopes?: string[] } = {}): Promise<{ grant: Grant; stored: StoredAccount }> {
  const state = 'state-' + Math.random().toString(36).slice(2);
  const url = await adapter.authorizationUrl({ redirectUri: REDIRECT_URI, state, codeVerifier: 'v'.repeat(43) });
  const callbackUrl = await consent(url, { user: options.user ?? PRIYA, ...(options.scopes ? { scopes: options.scopes } : {}) });
  const grant = await adapter.exchangeCode({ callbackUrl, state, codeVerifier: 'v'.repeat(43) });
  const [account] = await adapter.accounts(grant);
  assert.ok(account);
  return { grant, stored: toStored(account) };
}

const FAKE_TOKENS = {
  access_token: 'act.fake',
  expires_in: 86400,
  open_id: PRIYA,
  refresh_expires_in: 31536000,
  refresh_token: 'rft.fake',
  scope: 'user.info.basic,video.publish',
  token_type: 'Bearer',
};

function storedFrom(grant: Grant): StoredAccount {
  return { platformAccountId: grant.userId, kind: 'profile', connectMethod: 'oauth2', tokens: grant.tokens, grantedScopes: grant.grantedScopes };
}

/**
 * Runs `use` with an adapter whose token endpoint is a stand-in that records each request
 * and answers with `answer()`: for what the sandbox cannot show (exact bodies, odd answers).
 */
async function withFakeTokenEndpoint(
  answer: () => { status: number; body: unknown },
  use: (adapter: PlatformAdapter) => Promise<void>,
): Promise<Array<{ body: URLSearchParams; authorization: string | undefined }>> {
  const seen: Array<{ body: URLSearchParams; authorization: string | undefined }> = [];
  const fake = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      seen.push({ body: new URLSearchParams(text), authorization: req.headers.authorization });
      const { status, body } = answer();
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  fake.listen(0, '127.0.0.1');
  await once(fake, 'listening');
  try {
    const { clientId, clientSecret } = server.sandbox.clients.tiktok;
    const token = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/v2/oauth/token/`;
    await use(createTikTokAdapter({ clientId, clientSecret, endpoints: { ...server.endpoints.tiktok, token }, clock: server.clock, allowInsecure: true }));
  } finally {
    fake.closeAllConnections();
    fake.close();
  }
  return seen;
}

describe('TikTok adapter: endpoints and authorize URL', () => {
  it('exports real https endpoints with the same keys as the sandbox', () => {
    const sandboxKeys = Object.keys(sandboxEndpoints('http://127.0.0.1:1/sandbox').tiktok).sort();
    assert.deepEqual(Object.keys(REAL_ENDPOINTS).sort(), sandboxKeys);
    for (const url of Object.values(REAL_ENDPOINTS)) assert.match(url, /^https:\/\//);
  });

  it('asks with client_key (not client_id), comma-separated required scopes and no PKCE', async () => {
    const url = await adapter.authorizationUrl({ redirectUri: REDIRECT_URI, state: 's-1', codeVerifier: 'v'.repeat(43) });
    assert.equal(url.origin + url.pathname, server.endpoints.tiktok['authorize']);
    assert.equal(url.searchParams.get('client_key'), 'sandbox-tiktok-client');
    assert.equal(url.searchParams.has('client_id'), false);
    assert.equal(url.searchParams.get('scope'), REQUIRED_SCOPES.tiktok.join(','));
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.equal(url.searchParams.get('redirect_uri'), REDIRECT_URI);
    assert.equal(url.searchParams.get('state'), 's-1');
    assert.equal(url.searchParams.has('code_challenge'), false);
    assert.equal(url.searchParams.has('code_challenge_method'), false);
  });
});

describe('TikTok adapter: connecting', () => {
  it('turns an allowed consent into a grant with lifetimes and scopes from the token response', async () => {
    server.clock.advance(5 * DAY); // lifetimes count from the product clock, not the wall clock
    const { grant } = await connect();
    assert.equal(grant.platform, 'tiktok');
    assert.equal(grant.userId, PRIYA);
    assert.deepEqual([...grant.grantedScopes].sort(), [...REQUIRED_SCOPES.tiktok].sort());
    assert.match(grant.tokens.accessToken, /^sbx-tt/);
    assert.match(grant.tokens.refreshToken ?? '', /^sbx-tt-rt/);
    // The current rules (2 h and 180 days), read from the answer.
    assert.ok(Math.abs(secondsFromNow(server, grant.tokens.expiresAt) - 2 * HOUR) <= 2);
    assert.ok(Math.abs(secondsFromNow(server, grant.tokens.refreshTokenExpiresAt) - 180 * DAY) <= 2);
    assert.equal(grant.dataAccessExpiresAt, null);
  });

  it('reads the profile into one publishable account', async () => {
    const { grant } = await connect();
    const accounts = await adapter.accounts(grant);
    assert.equal(accounts.length, 1);
    const [account] = accounts;
    assert.equal(account?.platformAccountId, PRIYA);
    assert.equal(account?.kind, 'profile');
    assert.equal(account?.displayName, 'Priya Raman');
    assert.equal(account?.username, 'priya.cooks');
    assert.match(account?.avatarUrl ?? '', /\/avatars\/tt-open-0001\.svg$/);
    assert.equal(account?.canPublish, true);
    assert.equal(account?.connectMethod, 'oauth2');
    assert.deepEqual(account?.tokens, grant.tokens);
  });

  it('leaves unchecked scopes out of the grant, and cannot publish without video.publish', async () => {
    const kept = ['user.info.basic', 'user.info.profile', 'video.list'];
    const { grant } = await connect({ scopes: kept });
    assert.deepEqual([...grant.grantedScopes].sort(), [...kept].sort());
    const [account] = await adapter.accounts(grant);
    assert.equal(account?.canPublish, false);
  });

  it('asks only for the profile fields the granted scopes allow', async () => {
    // username needs user.info.profile: asking for it anyway would fail the whole call.
    const { grant } = await connect({ user: 'tt-open-0002', scopes: ['user.info.basic', 'video.publish'] });
    const [account] = await adapter.accounts(grant);
    assert.equal(account?.displayName, 'Leo Fischer');
    assert.equal(account?.username, null);
    assert.equal(account?.canPublish, true);
  });

  it('reads a denial at the redirect as access_denied and refuses to exchange it', async () => {
    const url = await adapter.authorizationUrl({ redirectUri: REDIRECT_URI, state: 's-deny', codeVerifier: 'v'.repeat(43) });
    const callbackUrl = await consent(url, { user: PRIYA, decision: 'deny' });
    const error = adapter.redirectError(callbackUrl.searchParams);
    assert.deepEqual(error, { code: 'access_denied', message: 'You declined access on TikTok. Nothing was connected.' });
    await rejectsWith(adapter.exchangeCode({ callbackUrl, state: 's-deny', codeVerifier: 'v'.repeat(43) }), 'rejected', 'access_denied');
  });

  it('passes on other redirect errors with the platform description', () => {
    const params = new URLSearchParams({ error: 'invalid_scope', error_description: 'Scope video.delete is unknown.' });
    const error = adapter.redirectError(params);
    assert.equal(error?.code, 'platform_error');
    assert.match(error?.message ?? '', /Scope video\.delete is unknown\./);
    assert.equal(adapter.redirectError(new URLSearchParams({ code: 'abc', state: 'x' })), null);
  });

  it('refuses a callback whose state is not this attempt', async () => {
    const url = await adapter.authorizationUrl({ redirectUri: REDIRECT_URI, state: 'the-real-state', codeVerifier: 'v'.repeat(43) });
    const callbackUrl = await consent(url, { user: PRIYA });
    const before = await tokenRequests(server, 'tiktok');
    await rejectsWith(adapter.exchangeCode({ callbackUrl, state: 'another-state', codeVerifier: 'v'.repeat(43) }), 'rejected', 'state_mismatch');
    assert.equal(await tokenRequests(server, 'tiktok'), before, 'the code is not sent anywhere');
  });

  it('sends client_key and client_secret in the token request body, never client_id', async () => {
    const { clientId, clientSecret } = server.sandbox.clients.tiktok;
    const seen = await withFakeTokenEndpoint(
      () => ({ status: 200, body: FAKE_TOKENS }),
      async (spied) => {
        const callbackUrl = new URL(`${REDIRECT_URI}?code=the-code&scopes=user.info.basic,video.publish&state=s-body`);
        const grant = await spied.exchangeCode({ callbackUrl, state: 's-body', codeVerifier: 'v'.repeat(43) });
        assert.equal(grant.userId, PRIYA);
        await spied.refresh(storedFrom(grant));
      },
    );
    assert.deepEqual(
      seen.map((r) => Object.fromEntries(r.body)),
      [
        { grant_type: 'authorization_code', code: 'the-code', redirect_uri: REDIRECT_URI, client_key: clientId, client_secret: clientSecret },
        { grant_type: 'refresh_token', refresh_token: 'rft.fake', client_key: clientId, client_secret: clientSecret },
      ],
    );
    assert.deepEqual(
      seen.map((r) => r.authorization),
      [undefined, undefined],
      'no Basic authentication',
    );
  });

  it('reads an OAuth error sent with HTTP 200 as that error', async () => {
    await withFakeTokenEndpoint(
      () => ({ status: 200, body: { error: 'invalid_grant', error_description: 'Refresh token is invalid or expired.', log_id: '2026' } }),
      async (spied) => {
        const grant: Grant = {
          platform: 'tiktok',
          tokens: { accessToken: 'act.x', refreshToken: 'rft.x', expiresAt: null, refreshTokenExpiresAt: null },
          grantedScopes: [...REQUIRED_SCOPES.tiktok],
          dataAccessExpiresAt: null,
          userId: PRIYA,
        };
        await rejectsWith(spied.refresh(storedFrom(grant)), 'permanent', 'invalid_grant');
      },
    );
  });

  it('refuses a code used twice', async () => {
    const url = await adapter.authorizationUrl({ redirectUri: REDIRECT_URI, state: 's-twice', codeVerifier: 'v'.repeat(43) });
    const callbackUrl = await consent(url, { user: PRIYA });
    await adapter.exchangeCode({ callbackUrl, state: 's-twice', codeVerifier: 'v'.repeat(43) });
    await rejectsWith(adapter.exchangeCode({ callbackUrl, state: 's-twice', codeVerifier: 'v'.repeat(43) }), 'rejected', 'invalid_code');
  });
});

describe('TikTok adapter: refresh', () => {
  it('makes exactly one token request and returns the rotated refresh token', async () => {
    const { stored } = await connect();
    server.clock.advance(2 * HOUR);
    const before = await tokenRequests(server, 'tiktok');
    const refreshed = await adapter.refresh(stored);
    assert.equal((await tokenRequests(server, 'tiktok')) - before, 1);
    assert.notEqual(refreshed.tokens.refreshToken, null);
    assert.notEqual(refreshed.tokens.refreshToken, stored.tokens.refreshToken);
    assert.notEqual(refreshed.tokens.accessToken, stored.tokens.accessToken);
    assert.ok(Math.abs(secondsFromNow(server, refreshed.tokens.expiresAt) - 2 * HOUR) <= 2);
    // Rotation keeps the first refresh token's expiry.
    const drift = (refreshed.tokens.refreshTokenExpiresAt?.getTime() ?? 0) - (stored.tokens.refreshTokenExpiresAt?.getTime() ?? 0);
    assert.ok(Math.abs(drift) <= 1500, `refresh expiry moved by ${drift} ms`);
    assert.deepEqual([...(refreshed.grantedScopes ?? [])].sort(), [...stored.grantedScopes].sort());

    // The new access token works; the old refresh token is dead for good.
    assert.deepEqual(await adapter.inspect({ ...stored, tokens: refreshed.tokens }), {});
    await rejectsWith(adapter.refresh(stored), 'permanent', 'invalid_grant');
  });

  it('does not call TikTok when the refresh token has expired: token_expired', async () => {
    const { stored } = await connect();
    server.clock.advance(366 * DAY);
    const before = await tokenRequests(server, 'tiktok');
    await rejectsWith(adapter.refresh(stored), 'permanent', 'token_expired');
    await rejectsWith(adapter.inspect(stored), 'permanent', 'token_expired');
    assert.equal(await tokenRequests(server, 'tiktok'), before);
  });

  it('reports a 5xx at the token endpoint as transient, and the stored token still works after', async () => {
    const { stored } = await connect();
    await control(server, 'faults', { platform: 'tiktok', kind: 'error', count: 1 });
    const error = await rejectsWith(adapter.refresh(stored), 'transient', 'platform_unavailable');
    assert.equal(error.status, 500);
    const refreshed = await adapter.refresh(stored);
    assert.notEqual(refreshed.tokens.refreshToken, stored.tokens.refreshToken);
  });

  it('reports a renewal that gets no answer as transient, and in doubt: TikTok may have rotated the refresh token', async () => {
    const { stored } = await connect();
    // Impatient only for the call under test: the connect above may take a cold start.
    const impatient = makeAdapter(0.3);
    await control(server, 'faults', { platform: 'tiktok', kind: 'timeout', count: 1 });
    const started = Date.now();
    await rejectsWith(impatient.refresh(stored), 'transient', 'refresh_outcome_unknown');
    assert.ok(Date.now() - started < 5000);
  });

  it('never puts a token in an error message', async () => {
    const { stored } = await connect();
    await control(server, 'revoke', { platform: 'tiktok', platformAccountId: PRIYA });
    const error = await rejectsWith(adapter.refresh(stored), 'permanent', 'invalid_grant');
    assert.ok(!error.message.includes(stored.tokens.refreshToken ?? '-'));
    assert.ok(!error.message.includes(stored.tokens.accessToken));
  });
});

describe('TikTok adapter: health and revocation', () => {
  it('inspects a live token without complaint', async () => {
    const { stored } = await connect();
    assert.deepEqual(await adapter.inspect(stored), {});
    assert.deepEqual(await adapter.recentPosts(stored), []);
  });

  it('reads access_token_invalid as "refresh and retry": the refresh then finds the revoked grant', async () => {
    const { stored } = await connect();
    await control(server, 'revoke', { platform: 'tiktok', platformAccountId: PRIYA });
    const inspection = await adapter.inspect(stored);
    assert.ok(inspection.expiresAt && inspection.expiresAt.getTime() <= server.clock.now().getTime(), 'the access token counts as expired now');
    // The refresh answers invalid_grant inside an HTTP 200 body: still a dead grant.
    await rejectsWith(adapter.refresh(stored), 'permanent', 'invalid_grant');
  });

  it('at connect, access_token_invalid is refreshed once and retried; the account keeps the new tokens', async () => {
    const { grant } = await connect();
    // The access token dies (as after TikTok rotated it), the refresh token lives on.
    const dead = { ...grant, tokens: { ...grant.tokens, accessToken: 'act.not-a-live-token' } };
    const before = await tokenRequests(server, 'tiktok');
    const [account] = await adapter.accounts(dead);
    assert.equal((await tokenRequests(server, 'tiktok')) - before, 1);
    assert.equal(account?.displayName, 'Priya Raman');
    assert.notEqual(account?.tokens.accessToken, dead.tokens.accessToken);
    assert.notEqual(account?.tokens.refreshToken, grant.tokens.refreshToken, 'the rotated refresh token is kept');
  });

  it('treats an expired access token that can still be renewed as nothing to worry about', async () => {
    const { stored } = await connect();
    server.clock.advance(DAY + HOUR);
    const inspection = await adapter.inspect(stored);
    assert.deepEqual(inspection, { expiresAt: stored.tokens.expiresAt });
    const refreshed = await adapter.refresh(stored);
    assert.deepEqual(await adapter.inspect({ ...stored, tokens: refreshed.tokens }), {});
  });

  it('revokes the grant at TikTok', async () => {
    const { stored } = await connect();
    await adapter.revoke(stored);
    // access_token_invalid sends it to a refresh, which finds the grant gone.
    assert.ok((await adapter.inspect(stored)).expiresAt);
    await rejectsWith(adapter.refresh(stored), 'permanent', 'invalid_grant');
  });
});
