import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { auth, HOST_KEY } from '../../helpers/context.ts';
import { Browser, callbackResult, connectAccount, HOST_ORIGIN, startTestServer, type TestServer } from '../../helpers/server.ts';
import { consent } from '../../helpers/sandbox.ts';
import { REQUIRED_SCOPES } from '../../../bff/platforms/catalog.ts';
import { type LivePlatform } from '../../../contract/platforms.ts';

interface Account {
  id: string;
  platform: string;
  displayName: string;
  health: string;
  reason: string | null;
  reasonMessage: string | null;
  canPublish: boolean;
}

/** Sandbox users (bff/sandbox/seed.ts): one whose grant covers one account, and another person. */
const CASES: Record<LivePlatform, { user: string; other: string; dropScope: string; allOrNothing?: boolean }> = {
  facebook: { user: '100000000000002', other: '100000000000001', dropScope: 'read_insights' },
  instagram: { user: '17841400000000011', other: '17841400000000012', dropScope: 'instagram_business_manage_insights' },
  tiktok: { user: 'tt-open-0001', other: 'tt-open-0002', dropScope: 'video.list' },
  x: { user: '1700000000000000001', other: '1700000000000000002', dropScope: 'media.write' },
  linkedin: { user: 'Pw7tLm2xYc', other: 'Hn3kQ8vRzA', dropScope: 'w_member_social', allOrNothing: true },
};

describe('connecting accounts through OAuth, on every sandbox platform', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  async function accounts(token: string): Promise<Account[]> {
    const res = await fetch(`${server.url}/api/accounts`, { headers: auth(token) });
    return ((await res.json()) as { accounts: Account[] }).accounts;
  }

  for (const [platform, c] of Object.entries(CASES) as [LivePlatform, (typeof CASES)[LivePlatform]][]) {
    describe(platform, () => {
      let token: string;
      before(async () => {
        await server.putWorkspace(`flow-${platform}`, { plan: 'enterprise' });
        token = await server.session(`flow-${platform}`, 'admin');
      });

      it('connects: the account is stored healthy and the result goes only to the host origin', async () => {
        const { result, targetOrigins } = await connectAccount(server, token, { platform, user: c.user });
        assert.equal(result.status, 'connected', JSON.stringify(result));
        assert.equal(result.accountIds?.length, 1);
        assert.deepEqual(targetOrigins, [HOST_ORIGIN]);
        const [account] = await accounts(token);
        assert.equal(account!.id, result.accountIds![0]);
        assert.equal(account!.platform, platform);
        assert.equal(account!.health, 'healthy', JSON.stringify(account));
        assert.equal(account!.canPublish, true);
        const status = await fetch(`${server.url}/api/connections/${result.attemptId}`, { headers: auth(token) });
        assert.deepEqual(await status.json(), { status: 'connected', accountIds: result.accountIds });
      });

      it('reconnects the same account into the same row, with new tokens', async () => {
        const [before] = await accounts(token);
        const row = await server.services.accountRepository.findById(before!.id);
        const { result } = await connectAccount(server, token, { reconnect: before!.id, user: c.user });
        assert.equal(result.status, 'connected', JSON.stringify(result));
        assert.deepEqual(result.accountIds, [before!.id]);
        const after = await server.services.accountRepository.findById(before!.id);
        assert.notEqual(after!.access_token_enc, row!.access_token_enc);
        assert.equal((await accounts(token)).length, 1);
      });

      it('refuses a reconnect as a different account, clearly, and changes nothing', async () => {
        const [before] = await accounts(token);
        const row = await server.services.accountRepository.findById(before!.id);
        const { result } = await connectAccount(server, token, { reconnect: before!.id, user: c.other });
        assert.equal(result.status, 'failed');
        assert.equal(result.error?.code, 'different_account');
        assert.match(result.error!.message, /Nothing was changed/);
        assert.deepEqual(await server.services.accountRepository.findById(before!.id), row);
        assert.equal((await accounts(token)).length, 1);
      });

      it('ends a denial with a readable message and nothing stored', async () => {
        const count = (await accounts(token)).length;
        const { result } = await connectAccount(server, token, { platform, user: c.other, decision: 'deny' });
        assert.equal(result.status, 'failed');
        assert.equal(result.error?.code, 'access_denied');
        assert.match(result.error!.message, /declined/i);
        assert.equal((await accounts(token)).length, count);
      });

      it(c.allOrNothing ? 'grants all or nothing: unchecked scopes are granted anyway' : 'leaves an account with declined scopes amber, naming them', async () => {
        const [existing] = await accounts(token);
        const scopes = REQUIRED_SCOPES[platform].filter((s) => s !== c.dropScope);
        const { result } = await connectAccount(server, token, { reconnect: existing!.id, user: c.user, scopes });
        assert.equal(result.status, 'connected', JSON.stringify(result));
        const [account] = await accounts(token);
        if (c.allOrNothing) {
          assert.equal(account!.health, 'healthy');
        } else {
          assert.equal(account!.reason, 'missing_permissions');
          assert.ok(account!.reasonMessage!.includes(c.dropScope), account!.reasonMessage!);
          // Reconnecting with every permission turns it green again.
          await connectAccount(server, token, { reconnect: existing!.id, user: c.user });
          assert.equal((await accounts(token))[0]!.health, 'healthy');
        }
      });

      it('disconnects (revoking at the platform) and restores the same row on a later connect', async () => {
        const [account] = await accounts(token);
        const credentials = await fetch(`${server.url}/v1/accounts/${account!.id}/credentials`, { headers: { Authorization: `Bearer ${HOST_KEY}` } });
        assert.equal(credentials.status, 200);
        const { accessToken } = (await credentials.json()) as { accessToken: string };
        assert.ok(accessToken.length > 10);

        const del = await fetch(`${server.url}/api/accounts/${account!.id}`, { method: 'DELETE', headers: auth(token) });
        assert.equal(del.status, 204);
        assert.deepEqual(await accounts(token), []);
        const gone = await fetch(`${server.url}/v1/accounts/${account!.id}/credentials`, { headers: { Authorization: `Bearer ${HOST_KEY}` } });
        assert.equal(gone.status, 404);

        const { result } = await connectAccount(server, token, { platform, user: c.user });
        assert.equal(result.status, 'connected');
        assert.deepEqual(result.accountIds, [account!.id], 'the same row comes back');
      });
    });
  }
});

