import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import type { GrantedAccount, PlatformAdapter, StoredAccount } from '../../../bff/platforms/adapter.ts';
import { INSTAGRAM_VIA_FACEBOOK_SCOPES, REQUIRED_SCOPES } from '../../../bff/platforms/catalog.ts';
import { createInstagramAdapter, REAL_ENDPOINTS, withFacebookEndpoints } from '../../../bff/platforms/instagram.ts';
import type { InstagramAdapterOptions } from '../../../bff/platforms/instagram.ts';
import { consent, startSandbox } from '../../helpers/sandbox.ts';
import type { SandboxServer } from '../../helpers/sandbox.ts';
import { assertAbout, control, rejectsWith, signInFlow, sorted, stored, tokenRequests, unreachable } from '../../helpers/platforms.ts';

const REDIRECT_URI = 'https://app.example.com/oauth/callback';
const HOUR = 3600;
const DAY = 24 * HOUR;
const LUMEN = '17841400000000011';
const ROSA = '17841400000000012';
const LEGACY = '17841400000000013';
const AMELIA = '100000000000001';
const BAKERY_IG = '17841400000000001';
const RUNNING_IG = '17841400000000002';
const PUBLISH = 'instagram_business_content_publish';

async function setup(
  t: TestContext,
  extra: Partial<Pick<InstagramAdapterOptions, 'timeoutSeconds' | 'loginVia'>> = {},
): Promise<{ server: SandboxServer; adapter: PlatformAdapter }> {
  const server = await startSandbox();
  t.after(() => server.close());
  // Through Facebook Login the app is the Facebook app.
  const { clientId, clientSecret } = server.sandbox.clients[extra.loginVia === 'facebook' ? 'facebook' : 'instagram'];
  const adapter = createInstagramAdapter({
    clientId,
    clientSecret,
    endpoints: extra.loginVia === 'facebook' ? withFacebookEndpoints(server.endpoints.instagram, server.endpoints.facebook) : server.endpoints.instagram,
    clock: server.clock,
    allowInsecure: true,
    ...extra,
  });
  return { server, adapter };
}

const { attempt, connect } = signInFlow(REDIRECT_URI, LUMEN);

async function connectAccount(adapter: PlatformAdapter, user = LUMEN): Promise<GrantedAccount> {
  const { grant } = await connect(adapter, { user });
  const [account, ...others] = await adapter.accounts(grant);
  assert.ok(account);
  assert.equal(others.length, 0, 'Instagram Login connects one account');
  return account;
}

/** Connects the legacy account the way it was done before December 2024 (Basic Display). */
async function basicDisplayAccount(server: SandboxServer): Promise<StoredAccount> {
  const endpoints = server.endpoints.instagram;
  const { clientId, clientSecret } = server.sandbox.clients.instagram;
  const authorize = new URL(endpoints['basicDisplayAuthorize'] ?? '');
  authorize.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    scope: 'user_profile,user_media',
    response_type: 'code',
    state: 'legacy',
  }).toString();
  const back = await consent(authorize, { user: LEGACY });
  const res = await fetch(endpoints['basicDisplayToken'] ?? '', {
    method: 'POST',
    body: new URLSearchParams({
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: 'authorization_code',
      redirect_uri: REDIRECT_URI,
      code: back.searchParams.get('code') ?? '',
    }),
  });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { access_token: string };
  return {
    platformAccountId: LEGACY,
    kind: 'professional',
    connectMethod: 'instagram_basic_display',
    tokens: { accessToken: body.access_token, refreshToken: null, expiresAt: new Date(server.clock.now().getTime() + HOUR * 1000), refreshTokenExpiresAt: null },
    grantedScopes: ['user_profile', 'user_media'],
  };
}

