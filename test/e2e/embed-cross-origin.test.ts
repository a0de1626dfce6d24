import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { connectAccount, HOST_ORIGIN, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * The README's embed snippet, exactly, on a host page of another origin (another port) than
 * the BFF, in Debian's Chromium: the module script is fetched from the BFF with CORS (the
 * bundle and its on-demand chunks), the panel renders its accounts, and a connection started
 * from that page goes through the pop-up or, with pop-ups blocked, the redirect flow (the
 * start form is posted from the host's origin either way).
 * Needs the bundle: `npx vite build` first.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const artifacts = path.join(root, 'test-artifacts', 'e2e');
const LAUNCH = {
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
};

/** The README's snippet, with this test's BFF and a session token the host's backend made. */
function hostPage(bff: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Another origin</title></head>
<body>
<script type="module" src="${bff}/dist/connections-panel.js"></script>
<connections-panel bff-url="${bff}" composer-url="/compose"
  support-url="/support" upgrade-url="/plans"></connections-panel>
<script type="module">
  document.querySelector('connections-panel').session = async () => (await (await fetch('/my/connections-session')).json()).token;
</script>
</body>
</html>`;
}

describe('the README embed snippet on a page of another origin, in Chromium', { concurrency: false }, () => {
  let host: http.Server;
  let hostOrigin: string;
  let server: TestServer;
  let browser: Browser;
  let token = '';
  /** Every answer the browser got for the bundle, with its headers. */
  const bundle: { url: string; status: number; headers: Record<string, string> }[] = [];

  before(async () => {
    assert.ok(existsSync(path.join(root, 'dist', 'connections-panel.js')), 'build the bundle first: npx vite build');
    mkdirSync(artifacts, { recursive: true });
    // The host's site: its own page and its backend's session endpoint, on its own port.
    host = http.createServer((req, res) => {
      if (req.url === '/my/connections-session') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token }));
        return;
      }
      // /no-referrer, /same-origin: host pages whose policy makes the browser post forms to
      // another origin with `Origin: null`.
      const policy = req.url === '/no-referrer' || req.url === '/same-origin' ? { 'Referrer-Policy': req.url.slice(1) } : {};
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...policy }).end(hostPage(server.url));
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    server = await startTestServer({
      config: { allowedOrigins: [hostOrigin, HOST_ORIGIN] },
      app: { widgetDir: path.join(root, 'dist') },
    });
    assert.notEqual(new URL(server.url).origin, hostOrigin);
    await server.putWorkspace('embed', { plan: 'enterprise' });
    token = await server.session('embed');
    const { result } = await connectAccount(server, token, { platform: 'x', user: '1700000000000000001' });
    assert.equal(result.status, 'connected');
    browser = await chromium.launch(LAUNCH);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await new Promise<void>((resolve) => (host ? host.close(() => resolve()) : resolve()));
  });

  it('loads the bundle across origins and the panel renders its accounts', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page: Page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    page.on('response', (r) => {
      const url = new URL(r.url());
      if (url.origin === new URL(server.url).origin && url.pathname.startsWith('/dist/')) bundle.push({ url: url.pathname, status: r.status(), headers: r.headers() });
    });
    await page.goto(hostOrigin);
    assert.equal(new URL(page.url()).origin, hostOrigin);
    const panel = page.locator('connections-panel');
    await panel.locator('cp-account-card').filter({ hasText: 'Sofia Marquez' }).waitFor();
    // An on-demand chunk (the detail panel) loads across origins too.
    await panel.locator('cp-account-card').filter({ hasText: 'Sofia Marquez' }).getByRole('button', { name: 'View details of Sofia Marquez' }).click();
    await panel.locator('cp-account-detail dialog').getByRole('heading', { name: 'Sofia Marquez' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'embed-cross-origin.png'), fullPage: true });
    assert.deepEqual(errors, []);

    const entry = bundle.find((b) => b.url === '/dist/connections-panel.js');
    assert.ok(entry, 'the browser fetched the bundle from the BFF');
    assert.equal(entry.status, 200);
    assert.equal(entry.headers['access-control-allow-origin'], '*');
    assert.match(entry.headers['cache-control']!, /^public, max-age=300\b/);
    assert.ok(entry.headers['etag'], 'revalidated by ETag');
    const chunks = bundle.filter((b) => b.url.startsWith('/dist/chunks/'));
    assert.ok(chunks.length > 0, 'on-demand chunks were fetched');
    for (const chunk of chunks) {
      assert.equal(chunk.headers['access-control-allow-origin'], '*', chunk.url);
      assert.equal(chunk.headers['cache-control'], 'public, max-age=31536000, immutable', chunk.url);
    }
    await context.close();
  });

  it('connects from that page through the pop-up: the start form is posted from the host origin', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
    await page.goto(hostOrigin);
    const panel = page.locator('connections-panel');
    await panel.locator('cp-account-card').filter({ hasText: 'Sofia Marquez' }).waitFor();
    const popup = page.waitForEvent('popup');
    await panel.getByRole('button', { name: 'Connect TikTok', exact: true }).click();
    const consent = await popup;
    await consent.waitForSelector('button[value=allow]');
    await consent.selectOption('select[name=user]', 'tt-open-0002');
    await consent.click('button[value=allow]');
    await panel.locator('cp-account-card').filter({ hasText: 'Leo Fischer' }).waitFor();
    await panel.locator('.toast').filter({ hasText: 'Connected 1 account.' }).first().waitFor();
    await context.close();
  });

  it('with pop-ups blocked, the redirect flow posts the start form into the host page and comes back to it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(() => {
      window.open = () => null;
    });
    const page = await context.newPage();
    await page.goto(`${hostOrigin}/connections?tab=1`);
    const panel = page.locator('connections-panel');
    await panel.locator('cp-account-card').filter({ hasText: 'Sofia Marquez' }).waitFor();
    await panel.getByRole('button', { name: 'Connect TikTok', exact: true }).click();
    await panel.getByRole('button', { name: 'Continue in this tab instead' }).click();
    await page.waitForURL((url) => url.pathname.includes('/sandbox/'));
    await page.selectOption('select[name=user]', 'tt-open-0001');
    await page.click('button[value=allow]');
    await page.waitForURL((url) => url.origin === hostOrigin && url.pathname === '/connections');
    await panel.locator('cp-account-card').filter({ hasText: 'Priya Raman' }).waitFor();
    await panel.locator('.toast').filter({ hasText: 'Connected 1 account.' }).first().waitFor();
    assert.equal(new URL(page.url()).search, '?tab=1', 'back on the same page, its URL tidied');
    await context.close();
  });

  for (const policy of ['no-referrer', 'same-origin']) {
    it(`a host page under Referrer-Policy ${policy} makes Chromium post the start with Origin null: refused, nothing connected`, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${hostOrigin}/${policy}`);
      const panel = page.locator('connections-panel');
      await panel.locator('cp-account-card').filter({ hasText: 'Sofia Marquez' }).waitFor();
      const popup = page.waitForEvent('popup');
      await panel.getByRole('button', { name: 'Connect Instagram', exact: true }).click();
      const refused = await popup;
      await refused.getByRole('heading', { name: 'Nothing was connected' }).waitFor();
      assert.equal(new URL(refused.url()).origin, new URL(server.url).origin, 'never sent on to the platform');
      await context.close();
    });
  }

  it('a start link opened in another browser tab connects nothing and says why', async () => {
    const started = (await (
      await fetch(`${server.url}/api/connections`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Origin: hostOrigin },
        body: JSON.stringify({ platform: 'linkedin' }),
      })
    ).json()) as { authorizeUrl: string; fields: { t: string } };
    const context = await browser.newContext();
    const victim = await context.newPage();
    const res = await victim.goto(`${started.authorizeUrl}?t=${encodeURIComponent(started.fields.t)}`);
    assert.equal(res?.status(), 405);
    assert.equal(new URL(victim.url()).origin, new URL(server.url).origin, 'never sent on to the platform');
    await victim.getByRole('heading', { name: 'Nothing was connected' }).waitFor();
    assert.deepEqual(await context.cookies(), [], 'no binding cookie');
    await context.close();
  });
});
