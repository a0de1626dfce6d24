import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import type { GrantedAccount, PlatformAdapter } from '../../../bff/platforms/adapter.ts';
import { REQUIRED_SCOPES } from '../../../bff/platforms/catalog.ts';
import { createFacebookAdapter, REAL_ENDPOINTS } from '../../../bff/platforms/facebook.ts';
import { consent, startSandbox } from '../../helpers/sandbox.ts';
import type { SandboxServer } from '../../helpers/sandbox.ts';
import { assertAbout, control, rejectsWith, signInFlow, sorted, stored, tokenRequests, unreachable } from '../../helpers/platforms.ts';

const REDIRECT_URI = 'https://app.example.com/oauth/callback';
const DAY = 24 * 3600;
const AMELIA = '100000000000001';
const DANIEL = '100000000000002';
const KOFI = '100000000000003';
const BAKERY = '200000000000001';
/** What the adapter asks for: the required scopes, and business_management for business-owned Pages. */
const REQUESTED = [...REQUIRED_SCOPES.facebook, 'business_management'];
const AMELIA_PAGES = [
  { id: BAKERY, name: 'Hart & Crumb Bakery', username: 'hartandcrumb' },
  { id: '200000000000002', name: 'Northside Running Club', username: 'northsiderunning' },
  { id: '200000000000003', name: 'Amelia Hart Photography', username: 'ameliahartphoto' },
];

async function setup(t: TestContext, extra: { timeoutSeconds?: number } = {}): Promise<{ server: SandboxServer; adapter: PlatformAdapter }> {
  const server = await startSandbox();
  t.after(() => server.close());
  const { clientId, clientSecret } = server.sandbox.clients.facebook;
  const adapter = createFacebookAdapter({
    clientId,
    clientSecret,
    endpoints: server.endpoints.facebook,
    clock: server.clock,
    allowInsecure: true,
    ...extra,
  });
  return { server, adapter };
}

const { attempt, connect } = signInFlow(REDIRECT_URI, AMELIA);

async function connectPages(adapter: PlatformAdapter): Promise<GrantedAccount[]> {
  const { grant } = await connect(adapter);
  return adapter.accounts(grant);
}