describe('Instagram adapter: Instagram Login sign-in', () => {
  it('uses the same endpoint keys as the sandbox, on https', async (t) => {
    const { server } = await setup(t);
    assert.deepEqual(Object.keys(REAL_ENDPOINTS).sort(), Object.keys(server.endpoints.instagram).sort());
    for (const url of Object.values(REAL_ENDPOINTS)) assert.match(url, /^https:\/\/(www|api|graph)\.instagram\.com(\/|$)/);
  });

  it('builds the authorize URL with Instagram parameter names, comma-separated required scopes and no PKCE', async (t) => {
    const { server, adapter } = await setup(t);
    const start = attempt();
    const url = await adapter.authorizationUrl(start);
    assert.equal(`${url.origin}${url.pathname}`, server.endpoints.instagram['authorize']);
    assert.deepEqual(sorted([...url.searchParams.keys()]), ['client_id', 'redirect_uri', 'response_type', 'scope', 'state']);
    assert.equal(url.searchParams.get('client_id'), server.sandbox.clients.instagram.clientId);
    assert.equal(url.searchParams.get('scope'), REQUIRED_SCOPES.instagram.join(','));
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.equal(url.searchParams.get('redirect_uri'), REDIRECT_URI);
    assert.equal(url.searchParams.get('state'), start.state);
  });

  it('exchanges the code, then the short-lived token for a 60-day one, keeping the granted permissions', async (t) => {
    const { server, adapter } = await setup(t);
    const before = await tokenRequests(server, 'instagram');
    const { grant, callbackUrl } = await connect(adapter);
    assert.equal(callbackUrl.hash, '#_', 'Instagram appends #_ to the redirect');
    assert.equal(grant.platform, 'instagram');
    assert.equal(grant.userId, LUMEN);
    assert.deepEqual(sorted(grant.grantedScopes), sorted(REQUIRED_SCOPES.instagram));
    assert.equal(grant.tokens.refreshToken, null);
    assert.equal(grant.dataAccessExpiresAt, null);
    assertAbout(grant.tokens.expiresAt, server.clock.now().getTime() + 60 * DAY * 1000, 'long-lived token expiry');
    assert.equal((await tokenRequests(server, 'instagram')) - before, 2, 'the code exchange, then ig_exchange_token');
  });

  it('accepts a code that arrives with Instagram’s #_ stuck to its value', async (t) => {
    const { adapter } = await setup(t);
    const start = attempt();
    const back = await consent(await adapter.authorizationUrl(start), { user: LUMEN });
    const callbackUrl = new URL(back);
    callbackUrl.hash = '';
    callbackUrl.searchParams.set('code', `${back.searchParams.get('code') ?? ''}#_`);
    const grant = await adapter.exchangeCode({ callbackUrl, state: start.state, codeVerifier: start.codeVerifier });
    assert.equal(grant.userId, LUMEN);
  });

  it('reports unticked permissions as not granted; without content publishing the account cannot publish', async (t) => {
    const { adapter } = await setup(t);
    const unticked = [PUBLISH, 'instagram_business_manage_insights'];
    const { grant } = await connect(adapter, { scopes: REQUIRED_SCOPES.instagram.filter((s) => !unticked.includes(s)) });
    for (const scope of unticked) assert.ok(!grant.grantedScopes.includes(scope), `${scope} is not granted`);
    assert.ok(grant.grantedScopes.includes('instagram_business_basic'));
    const [account] = await adapter.accounts(grant);
    assert.equal(account?.canPublish, false);
    assert.deepEqual(account?.grantedScopes, grant.grantedScopes);
  });

  it('reads a denial at the redirect as access_denied with a message for people', async (t) => {
    const { adapter } = await setup(t);
    const callbackUrl = await consent(await adapter.authorizationUrl(attempt()), { user: LUMEN, decision: 'deny' });
    assert.equal(callbackUrl.searchParams.get('error_reason'), 'user_denied');
    assert.deepEqual(adapter.redirectError(callbackUrl.searchParams), {
      code: 'access_denied',
      message: 'You declined access on Instagram. Nothing was connected.',
    });
    const ok = await consent(await adapter.authorizationUrl(attempt()), { user: LUMEN });
    assert.equal(adapter.redirectError(ok.searchParams), null);
  });

  it('refuses a replayed code as rejected, in words and without the code', async (t) => {
    const { adapter } = await setup(t);
    const { callbackUrl, start } = await connect(adapter);
    const err = await rejectsWith(adapter.exchangeCode({ callbackUrl, state: start.state, codeVerifier: start.codeVerifier }), 'rejected');
    assert.equal(err.message, 'Instagram did not accept the sign-in: This authorization code has been used');
    assert.ok(!err.message.includes(callbackUrl.searchParams.get('code') ?? '<none>'));
  });
});