describe('grants that cover several accounts', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('lets the person choose which Facebook Pages to add, each one an account', async () => {
    await server.putWorkspace('pages', { plan: 'free' });
    const token = await server.session('pages');
    const { result } = await connectAccount(server, token, { platform: 'facebook', user: '100000000000001' });
    assert.equal(result.status, 'choose');
    assert.equal(result.choices?.length, 3);
    for (const choice of result.choices!) {
      assert.equal(choice.kind, 'page');
      assert.equal(choice.alreadyConnected, false);
      assert.ok(choice.name);
    }
    const status = (await (await fetch(`${server.url}/api/connections/${result.attemptId}`, { headers: auth(token) })).json()) as { status: string; choices: unknown[] };
    assert.equal(status.status, 'choose');
    assert.deepEqual(status.choices, result.choices);

    const picked = result.choices!.slice(0, 2).map((c) => c.id);
    const select = await fetch(`${server.url}/api/connections/${result.attemptId}/select`, {
      method: 'POST',
      headers: { ...auth(token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ ids: picked }),
    });
    assert.equal(select.status, 200);
    const { accountIds } = (await select.json()) as { accountIds: string[] };
    assert.equal(accountIds.length, 2);
    const list = (await (await fetch(`${server.url}/api/accounts`, { headers: auth(token) })).json()) as { accounts: Account[] };
    assert.equal(list.accounts.length, 2);

    // Recent posts were read from the platform and kept.
    const detail = (await (await fetch(`${server.url}/api/accounts/${accountIds[0]}`, { headers: auth(token) })).json()) as { account: { recentPosts: unknown[] } };
    assert.ok(detail.account.recentPosts.length > 0);

    const again = await fetch(`${server.url}/api/connections/${result.attemptId}/select`, {
      method: 'POST',
      headers: { ...auth(token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ ids: picked }),
    });
    assert.equal(again.status, 409);
  });

  it('counts each chosen account against the limit, and marks those already connected', async () => {
    await server.putWorkspace('pages-limit', { plan: 'free', accountLimit: 2 });
    const token = await server.session('pages-limit');
    await connectAccount(server, token, { platform: 'facebook', user: '100000000000002' }); // one Page: 1 of 2
    const { result } = await connectAccount(server, token, { platform: 'facebook', user: '100000000000001' });
    assert.equal(result.status, 'choose');
    const ids = result.choices!.map((c) => c.id);
    const tooMany = await fetch(`${server.url}/api/connections/${result.attemptId}/select`, {
      method: 'POST',
      headers: { ...auth(token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ ids: ids.slice(0, 2) }),
    });
    assert.equal(tooMany.status, 403);
    assert.equal(((await tooMany.json()) as { error: { code: string } }).error.code, 'account_limit_reached');
    const unknown = await fetch(`${server.url}/api/connections/${result.attemptId}/select`, {
      method: 'POST',
      headers: { ...auth(token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ ids: ['999'] }),
    });
    assert.equal(unknown.status, 400);
    const one = await fetch(`${server.url}/api/connections/${result.attemptId}/select`, {
      method: 'POST',
      headers: { ...auth(token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ ids: ids.slice(0, 1) }),
    });
    assert.equal(one.status, 200);

    await server.putWorkspace('pages-limit', { plan: 'free', accountLimit: 5 });
    const next = await connectAccount(server, token, { platform: 'facebook', user: '100000000000001' });
    assert.equal(next.result.choices!.filter((c) => c.alreadyConnected).length, 1);
  });

  it('connects a LinkedIn member through "LinkedIn profile": the member alone', async () => {
    await server.putWorkspace('li-member', { plan: 'professional' });
    const token = await server.session('li-member');
    const { result } = await connectAccount(server, token, { platform: 'linkedin', kind: 'member', user: 'Hn3kQ8vRzA' });
    assert.equal(result.status, 'connected');
    const list = (await (await fetch(`${server.url}/api/accounts`, { headers: auth(token) })).json()) as { accounts: Account[] };
    assert.deepEqual(list.accounts.map((a) => [a.platform, a.health]), [['linkedin', 'healthy']]);
  });

  it('offers the organizations a member may post for through "LinkedIn Page" (the second app, organization scopes only)', async () => {
    await server.putWorkspace('orgs', { plan: 'professional' });
    const token = await server.session('orgs');
    const { result } = await connectAccount(server, token, { platform: 'linkedin', kind: 'organization', user: 'Hn3kQ8vRzA' });
    assert.equal(result.status, 'choose');
    assert.deepEqual(result.choices!.map((c) => c.kind).sort(), ['organization', 'organization']);
    const orgs = result.choices!.filter((c) => c.kind === 'organization').map((c) => c.id);
    const select = await fetch(`${server.url}/api/connections/${result.attemptId}/select`, {
      method: 'POST',
      headers: { ...auth(token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ ids: orgs }),
    });
    assert.equal(select.status, 200);
    const list = (await (await fetch(`${server.url}/api/accounts`, { headers: auth(token) })).json()) as { accounts: Account[] };
    assert.deepEqual(list.accounts.map((a) => a.health), ['healthy', 'healthy']);
  });
});

