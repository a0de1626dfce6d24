import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { auth, HOST_KEY } from '../../helpers/context.ts';
import { Browser, connectAccount, startTestServer, type TestServer } from '../../helpers/server.ts';
import { consent } from '../../helpers/sandbox.ts';

const X_USER = '1700000000000000001';
const X_OTHER = '1700000000000000002';

/** A person in a fresh browser (no cookies, no session) following a link they were sent. */
async function followLink(server: TestServer, url: string, options: { user: string; origin?: string | null; platform?: string }) {
  const browser = new Browser();
  const page = await browser.get(url);
  const html = await page.text();
  if (page.status !== 200) return { stage: 'page' as const, status: page.status, html };
  const action = /<form method="post" action="([^"]+)"/.exec(html)![1]!;
  const s = /name="s" value="([^"]+)"/.exec(html)![1]!;
  const form = new URLSearchParams({ s });
  if (options.platform) form.set('platform', options.platform);
  const cookie = () => [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const origin = options.origin === undefined ? server.url : options.origin;
  const posted = await fetch(new URL(action, server.url), {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { ...(origin ? { Origin: origin } : {}), 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  for (const line of posted.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const [name, ...value] = pair!.split('=');
    browser.cookies.set(name!.trim(), value.join('='));
  }
  if (posted.status !== 303) return { stage: 'continue' as const, status: posted.status, html: await posted.text(), pageHtml: html };
  assert.ok(cookie().includes('cp_oauth_'), 'the browser is bound to the sign-in');
  const callbackUrl = await consent(posted.headers.get('location')!, { user: options.user });
  const result = await browser.get(callbackUrl);
  return { stage: 'result' as const, status: result.status, html: await result.text(), pageHtml: html };
}

describe('reconnect and connect links', () => {
  let server: TestServer;
  let token: string;
  let accountId: string;
  const host = { Authorization: `Bearer ${HOST_KEY}`, 'Content-Type': 'application/json' };
  const post = async (path: string, body: unknown = {}) => {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: host, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { url: string; expiresAt: string; error?: { code: string } } };
  };
  const account = async () => {
    const res = await fetch(`${server.url}/api/accounts/${accountId}`, { headers: auth(token) });
    return ((await res.json()) as { account: { health: string; reason: string | null; platformAccountId: string } }).account;
  };
  const snapshot = async () => {
    const row = await server.services.accountRepository.findById(accountId);
    return { access: row!.access_token_enc, platformAccountId: row!.platform_account_id, updated: String(row!.updated_at) };
  };
  const historyKinds = async () => {
    const res = await fetch(`${server.url}/api/accounts/${accountId}/history`, { headers: auth(token) });
    return ((await res.json()) as { entries: { kind: string; actor: { type: string } | null; params: Record<string, unknown> }[] }).entries;
  };

  before(async () => {
    server = await startTestServer({ config: { webhook: { url: 'http://127.0.0.1:9/hooks', secret: 'webhook-secret-0123456789' } } });
    await server.putWorkspace('agency', { plan: 'professional', name: 'Northwind Agency' });
    token = await server.session('agency', 'admin');
    const connected = await connectAccount(server, token, { platform: 'x', user: X_USER });
    accountId = connected.result.accountIds![0]!;
    await fetch(`${server.sandboxUrl}/control/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ platform: 'x', platformAccountId: X_USER }) });
    // X has no push signal: the verification is a renewal once the 2-hour access token lapsed (SPEC "Background work").
    await fetch(`${server.sandboxUrl}/control/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ advanceSeconds: 2 * 3600 + 600 }) });
    await fetch(`${server.url}/api/health-check`, { method: 'POST', headers: auth(token) });
    assert.equal((await account()).health, 'needs_reconnect');
  });
  after(() => server.close());

  it('a reconnect link, opened in a fresh browser without a login, restores an amber account to green', async () => {
    const link = await post(`/v1/accounts/${accountId}/reconnect-link`, { ttlSeconds: 3600 });
    assert.equal(link.status, 201);
    assert.ok(link.body.url.startsWith(`${server.url}/links/`));
    const done = await followLink(server, link.body.url, { user: X_USER });
    assert.equal(done.stage, 'result');
    assert.match(done.pageHtml!, /Northwind Agency/);
    assert.match(done.pageHtml!, /Approve every permission/);
    assert.match(done.html, /Done/);
    assert.equal((await account()).health, 'healthy');

    const events = await fetch(`${server.url}/api/events`, { headers: auth(token) });
    const list = ((await events.json()) as { events: { type: string; accountId: string }[] }).events;
    assert.ok(list.some((e) => e.type === 'reconnect_link_used' && e.accountId === accountId));
    const hooked = await server.database.db
      .selectFrom('webhook_deliveries')
      .innerJoin('events', 'events.id', 'webhook_deliveries.event_id')
      .select('events.type')
      .where('events.type', '=', 'reconnect_link_used')
      .execute();
    assert.equal(hooked.length, 1, 'the host gets a webhook for the link used');
    const [latest] = await historyKinds();
    assert.equal(latest!.kind, 'reconnected');
    assert.equal(latest!.actor?.type, 'link');
    assert.equal(latest!.params['via'], 'link');

    // Used twice: refused, nothing changed.
    const before = await snapshot();
    const again = await followLink(server, link.body.url, { user: X_USER });
    assert.equal(again.stage, 'page');
    assert.equal(again.status, 410);
    assert.match(again.html, /already used/);
    assert.deepEqual(await snapshot(), before);

    const links = await fetch(`${server.url}/v1/workspaces/agency/links`, { headers: host });
    const listed = ((await links.json()) as { links: { accountId: string; status: string; usedAt: string | null }[] }).links;
    assert.equal(listed[0]!.status, 'used');
    assert.ok(listed[0]!.usedAt);
    assert.doesNotMatch(JSON.stringify(listed), /\?s=/, 'no link URL in the list');
  });

  it('refuses an expired link, changing nothing', async () => {
    const link = await post(`/v1/accounts/${accountId}/reconnect-link`, { ttlSeconds: 300 });
    server.wallClock.advance(301);
    const before = await snapshot();
    const refused = await followLink(server, link.body.url, { user: X_USER });
    assert.equal(refused.status, 410);
    assert.match(refused.html, /expired/);
    assert.deepEqual(await snapshot(), before);
    const links = await fetch(`${server.url}/v1/workspaces/agency/links`, { headers: host });
    assert.equal(((await links.json()) as { links: { status: string }[] }).links[0]!.status, 'expired');
  });

  it('refuses a different platform account on reconnect, changing nothing (and the link stays open)', async () => {
    const link = await post(`/v1/accounts/${accountId}/reconnect-link`);
    const before = await snapshot();
    const result = await followLink(server, link.body.url, { user: X_OTHER });
    assert.equal(result.stage, 'result');
    assert.match(result.html, /Not connected/);
    assert.match(result.html, /Nothing was changed/);
    assert.deepEqual(await snapshot(), before);
    const links = await fetch(`${server.url}/v1/workspaces/agency/links`, { headers: host });
    assert.equal(((await links.json()) as { links: { status: string }[] }).links[0]!.status, 'open');
  });

  it('refuses a returnTo that is not an http(s) page on an allowed origin (a blob: URL carries its creator\'s origin)', async () => {
    // https://host.example is an allowed origin in the test configuration: only the scheme is wrong.
    for (const returnTo of ['blob:https://host.example/0b3f', 'https://evil.example/back', 'javascript:alert(1)']) {
      const refused = await post('/v1/workspaces/agency/connect-link', { ttlSeconds: 600, returnTo });
      assert.equal(refused.status, 400, returnTo);
      assert.equal(refused.body.error?.code, 'invalid_return_to', returnTo);
    }
  });

  it('refuses a forged link and a Continue not posted from the link page', async () => {
    const link = await post(`/v1/accounts/${accountId}/reconnect-link`);
    const forged = new URL(link.body.url);
    forged.searchParams.set('s', `${forged.searchParams.get('s')!.slice(0, -2)}xx`);
    const before = await snapshot();
    for (const url of [forged.href, `${server.url}/links/${crypto.randomUUID()}?s=abc`, `${server.url}/links/not-an-id`, link.body.url.replace(/\?s=.*/, '')]) {
      const refused = await followLink(server, url, { user: X_USER });
      assert.equal(refused.status, 404, url);
      assert.match(refused.html, /not valid/);
    }
    for (const origin of [null, 'null', 'https://evil.example']) {
      const refused = await followLink(server, link.body.url, { user: X_USER, origin });
      assert.equal(refused.stage, 'continue');
      assert.equal(refused.status, 403);
    }
    assert.deepEqual(await snapshot(), before);
  });

  it('a connect link adds an account to the workspace; the admin can make a reconnect link from the widget API', async () => {
    const link = await post('/v1/workspaces/agency/connect-link', { platform: 'instagram' });
    assert.equal(link.status, 201);
    const done = await followLink(server, link.body.url, { user: '17841400000000011' });
    assert.match(done.html, /Done/);
    const list = await fetch(`${server.url}/api/accounts`, { headers: auth(token) });
    assert.ok(((await list.json()) as { accounts: { platform: string }[] }).accounts.some((a) => a.platform === 'instagram'));

    const member = await server.session('agency', 'member');
    const asMember = await fetch(`${server.url}/api/accounts/${accountId}/reconnect-link`, { method: 'POST', headers: { ...auth(member), 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(asMember.status, 403);
    const asAdmin = await fetch(`${server.url}/api/accounts/${accountId}/reconnect-link`, { method: 'POST', headers: { ...auth(token), 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(asAdmin.status, 201);
  });
});