describe('Instagram adapter: Instagram Login accounts', () => {
  it('gives the one professional account, with its profile and the 60-day token', async (t) => {
    const { server, adapter } = await setup(t);
    const { grant } = await connect(adapter);
    const accounts = await adapter.accounts(grant);
    assert.deepEqual(accounts, [
      {
        platformAccountId: LUMEN,
        kind: 'professional',
        displayName: 'Lumen Studio',
        username: 'studio.lumen',
        avatarUrl: `${server.baseUrl}/avatars/${LUMEN}.svg`,
        tokens: grant.tokens,
        grantedScopes: grant.grantedScopes,
        dataAccessExpiresAt: null,
        canPublish: true,
        connectMethod: 'instagram_login',
      },
    ]);
  });

  it('a creator account can publish too', async (t) => {
    const { adapter } = await setup(t);
    const account = await connectAccount(adapter, ROSA);
    assert.equal(account.username, 'rosa.cooks');
    assert.equal(account.canPublish, true);
  });

  it('the legacy Basic Display account, reconnected through Instagram Login, can publish', async (t) => {
    const { adapter } = await setup(t);
    const account = await connectAccount(adapter, LEGACY);
    assert.equal(account.platformAccountId, LEGACY);
    assert.equal(account.connectMethod, 'instagram_login');
    assert.equal(account.canPublish, true);
    assert.equal((await adapter.inspect(stored(account))).canPublish, true);
  });

  it('reads recent media newest first with like and comment counts', async (t) => {
    const { server, adapter } = await setup(t);
    const account = await connectAccount(adapter);
    const posts = await adapter.recentPosts(stored(account));
    assert.deepEqual(
      posts.map((p) => p.platformPostId),
      ['17900000000000113', '17900000000000112', '17900000000000111'],
    );
    assert.deepEqual(posts[0], {
      platformPostId: '17900000000000113',
      message: 'Before and after: a 1930s flat, opened up to the light.',
      permalinkUrl: `${server.baseUrl}/posts/17900000000000113`,
      mediaUrl: `${server.baseUrl}/media/17900000000000113.svg`,
      publishedAt: new Date('2026-11-22T12:00:00Z'),
      metrics: { likes: 1820, comments: 96 },
    });
    assert.deepEqual(posts[2]?.metrics, { likes: 2210, comments: 130 });
  });

  it('inspects a live token: publish capability from the account type and the granted permission', async (t) => {
    const { adapter } = await setup(t);
    const account = stored(await connectAccount(adapter));
    assert.equal((await adapter.inspect(account)).canPublish, true);
    const withoutPublish = { ...account, grantedScopes: account.grantedScopes.filter((s) => s !== PUBLISH) };
    assert.equal((await adapter.inspect(withoutPublish)).canPublish, false);
  });

  it('revoke is a no-op: Instagram Login has no revoke endpoint', async (t) => {
    const { adapter } = await setup(t);
    const account = stored(await connectAccount(adapter));
    await adapter.revoke(account);
    assert.equal((await adapter.inspect(account)).canPublish, true, 'the token still works');
  });
});

describe('Instagram adapter: refresh', () => {
  it('is refused while the token is under 24 hours old (rejected), and works after, in one request each', async (t) => {
    const { server, adapter } = await setup(t);
    const account = stored(await connectAccount(adapter));
    let before = await tokenRequests(server, 'instagram');
    const early = await rejectsWith(adapter.refresh(account), 'rejected');
    assert.match(early.message, /24 hours/);
    assert.equal((await tokenRequests(server, 'instagram')) - before, 1);

    server.clock.advance(25 * HOUR);
    before = await tokenRequests(server, 'instagram');
    const { tokens } = await adapter.refresh(account);
    assert.equal((await tokenRequests(server, 'instagram')) - before, 1);
    assert.notEqual(tokens.accessToken, account.tokens.accessToken);
    assert.equal(tokens.refreshToken, null);
    assertAbout(tokens.expiresAt, server.clock.now().getTime() + 60 * DAY * 1000, 'renewed expiry');
    assert.ok((tokens.expiresAt?.getTime() ?? 0) > (account.tokens.expiresAt?.getTime() ?? Infinity));
    assert.equal((await adapter.recentPosts({ ...account, tokens })).length, 3, 'the renewed token works');
  });

  it('an expired token cannot be renewed: permanent, reported as expiry', async (t) => {
    const { server, adapter } = await setup(t);
    const account = stored(await connectAccount(adapter));
    server.clock.advance(61 * DAY);
    await rejectsWith(adapter.refresh(account), 'permanent', 'token_expired');
  });

  it('an account revoked at the platform fails refresh and inspection permanently', async (t) => {
    const { server, adapter } = await setup(t);
    const account = stored(await connectAccount(adapter));
    server.clock.advance(25 * HOUR);
    await control(server, 'revoke', { platform: 'instagram', platformAccountId: LUMEN });
    const err = await rejectsWith(adapter.refresh(account), 'permanent', 'token_revoked');
    assert.match(err.message, /^Instagram did not renew the access token: /);
    assert.ok(!err.message.includes(account.tokens.accessToken));
    await rejectsWith(adapter.inspect(account), 'permanent', 'token_revoked');
  });

  it('a platform error is transient, and the next try works', async (t) => {
    const { server, adapter } = await setup(t);
    const account = stored(await connectAccount(adapter));
    server.clock.advance(25 * HOUR);
    await control(server, 'faults', { platform: 'instagram', kind: 'error', count: 1 });
    await rejectsWith(adapter.refresh(account), 'transient');
    assert.ok((await adapter.refresh(account)).tokens.accessToken);
  });

  it('a refresh endpoint that does not answer is a transient timeout', async (t) => {
    const { server, adapter } = await setup(t, { timeoutSeconds: 0.3 });
    const account = stored(await connectAccount(adapter));
    server.clock.advance(25 * HOUR);
    await control(server, 'faults', { platform: 'instagram', kind: 'timeout', count: 1 });
    const started = Date.now();
    await rejectsWith(adapter.refresh(account), 'transient', 'platform_timeout');
    assert.ok(Date.now() - started < 5000, 'gave up after its own timeout');
  });

  it('a code exchange that fails on the platform’s side is transient', async (t) => {
    const { server, adapter } = await setup(t);
    const start = attempt();
    const callbackUrl = await consent(await adapter.authorizationUrl(start), { user: LUMEN });
    await control(server, 'faults', { platform: 'instagram', kind: 'error', count: 1 });
    await rejectsWith(adapter.exchangeCode({ callbackUrl, state: start.state, codeVerifier: start.codeVerifier }), 'transient');
  });
});