describe('OAuth safety', () => {
  let server: TestServer;
  let token: string;
  before(async () => {
    server = await startTestServer();
    await server.putWorkspace('safe', { plan: 'professional' });
    token = await server.session('safe');
  });
  after(() => server.close());

  async function begin(platform = 'x', browser = new Browser()) {
    const started = (await (
      await fetch(`${server.url}/api/connections`, {
        method: 'POST',
        headers: { ...auth(token), 'Content-Type': 'application/json', Origin: HOST_ORIGIN },
        body: JSON.stringify({ platform }),
      })
    ).json()) as { attemptId: string; authorizeUrl: string; fields: Record<string, string> };
    const toPlatform = await browser.start(started);
    return { ...started, browser, consentUrl: toPlatform.headers.get('location')! };
  }

  it('gives an absolute authorize URL on the BFF that binds the browser once, then sends it to the platform', async () => {
    const started = (await (
      await fetch(`${server.url}/api/connections`, { method: 'POST', headers: { ...auth(token), 'Content-Type': 'application/json' }, body: JSON.stringify({ platform: 'x' }) })
    ).json()) as { attemptId: string; authorizeUrl: string; fields: Record<string, string> };
    assert.equal(started.authorizeUrl, `${server.url}/oauth/start/${started.attemptId}`, 'the secret is not in the URL');
    assert.deepEqual(Object.keys(started.fields), ['t']);
    const browser = new Browser();
    const first = await browser.start(started);
    assert.equal(first.status, 302);
    const location = new URL(first.headers.get('location')!);
    assert.ok(location.href.startsWith(`${server.sandboxUrl}/x/`));
    assert.equal(location.searchParams.get('code_challenge_method'), 'S256');
    const cookie = first.headers.getSetCookie()[0]!;
    assert.match(cookie, new RegExp(`^cp_oauth_${started.attemptId}=`));
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    const second = await new Browser().start(started);
    assert.equal(second.status, 409);
    const forged = await new Browser().start({ ...started, fields: { t: 'guess' } });
    assert.equal(forged.status, 404);
  });

  it('refuses a replayed callback: the state is single-use', async () => {
    const { browser, consentUrl, attemptId } = await begin();
    const callbackUrl = await consent(consentUrl, { user: '1700000000000000001' });
    const binding = new Map(browser.cookies);
    const first = callbackResult(await (await browser.get(callbackUrl)).text());
    assert.equal(first.message.status, 'connected');
    // The callback clears the binding cookie; replaying without it is refused...
    const withoutCookie = callbackResult(await (await browser.get(callbackUrl)).text());
    assert.equal(withoutCookie.message.error?.code, 'browser_mismatch');
    // ...and even with the cookie kept, the state works once only.
    for (const [k, v] of binding) browser.cookies.set(k, v);
    const replayed = callbackResult(await (await browser.get(callbackUrl)).text());
    assert.equal(replayed.message.status, 'failed');
    assert.equal(replayed.message.error?.code, 'attempt_already_used');
    assert.equal(((await (await fetch(`${server.url}/api/connections/${attemptId}`, { headers: auth(token) })).json()) as { status: string }).status, 'connected');
  });

  it('refuses a callback from a browser that did not start the attempt, and stores nothing', async () => {
    const before = (await server.services.accounts.list('safe')).accounts.length;
    const { consentUrl, attemptId } = await begin('x');
    const callbackUrl = await consent(consentUrl, { user: '1700000000000000002' });
    const stranger = await new Browser().get(callbackUrl);
    assert.equal(stranger.status, 400);
    assert.equal(callbackResult(await stranger.text()).message.error?.code, 'browser_mismatch');
    assert.equal((await server.services.accounts.list('safe')).accounts.length, before);
    assert.equal(((await (await fetch(`${server.url}/api/connections/${attemptId}`, { headers: auth(token) })).json()) as { status: string }).status, 'pending');
  });

  it('answers a callback with no state and odd cookies with a clear page, not an error', async () => {
    const browser = new Browser();
    browser.cookies.set('cp_oauth_not-a-uuid', 'x');
    browser.cookies.set("cp_oauth_'; drop table", 'y');
    const res = await browser.get(`${server.url}/oauth/callback/tiktok?error=access_denied&error_description=nope`);
    assert.equal(res.status, 400);
    assert.equal(callbackResult(await res.text()).message.error?.code, 'attempt_not_found');
  });

  it('expires an attempt after 10 minutes of real time', async () => {
    const { browser, consentUrl } = await begin('x');
    const callbackUrl = await consent(consentUrl, { user: '1700000000000000002' });
    server.wallClock.advance(10 * 60 + 1);
    const { message } = callbackResult(await (await browser.get(callbackUrl)).text());
    assert.equal(message.status, 'failed');
    assert.equal(message.error?.code, 'attempt_expired');
  });

  it('hides an attempt from other users and workspaces', async () => {
    const { attemptId } = await begin('x');
    await server.putWorkspace('other', { plan: 'free' });
    const theirs = await fetch(`${server.url}/api/connections/${attemptId}`, { headers: auth(await server.session('other')) });
    assert.equal(theirs.status, 404);
  });

  it('checks the plan again when the callback lands', async () => {
    const { browser, consentUrl } = await begin('tiktok');
    await server.putWorkspace('safe', { plan: 'free' }); // downgraded meanwhile
    try {
      const callbackUrl = await consent(consentUrl, { user: 'tt-open-0002' });
      const { message } = callbackResult(await (await browser.get(callbackUrl)).text());
      assert.equal(message.error?.code, 'plan_upgrade_required');
      assert.equal((await server.services.accounts.list('safe')).accounts.filter((a) => a.platform === 'tiktok').length, 0);
    } finally {
      await server.putWorkspace('safe', { plan: 'professional' });
    }
  });

  it('checks the limit again when the callback lands, so a race cannot pass it', async () => {
    await server.putWorkspace('race', { plan: 'free', accountLimit: 1 });
    const raceToken = await server.session('race');
    const starts = await Promise.all(
      ['100000000000002', '100000000000002'].map(async () => {
        const res = await fetch(`${server.url}/api/connections`, {
          method: 'POST',
          headers: { ...auth(raceToken), 'Content-Type': 'application/json' },
          body: JSON.stringify({ platform: 'facebook' }),
        });
        return (await res.json()) as { authorizeUrl: string; fields: Record<string, string> };
      }),
    );
    // Both passed the gate at the start; only one may land.
    const users = ['100000000000002', '100000000000001'];
    const results = await Promise.all(
      starts.map(async (s, i) => {
        const browser = new Browser();
        const location = (await browser.start(s)).headers.get('location')!;
        const callbackUrl = await consent(location, { user: users[i] });
        return callbackResult(await (await browser.get(callbackUrl)).text()).message;
      }),
    );
    const connected = results.filter((r) => r.status === 'connected');
    assert.equal(connected.length, 1, JSON.stringify(results));
    const other = results.find((r) => r.status !== 'connected')!;
    // The second either hits the limit at the callback, or (several Pages) at the choice.
    if (other.status === 'choose') {
      const res = await fetch(`${server.url}/api/connections/${other.attemptId}/select`, {
        method: 'POST',
        headers: { ...auth(raceToken), 'Content-Type': 'application/json' },
        body: JSON.stringify({ ids: [other.choices![0]!.id] }),
      });
      assert.equal(res.status, 403);
    } else {
      assert.equal(other.error?.code, 'account_limit_reached');
    }
    assert.equal((await server.services.accounts.list('race')).accounts.length, 1);
  });

  it('returns to the page in redirect mode, with the attempt to look up', async () => {
    const { result, callback } = await connectAccount(server, token, { platform: 'x', user: '1700000000000000002', mode: 'redirect', returnTo: `${HOST_ORIGIN}/connections?tab=social` });
    assert.equal(callback.status, 302);
    const back = new URL(callback.headers.get('location')!);
    assert.equal(back.origin + back.pathname, `${HOST_ORIGIN}/connections`);
    assert.equal(back.searchParams.get('tab'), 'social');
    assert.equal(back.searchParams.get('cp_attempt'), result.attemptId);
    assert.equal(back.searchParams.get('cp_status'), 'connected');
    const status = (await (await fetch(`${server.url}/api/connections/${result.attemptId}`, { headers: auth(token) })).json()) as { status: string };
    assert.equal(status.status, 'connected');
  });

  it('serves the callback script the page loads (no inline script)', async () => {
    const res = await fetch(`${server.url}/oauth/callback.js`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /javascript/);
    assert.match(await res.text(), /postMessage\(payload\.message, payload\.targetOrigins\[i\]\)/);
  });
});

