/**
 * Rate limits, billing and retired API versions are not revocations (issue 15): each adapter
 * against the sandbox's faults, which answer as the platforms document, and the wait read
 * from the headers each platform uses.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { PlatformAdapter } from '../../../bff/platforms/adapter.ts';
import { createFacebookAdapter } from '../../../bff/platforms/facebook.ts';
import { retryAfterSeconds } from '../../../bff/platforms/http.ts';
import { createInstagramAdapter } from '../../../bff/platforms/instagram.ts';
import { createLinkedInAdapter } from '../../../bff/platforms/linkedin.ts';
import { createTikTokAdapter } from '../../../bff/platforms/tiktok.ts';
import { createXAdapter } from '../../../bff/platforms/x.ts';
import { OAuthClient } from '../../../bff/platforms/oauth-client.ts';
import * as client from 'openid-client';
import { SANDBOX_LINKEDIN_PAGES_CLIENT } from '../../../bff/sandbox/seed.ts';
import { consent, startSandbox } from '../../helpers/sandbox.ts';
import type { SandboxServer } from '../../helpers/sandbox.ts';
import { control, rejectsWith, toStored } from '../../helpers/platforms.ts';

const REDIRECT_URI = 'https://app.example.com/oauth/callback';
const VERIFIER = 'v'.repeat(43);

let server: SandboxServer;
beforeEach(async () => {
  server = await startSandbox();
});
afterEach(() => server.close());

function options(platform: 'facebook' | 'instagram' | 'tiktok' | 'x' | 'linkedin', extra: Record<string, unknown> = {}) {
  const { clientId, clientSecret } = server.sandbox.clients[platform];
  return { clientId, clientSecret, endpoints: server.endpoints[platform], clock: server.clock, allowInsecure: true, ...extra };
}

async function connect(adapter: PlatformAdapter, user: string, kind?: 'organization') {
  const url = await adapter.authorizationUrl({ redirectUri: REDIRECT_URI, state: 's', codeVerifier: VERIFIER, ...(kind ? { kind } : {}) });
  const callbackUrl = await consent(url, { user });
  const grant = await adapter.exchangeCode({ callbackUrl, state: 's', codeVerifier: VERIFIER, ...(kind ? { kind } : {}) });
  return { grant, accounts: await adapter.accounts(grant) };
}

const fault = (platform: string, kind: string, count = 1) => control(server, 'faults', { platform, kind, count });

describe('the wait a platform asks for', () => {
  const now = new Date('2026-12-02T00:00:00Z');
  it('reads Retry-After in seconds and as a date', () => {
    assert.equal(retryAfterSeconds(new Headers({ 'retry-after': '120' }), now), 120);
    assert.equal(retryAfterSeconds(new Headers({ 'retry-after': 'Wed, 02 Dec 2026 00:05:00 GMT' }), now), 300);
  });
  it("reads X's x-rate-limit-reset (Unix seconds)", () => {
    assert.equal(retryAfterSeconds(new Headers({ 'x-rate-limit-reset': String(now.getTime() / 1000 + 900) }), now), 900);
  });
  it("reads Meta's estimated_time_to_regain_access (minutes) in X-Business-Use-Case-Usage and X-App-Usage", () => {
    const buc = JSON.stringify({ '123': [{ type: 'pages', call_count: 100, estimated_time_to_regain_access: 7 }] });
    assert.equal(retryAfterSeconds(new Headers({ 'x-business-use-case-usage': buc }), now), 420);
    assert.equal(retryAfterSeconds(new Headers({ 'x-app-usage': JSON.stringify({ call_count: 100 }) }), now), undefined);
  });
  it('says nothing when no header does', () => {
    assert.equal(retryAfterSeconds(new Headers(), now), undefined);
  });
});

describe('Meta rate limits are transient, with the wait from the usage headers', () => {
  it('Facebook: business use case code 80001 with X-Business-Use-Case-Usage', async () => {
    const adapter = createFacebookAdapter(options('facebook'));
    const { accounts } = await connect(adapter, '100000000000001');
    await fault('facebook', 'rate_limit');
    const err = await rejectsWith(adapter.inspect(toStored(accounts[0]!)), 'transient', 'platform_rate_limited');
    assert.equal(err.retryAfterSeconds, 300);
    assert.ok((await adapter.inspect(toStored(accounts[0]!))).grantedScopes, 'and it works again after');
  });

  it('Instagram: app rate limit code 4', async () => {
    const adapter = createInstagramAdapter(options('instagram'));
    const { accounts } = await connect(adapter, '17841400000000011');
    await fault('instagram', 'rate_limit');
    await rejectsWith(adapter.recentPosts(toStored(accounts[0]!)), 'transient', 'platform_rate_limited');
  });
});

describe('X: 429 waits, 402 is the operator’s billing', () => {
  it('a 429 is transient with the wait from x-rate-limit-reset', async () => {
    const adapter = createXAdapter(options('x'));
    const { accounts } = await connect(adapter, '1700000000000000001');
    await fault('x', 'rate_limit');
    const err = await rejectsWith(adapter.inspect(toStored(accounts[0]!)), 'transient', 'platform_rate_limited');
    assert.ok(err.retryAfterSeconds !== undefined && Math.abs(err.retryAfterSeconds - 900) <= 2, String(err.retryAfterSeconds));
  });

  it('a 402 credits-depleted at connect is an operator problem, and the fresh grant is not given back', async () => {
    const adapter = createXAdapter(options('x'));
    const url = await adapter.authorizationUrl({ redirectUri: REDIRECT_URI, state: 's', codeVerifier: VERIFIER });
    const callbackUrl = await consent(url, { user: '1700000000000000001' });
    await fault('x', 'billing');
    const err = await rejectsWith(adapter.exchangeCode({ callbackUrl, state: 's', codeVerifier: VERIFIER }), 'operator', 'billing_credits_depleted');
    assert.match(err.message, /credits/);
    assert.match(err.message, /operator/);
    assert.doesNotMatch(err.message, /reconnect/i);
    // The fresh access token was not given back: it still reads the profile.
    const statuses = await Promise.all(
      server.sandbox.issuedSecrets().map(async (secret) => (await fetch(`${server.endpoints.x['api']}/users/me`, { headers: { Authorization: `Bearer ${secret}` } })).status),
    );
    assert.ok(statuses.includes(200), `a live token remains: ${statuses.join(',')}`);
  });

  it('a 402 during a check is an operator problem, not the account’s', async () => {
    const adapter = createXAdapter(options('x'));
    const { accounts } = await connect(adapter, '1700000000000000001');
    await fault('x', 'billing');
    await rejectsWith(adapter.inspect(toStored(accounts[0]!)), 'operator', 'billing_credits_depleted');
  });
});

describe('TikTok and LinkedIn 429s are transient', () => {
  it('TikTok', async () => {
    const adapter = createTikTokAdapter(options('tiktok'));
    const { grant } = await connect(adapter, 'tt-open-0001');
    await fault('tiktok', 'rate_limit');
    await rejectsWith(adapter.accounts(grant), 'transient', 'platform_rate_limited');
  });

  it('LinkedIn, with Retry-After', async () => {
    const adapter = createLinkedInAdapter(options('linkedin', { secondApp: SANDBOX_LINKEDIN_PAGES_CLIENT }));
    const url = await adapter.authorizationUrl({ redirectUri: REDIRECT_URI, state: 's', codeVerifier: VERIFIER, kind: 'organization' });
    const callbackUrl = await consent(url, { user: 'Hn3kQ8vRzA' });
    await fault('linkedin', 'rate_limit');
    const err = await rejectsWith(adapter.exchangeCode({ callbackUrl, state: 's', codeVerifier: VERIFIER, kind: 'organization' }), 'transient', 'platform_rate_limited');
    assert.equal(err.retryAfterSeconds, 60);
  });
});

describe('a retired API version is the operator’s configuration, never a reconnect', () => {
  it('LinkedIn: the sandbox answers 426 for LINKEDIN_API_VERSION=202401', async () => {
    const adapter = createLinkedInAdapter(options('linkedin', { secondApp: SANDBOX_LINKEDIN_PAGES_CLIENT, apiVersion: '202401' }));
    const url = await adapter.authorizationUrl({ redirectUri: REDIRECT_URI, state: 's', codeVerifier: VERIFIER, kind: 'organization' });
    const callbackUrl = await consent(url, { user: 'Hn3kQ8vRzA' });
    const err = await rejectsWith(adapter.exchangeCode({ callbackUrl, state: 's', codeVerifier: VERIFIER, kind: 'organization' }), 'operator', 'api_version_retired');
    assert.equal(err.status, 426);
    assert.match(err.message, /LINKEDIN_API_VERSION/);
    assert.doesNotMatch(err.message, /reconnect/i);
  });

  it('Facebook: a Graph version error names META_GRAPH_VERSION', async () => {
    const adapter = createFacebookAdapter(options('facebook'));
    const { grant } = await connect(adapter, '100000000000001');
    await fault('facebook', 'version');
    const err = await rejectsWith(adapter.accounts(grant), 'operator', 'api_version_retired');
    assert.match(err.message, /META_GRAPH_VERSION/);
  });
});

describe('a lost refresh answer (X rotated, the answer never came)', () => {
  it('is refresh_outcome_unknown, and replaying the old refresh token makes X revoke the grant', async () => {
    const adapter = createXAdapter(options('x', { timeoutSeconds: 0.3 }));
    const { accounts } = await connect(adapter, '1700000000000000001');
    const account = toStored(accounts[0]!);
    await fault('x', 'lost');
    await rejectsWith(adapter.refresh(account), 'transient', 'refresh_outcome_unknown');
    // Why the next try must not be a blind replay: the sandbox, like X, kills the whole grant.
    await rejectsWith(adapter.refresh(account), 'permanent', 'invalid_grant');
    const me = await fetch(`${server.endpoints.x['api']}/users/me`, { headers: { Authorization: `Bearer ${account.tokens.accessToken}` } });
    assert.equal(me.status, 401, 'the old access token died with the grant');
  });

  it('a refresh gets twice the read deadline', () => {
    const oauth = new OAuthClient({ label: 'X', server: { issuer: 'https://x.example' }, clientId: 'c', clientAuth: client.None(), clock: server.clock, allowInsecure: false, timeoutSeconds: 10 });
    assert.equal(oauth.refreshTimeoutSeconds, 20);
    assert.equal(oauth.configuration('refresh').timeout, 20);
    assert.equal(oauth.configuration().timeout, 10);
  });
});