describe('Facebook adapter: sign-in', () => {
  it('uses the same endpoint keys as the sandbox, on https', async (t) => {
    const { server } = await setup(t);
    assert.deepEqual(Object.keys(REAL_ENDPOINTS).sort(), Object.keys(server.endpoints.facebook).sort());
    for (const url of Object.values(REAL_ENDPOINTS)) assert.match(url, /^https:\/\/(www|graph)\.facebook\.com\/v\d+\.\d+(\/|$)/);
  });

  it('builds the dialog URL with Facebook parameter names, comma-separated required scopes and S256 PKCE', async (t) => {
    const { server, adapter } = await setup(t);
    const start = attempt();
    const url = await adapter.authorizationUrl(start);
    assert.equal(`${url.origin}${url.pathname}`, server.endpoints.facebook['authorize']);
    assert.deepEqual(sorted([...url.searchParams.keys()]), [
      'client_id',
      'code_challenge',
      'code_challenge_method',
      'redirect_uri',
      'response_type',
      'scope',
      'state',
    ]);
    assert.equal(url.searchParams.get('client_id'), server.sandbox.clients.facebook.clientId);
    assert.equal(url.searchParams.get('scope'), REQUESTED.join(','));
    assert.equal(url.searchParams.get('redirect_uri'), REDIRECT_URI);
    assert.equal(url.searchParams.get('state'), start.state);
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(url.searchParams.get('code_challenge'), createHash('sha256').update(start.codeVerifier).digest('base64url'));
  });

  it('exchanges the code for a 60-day user token with the granted scopes and data-access expiry', async (t) => {
    const { server, adapter } = await setup(t);
    const before = await tokenRequests(server, 'facebook');
    const { grant, callbackUrl } = await connect(adapter);
    assert.equal(callbackUrl.hash, '#_=_', 'Facebook appends #_=_ to the redirect');
    assert.equal(grant.platform, 'facebook');
    assert.equal(grant.userId, AMELIA);
    assert.deepEqual(sorted(grant.grantedScopes), sorted(REQUESTED));
    assert.ok(grant.tokens.accessToken.length > 0);
    assert.equal(grant.tokens.refreshToken, null);
    const now = server.clock.now().getTime();
    assertAbout(grant.tokens.expiresAt, now + 60 * DAY * 1000, 'long-lived user token expiry');
    assertAbout(grant.dataAccessExpiresAt, now + 90 * DAY * 1000, 'data access expiry');
    assert.equal((await tokenRequests(server, 'facebook')) - before, 2, 'the code exchange, then fb_exchange_token');
  });

  it('reports scopes the person unticked as not granted, and Pages without pages_manage_posts cannot publish', async (t) => {
    const { adapter } = await setup(t);
    const unticked = ['pages_manage_posts', 'read_insights'];
    const { grant } = await connect(adapter, { scopes: REQUIRED_SCOPES.facebook.filter((s) => !unticked.includes(s)) });
    for (const scope of unticked) assert.ok(!grant.grantedScopes.includes(scope), `${scope} is not granted`);
    assert.ok(grant.grantedScopes.includes('pages_show_list'));
    const accounts = await adapter.accounts(grant);
    assert.equal(accounts.length, 3);
    for (const account of accounts) {
      assert.equal(account.canPublish, false, account.displayName);
      assert.deepEqual(account.grantedScopes, grant.grantedScopes);
    }
  });

  it('without pages_show_list the Pages cannot be listed: a rejected request, not a dead grant', async (t) => {
    const { adapter } = await setup(t);
    const { grant } = await connect(adapter, { scopes: REQUIRED_SCOPES.facebook.filter((s) => s !== 'pages_show_list') });
    const err = await rejectsWith(adapter.accounts(grant), 'rejected', 'missing_permission');
    assert.match(err.message, /pages_show_list/);
  });

  it('reads a denial at the redirect as access_denied with a message for people', async (t) => {
    const { adapter } = await setup(t);
    const start = attempt();
    const callbackUrl = await consent(await adapter.authorizationUrl(start), { user: AMELIA, decision: 'deny' });
    assert.equal(callbackUrl.searchParams.get('error_reason'), 'user_denied');
    const error = adapter.redirectError(callbackUrl.searchParams);
    assert.deepEqual(error, { code: 'access_denied', message: 'You declined access on Facebook. Nothing was connected.' });
  });

  it('finds no redirect error on a successful callback, and words other errors readably', async (t) => {
    const { adapter } = await setup(t);
    const start = attempt();
    const callbackUrl = await consent(await adapter.authorizationUrl(start), { user: AMELIA });
    assert.equal(adapter.redirectError(callbackUrl.searchParams), null);
    const other = adapter.redirectError(new URLSearchParams({ error: 'server_error', error_description: 'Something broke' }));
    assert.deepEqual(other, { code: 'platform_error', message: 'Facebook could not complete the sign-in: Something broke' });
  });

  it('refuses a replayed code as rejected, in words and without the code', async (t) => {
    const { adapter } = await setup(t);
    const { callbackUrl, start } = await connect(adapter);
    const err = await rejectsWith(adapter.exchangeCode({ callbackUrl, state: start.state, codeVerifier: start.codeVerifier }), 'rejected');
    assert.equal(err.message, 'Facebook did not accept the sign-in: This authorization code has been used.');
    assert.ok(!err.message.includes(callbackUrl.searchParams.get('code') ?? '<none>'));
  });

  it('refuses a callback whose state is not this attempt’s, before spending the code', async (t) => {
    const { server, adapter } = await setup(t);
    const start = attempt();
    const callbackUrl = await consent(await adapter.authorizationUrl(start), { user: AMELIA });
    const before = await tokenRequests(server, 'facebook');
    await rejectsWith(adapter.exchangeCode({ callbackUrl, state: 'another-attempt', codeVerifier: start.codeVerifier }), 'rejected');
    assert.equal(await tokenRequests(server, 'facebook'), before);
    const grant = await adapter.exchangeCode({ callbackUrl, state: start.state, codeVerifier: start.codeVerifier });
    assert.equal(grant.userId, AMELIA);
  });

  it('refuses a code redeemed without this attempt’s PKCE verifier', async (t) => {
    const { adapter } = await setup(t);
    const start = attempt();
    const callbackUrl = await consent(await adapter.authorizationUrl(start), { user: AMELIA });
    await rejectsWith(adapter.exchangeCode({ callbackUrl, state: start.state, codeVerifier: attempt().codeVerifier }), 'rejected');
  });
});

