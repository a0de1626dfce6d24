import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { startHostBackend, type HostBackend } from '../../examples/host-backend/server.ts';
import { createLogger } from '../../bff/logger.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

/**
 * examples/react and examples/vue, built with their own vite.config.ts, served at / by the host
 * backend (`pageDir`, what `npm run example:react` / `example:vue` run) and driven in Debian's
 * Chromium: the framework renders both elements from the npm entry, the widget gets its session
 * from /my/connections-session, and the framework's typed listener receives the widget's
 * cp-create-post (cancelled: the widget does not go to composer-url) and cp-account-action.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const LAUNCH = {
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
};

let work: string;
let browser: Browser;

before(async () => {
  // Inside the repository, so the builds find lit, react and vue in its node_modules.
  await mkdir(path.join(root, 'node_modules', '.cache'), { recursive: true });
  work = await mkdtemp(path.join(root, 'node_modules', '.cache', 'cp-frameworks-'));
  // The npm entry (dist/npm/index.js, what `import 'connections-panel'` resolves to through the
  // exports map) built into a folder of this test's own: the package test rebuilds dist/ in
  // parallel, so the examples are pointed at this copy instead.
  const npmEntry = path.join(work, 'npm');
  await build({ configFile: path.join(root, 'vite.config.ts'), root, mode: 'npm', logLevel: 'warn', build: { outDir: npmEntry } });
  await Promise.all(
    ['react', 'vue'].map((name) =>
      build({
        configFile: path.join(root, 'examples', name, 'vite.config.ts'),
        resolve: { alias: { 'connections-panel': path.join(npmEntry, 'index.js') } },
        build: { outDir: path.join(work, name) },
      }),
    ),
  );
  browser = await chromium.launch(LAUNCH);
});

after(async () => {
  await browser?.close();
  await rm(work, { recursive: true, force: true, maxRetries: 3 });
});

for (const framework of ['React', 'Vue'] as const) {
  describe(`examples/${framework.toLowerCase()}: <connections-panel> in a ${framework} page with typed events`, { concurrency: false }, () => {
    let database: TestDatabase;
    let backend: HostBackend;
    let context: BrowserContext;
    let page: Page;
    const problems: string[] = [];
    const panel = () => page.locator('connections-panel');

    before(async () => {
      database = await createTestDatabase();
      backend = await startHostBackend({
        env: { PORT: '0', DATA_DIR: path.join(work, `data-${framework}`), RATE_LIMIT_PER_MINUTE: '0' },
        database,
        logger: createLogger({ level: 'silent' }),
        pageDir: path.join(work, framework.toLowerCase()),
      });
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
      page.on('console', (msg) => {
        // Signed out, the page's own GET /my/user answers 401: expected.
        if (msg.location().url === `${backend.url}/my/user` && msg.text().includes('401')) return;
        if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()} (${msg.location().url})`);
      });
    });

    after(async () => {
      await context?.close();
      await backend?.close();
      await database?.close();
    });

    it(`renders the ${framework} page at /, signs in with the host's cookie, and the widget takes its session from /my/connections-session`, async () => {
      await page.goto(`${backend.url}/`);
      await page.getByRole('heading', { name: `Acme · social accounts (${framework})` }).waitFor();
      assert.equal(await panel().count(), 0, 'no panel before signing in');
      await page.getByRole('link', { name: 'Alice (admin)' }).click();
      await page.getByText('Signed in as Alice').waitFor();
      assert.equal(page.url(), `${backend.url}/`);

      for (const label of ['Facebook', 'Instagram', 'TikTok', 'X', 'LinkedIn profile', 'LinkedIn Page']) {
        await panel().getByRole('button', { name: `Connect ${label}`, exact: true }).waitFor();
      }
      await page.locator('connections-summary').getByText('No accounts connected yet.').waitFor();
      // bff-url went in as an attribute, session as a property (a function, called by the widget).
      const wiring = await panel().evaluate((el: HTMLElementTagNameMap['connections-panel']) => ({
        bffUrl: el.getAttribute('bff-url'),
        composerUrl: el.getAttribute('composer-url'),
        session: typeof el.session,
      }));
      assert.deepEqual(wiring, { bffUrl: `${backend.url}/connections`, composerUrl: '/compose', session: 'function' });
    });

    it(`connects Instagram through the pop-up; Create post reaches the ${framework} listener as a CpCreatePostEvent, cancelled, so the widget stays`, async () => {
      const popup = page.waitForEvent('popup');
      await panel().getByRole('button', { name: 'Connect Instagram', exact: true }).click();
      const consent = await popup;
      await consent.locator('button[value=allow]').click();
      await panel().locator('.toast').filter({ hasText: 'Connected 1 account.' }).waitFor();
      const card = panel().locator('cp-account-card');
      await card.getByText('Healthy').waitFor();

      const ids = await page.evaluate(async () => {
        const { token } = (await (await fetch('/my/connections-session')).json()) as { token: string };
        const { accounts } = (await (await fetch('/connections/api/accounts', { headers: { Authorization: `Bearer ${token}` } })).json()) as { accounts: { id: string }[] };
        return accounts.map((a) => a.id);
      });
      assert.equal(ids.length, 1);
      const id = ids[0]!;

      let navigations = 0;
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) navigations++;
      });
      await card.getByRole('button', { name: 'Create post' }).click();
      await page.getByRole('region', { name: 'Composer' }).getByText(`Compose for account ${id}`).waitFor();
      assert.equal(await page.locator('#composing').textContent(), id);
      // composer-url is /compose: uncancelled, the widget would have gone there.
      await page.waitForTimeout(300);
      assert.equal(navigations, 0, 'the widget did not navigate');
      assert.equal(page.url(), `${backend.url}/`);

      await card.getByRole('button', { name: 'View details' }).click();
      await page.locator('#last-action').filter({ hasText: `details ${id}` }).waitFor();
      await panel().locator('cp-account-detail dialog').waitFor({ state: 'visible' });
    });

    it('logged nothing wrong on the page', () => {
      assert.deepEqual(problems, []);
    });
  });
}
