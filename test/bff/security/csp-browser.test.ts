/**
 * The widget works under the BFF's Content-Security-Policy, in a real browser: the widget's
 * bundle (built here from the sources) on a page the BFF serves with its own headers, talking
 * to the BFF, shows the workspace's accounts, and the browser reports no violation from it.
 * The page also tries an inline script and eval, which the policy must block: proof that the
 * policy is in force while the widget works.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { createApp } from '../../../bff/app.ts';
import { createTestContext, type TestContext } from '../../helpers/context.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';

describe('the widget under the Content-Security-Policy, in Chromium', { skip: existsSync(CHROME) ? false : `needs Chromium at ${CHROME} (CHROME_PATH); CI installs it (scripts/ensure-chromium.sh)` }, () => {
  let ctx: TestContext;
  let server: http.Server;
  let url: string;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cp-csp-'));
    const { build } = await import('vite');
    await build({
      configFile: false,
      root,
      logLevel: 'silent',
      build: {
        target: 'es2022',
        outDir: dir,
        emptyOutDir: false,
        lib: { entry: path.join(root, 'widget/index.ts'), formats: ['es'], fileName: () => 'connections-panel.js' },
      },
    });
    let handler: Express | undefined;
    server = http.createServer((req, res) => (handler ? handler(req, res) : res.writeHead(503).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ctx = await createTestContext({ config: { publicUrl: url, allowedOrigins: [url] } });
    handler = createApp({ config: ctx.config, database: ctx.database, logger: ctx.logger, clock: ctx.clock, wallClock: ctx.wallClock }, { staticDir: dir });
    await ctx.putWorkspace('csp', { plan: 'professional' });
    await ctx.insertAccount('csp', { display_name: 'Bakery Page' });
    const token = await ctx.session('csp', 'admin');
    await writeFile(
      path.join(dir, 'page.js'),
      `document.querySelector('connections-panel').session = ${JSON.stringify(token)};
try { window.evalResult = eval('1 + 1'); } catch (e) { window.evalResult = 'blocked'; }\n`,
    );
    await writeFile(
      path.join(dir, 'index.html'),
      `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CSP</title>
<script type="module" src="/connections-panel.js"></script>
<script type="module" src="/page.js"></script>
</head><body>
<connections-panel bff-url="${url}"></connections-panel>
<script>window.inlineRan = true;</script>
</body></html>\n`,
    );
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await ctx?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  interface Visit {
    inlineRan: boolean;
    evalResult: unknown;
    violations: { directive: string; blocked: string; source: string }[];
    errors: string[];
  }
  let visit: Promise<Visit> | undefined;
  /** One visit of the page in Chromium, shared by the assertions below. */
  function visitPage(): Promise<Visit> {
    visit ??= (async () => {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROME,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
      });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (err) => errors.push(err.message));
        // Injected by the browser driver, so it runs whatever the policy says: it only listens.
        await page.addInitScript(() => {
          const w = window as unknown as { violations: { directive: string; blocked: string; source: string }[] };
          w.violations = [];
          document.addEventListener('securitypolicyviolation', (e) => w.violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile }));
        });
        const response = await page.goto(`${url}/`);
        assert.match(response!.headers()['content-security-policy'] ?? '', /script-src 'self'/);
        await page.getByText('Bakery Page').first().waitFor({ timeout: 20_000 });
        const state = await page.evaluate(() => {
          const w = window as unknown as { inlineRan?: boolean; evalResult?: unknown; violations: { directive: string; blocked: string; source: string }[] };
          return { inlineRan: w.inlineRan ?? false, evalResult: w.evalResult, violations: w.violations };
        });
        return { ...state, errors };
      } finally {
        await browser.close();
      }
    })();
    return visit;
  }

  it('renders the accounts, with inline script and eval blocked and no script violation from the widget', { timeout: 60_000 }, async () => {
    const state = await visitPage();
    assert.equal(state.inlineRan, false, 'the inline script was blocked');
    assert.equal(state.evalResult, 'blocked', 'eval was blocked');
    const scripts = state.violations.filter((v) => v.directive.startsWith('script-src')).map((v) => `${v.directive} ${v.blocked}`).sort();
    assert.deepEqual(scripts, ['script-src eval', 'script-src-elem inline'], `only the page's own tricks were blocked: ${JSON.stringify(state.violations)}`);
    assert.deepEqual(state.errors, []);
  });

  it(
    'the widget causes no violation at all (styles included)',
    { timeout: 60_000 },
    async () => {
      const state = await visitPage();
      const fromWidget = state.violations.filter((v) => v.source.includes('connections-panel.js'));
      assert.deepEqual(fromWidget, [], JSON.stringify(fromWidget));
    },
  );
});