describe('Facebook adapter: Pages', () => {
  it('lists every Page of the person with its profile, its Page token and the user token behind it', async (t) => {
    const { server, adapter } = await setup(t);
    const { grant } = await connect(adapter);
    const accounts = await adapter.accounts(grant);
    assert.deepEqual(
      accounts.map((a) => ({ id: a.platformAccountId, name: a.displayName, username: a.username })),
      AMELIA_PAGES,
    );
    const pageTokens = new Set(accounts.map((a) => a.tokens.accessToken));
    assert.equal(pageTokens.size, 3, 'each Page has its own token');
    for (const account of accounts) {
      assert.equal(account.kind, 'page');
      assert.equal(account.connectMethod, 'facebook_login');
      assert.equal(account.avatarUrl, `${server.baseUrl}/avatars/${account.platformAccountId}.svg`);
      assert.notEqual(account.tokens.accessToken, grant.tokens.accessToken, 'a Page token, not the user token');
      assert.equal(account.tokens.refreshToken, grant.tokens.accessToken, 'the long-lived user token renews it');
      assert.deepEqual(account.tokens.expiresAt, grant.tokens.expiresAt, 'the user token’s expiry is the one that counts');
      assert.deepEqual(account.tokens.refreshTokenExpiresAt, grant.tokens.expiresAt, 'and it is the user token’s own');
      assert.deepEqual(account.grantedScopes, grant.grantedScopes);
      assert.deepEqual(account.dataAccessExpiresAt, grant.dataAccessExpiresAt);
      assert.equal(account.canPublish, true);
    }
  });

  it('lists only the signed-in person’s Pages', async (t) => {
    const { adapter } = await setup(t);
    const { grant } = await connect(adapter, { user: DANIEL });
    const accounts = await adapter.accounts(grant);
    assert.deepEqual(accounts.map((a) => a.displayName), ['Osei Bike Repairs']);
  });

  it('lists business-owned and client Pages, which /me/accounts does not (business_management)', async (t) => {
    const { adapter } = await setup(t);
    const { grant } = await connect(adapter, { user: KOFI });
    const accounts = await adapter.accounts(grant);
    assert.deepEqual(accounts.map((a) => a.displayName), ['Mensah Cycle Hire', 'Riverside Market']);
    for (const account of accounts) assert.equal(account.canPublish, true);
  });

  it('without business_management a business member has no Pages', async (t) => {
    const { adapter } = await setup(t);
    const { grant } = await connect(adapter, { user: KOFI, scopes: [...REQUIRED_SCOPES.facebook] });
    assert.deepEqual(await adapter.accounts(grant), []);
  });

  it('renews a business-owned Page through its user token', async (t) => {
    const { adapter } = await setup(t);
    const { grant } = await connect(adapter, { user: KOFI });
    const hire = (await adapter.accounts(grant)).find((a) => a.displayName === 'Mensah Cycle Hire');
    const refreshed = await adapter.refresh(stored(hire));
    assert.ok(refreshed.tokens.accessToken);
  });

  it('never takes a Page token’s own debug_token expiry (0: never) as the account’s', async (t) => {
    const { adapter } = await setup(t);
    const [page] = await connectPages(adapter);
    const withoutUserToken = { ...stored(page), tokens: { ...stored(page).tokens, refreshToken: null } };
    const inspection = await adapter.inspect(withoutUserToken);
    assert.equal('expiresAt' in inspection, false, 'the stored expiry stays; a Page token has none of its own');
    assert.deepEqual(sorted(inspection.grantedScopes ?? []), sorted(REQUESTED));
  });

  it('reads recent posts newest first with their counts', async (t) => {
    const { server, adapter } = await setup(t);
    const bakery = (await connectPages(adapter)).find((a) => a.platformAccountId === BAKERY);
    const posts = await adapter.recentPosts(stored(bakery));
    assert.deepEqual(
      posts.map((p) => p.platformPostId),
      ['200000000000001_300000000000013', '200000000000001_300000000000012', '200000000000001_300000000000011'],
    );
    const [first] = posts;
    assert.ok(first);
    assert.equal(first.message, 'Cardamom buns are back this weekend. Get there early!');
    assert.equal(first.publishedAt?.toISOString(), '2026-11-21T08:15:00.000Z');
    assert.equal(first.permalinkUrl, `${server.baseUrl}/posts/200000000000001_300000000000013`);
    assert.equal(first.mediaUrl, `${server.baseUrl}/media/200000000000001_300000000000013.svg`);
    assert.deepEqual(first.metrics, { likes: 212, comments: 31, shares: 9 });
    assert.deepEqual(posts[2]?.metrics, { likes: 98, comments: 22, shares: 15 });
  });

  it('inspects a healthy Page: scopes, the user token’s expiry, data access, publish capability', async (t) => {
    const { server, adapter } = await setup(t);
    const [page] = await connectPages(adapter);
    const inspection = await adapter.inspect(stored(page));
    assert.deepEqual(sorted(inspection.grantedScopes ?? []), sorted(REQUESTED));
    // debug_token counts in whole seconds.
    assertAbout(inspection.expiresAt, page?.tokens.expiresAt?.getTime() ?? NaN, 'the user token’s expiry');
    assertAbout(inspection.dataAccessExpiresAt, server.clock.now().getTime() + 90 * DAY * 1000, 'data access expiry');
    assert.equal(inspection.canPublish, true);
  });
});