describe('publish capability and the credentials endpoint', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('clears publish_unavailable when a legacy Instagram account reconnects through Instagram Login', async () => {
    await server.putWorkspace('legacy', { plan: 'free' });
    const token = await server.session('legacy');
    const legacy = await server.insertAccount('legacy', {
      platform: 'instagram',
      platform_account_id: '17841400000000013',
      kind: 'professional',
      display_name: 'Jonas Polaroids',
      connect_method: 'instagram_basic_display',
      can_publish: false,
      granted_scopes: [...REQUIRED_SCOPES.instagram],
    });
    const before = (await (await fetch(`${server.url}/api/accounts/${legacy.id}`, { headers: auth(token) })).json()) as { account: Account };
    assert.equal(before.account.reason, 'publish_unavailable');
    const { result } = await connectAccount(server, token, { reconnect: legacy.id, user: '17841400000000013' });
    assert.equal(result.status, 'connected', JSON.stringify(result));
    const after = (await (await fetch(`${server.url}/api/accounts/${legacy.id}`, { headers: auth(token) })).json()) as { account: Account };
    assert.equal(after.account.health, 'healthy');
    assert.equal(after.account.canPublish, true);
  });

  for (const [platform, user, lifetimeSeconds] of [
    ['x', '1700000000000000001', 2 * 3600],
    ['tiktok', 'tt-open-0001', 24 * 3600],
  ] as const) {
  it(`renews an expired ${platform} token on demand, keeping the rotated refresh token for next time`, async () => {
    await server.putWorkspace(`creds-${platform}`, { plan: 'professional' });
    const token = await server.session(`creds-${platform}`);
    const { result } = await connectAccount(server, token, { platform, user });
    const id = result.accountIds![0]!;
    const host = { Authorization: `Bearer ${HOST_KEY}` };
    const first = (await (await fetch(`${server.url}/v1/accounts/${id}/credentials`, { headers: host })).json()) as { accessToken: string; expiresAt: string; platform: string };
    assert.equal(first.platform, platform);

    const stats = async () => ((await (await fetch(`${server.sandboxUrl}/control/stats`)).json()) as { tokenRequests: Record<string, number> }).tokenRequests[platform]!;
    // Each round needs the refresh token the previous round rotated in: a lost one fails the next.
    for (let round = 0; round < 2; round++) {
      server.clock.advance(lifetimeSeconds + 60); // past the access token's lifetime
      const before = await stats();
      const res = await fetch(`${server.url}/v1/accounts/${id}/credentials`, { headers: host });
      assert.equal(res.status, 200, await res.clone().text());
      const renewed = (await res.json()) as { accessToken: string; expiresAt: string };
      assert.notEqual(renewed.accessToken, first.accessToken);
      assert.ok(new Date(renewed.expiresAt).getTime() > server.clock.now().getTime());
      assert.equal(await stats(), before + 1, 'one token request per refresh');
    }
    const account = (await server.services.accounts.list(`creds-${platform}`)).accounts[0]!;
    assert.ok(account.lastRefreshedAt);
  });
  }

  it('answers 409 needs_reconnect for an amber account, and renews a revoked one never', async () => {
    await server.putWorkspace('amber', { plan: 'professional' });
    const token = await server.session('amber');
    const { result } = await connectAccount(server, token, { platform: 'tiktok', user: 'tt-open-0002' });
    const id = result.accountIds![0]!;
    await fetch(`${server.sandboxUrl}/control/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ platform: 'tiktok', platformAccountId: 'tt-open-0002' }) });
    server.clock.advance(25 * 3600); // the access token has expired; its refresh token was revoked
    const res = await fetch(`${server.url}/v1/accounts/${id}/credentials`, { headers: { Authorization: `Bearer ${HOST_KEY}` } });
    assert.equal(res.status, 409);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'needs_reconnect');
    const [account] = (await server.services.accounts.list('amber')).accounts;
    assert.equal(account!.reason, 'token_revoked');
  });
});

describe('disconnecting one of several Pages from one Facebook sign-in', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it("keeps the person's grant (and the other Pages working) until the last one goes", async () => {
    await server.putWorkspace('shared', { plan: 'enterprise' });
    const token = await server.session('shared');
    const { result } = await connectAccount(server, token, { platform: 'facebook', user: '100000000000001' });
    const select = await fetch(`${server.url}/api/connections/${result.attemptId}/select`, {
      method: 'POST',
      headers: { ...auth(token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ ids: result.choices!.slice(0, 2).map((c) => c.id) }),
    });
    const { accountIds } = (await select.json()) as { accountIds: string[] };
    const host = { Authorization: `Bearer ${HOST_KEY}` };
    const pageToken = async (id: string) => ((await (await fetch(`${server.url}/v1/accounts/${id}/credentials`, { headers: host })).json()) as { accessToken: string }).accessToken;
    const secondToken = await pageToken(accountIds[1]!);
    const firstToken = await pageToken(accountIds[0]!);
    const graph = (t: string) => fetch(`${server.sandboxUrl}/facebook/graph/v23.0/me?fields=id,name`, { headers: { Authorization: `Bearer ${t}` } });

    assert.equal((await fetch(`${server.url}/api/accounts/${accountIds[0]}`, { method: 'DELETE', headers: auth(token) })).status, 204);
    assert.equal((await graph(secondToken)).status, 200, 'the other Page still works');

    assert.equal((await fetch(`${server.url}/api/accounts/${accountIds[1]}`, { method: 'DELETE', headers: auth(token) })).status, 204);
    assert.notEqual((await graph(secondToken)).status, 200, 'the last disconnect revokes the grant');
    assert.notEqual((await graph(firstToken)).status, 200);
  });
});