describe('Instagram adapter: unreachable platform', () => {
  it('a platform that cannot be reached is transient, for the code exchange and for refresh', async (t) => {
    const { server, adapter } = await setup(t);
    const account = stored(await connectAccount(adapter));
    const start = attempt();
    const callbackUrl = await consent(await adapter.authorizationUrl(start), { user: LUMEN });
    const { clientId, clientSecret } = server.sandbox.clients.instagram;
    const offline = createInstagramAdapter({
      clientId,
      clientSecret,
      endpoints: await unreachable(server.endpoints.instagram),
      clock: server.clock,
      allowInsecure: true,
    });
    await rejectsWith(offline.exchangeCode({ callbackUrl, state: start.state, codeVerifier: start.codeVerifier }), 'transient', 'platform_unreachable');
    await rejectsWith(offline.refresh(account), 'transient', 'platform_unreachable');
  });
});

describe('Instagram adapter: legacy Basic Display accounts', () => {
  it('inspection says they cannot publish', async (t) => {
    const { server, adapter } = await setup(t);
    const legacy = await basicDisplayAccount(server);
    assert.deepEqual(await adapter.inspect(legacy), { canPublish: false });
  });

  it('refresh fails permanently without asking the platform: the method is retired', async (t) => {
    const { server, adapter } = await setup(t);
    const legacy = await basicDisplayAccount(server);
    const before = await tokenRequests(server, 'instagram');
    const err = await rejectsWith(adapter.refresh(legacy), 'permanent', 'connect_method_retired');
    assert.match(err.message, /Reconnect it with Instagram Login/);
    assert.equal(await tokenRequests(server, 'instagram'), before);
  });

  it('recent posts still read, without engagement counts', async (t) => {
    const { server, adapter } = await setup(t);
    const posts = await adapter.recentPosts(await basicDisplayAccount(server));
    assert.deepEqual(
      posts.map((p) => [p.platformPostId, p.metrics]),
      [
        ['17900000000000132', {}],
        ['17900000000000131', {}],
      ],
    );
  });
});

