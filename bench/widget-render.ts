import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import type { Account, AccountKind } from '../contract/types.ts';
import { compareAccounts } from '../bff/accounts/account.view.ts';
import { BUNDLE } from './widget-size.ts';
import { atMost, below, exactly, median, reference, type Figure } from './report.ts';

const PAGE = new URL('./widget-render.page.js', import.meta.url);
export const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const CHROME_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

const PLATFORMS = ['facebook', 'instagram', 'tiktok', 'x', 'linkedin'] as const;
const KINDS: Record<string, AccountKind> = { facebook: 'page', instagram: 'professional', tiktok: 'profile', x: 'profile', linkedin: 'organization' };
const REASONS = [
  ['token_expired', 'The access token has expired.'],
  ['token_revoked', 'Access was revoked on the platform.'],
  ['missing_permissions', 'Missing permissions: pages_manage_posts.'],
  ['refresh_failed', 'The token could not be refreshed three times in a row.'],
] as const;

/** An agency's accounts as GET /api/accounts gives them: one in ten amber, amber first. */
export function agencyAccounts(count: number): Account[] {
  const accounts = Array.from({ length: count }, (_, i): Account => {
    const platform = PLATFORMS[i % PLATFORMS.length]!;
    const amber = i % 10 === 3;
    const reason = REASONS[i % REASONS.length]!;
    return {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      platform,
      kind: KINDS[platform]!,
      displayName: `Client ${String(i).padStart(5, '0')} ${['Bakery', 'Running Club', 'Studio', 'Dental', 'Books'][i % 5]}`,
      username: i % 3 === 0 ? null : `client${i}`,
      avatarUrl: null,
      health: amber ? 'needs_reconnect' : 'healthy',
      reason: amber ? reason[0] : null,
      reasonMessage: amber ? reason[1] : null,
      reasonParams: {},
      canPublish: !amber,
      connectedAt: '2026-10-01T10:00:00.000Z',
      lastRefreshedAt: '2026-11-20T10:00:00.000Z',
      tokenExpiresAt: '2027-01-01T10:00:00.000Z',
      checkedAt: '2026-11-30T10:00:00.000Z',
      actionNeededBy: null,
      status: 'active',
      pausedReason: null,
      lastError: amber && reason[0] === 'refresh_failed' ? { code: 'server_error', message: 'The platform answered HTTP 500.' } : null,
    };
  });
  return accounts.sort(compareAccounts);
}

/** The same list after one healthy account in the middle turned amber (its token was revoked), re-sorted as the BFF sorts. */
export function oneTurnedAmber(accounts: Account[]): Account[] {
  const healthy = accounts.filter((a) => a.health === 'healthy');
  const target = healthy[healthy.length >> 1]!;
  return accounts
    .map((a) => (a.id === target.id ? { ...a, health: 'needs_reconnect' as const, reason: 'token_revoked' as const, reasonMessage: 'Access was revoked on the platform.' } : a))
    .sort(compareAccounts);
}

interface PageResult {
  first: number[];
  baseline: number[];
  changes: { ms: number; cardsTouched: number; cardsRemoved: number; mutations: number; cardUpdates: number }[];
  cardsInDom: number;
  markupBytes: number;
}

async function serve(): Promise<{ url: string; close(): Promise<void> }> {
  const [bundle, page] = await Promise.all([readFile(BUNDLE), readFile(PAGE)]);
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head>
<body style="margin:0;width:1200px"><div id="stage"></div>
<script type="module" src="/connections-panel.js"></script>
<script type="module" src="/widget-render.page.js"></script></body></html>`;
  const chunks = new URL('../dist/chunks/', import.meta.url);
  const server = http.createServer(async (req, res) => {
    // The bundle's on-demand modules (languages, dialogs) load from dist/chunks beside it.
    const chunk = /^\/chunks\/([\w.-]+\.js)$/.exec(req.url ?? '')?.[1];
    const body = req.url === '/' ? html : req.url === '/connections-panel.js' ? bundle : req.url === '/widget-render.page.js' ? page : chunk ? await readFile(new URL(chunk, chunks)).catch(() => null) : null;
    if (body === null) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': req.url === '/' ? 'text/html' : 'text/javascript' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * 2. The widget (the built bundle) in headless Chromium: first render of 1,000 and of 5,000
 * accounts against setting the same markup once with innerHTML, and one account's health
 * changing. Expects dist/connections-panel.js to be built (widgetSize() builds it).
 */
export async function widgetRender(notes: string[]): Promise<Figure[]> {
  const server = await serve();
  const browser = await chromium.launch({ executablePath: CHROME_PATH, args: CHROME_ARGS });
  const figures: Figure[] = [];
  try {
    for (const [count, repetitions] of [
      [1_000, 7],
      [5_000, 3],
    ] as const) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(server.url);
      await page.waitForFunction('window.benchmarkReady === true', undefined, { timeout: 30_000 });
      const initial = agencyAccounts(count);
      const input = { initial, changed: oneTurnedAmber(initial), repetitions };
      const result = (await page.evaluate((arg) => (window as unknown as { runWidgetBenchmark(a: unknown): Promise<unknown> }).runWidgetBenchmark(arg), input)) as PageResult;
      await page.close();
      if (errors.length > 0) throw new Error(`errors in the page: ${errors.join('; ')}`);
      const n = count.toLocaleString('en');
      const first = median(result.first);
      const base = median(result.baseline);
      const change = median(result.changes.map((c) => c.ms));
      const touched = Math.max(...result.changes.map((c) => c.cardsTouched));
      figures.push(
        atMost(`widget first render, ${n} accounts / innerHTML baseline`, first / base, 'x', 3),
        reference(`widget first render, ${n} accounts`, first, 'ms'),
        reference(`innerHTML baseline, same markup, ${n} accounts`, base, 'ms'),
        below(`widget one health change, ${n} accounts, median`, change, 'ms', 2),
        exactly(`widget one health change, ${n} accounts: cards re-rendered (DOM mutations)`, touched, 'cards', 1),
        reference(`widget one health change, ${n} accounts: cards only taken off the page`, Math.max(...result.changes.map((c) => c.cardsRemoved)), 'cards'),
        reference(`widget one health change, ${n} accounts: DOM mutation records`, median(result.changes.map((c) => c.mutations)), 'records'),
        reference(`widget one health change, ${n} accounts: card re-renders (Lit updates)`, median(result.changes.map((c) => c.cardUpdates)), 'cards'),
        reference(`widget cards in the DOM, ${n} accounts`, result.cardsInDom, 'cards'),
      );
      notes.push(
        result.cardsInDom < count
          ? `widget at ${n} accounts: ${result.cardsInDom} of ${n} cards in the DOM (paginated or virtualized); the health change moves an account from the middle of the list into the amber group at the top.`
          : `widget at ${n} accounts: all ${result.cardsInDom} cards are in the DOM (no virtualization or pagination); flattened markup ${(result.markupBytes / 1e6).toFixed(1)} MB.`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return figures;
}
