import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * The whole journey in a real browser: Debian's Chromium driven by playwright-core through the
 * example host page (`npm start`'s page, the script-tag bundle) against the BFF on the sandbox
 * platforms, on PostgreSQL when DATABASE_URL is set (CI's first run) and PGlite otherwise.
 * Each step leaves a screenshot in test-artifacts/e2e/. The steps build on each other, in order.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const artifacts = path.join(root, 'test-artifacts', 'e2e');
const LAUNCH = {
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
};

let server: TestServer;
let browser: Browser;
let desktop: BrowserContext;
let page: Page;

const panel = (p: Page = page) => p.locator('connections-panel');
const card = (name: string, p: Page = page) => panel(p).locator('cp-account-card').filter({ hasText: name });
const shot = (name: string, p: Page = page) => p.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
/** The one message an outcome gives: a toast (the overlay the person sees wherever they are scrolled). */
const notice = (text: string | RegExp, p: Page = page) => panel(p).locator('.toast').filter({ hasText: text }).first().waitFor();
const toast = (text: string | RegExp, p: Page = page) => panel(p).locator('.toast').filter({ hasText: text }).first().waitFor();

/** Answers the sandbox consent page that the pop-up shows. */
async function consent(popup: Page, options: { user?: string; uncheck?: string[]; decision?: 'allow' | 'deny' } = {}) {
  await popup.waitForSelector('button[value=allow]');
  if (options.user) await popup.selectOption('select[name=user]', options.user);
  for (const scope of options.uncheck ?? []) await popup.uncheck(`input[name=scope][value="${scope}"]`);
  await popup.click(`button[value=${options.decision ?? 'allow'}]`);
}

/** Clicks a button that opens the OAuth pop-up, and answers its consent page. */
async function throughPopup(click: () => Promise<void>, options: Parameters<typeof consent>[1] = {}) {
  const popup = page.waitForEvent('popup');
  await click();
  await consent(await popup, options);
}

/** Ticks the named Pages / organizations in the choice dialog and adds them. */
async function choose(names: string[]) {
  const dialog = panel().locator('cp-choice-dialog dialog');
  await dialog.waitFor({ state: 'visible' });
  for (const name of names) await dialog.getByLabel(new RegExp(name)).check();
  await dialog.getByRole('button', { name: /^Add/ }).click();
  await dialog.waitFor({ state: 'hidden' });
}

const connectButton = (label: string) => panel().getByRole('button', { name: `Connect ${label}`, exact: true });

/** A card's secondary action, from its "More actions" menu (the keyboard's and the mouse's way alike). */
async function fromMenu(name: string, action: string, p: Page = page) {
  await card(name, p).getByRole('button', { name: `More actions for ${name}` }).click();
  await card(name, p).getByRole('menuitem', { name: action }).click();
}

/** Reconnect: the card's primary action when amber, else in its menu. */
async function reconnect(name: string) {
  const primary = card(name).getByRole('button', { name: `Reconnect ${name}` });
  if (await primary.count()) await primary.click();
  else await fromMenu(name, 'Reconnect');
}

describe('the journey in a real browser', { concurrency: false }, () => {
  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await startTestServer({
      app: { staticDir: path.join(root, 'examples', 'host-page'), widgetDir: path.join(root, 'dist'), demo: true },
    });
    browser = await chromium.launch(LAUNCH);
    desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await desktop.newPage();
    page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
    await page.goto(server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('starts empty, with every platform to add', async () => {
    await panel().getByText('No accounts connected yet.').waitFor();
    for (const label of ['Facebook', 'Instagram', 'TikTok', 'X', 'LinkedIn profile', 'LinkedIn Page']) assert.equal(await connectButton(label).getAttribute('aria-disabled'), 'false', label);
    await panel().getByText('Telegram: coming soon').waitFor();
  });

  it('connects Facebook through the pop-up and the consent page, choosing two Pages', async () => {
    await throughPopup(() => connectButton('Facebook').click());
    await choose(['Hart & Crumb Bakery', 'Northside Running Club']);
    await notice('Added 2 accounts.');
    await card('Hart & Crumb Bakery').getByText('Healthy').waitFor();
    await card('Northside Running Club').getByText('Healthy').waitFor();
    await shot('01-facebook-pages');
  });

  it('connects Instagram, TikTok, X and a LinkedIn organization: every card green', async () => {
    await throughPopup(() => connectButton('Instagram').click());
    await notice('Connected 1 account.');
    await throughPopup(() => connectButton('TikTok').click());
    await card('Priya Raman').waitFor();
    await throughPopup(() => connectButton('X').click());
    await card('Sofia Marquez').waitFor();
    await throughPopup(() => connectButton('LinkedIn Page').click());
    const choice = panel().locator('cp-choice-dialog dialog');
    await choice.waitFor({ state: 'visible' });
    const orgName = (await choice.locator('label').filter({ hasText: 'LinkedIn Page' }).first().locator('span').first().innerText()).split('\n')[0]!;
    await choose([orgName]);
    await card(orgName).waitFor();
    assert.equal(await panel().locator('cp-account-card').count(), 6);
    assert.equal(await panel().locator('cp-account-card').filter({ hasText: 'Needs reconnect' }).count(), 0);
    await shot('02-all-green');
  });

  it('leaves a declined permission amber, naming it, and a reconnect with every permission turns it green', async () => {
    await throughPopup(() => reconnect('Sofia Marquez'), { uncheck: ['tweet.write'] });
    await card('Sofia Marquez').getByText('Needs reconnect').waitFor();
    await card('Sofia Marquez').getByText(/tweet\.write/).waitFor();
    await shot('03-missing-permission');
    await throughPopup(() => reconnect('Sofia Marquez'));
    await card('Sofia Marquez').getByText('Healthy').waitFor();
  });

  it('refreshes Meta tokens when the platforms\' clock moves 55 days, with a toast', async () => {
    await page.getByRole('button', { name: "Move the platforms' clock 55 days" }).click();
    await toast(/Access token refreshed for /);
    // One move renews five accounts at once (both Pages, Instagram, and the renewals that verify
    // TikTok and X): the stack shows the newest informational toasts, and every one is in the feed.
    const refreshed = await page.evaluate(async () => {
      const { token } = (await (await fetch('/demo/session', { method: 'POST' })).json()) as { token: string };
      const { events } = (await (await fetch('/api/events', { headers: { Authorization: `Bearer ${token}` } })).json()) as { events: { type: string; message: string }[] };
      return events.filter((e) => e.type === 'token_refreshed').map((e) => e.message);
    });
    for (const name of ['Hart & Crumb Bakery', 'Northside Running Club', 'Lumen Studio']) assert.ok(refreshed.includes(`Access token refreshed for ${name}`), `${name}: ${refreshed.join('; ')}`);
    // Where the person looks: inside the viewport, however far the page is scrolled.
    const box = (await panel().locator('.toast').first().boundingBox())!;
    assert.ok(box.y >= 0 && box.y + box.height <= 900, `the toast is on screen (y=${box.y})`);
    await shot('04-refreshed');
  });

  it('turns a Facebook grant revoked at the platform amber, then reconnects it to green', async () => {
    await page.getByRole('button', { name: 'Revoke the first account at its platform' }).click();
    await card('Hart & Crumb Bakery').getByText('Needs reconnect').waitFor();
    await toast('Please reconnect Hart & Crumb Bakery');
    await shot('05-revoked');
    await throughPopup(() => reconnect('Hart & Crumb Bakery'));
    await card('Hart & Crumb Bakery').getByText('Healthy').waitFor();
  });

  it('disconnects after the confirmation, keeps its posts, and restores them on connecting again', async () => {
    const id = await idOf('Northside Running Club');
    await fromMenu('Northside Running Club', 'Disconnect');
    const confirm = panel().locator('cp-confirm-dialog dialog');
    await confirm.getByText('published posts and analytics stay').waitFor();
    await confirm.getByRole('button', { name: 'Disconnect' }).click();
    await card('Northside Running Club').waitFor({ state: 'detached' });
    await notice('Northside Running Club disconnected.');
    const kept = await server.database.db.selectFrom('posts').select(({ fn }) => fn.countAll<string>().as('n')).where('account_id', '=', id).executeTakeFirstOrThrow();
    assert.ok(Number(kept.n) > 0, 'its posts stay in the workspace');

    await throughPopup(() => connectButton('Facebook').click());
    await choose(['Northside Running Club']);
    await card('Northside Running Club').getByRole('button', { name: 'View details of Northside Running Club' }).click();
    const detail = panel().locator('cp-account-detail dialog');
    await detail.getByRole('heading', { name: 'Recent posts' }).waitFor();
    assert.ok((await detail.locator('ul.posts li').count()) > 0, 'the history is back');
    assert.equal(await idOf('Northside Running Club'), id, 'the same account, restored');
    await shot('06-restored-with-posts');
    await detail.getByRole('button', { name: 'Close' }).click();
  });

  it('shows the upgrade prompt for paid platforms and blocks new connections at the limit', async () => {
    await page.selectOption('#plan', 'free');
    await panel().getByText('TikTok: Upgrade to Professional').waitFor();
    // At the limit the prompt names the next plan by its label (issue 17 item 8), and the
    // blocked Connect buttons say why.
    await panel().locator('.add .count').getByRole('link', { name: 'Upgrade to Starter', exact: true }).waitFor();
    assert.equal(await connectButton('Facebook').getAttribute('aria-disabled'), 'true');
    assert.match((await panel().locator('#cp-limit-why').textContent()) ?? '', /Upgrade to add more\./);
    await page.reload();
    await panel().getByText('TikTok: Upgrade to Professional').waitFor();
    await page.waitForFunction(() => (document.getElementById('plan') as HTMLSelectElement).value === 'free');
    await shot('07-free-plan');
    await page.selectOption('#plan', 'professional');
    await connectButton('TikTok').waitFor();
  });

  it('opens an account\'s panel from ?account=<id>', async () => {
    const id = await idOf('Lumen Studio');
    const other = await desktop.newPage();
    await other.goto(`${server.url}/?account=${id}`);
    const detail = panel(other).locator('cp-account-detail dialog');
    await detail.waitFor({ state: 'visible' });
    await detail.getByRole('heading', { name: 'Lumen Studio' }).waitFor();
    await shot('08-deep-link', other);
    await other.close();
  });

  it('on a phone: one column, the detail panel as a bottom sheet, and pull to refresh', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    await p.goto(server.url);
    await card('Lumen Studio', p).waitFor();
    const boxes = await Promise.all([0, 1].map((i) => panel(p).locator('cp-account-card').nth(i).boundingBox()));
    assert.equal(boxes[0]!.x, boxes[1]!.x, 'one column');
    assert.ok(boxes[1]!.y > boxes[0]!.y);

    // A tap on the card itself opens it.
    await card('Lumen Studio', p).locator('.avatar').tap();
    const sheet = panel(p).locator('cp-account-detail dialog');
    await sheet.waitFor({ state: 'visible' });
    const box = (await sheet.boundingBox())!;
    assert.equal(Math.round(box.y + box.height), 844, 'on the bottom edge');
    assert.equal(Math.round(box.width), 390, 'the full width');
    await shot('09-phone-sheet', p);
    await sheet.getByRole('button', { name: 'Close' }).click();

    // A finger pulls down from the top of the page, and lets go.
    const checked = p.waitForRequest((r) => r.url().endsWith('/api/health-check') && r.method() === 'POST');
    const cdp = await phone.newCDPSession(p);
    const at = (y: number) => [{ x: 195, y }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(150) });
    for (let y = 170; y <= 390; y += 20) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(y) });
    await panel(p).locator('.pull[data-state=armed]').waitFor({ state: 'attached' });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await checked;
    await phone.close();
  });

  it('falls back to the redirect flow in one click when pop-ups are blocked, and returns to the page', async () => {
    const blocked = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // A pop-up blocker: window.open gives nothing back.
    await blocked.addInitScript(() => {
      window.open = () => null;
    });
    const p = await blocked.newPage();
    await p.goto(server.url);
    await card('Lumen Studio', p).waitFor();
    await panel(p).getByRole('button', { name: 'Connect TikTok', exact: true }).click();
    await notice('Pop-ups are blocked', p);
    await shot('10-popup-blocked', p);
    await panel(p).getByRole('button', { name: 'Continue in this tab instead' }).click();
    await p.waitForURL(/\/sandbox\//);
    await consent(p, { user: 'tt-open-0002' });
    await p.waitForURL((url) => url.origin === server.url && url.pathname === '/');
    await card('Leo Fischer', p).waitFor();
    await notice('Connected 1 account.', p);
    assert.equal(new URL(p.url()).search, '', 'the page URL is tidied');
    await shot('11-redirect-connected', p);
    await blocked.close();
  });
});

/** An account's id, from the link the overview's summary gives it (the summary follows the panel). */
async function idOf(name: string): Promise<string> {
  const link = page.locator('connections-summary').locator('li a').filter({ hasText: name });
  await link.waitFor();
  return new URL((await link.getAttribute('href'))!, server.url).searchParams.get('account')!;
}
