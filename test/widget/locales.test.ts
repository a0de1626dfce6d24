import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../widget/index.ts';
import type { ConnectionsPanel } from '../../widget/connections-panel/connections-panel.ts';
import type { ConnectionsSummary } from '../../widget/connections-summary/connections-summary.ts';
import { ApiError, type Account, type AccountDetail, type PublicEvent } from '../../widget/api/api-client.ts';
import { cards } from './support/dom.ts';
import { account, fakeApi, PLATFORMS, toastTexts } from './support/fake-api.ts';

/** Every language renders, right to left in Arabic, axe clean; a German panel has no English left. */

afterEach(() => {
  history.replaceState(null, '', window.location.pathname);
  sessionStorage.clear();
});

const amber = account({ id: 'amber', displayName: 'Northside Running Club', health: 'needs_reconnect', reason: 'missing_permissions', reasonParams: { scopes: ['read_insights'] }, reasonMessage: 'Some permissions were not granted: read_insights. Reconnect and approve every requested permission.' });
const paused = account({ id: 'paused', platform: 'tiktok', displayName: 'Priya Raman', username: 'priya', status: 'paused', pausedReason: 'plan_platform' });
const healthy = account({ id: 'healthy', displayName: 'Hart & Crumb Bakery', checkedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(), actionNeededBy: new Date(Date.now() + 2 * 86_400_000).toISOString() });
const events: PublicEvent[] = [
  { id: 'e1', type: 'token_refreshed', accountId: 'healthy', message: 'Access token refreshed for Hart & Crumb Bakery', createdAt: '2026-11-24T10:00:00.000Z', params: { name: 'Hart & Crumb Bakery' } },
  { id: 'e2', type: 'reconnect_required', accountId: 'amber', message: 'Please reconnect Northside Running Club', createdAt: '2026-11-24T10:00:00.000Z', params: { name: 'Northside Running Club' } },
];
const detail = (a: Account): AccountDetail => ({ ...a, platformAccountId: '1', recentPosts: [] });
const api = () =>
  fakeApi(async () => [amber, paused, healthy], {
    healthCheck: async () => ({ accounts: [], events }),
    getAccount: async (id) => detail([amber, paused, healthy].find((a) => a.id === id)!),
    listPlatforms: async () => ({ ...PLATFORMS, plan: 'starter' }),
  });

async function panelIn(locale: string): Promise<ConnectionsPanel> {
  const el = await fixture<ConnectionsPanel>(html`<connections-panel locale=${locale} bff-url="https://bff.example" upgrade-url="https://host.example/plans" support-url="https://host.example/support" .api=${api()}></connections-panel>`);
  await waitUntil(() => cards(el).length === 3 && toastTexts(el).length === 2 && el.shadowRoot!.querySelector('.platforms'), 'rendered', { timeout: 5000 });
  await Promise.all(cards(el).map((c) => c.updateComplete));
  return el;
}

/** Every piece of text a person (or a screen reader) meets: text nodes and labels, through shadow roots. */
function words(root: Node, out: string[] = []): string[] {
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const t = node.textContent!.trim();
      if (t) out.push(t);
      return;
    }
    if (!(node instanceof Element || node instanceof ShadowRoot || node instanceof DocumentFragment)) return;
    if (node instanceof Element) {
      if (node.matches('style, script, svg')) return;
      for (const attr of ['aria-label', 'title', 'placeholder']) if (node.getAttribute(attr)) out.push(node.getAttribute(attr)!);
      if (node.shadowRoot) walk(node.shadowRoot);
    }
    for (const child of node.childNodes) walk(child);
  };
  walk(root);
  return out;
}

/** Names, handles, brands, plans, scopes and numbers are the same in every language. */
const DATA = /^(Hart & Crumb Bakery|Northside Running Club|Priya Raman|@?hartandcrumb|@?priya|Facebook|TikTok|WhatsApp|X|Professional|Starter|read_insights|@|[·×:,.()\d\s/-]+|H|N|P)$/;