describe('Facebook adapter: refresh', () => {
  it('renews with exactly one token-endpoint request: a new user token, and the Page token re-read with it', async (t) => {
    const { server, adapter } = await setup(t);
    const bakery = stored((await connectPages(adapter)).find((a) => a.platformAccountId === BAKERY));
    server.clock.advance(10 * DAY);
    const before = await tokenRequests(server, 'facebook');
    const refreshed = await adapter.refresh(bakery);
    assert.equal((await tokenRequests(server, 'facebook')) - before, 1);
    const { tokens } = refreshed;
    assert.ok(tokens.refreshToken && tokens.refreshToken !== bakery.tokens.refreshToken, 'a new user token');
    assert.notEqual(tokens.accessToken, bakery.tokens.accessToken, 'the Page token read with the new user token');
    assertAbout(tokens.expiresAt, server.clock.now().getTime() + 60 * DAY * 1000, 'renewed expiry');
    assert.ok((tokens.expiresAt?.getTime() ?? 0) > (bakery.tokens.expiresAt?.getTime() ?? Infinity));
    // The renewed tokens work.
    const posts = await adapter.recentPosts({ ...bakery, tokens });
    assert.equal(posts.length, 3);
    const inspection = await adapter.inspect({ ...bakery, tokens });
    assertAbout(inspection.expiresAt, tokens.expiresAt?.getTime() ?? NaN, 'the renewed user token’s expiry');
  });

  it('cannot renew an expired user token: permanent, reported as expiry', async (t) => {
    const { server, adapter } = await setup(t);
    const [page] = await connectPages(adapter);
    server.clock.advance(61 * DAY);
    await rejectsWith(adapter.refresh(stored(page)), 'permanent', 'token_expired');
  });

  it('a grant revoked at the platform fails refresh and inspection permanently', async (t) => {
    const { server, adapter } = await setup(t);
    const bakery = stored((await connectPages(adapter)).find((a) => a.platformAccountId === BAKERY));
    await control(server, 'revoke', { platform: 'facebook', platformAccountId: BAKERY });
    const refresh = await rejectsWith(adapter.refresh(bakery), 'permanent', 'token_revoked');
    assert.match(refresh.message, /^Facebook did not renew the access token: /);
    assert.ok(!refresh.message.includes(bakery.tokens.refreshToken ?? '<none>'));
    await rejectsWith(adapter.inspect(bakery), 'permanent', 'token_revoked');
  });

  it('a platform error on the token endpoint is transient, and the next try works', async (t) => {
    const { server, adapter } = await setup(t);
    const [page] = await connectPages(adapter);
    await control(server, 'faults', { platform: 'facebook', kind: 'error', count: 1 });
    await rejectsWith(adapter.refresh(stored(page)), 'transient');
    const { tokens } = await adapter.refresh(stored(page));
    assert.ok(tokens.accessToken);
  });

  it('a token endpoint that does not answer is a transient timeout', async (t) => {
    const { server, adapter } = await setup(t, { timeoutSeconds: 0.3 });
    const [page] = await connectPages(adapter);
    await control(server, 'faults', { platform: 'facebook', kind: 'timeout', count: 1 });
    const started = Date.now();
    await rejectsWith(adapter.refresh(stored(page)), 'transient', 'platform_timeout');
    assert.ok(Date.now() - started < 5000, 'gave up after its own timeout');
  });
});

describe('Facebook adapter: unreachable platform', () => {
  it('a platform that cannot be reached is transient, for the token endpoint and for reads', async (t) => {
    const { server, adapter } = await setup(t);
    const [page] = await connectPages(adapter);
    const { clientId, clientSecret } = server.sandbox.clients.facebook;
    const offline = createFacebookAdapter({
      clientId,
      clientSecret,
      endpoints: await unreachable(server.endpoints.facebook),
      clock: server.clock,
      allowInsecure: true,
    });
    await rejectsWith(offline.refresh(stored(page)), 'transient', 'platform_unreachable');
    await rejectsWith(offline.recentPosts(stored(page)), 'transient', 'platform_unreachable');
  });
});

describe('Facebook adapter: revoke', () => {
  it('removes the app’s grant, after which the Page’s tokens are dead', async (t) => {
    const { adapter } = await setup(t);
    const [page] = await connectPages(adapter);
    await adapter.revoke(stored(page));
    await rejectsWith(adapter.inspect(stored(page)), 'permanent', 'token_revoked');
  });
});
