/**
 * Drives the example host page (npm start) in Debian's Chromium through the sandbox: connects
 * accounts on every platform through the pop-up and the consent page, picks Pages, turns one
 * amber, then saves the README's screenshots (desktop and mobile, light and dark, and the
 * panel in German and in Arabic, right to left) in
 * docs/screenshots. Usage: `npm start` in one terminal, then `npm run screenshots [url]`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';

const base = process.argv[2] ?? 'http://localhost:3000';
const out = path.resolve('docs/screenshots');
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

/** Connects one platform through the pop-up; `pick` names the Pages / organizations to add. */
async function connect(page: Page, label: string, options: { user?: string; pick?: string[] } = {}) {
  const popupPromise = page.waitForEvent('popup');
  await page.locator('connections-panel').getByRole('button', { name: `Connect ${label}`, exact: true }).click();
  const popup = await popupPromise;
  await popup.waitForSelector('form');
  if (options.user) await popup.selectOption('select[name=user]', { label: options.user });
  await popup.click('button[value=allow]');
  if (options.pick) {
    const dialog = page.locator('connections-panel cp-choice-dialog dialog');
    await dialog.waitFor({ state: 'visible' });
    for (const name of options.pick) await dialog.getByLabel(new RegExp(name)).check();
    await dialog.getByRole('button', { name: /^Add/ }).click();
    await dialog.waitFor({ state: 'hidden' });
  }
  await page.locator('connections-panel .toast').filter({ hasText: /connected|added/i }).first().waitFor();
}

const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
page.on('pageerror', (err) => console.error('page error:', err.message));
await page.goto(base);
await page.locator('connections-panel').getByRole('button', { name: 'Connect Facebook' }).waitFor();
const existing = await page.locator('connections-panel cp-account-card').count();
if (existing === 0) {
  await connect(page, 'Facebook', { pick: ['Hart & Crumb', 'Northside'] });
  await connect(page, 'Instagram');
  await connect(page, 'TikTok');
  await connect(page, 'X');
  await connect(page, 'LinkedIn profile', { pick: ['Grace'] });
}
await page.locator('connections-panel cp-account-card').first().waitFor();
if ((await page.locator('connections-panel cp-account-card.amber, connections-panel cp-account-card').filter({ hasText: 'Needs reconnect' }).count()) === 0) {
  await page.getByRole('button', { name: 'Revoke the first account at its platform' }).click();
  await page.locator('#tool-status').filter({ hasText: 'revoked' }).waitFor();
}
await page.locator('connections-panel cp-account-card').first().waitFor();
await context.close();

for (const [name, options] of [
  ['desktop-light', { viewport: { width: 1280, height: 900 }, colorScheme: 'light' }],
  ['desktop-dark', { viewport: { width: 1280, height: 900 }, colorScheme: 'dark' }],
  ['mobile-light', { viewport: { width: 390, height: 844 }, colorScheme: 'light', isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
  ['mobile-dark', { viewport: { width: 390, height: 844 }, colorScheme: 'dark', isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
] as const) {
  const ctx = await browser.newContext(options);
  const p = await ctx.newPage();
  await p.goto(base);
  await p.locator('connections-panel cp-account-card').first().waitFor();
  await p.locator('connections-panel .checked time').waitFor(); // the check on opening is done
  await p.waitForTimeout(300); // pictures
  await p.screenshot({ path: path.join(out, `${name}.png`), fullPage: !name.startsWith('mobile') });
  if (name.startsWith('mobile')) {
    // The detail panel as a bottom sheet.
    await p.locator('connections-panel cp-account-card').first().locator('.avatar').tap();
    await p.locator('connections-panel cp-account-detail dialog').waitFor({ state: 'visible' });
    await p.waitForTimeout(200);
    await p.screenshot({ path: path.join(out, `${name}-details.png`) });
  }
  await ctx.close();
  console.log(`saved docs/screenshots/${name}.png`);
}
// Every language: German, and Arabic laid out right to left (the page's lang sets the widget's).
for (const [name, lang] of [
  ['desktop-de', 'de'],
  ['desktop-ar', 'ar'],
] as const) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  const p = await ctx.newPage();
  await p.addInitScript((l) => document.addEventListener('DOMContentLoaded', () => document.documentElement.setAttribute('lang', l)), lang);
  await p.goto(base);
  await p.locator(`connections-panel section[lang=${lang}]`).waitFor({ state: 'attached' });
  await p.locator('connections-panel cp-account-card').first().waitFor();
  await p.locator('connections-panel .checked time').waitFor();
  await p.waitForTimeout(300);
  await p.screenshot({ path: path.join(out, `${name}.png`), fullPage: true });
  await ctx.close();
  console.log(`saved docs/screenshots/${name}.png`);
}
await browser.close();