describe('every language', () => {
  for (const locale of ['de', 'es', 'fr', 'ja', 'ar']) {
    it(`renders in ${locale}${locale === 'ar' ? ', right to left' : ''}, events and reasons from their codes, axe clean`, async () => {
      const el = await panelIn(locale);
      await waitUntil(() => el.shadowRoot!.querySelector('section')!.getAttribute('lang') === locale, 'the language loaded');
      await el.updateComplete;
      const root = el.shadowRoot!.querySelector('section')!;
      expect(root.getAttribute('dir')).to.equal(locale === 'ar' ? 'rtl' : 'ltr');
      expect(el.shadowRoot!.querySelector('h2')!.textContent).not.to.equal('Connected accounts');
      expect(toastTexts(el).join(' ')).not.to.contain('Access token refreshed', 'the event said from its type and parameters');
      expect(toastTexts(el).join(' ')).to.contain('Hart & Crumb Bakery');
      await expect(el).to.be.accessible();
      const summary = await fixture<ConnectionsSummary>(html`<connections-summary locale=${locale} .api=${api()}></connections-summary>`);
      await waitUntil(() => summary.shadowRoot!.querySelector('ul'), 'the summary');
      await expect(summary).to.be.accessible();
    });
  }

  it('leaves no English in a German panel, its cards, toasts and detail panel', async () => {
    const english = await panelIn('en');
    const en = new Set(words(english).filter((w) => !DATA.test(w)));
    english.remove();
    const el = await panelIn('de');
    await waitUntil(() => el.shadowRoot!.querySelector('section')!.getAttribute('lang') === 'de');
    await el.updateComplete;
    await Promise.all(cards(el).map((c) => c.updateComplete));
    const left = words(el).filter((w) => en.has(w));
    expect(left, `English left: ${left.join(' | ')}`).to.deep.equal([]);
    expect(words(el).join(' ')).to.contain('Verbundene Konten').and.contain('Neu verbinden nötig').and.contain('Upgrade auf Professional').and.contain('read_insights');
    // The detail panel, in German too.
    cards(el)[2]!.shadowRoot!.querySelector<HTMLButtonElement>('button.name')!.click();
    const dialog = () => el.shadowRoot!.querySelector('cp-account-detail')!.shadowRoot?.querySelector('dialog');
    await waitUntil(() => dialog()?.open);
    const detailWords = words(dialog()!).filter((w) => !DATA.test(w));
    for (const w of ['Last checked', 'Can receive published posts', 'Reconnect', 'Disconnect', 'Create post', 'Close']) expect(detailWords).not.to.include(w);
    expect(detailWords.join(' ')).to.contain('Kann veröffentlichte Beiträge empfangen').and.contain('Bis');
    await expect(el.shadowRoot!.querySelector('cp-account-detail')).to.be.accessible();
  });

  it('keeps the seed\'s exact toast texts in English, and says errors from their code in German', async () => {
    const el = await panelIn('en');
    expect(toastTexts(el)).to.deep.equal(['Access token refreshed for Hart & Crumb Bakery', 'Please reconnect Northside Running Club']);
    el.remove(); // one language per page at a time
    const de = await fixture<ConnectionsPanel>(
      html`<connections-panel locale="de" .api=${fakeApi(async () => [], { healthCheck: async () => Promise.reject(new ApiError(429, 'rate_limited', 'Too many requests.')) })}></connections-panel>`,
    );
    await waitUntil(() => toastTexts(de).some((t) => t.startsWith('Zu viele Anfragen')), 'the error in German', { timeout: 5000 });
  });

  it('follows the nearest lang when it has no locale attribute', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div lang="fr-CA"><connections-panel .api=${api()}></connections-panel></div>`);
    const el = wrapper.querySelector('connections-panel')!;
    await waitUntil(() => el.shadowRoot!.querySelector('h2')?.textContent === 'Comptes connectés', 'French from lang="fr-CA"', { timeout: 5000 });
  });
});
