/**
 * Attacks on the OAuth flow, through the sandbox platforms and a real browser cookie jar:
 * a state from another person's attempt, a changed redirect_uri, a stolen code injected into
 * another attempt, a missing PKCE verifier, a result meant for an unlisted origin. Each is
 * refused, and no account, post or event is stored. (Replayed and expired states, and a
 * callback in another browser, are proven in test/bff/connections/flows.test.ts.)
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { auth } from '../../helpers/context.ts';
import { Browser, callbackResult, connectAccount, HOST_ORIGIN, startTestServer, type TestServer } from '../../helpers/server.ts';
import { consent } from '../../helpers/sandbox.ts';
import { databaseSnapshot } from '../../helpers/snapshot.ts';

/** A sandbox user per platform whose grant covers exactly one account. */
const USERS = { facebook: '100000000000002', instagram: '17841400000000011', tiktok: 'tt-open-0001', x: '1700000000000000001', linkedin: 'Pw7tLm2xYc' } as const;
type Platform = keyof typeof USERS;
const PLATFORMS = Object.keys(USERS) as Platform[];

describe('attacks on the OAuth flow', () => {
  let server: TestServer;
  let victim: string;
  let attacker: string;

  before(async () => {
    server = await startTestServer();
    await server.putWorkspace('victim', { plan: 'enterprise' });
    await server.putWorkspace('attacker', { plan: 'enterprise' });
    victim = await server.session('victim');
    attacker = await server.session('attacker');
  });
  after(() => server.close());

  /** What a successful attack would have written: accounts, their posts, events. */
  async function stored(): Promise<Record<string, string>> {
    const { social_accounts, posts, events, webhook_deliveries } = await databaseSnapshot(server.database.db);
    return { social_accounts: social_accounts!, posts: posts!, events: events!, webhook_deliveries: webhook_deliveries! };
  }

  /** Starts an attempt as the widget would and opens its authorize URL in `browser`. */
  async function begin(token: string, platform: Platform, browser = new Browser(), origin = HOST_ORIGIN) {
    const res = await fetch(`${server.url}/api/connections`, {
      method: 'POST',
      headers: { ...auth(token), 'Content-Type': 'application/json', Origin: origin },
      body: JSON.stringify({ platform }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const started = (await res.json()) as { attemptId: string; authorizeUrl: string; fields: Record<string, string> };
    const { attemptId } = started;
    // The start form itself comes from the widget's page, on an allowed origin.
    const toPlatform = await browser.start(started);
    assert.equal(toPlatform.status, 302);
    return { attemptId, browser, consentUrl: new URL(toPlatform.headers.get('location')!) };
  }

  /** Our callback URL carrying the parameters a platform put on some redirect. */
  const callbackWith = (platform: Platform, redirect: URL) => `${server.url}/oauth/callback/${platform}${redirect.search}`;

  async function attemptStatus(token: string, attemptId: string): Promise<string> {
    return ((await (await fetch(`${server.url}/api/connections/${attemptId}`, { headers: auth(token) })).json()) as { status: string }).status;
  }

  for (const platform of PLATFORMS) {
    it(`${platform}: a state from another person's attempt is refused in the victim's browser (login CSRF), and nothing is stored`, async () => {
      const before = await stored();
      const mine = await begin(victim, platform);
      const theirs = await begin(attacker, platform);
      // The attacker consents as themself and lures the victim's browser to the callback.
      const lure = await consent(theirs.consentUrl, { user: USERS[platform] });
      const { message } = callbackResult(await (await mine.browser.get(lure)).text());
      assert.equal(message.status, 'failed');
      assert.equal(message.error?.code, 'browser_mismatch');
      assert.deepEqual(await stored(), before);
      assert.equal(await attemptStatus(attacker, theirs.attemptId), 'pending', "the attacker's attempt was not consumed either");
    });

    it(`${platform}: a code issued to a changed redirect_uri is refused at the exchange, and nothing is stored`, async () => {
      const before = await stored();
      const { browser, consentUrl, attemptId } = await begin(victim, platform);
      // A redirect_uri the app never registered gets an error page: no open redirect (issue 12).
      consentUrl.searchParams.set('redirect_uri', 'https://evil.example/steal');
      await assert.rejects(consent(consentUrl, { user: USERS[platform] }), /answered 400/);
      // Another registered URI (another platform's callback) gets the code, but it is not ours.
      const changed = `${server.url}/oauth/callback/${platform === 'x' ? 'linkedin' : 'x'}`;
      consentUrl.searchParams.set('redirect_uri', changed);
      const stolen = await consent(consentUrl, { user: USERS[platform] });
      assert.equal(`${stolen.origin}${stolen.pathname}`, changed, 'the platform sent the code to the changed redirect');
      // The attacker replays the code and state in the victim's own browser: the right state, the right cookie.
      const { message } = callbackResult(await (await browser.get(callbackWith(platform, stolen))).text());
      assert.equal(message.status, 'failed', JSON.stringify(message));
      assert.equal(message.error?.code, 'platform_rejected', JSON.stringify(message));
      assert.deepEqual(await stored(), before);
      assert.equal(await attemptStatus(victim, attemptId), 'failed');
    });
  }

  for (const platform of ['facebook', 'x'] as const) {
    it(`${platform}: a stolen code injected into another attempt fails PKCE, and nothing is stored`, async () => {
      const before = await stored();
      const target = await begin(victim, platform);
      const stolen = await consent(target.consentUrl, { user: USERS[platform] });
      // The attacker runs their own attempt up to the callback, then swaps in the victim's code.
      const own = await begin(attacker, platform);
      const ownCallback = await consent(own.consentUrl, { user: USERS[platform] });
      const injected = new URL(ownCallback);
      injected.searchParams.set('code', stolen.searchParams.get('code')!);
      const { message } = callbackResult(await (await own.browser.get(callbackWith(platform, injected))).text());
      assert.equal(message.status, 'failed', JSON.stringify(message));
      assert.equal(message.error?.code, 'platform_rejected');
      assert.deepEqual(await stored(), before);
    });
  }

  it('x: an authorize URL stripped of its PKCE challenge is refused by the platform, and nothing is stored', async () => {
    const before = await stored();
    const { browser, consentUrl } = await begin(victim, 'x');
    consentUrl.searchParams.delete('code_challenge');
    consentUrl.searchParams.delete('code_challenge_method');
    const back = await fetch(consentUrl, { redirect: 'manual' });
    assert.equal(back.status, 302);
    const redirect = new URL(back.headers.get('location')!);
    assert.equal(redirect.searchParams.get('error'), 'invalid_request');
    const { message } = callbackResult(await (await browser.get(callbackWith('x', redirect))).text());
    assert.equal(message.status, 'failed');
    assert.deepEqual(await stored(), before);
  });

  it('x: a code without its PKCE verifier is refused at the token endpoint (an intercepted code alone is useless)', async () => {
    const { consentUrl } = await begin(victim, 'x');
    const intercepted = await consent(consentUrl, { user: USERS.x });
    const { clientId, clientSecret } = server.sandbox.clients.x;
    const res = await fetch(`${server.sandboxUrl}/x/api/2/oauth2/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: intercepted.searchParams.get('code')!, redirect_uri: `${server.url}/oauth/callback/x` }),
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_request');
  });

  it('an attempt whose stored PKCE verifier is missing is never finished, and nothing is stored', async () => {
    const before = await stored();
    const { browser, consentUrl, attemptId } = await begin(victim, 'facebook');
    await sql`update oauth_attempts set code_verifier_enc = null where id = ${attemptId}`.execute(server.database.db);
    const callback = await consent(consentUrl, { user: USERS.facebook });
    const { message } = callbackResult(await (await browser.get(callback)).text());
    assert.equal(message.status, 'failed');
    assert.equal(message.error?.code, 'missing_verifier');
    assert.deepEqual(await stored(), before);
  });

  it('never addresses the result to an origin that is not allowed, whatever Origin the start request claimed', async () => {
    for (const origin of ['https://evil.example', 'null', 'https://host.example.evil.example']) {
      const { browser, consentUrl } = await begin(victim, 'tiktok', new Browser(), origin);
      const { message, targetOrigins } = callbackResult(await (await browser.get(await consent(consentUrl, { user: 'tt-open-0002' }))).text());
      assert.equal(message.status, 'connected');
      assert.deepEqual(targetOrigins.sort(), [...server.config.allowedOrigins].sort(), `only allowed origins, for Origin ${origin}`);
      for (const target of targetOrigins) assert.ok(server.config.allowedOrigins.includes(target));
    }
    // The page names the widget's origin alone when it came from an allowed one.
    const { targetOrigins } = await connectAccount(server, victim, { platform: 'x', user: '1700000000000000002' });
    assert.deepEqual(targetOrigins, [HOST_ORIGIN]);
  });

  it('refuses a returnTo on an unlisted origin before anything starts', async () => {
    const before = await databaseSnapshot(server.database.db);
    for (const returnTo of ['https://evil.example/', 'https://host.example@evil.example/', '//evil.example/x', 'javascript:alert(1)']) {
      const res = await fetch(`${server.url}/api/connections`, {
        method: 'POST',
        headers: { ...auth(victim), 'Content-Type': 'application/json', Origin: HOST_ORIGIN },
        body: JSON.stringify({ platform: 'facebook', mode: 'redirect', returnTo }),
      });
      assert.equal(res.status, 400, returnTo);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_return_to');
    }
    assert.deepEqual(await databaseSnapshot(server.database.db), before, 'no attempt was created');
  });
});
