import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Browser } from 'playwright-core';
import { auth, HOST_KEY } from '../helpers/context.ts';
import { connectAccount, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * A reconnect link in a real browser with nothing of the host: a fresh context (no cookies, no
 * session), the link's page, Continue, the sandbox's consent page, the result page.
 */
const LAUNCH = {
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
};
const X_USER = '1700000000000000001';

describe('a reconnect link in a fresh browser', () => {
  let server: TestServer;
  let browser: Browser;
  let token: string;
  let accountId: string;
  before(async () => {
    server = await startTestServer();
    browser = await chromium.launch(LAUNCH);
    await server.putWorkspace('e2e-links', { plan: 'professional', name: 'Northwind Agency' });
    token = await server.session('e2e-links', 'admin');
    const connected = await connectAccount(server, token, { platform: 'x', user: X_USER });
    accountId = connected.result.accountIds![0]!;
    await fetch(`${server.sandboxUrl}/control/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ platform: 'x', platformAccountId: X_USER }) });
    // X has no push signal: the verification is a renewal once the 2-hour access token lapsed.
    await fetch(`${server.sandboxUrl}/control/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ advanceSeconds: 2 * 3600 + 600 }) });
    await fetch(`${server.url}/api/health-check`, { method: 'POST', headers: auth(token) });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const health = async () => {
    const res = await fetch(`${server.url}/api/accounts/${accountId}`, { headers: auth(token) });
    return ((await res.json()) as { account: { health: string } }).account.health;
  };

  it('restores an amber account to green, once', async () => {
    assert.equal(await health(), 'needs_reconnect');
    const created = await fetch(`${server.url}/v1/accounts/${accountId}/reconnect-link`, { method: 'POST', headers: { Authorization: `Bearer ${HOST_KEY}`, 'Content-Type': 'application/json' }, body: '{}' });
    const { url } = (await created.json()) as { url: string };

    const context = await browser.newContext();
    assert.equal((await context.cookies()).length, 0);
    const page = await context.newPage();
    await page.goto(url);
    await page.getByText('Northwind Agency').first().waitFor();
    await page.getByText(/Approve every permission/).waitFor();
    await page.getByRole('button', { name: /Continue/ }).click();
    // The sandbox's consent page stands for X's.
    await page.waitForSelector('button[value=allow]');
    if (await page.locator('select[name=user]').count()) await page.selectOption('select[name=user]', X_USER);
    await page.click('button[value=allow]');
    await page.getByRole('heading', { name: 'Done' }).waitFor();
    assert.equal(await health(), 'healthy');
    await context.close();

    const again = await browser.newContext();
    const second = await again.newPage();
    const res = await second.goto(url);
    assert.equal(res?.status(), 410);
    await second.getByText(/already used/).waitFor();
    await again.close();
  });
});