describe('Instagram adapter: through Facebook Login', () => {
  it('asks Facebook’s dialog for the Facebook-Login Instagram permissions, with PKCE', async (t) => {
    const { server, adapter } = await setup(t, { loginVia: 'facebook' });
    const start = attempt();
    const url = await adapter.authorizationUrl(start);
    assert.equal(`${url.origin}${url.pathname}`, server.endpoints.facebook['authorize']);
    assert.equal(url.searchParams.get('client_id'), server.sandbox.clients.facebook.clientId);
    assert.equal(url.searchParams.get('scope'), INSTAGRAM_VIA_FACEBOOK_SCOPES.join(','));
    assert.equal(url.searchParams.get('code_challenge'), createHash('sha256').update(start.codeVerifier).digest('base64url'));
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
  });

  it('connects the professional accounts linked to the person’s Pages, held like a Page', async (t) => {
    const { server, adapter } = await setup(t, { loginVia: 'facebook' });
    const { grant } = await connect(adapter, { user: AMELIA });
    assert.equal(grant.platform, 'instagram');
    assert.deepEqual(sorted(grant.grantedScopes), sorted(INSTAGRAM_VIA_FACEBOOK_SCOPES));
    assertAbout(grant.tokens.expiresAt, server.clock.now().getTime() + 60 * DAY * 1000, 'long-lived user token expiry');
    const accounts = await adapter.accounts(grant);
    assert.deepEqual(
      accounts.map((a) => [a.platformAccountId, a.username, a.displayName]),
      [
        [BAKERY_IG, 'hartandcrumb', 'Hart & Crumb Bakery'],
        [RUNNING_IG, 'northsiderunners', 'Northside Running Club'],
      ],
    );
    for (const account of accounts) {
      assert.equal(account.kind, 'professional');
      assert.equal(account.connectMethod, 'facebook_login');
      assert.equal(account.avatarUrl, `${server.baseUrl}/avatars/${account.platformAccountId}.svg`);
      assert.notEqual(account.tokens.accessToken, grant.tokens.accessToken, 'a Page token');
      assert.equal(account.tokens.refreshToken, grant.tokens.accessToken, 'renewed through the user token');
      assert.deepEqual(account.dataAccessExpiresAt, grant.dataAccessExpiresAt);
      assert.equal(account.canPublish, true);
    }
  });

  it('refreshes with one request to Facebook’s token endpoint, reads media and inspects through Facebook', async (t) => {
    const { server, adapter } = await setup(t, { loginVia: 'facebook' });
    const { grant } = await connect(adapter, { user: AMELIA });
    const bakery = stored((await adapter.accounts(grant)).find((a) => a.platformAccountId === BAKERY_IG));
    server.clock.advance(DAY);
    const before = { facebook: await tokenRequests(server, 'facebook'), instagram: await tokenRequests(server, 'instagram') };
    const { tokens } = await adapter.refresh(bakery);
    assert.equal((await tokenRequests(server, 'facebook')) - before.facebook, 1);
    assert.equal((await tokenRequests(server, 'instagram')) - before.instagram, 0);
    assert.notEqual(tokens.refreshToken, bakery.tokens.refreshToken);
    assertAbout(tokens.expiresAt, server.clock.now().getTime() + 60 * DAY * 1000, 'renewed expiry');

    const renewed = { ...bakery, tokens };
    const posts = await adapter.recentPosts(renewed);
    assert.deepEqual(
      posts.map((p) => [p.platformPostId, p.metrics]),
      [
        ['17900000000000013', { likes: 402, comments: 27 }],
        ['17900000000000012', { likes: 655, comments: 48 }],
        ['17900000000000011', { likes: 231, comments: 12 }],
      ],
    );
    const inspection = await adapter.inspect(renewed);
    assert.equal(inspection.canPublish, true);
    assert.deepEqual(sorted(inspection.grantedScopes ?? []), sorted(INSTAGRAM_VIA_FACEBOOK_SCOPES));
  });

  it('an Instagram-Login adapter given Facebook’s endpoints still renews accounts stored from Facebook Login', async (t) => {
    const { server, adapter } = await setup(t, { loginVia: 'facebook' });
    const [account] = await adapter.accounts((await connect(adapter, { user: AMELIA })).grant);
    const { clientId, clientSecret } = server.sandbox.clients.facebook;
    const common = { clientId, clientSecret, clock: server.clock, allowInsecure: true };
    const withFacebook = createInstagramAdapter({ ...common, endpoints: withFacebookEndpoints(server.endpoints.instagram, server.endpoints.facebook) });
    assert.ok((await withFacebook.refresh(stored(account))).tokens.refreshToken);
    const instagramOnly = createInstagramAdapter({ ...common, endpoints: server.endpoints.instagram });
    await rejectsWith(instagramOnly.refresh(stored(account)), 'rejected', 'platform_not_configured');
  });

  it('revoke removes the Facebook grant', async (t) => {
    const { adapter } = await setup(t, { loginVia: 'facebook' });
    const { grant } = await connect(adapter, { user: AMELIA });
    const [account] = await adapter.accounts(grant);
    await adapter.revoke(stored(account));
    await rejectsWith(adapter.inspect(stored(account)), 'permanent', 'token_revoked');
  });
});
