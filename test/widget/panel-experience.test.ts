import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import { ContextProvider } from '@lit/context';
import '../../widget/index.ts';
import type { ConnectionsPanel } from '../../widget/connections-panel/connections-panel.ts';
import type { ConnectionsSummary } from '../../widget/connections-summary/connections-summary.ts';
import { apiContext } from '../../widget/context/api-context.ts';
import { ApiError, type Account, type AccountDetail, type AccountPage, type PublicEvent } from '../../widget/api/api-client.ts';
import { cards, textOf } from './support/dom.ts';
import { account, fakeApi, fakePopup, openMenu, panelWith, PLATFORMS, postResult, toastTexts } from './support/fake-api.ts';

/**
 * Issue 17 (the widget a person enjoys), with the widget's parts of issues 14, 16 and 18:
 * each test names what it proves and fails without it.
 */

afterEach(async () => {
  history.replaceState(null, '', window.location.pathname);
  sessionStorage.clear();
  await setViewport({ width: 800, height: 600 });
});

const detailOf = (a: Account, admin = false, more: Partial<AccountDetail> = {}): AccountDetail => ({
  ...a,
  platformAccountId: '1',
  recentPosts: [],
  ...(admin ? { debug: { grantedScopes: [], missingScopes: [], requiredScopes: [], tokenExpiresAt: null, refreshTokenExpiresAt: null, dataAccessExpiresAt: null, connectMethod: 'facebook_login', consecutiveRefreshFailures: 0 } } : {}),
  ...more,
});
const detail = (el: ConnectionsPanel) => el.shadowRoot!.querySelector('cp-account-detail')!;
const detailDialog = (el: ConnectionsPanel) => detail(el).shadowRoot?.querySelector('dialog') as HTMLDialogElement | undefined;
const event = (over: Partial<PublicEvent>): PublicEvent => ({ id: crypto.randomUUID(), type: 'token_refreshed', accountId: null, message: 'x', params: { name: 'x' }, createdAt: '2026-11-24T10:00:00.000Z', ...over });
const ten = () => Array.from({ length: 10 }, (_, i) => account({ displayName: `Client ${i}` }));

async function openDetailsOf(el: ConnectionsPanel, index = 0) {
  const card = cards(el)[index]!;
  await card.updateComplete;
  card.shadowRoot!.querySelector<HTMLButtonElement>('button.name')!.click();
  await waitUntil(() => detailDialog(el)?.open, 'details open');
}

describe('1. messages where the person looks', () => {
  for (const [label, width, height] of [
    ['desktop', 1280, 900],
    ['phone', 390, 844],
  ] as const) {
    it(`shows toasts inside the viewport on a ${label}, scrolled to the end of 10 accounts`, async () => {
      await setViewport({ width, height });
      let events: PublicEvent[] = [];
      const list = ten();
      const wrapper = await fixture<HTMLDivElement>(html`<div><div style="height: 1200px"></div></div>`);
      const el = document.createElement('connections-panel');
      el.api = fakeApi(async () => list, { healthCheck: async () => ({ accounts: [], events }) });
      wrapper.append(el);
      await waitUntil(() => cards(el).length === 10);
      window.scrollTo(0, document.documentElement.scrollHeight);
      events = [event({ type: 'token_refreshed', accountId: list[9]!.id, message: 'Access token refreshed for Client 9' })];
      await el.healthCheck();
      await el.updateComplete;
      const box = el.shadowRoot!.querySelector('.toast')!.getBoundingClientRect();
      expect(box.top).to.be.at.least(0);
      expect(box.bottom).to.be.at.most(window.innerHeight);
      expect(box.right).to.be.at.most(window.innerWidth);
      window.scrollTo(0, 0);
    });
  }

  it('lets informational toasts go by themselves, keeps warnings until dismissed, and never evicts a warning for newer news', async () => {
    const list = ten();
    let events: PublicEvent[] = [];
    const el = await panelWith(fakeApi(async () => list, { healthCheck: async () => ({ accounts: [], events }) }));
    el.toastDurationMs = 200;
    await waitUntil(() => cards(el).length === 10 && textOf(el).includes('Checked just now'));
    events = [event({ type: 'reconnect_required', accountId: null, message: 'Please reconnect Client 0' })];
    await el.healthCheck();
    events = list.slice(1, 7).map((a) => event({ type: 'token_refreshed', accountId: a.id, message: `Access token refreshed for ${a.displayName}` }));
    await el.healthCheck();
    await el.updateComplete;
    expect(toastTexts(el)).to.include('Please reconnect Client 0');
    expect(toastTexts(el).length).to.equal(4, 'the warning and the 3 newest informational ones');
    await waitUntil(() => toastTexts(el).length === 1, 'informational toasts leave by themselves', { timeout: 3000 });
    expect(toastTexts(el)).to.deep.equal(['Please reconnect Client 0']);
    el.shadowRoot!.querySelector<HTMLButtonElement>('.toast .dismiss')!.click();
    await waitUntil(() => toastTexts(el).length === 0);
  });

  it('says a disconnect once, and no stale notice stays behind', async () => {
    const a = account({ displayName: 'Leaving Page' });
    let list = [a, account({ displayName: 'Staying Page' })];
    const el = await panelWith(fakeApi(async () => list, { disconnect: async () => void (list = list.slice(1)), events: async () => ({ events: [event({ type: 'account_disconnected', accountId: a.id, message: 'Leaving Page disconnected' })], cursor: 'c' }) }));
    await waitUntil(() => cards(el).length === 2);
    await openMenu(cards(el)[0]!);
    [...cards(el)[0]!.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role=menuitem]')].find((b) => b.textContent === 'Disconnect')!.click();
    const confirm = el.shadowRoot!.querySelector('cp-confirm-dialog')!;
    await waitUntil(() => confirm.shadowRoot?.querySelector('dialog')?.open);
    confirm.shadowRoot!.querySelector<HTMLButtonElement>('button.danger')!.click();
    await waitUntil(() => cards(el).length === 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(toastTexts(el)).to.deep.equal(['Leaving Page disconnected.']);
    expect(el.shadowRoot!.querySelector('.notice')).to.equal(null, 'no static notice block');
  });
});

describe('2. the card is the way in', () => {
  it('opens the detail panel when the card itself is clicked or tapped, not when one of its buttons is', async () => {
    const a = account();
    let opened = 0;
    const el = await panelWith(fakeApi(async () => [a], { getAccount: async () => (opened++, detailOf(a)) }), { composer: 'https://host.example/compose' });
    el.navigate = () => undefined;
    await waitUntil(() => cards(el).length === 1);
    const card = cards(el)[0]!;
    await card.updateComplete;
    const primary = card.shadowRoot!.querySelector<HTMLButtonElement>('button.primary')!;
    primary.click();
    await new Promise((r) => setTimeout(r, 50));
    expect(opened).to.equal(0, 'Create post is not a way into details');
    const avatar = card.shadowRoot!.querySelector('.avatar')!.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(avatar.x + 10), Math.round(avatar.y + 10)] });
    await waitUntil(() => detailDialog(el)?.open, 'a click on the card opens details');
    expect(opened).to.equal(1);
    detailDialog(el)!.close();
  });

  it('names each card button with its account, and has no live region per card', async () => {
    const el = await panelWith(fakeApi(async () => [account({ health: 'needs_reconnect', reason: 'token_expired', reasonMessage: 'Expired.' })]));
    await waitUntil(() => cards(el).length === 1);
    const card = cards(el)[0]!;
    await card.updateComplete;
    expect(card.shadowRoot!.querySelector('button.primary')!.getAttribute('aria-label')).to.equal('Reconnect Hart & Crumb Bakery');
    expect(card.shadowRoot!.querySelector('button.more')!.getAttribute('aria-label')).to.equal('More actions for Hart & Crumb Bakery');
    expect(card.shadowRoot!.querySelectorAll('[role=status], [aria-live]').length).to.equal(0);
    expect(card.shadowRoot!.querySelectorAll('.actions > button, .actions > a').length).to.equal(2, 'one primary action and the menu');
  });
});

describe('3. facts that agree', () => {
  it('never says an amber or paused account can receive published posts', async () => {
    const revoked = account({ health: 'needs_reconnect', reason: 'token_revoked', reasonMessage: 'Revoked.', canPublish: true });
    const paused = account({ displayName: 'Paused Page', status: 'paused', pausedReason: 'plan_limit', canPublish: true });
    const healthy = account({ displayName: 'Fine Page' });
    const byId = new Map([revoked, paused, healthy].map((a) => [a.id, a]));
    const el = await panelWith(fakeApi(async () => [revoked, paused, healthy], { getAccount: async (id) => detailOf(byId.get(id)!) }));
    await waitUntil(() => cards(el).length === 3);
    for (const [i, says] of [
      [0, 'Cannot publish until it is reconnected'],
      [1, 'Cannot publish while it is paused'],
      [2, 'Can receive published posts'],
    ] as const) {
      await openDetailsOf(el, i);
      expect(textOf(detailDialog(el)!)).to.contain(says);
      if (i < 2) expect(textOf(detailDialog(el)!)).not.to.contain('Can receive published posts');
      detailDialog(el)!.close();
      await waitUntil(() => !detailDialog(el)!.open);
    }
  });

  it('says only the newest of several events about one account in one batch', async () => {
    const a = account();
    const el = await panelWith(
      fakeApi(async () => [a], {
        healthCheck: async () => ({
          accounts: [],
          events: [event({ type: 'token_refreshed', accountId: a.id, message: 'Access token refreshed for Hart & Crumb Bakery' }), event({ type: 'token_expired', accountId: a.id, message: 'Hart & Crumb Bakery expired. Please reconnect.' })],
        }),
      }),
    );
    await waitUntil(() => toastTexts(el).length > 0);
    expect(toastTexts(el)).to.deep.equal(['Hart & Crumb Bakery expired. Please reconnect.']);
  });

  it('says a connect that ends amber in one warning, not "connected" and "Please reconnect"', async () => {
    const a = account({ id: 'n1', health: 'needs_reconnect', reason: 'missing_permissions', reasonMessage: 'Some permissions were not granted: read_insights.' });
    let list: Account[] = [];
    let feed: PublicEvent[] = [];
    const el = await panelWith(
      fakeApi(async () => list, {
        startConnection: async () => ({ attemptId: 'c1', authorizeUrl: 'https://bff.example/oauth/start/c1' }),
        events: async () => ({ events: feed, cursor: 'c' }),
      }),
    );
    const popup = fakePopup();
    el.openWindow = () => popup;
    await waitUntil(() => el.shadowRoot!.querySelector('.connect button'));
    el.shadowRoot!.querySelector<HTMLButtonElement>('.connect button')!.click();
    await waitUntil(() => popup.location.href !== 'about:blank');
    list = [a];
    feed = [event({ type: 'account_connected', accountId: 'n1', message: 'Hart & Crumb Bakery connected' }), event({ type: 'reconnect_required', accountId: 'n1', message: 'Please reconnect Hart & Crumb Bakery' })];
    postResult({ attemptId: 'c1', status: 'connected', accountIds: ['n1'] });
    await waitUntil(() => toastTexts(el).some((t) => t.includes('needs reconnecting')));
    await new Promise((r) => setTimeout(r, 50));
    expect(toastTexts(el)).to.deep.equal(['Hart & Crumb Bakery is connected but needs reconnecting: Some permissions were not granted: read_insights.']);
  });
});

describe('4. the redirect flow has an ending', () => {
  it('toasts the outcome and tidies the URL (no cp_ parameters, no #_=_)', async () => {
    history.replaceState(null, '', `${window.location.pathname}?keep=1&cp_attempt=r1&cp_status=connected#_=_`);
    const el = await panelWith(fakeApi(async () => [account()], { connectionStatus: async () => ({ status: 'connected', accountIds: ['a'] }) }));
    await waitUntil(() => toastTexts(el).includes('Connected 1 account.'));
    expect(window.location.search).to.equal('?keep=1');
    expect(window.location.hash).to.equal('');
    expect(window.location.href.endsWith('#')).to.equal(false);
  });
});

describe('5. a failed re-read keeps the list', () => {
  it('keeps the last accounts on screen with a banner, and recovers', async () => {
    let fail = false;
    let calls = 0;
    const el = await panelWith(
      fakeApi(async () => {
        calls++;
        if (fail) throw new TypeError('Failed to fetch');
        return [account(), account({ displayName: 'Second' })];
      }),
    );
    await waitUntil(() => cards(el).length === 2 && calls >= 2);
    expect(el.shadowRoot!.querySelector('.offline')).to.equal(null, 'no banner while the reads succeed');
    fail = true;
    el.refresh();
    await waitUntil(() => el.shadowRoot!.querySelector('.offline'), 'the banner');
    expect(cards(el).length).to.equal(2, 'the list stays');
    expect(textOf(el.shadowRoot!.querySelector('.offline')!)).to.contain('These are the accounts as they were at');
    await expect(el).to.be.accessible();
    fail = false;
    el.shadowRoot!.querySelector<HTMLButtonElement>('.offline button')!.click();

    await waitUntil(() => !el.shadowRoot!.querySelector('.offline'), 'recovered');
  });
});

describe('6. dialogs and focus', () => {
  it('focuses the heading, has a visible close button, and closes on the backdrop', async () => {
    const a = account();
    const el = await panelWith(fakeApi(async () => [a], { getAccount: async () => detailOf(a, false, { recentPosts: [{ id: 'p', message: 'A post', permalinkUrl: 'https://facebook.example/p', mediaUrl: null, publishedAt: null, metrics: {} }] }) }));
    await waitUntil(() => cards(el).length === 1);
    await openDetailsOf(el);
    expect(detail(el).shadowRoot!.activeElement!.id).to.equal('detail-title');
    const close = detailDialog(el)!.querySelector<HTMLButtonElement>('button.close')!;
    expect(close.getBoundingClientRect().width).to.be.greaterThan(0);
    expect(close.getAttribute('aria-label')).to.equal('Close');
    await sendMouse({ type: 'click', position: [3, 3] });
    await waitUntil(() => !detailDialog(el)!.open, 'a click on the backdrop closes it');
  });

  it('closes only the confirmation on Escape, and after a disconnect puts focus on the next card', async () => {
    const a = account({ displayName: 'First' });
    const b = account({ displayName: 'Second' });
    let list = [a, b];
    const el = await panelWith(fakeApi(async () => list, { getAccount: async () => detailOf(a), disconnect: async () => void (list = [b]) }));
    await waitUntil(() => cards(el).length === 2);
    await openDetailsOf(el);
    detailDialog(el)!.querySelector<HTMLButtonElement>('.danger-outline')!.click();
    const confirm = el.shadowRoot!.querySelector('cp-confirm-dialog')!;
    await waitUntil(() => confirm.shadowRoot?.querySelector('dialog')?.open);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !confirm.shadowRoot!.querySelector('dialog')!.open);
    expect(detailDialog(el)!.open).to.equal(true, 'the detail panel stays open');
    detailDialog(el)!.querySelector<HTMLButtonElement>('.danger-outline')!.click();
    await waitUntil(() => confirm.shadowRoot!.querySelector('dialog')!.open);
    confirm.shadowRoot!.querySelector<HTMLButtonElement>('button.danger')!.click();
    await waitUntil(() => cards(el).length === 1);
    await waitUntil(() => cards(el)[0]!.shadowRoot!.activeElement?.matches('button.name'), 'focus on the card that took its place');
    expect(document.activeElement).not.to.equal(document.body);
  });

  it('returns focus to the account\'s card after a deep-linked panel closes', async () => {
    const a = account();
    history.replaceState(null, '', `${window.location.pathname}?account=${a.id}`);
    const el = await panelWith(fakeApi(async () => [a], { getAccount: async () => detailOf(a) }));
    await waitUntil(() => detailDialog(el)?.open);
    detailDialog(el)!.querySelector<HTMLButtonElement>('button.close')!.click();
    await waitUntil(() => cards(el)[0]!.shadowRoot!.activeElement?.matches('button.name'));
  });

  it('closes the bottom sheet when dragged down by its handle, and keeps its actions above the posts', async () => {
    await setViewport({ width: 390, height: 700 });
    const a = account();
    const posts = Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, message: `Post ${i}`, permalinkUrl: null, mediaUrl: null, publishedAt: null, metrics: {} }));
    const el = await panelWith(fakeApi(async () => [a], { getAccount: async () => detailOf(a, false, { recentPosts: posts }) }));
    await waitUntil(() => cards(el).length === 1);
    await openDetailsOf(el);
    const dialog = detailDialog(el)!;
    const actions = dialog.querySelector('.actions')!.getBoundingClientRect();
    expect(actions.bottom).to.be.at.most(window.innerHeight, 'the actions are on screen without scrolling');
    const handle = dialog.querySelector('.handle')!.getBoundingClientRect();
    const x = Math.round(handle.x + handle.width / 2);
    const y = Math.round(handle.y + handle.height / 2);
    await sendMouse({ type: 'move', position: [x, y] });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: [x, y + 60] });
    await sendMouse({ type: 'move', position: [x, y + 160] });
    await sendMouse({ type: 'up' });
    await waitUntil(() => !dialog.open, 'dragged down far enough, it closes');
  });
});

describe('7. deep links both ways', () => {
  it('writes ?account=<id> on opening and removes it on closing', async () => {
    const a = account();
    const el = await panelWith(fakeApi(async () => [a], { getAccount: async () => detailOf(a) }));
    await waitUntil(() => cards(el).length === 1);
    await openDetailsOf(el);
    expect(new URL(window.location.href).searchParams.get('account')).to.equal(a.id);
    detailDialog(el)!.close();
    await waitUntil(() => !new URL(window.location.href).searchParams.has('account'));
  });
});

describe('8. plans, said clearly', () => {
  it('shows paused accounts with their reason and an upgrade named by the plan\'s label', async () => {
    const paused = account({ platform: 'tiktok', displayName: 'Paused TikTok', status: 'paused', pausedReason: 'plan_platform' });
    const el = await panelWith(fakeApi(async () => [paused, account()]));
    await waitUntil(() => cards(el).length === 2);
    const card = cards(el)[0]!;
    await waitUntil(() => textOf(card).includes('Upgrade to Professional'));
    expect(textOf(card)).to.contain('Paused').and.contain('Paused: TikTok is not included in your plan.');
    expect(card.shadowRoot!.querySelector<HTMLAnchorElement>('a.primary')!.href).to.equal('https://host.example/plans');
    expect(textOf(el)).to.contain('1 account is paused: it is over your plan.');
    await expect(el).to.be.accessible();
  });

  it('says why the Connect buttons are blocked at the limit, on hover and focus', async () => {
    const el = await panelWith(fakeApi(async () => [account()], { listPlatforms: async () => ({ ...PLATFORMS, accountCount: 3, plan: 'free' }) }));
    await waitUntil(() => el.shadowRoot!.querySelector('.connect button'));
    const connect = el.shadowRoot!.querySelector<HTMLButtonElement>('.connect button')!;
    expect(connect.disabled).to.equal(false, 'focusable, so the reason can be read');
    expect(connect.getAttribute('aria-disabled')).to.equal('true');
    const tip = el.shadowRoot!.getElementById(connect.getAttribute('aria-describedby')!)!;
    expect(tip.textContent).to.contain('Your plan allows 3 accounts');
    expect(textOf(el)).to.contain('Upgrade to Starter');
    connect.click();
    await waitUntil(() => toastTexts(el).some((t) => t.includes('Your plan allows 3 accounts')));
  });
});

describe('9. checking, visibly', () => {
  it('checks when it opens and on Check statuses, saying "Checking…" then "Checked just now"', async () => {
    let checks = 0;
    let release: () => void = () => undefined;
    const el = await panelWith(fakeApi(async () => [account()], { healthCheck: () => (checks++, new Promise((r) => (release = () => r({ accounts: [], events: [] })))) }));
    await waitUntil(() => checks === 1, 'a check on opening');
    await waitUntil(() => textOf(el).includes('Checking…'));
    release();
    await waitUntil(() => textOf(el).includes('Checked just now'));
    const time = el.shadowRoot!.querySelector('.checked time')!;
    expect(time.getAttribute('title')).to.match(/\d/, 'the exact time on hover');
    el.shadowRoot!.querySelector<HTMLButtonElement>('.check-button')!.click();
    await waitUntil(() => checks === 2);
    release();
  });

  it('shows when an account was last checked, and "Needs reconnecting by" within the warning window', async () => {
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const later = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const a = account({ checkedAt: new Date(Date.now() - 5 * 60_000).toISOString(), actionNeededBy: soon });
    const b = account({ displayName: 'Later', actionNeededBy: later });
    const el = await panelWith(fakeApi(async () => [a, b], { getAccount: async () => detailOf(a) }));
    await waitUntil(() => cards(el).length === 2);
    await cards(el)[0]!.updateComplete;
    expect(textOf(cards(el)[0]!)).to.contain('Needs reconnecting by');
    expect(textOf(cards(el)[1]!)).not.to.contain('Needs reconnecting by', 'outside the 7 days');
    await openDetailsOf(el);
    expect(textOf(detailDialog(el)!)).to.contain('Checked 5 minutes ago').and.contain('Needs reconnecting by');
  });

  it('keeps <connections-summary> current by itself when a panel on the page reads the accounts', async () => {
    let list = [account()];
    const api = fakeApi(async () => list);
    const summary = await fixture<ConnectionsSummary>(html`<connections-summary .api=${api}></connections-summary>`);
    await waitUntil(() => textOf(summary).includes('1 healthy'));
    list = [account(), account({ health: 'needs_reconnect', reason: 'token_expired' })];
    const panel = await panelWith(api);
    await waitUntil(() => cards(panel).length === 2);
    await waitUntil(() => textOf(summary).includes('1 needs reconnect'), 'the summary followed the panel');
  });
});

describe('10. polish', () => {
  it('draws the platforms\' marks inline, shows post thumbnails, and renders no URL but https (or the BFF\'s own)', async () => {
    const a = account({ avatarUrl: 'javascript:alert(1)' });
    const el = await panelWith(
      fakeApi(async () => [a], {
        getAccount: async () =>
          detailOf(a, false, {
            recentPosts: [
              { id: '1', message: 'Safe', permalinkUrl: 'https://facebook.example/1', mediaUrl: 'https://cdn.example/1.jpg', publishedAt: null, metrics: {} },
              { id: '2', message: 'Unsafe', permalinkUrl: 'javascript:alert(1)', mediaUrl: 'data:image/png;base64,AAAA', publishedAt: null, metrics: {} },
            ],
          }),
      }),
    );
    await waitUntil(() => cards(el).length === 1);
    const card = cards(el)[0]!;
    await waitUntil(() => card.shadowRoot!.querySelector('svg.mark.facebook path'), 'the real mark');
    expect(card.shadowRoot!.querySelector('img')).to.equal(null, 'no javascript: picture');
    await openDetailsOf(el);
    const links = [...detailDialog(el)!.querySelectorAll<HTMLAnchorElement>('ul.posts a')].map((x) => x.href);
    const pictures = [...detailDialog(el)!.querySelectorAll<HTMLImageElement>('ul.posts img')].map((x) => x.src);
    expect(links).to.deep.equal(['https://facebook.example/1']);
    expect(pictures).to.deep.equal(['https://cdn.example/1.jpg']);
    expect(detailDialog(el)!.querySelector('.danger-outline')!.textContent).to.equal('Disconnect');
  });

  it('says how many need attention, filters by health and platform, and reconnects all in a row', async () => {
    const amber = [0, 1, 2].map((i) => account({ displayName: `Amber ${i}`, health: 'needs_reconnect', reason: 'token_revoked', reasonMessage: 'Revoked.' }));
    let list = [...amber, ...Array.from({ length: 6 }, (_, i) => account({ platform: i % 2 ? 'x' : 'facebook', displayName: `Green ${i}` }))];
    const reconnected: string[] = [];
    const links: string[] = [];
    const el = await panelWith(
      fakeApi(async () => list, {
        reconnect: async (id) => (reconnected.push(id), { attemptId: `r${reconnected.length}`, authorizeUrl: 'https://bff.example/oauth/start/r' }),
        reconnectLink: async (id) => (links.push(id), { url: `https://bff.example/link/${id}`, expiresAt: '2026-12-08T10:00:00.000Z' }),
      }),
    );
    el.openWindow = () => fakePopup();
    await waitUntil(() => cards(el).length === 9);
    expect(textOf(el.shadowRoot!.querySelector('.attention')!)).to.contain('3 accounts need attention');
    await waitUntil(() => el.shadowRoot!.querySelector('#cp-health'), 'the filter bar');
    const health = el.shadowRoot!.querySelector<HTMLSelectElement>('#cp-health')!;
    health.value = 'attention';
    health.dispatchEvent(new Event('change'));
    await waitUntil(() => cards(el).length === 3);
    health.value = 'all';
    health.dispatchEvent(new Event('change'));
    const platform = el.shadowRoot!.querySelector<HTMLSelectElement>('#cp-platform')!;
    platform.value = 'x';
    platform.dispatchEvent(new Event('change'));
    await waitUntil(() => cards(el).length === 3);
    expect(cards(el).every((c) => c.account.platform === 'x')).to.equal(true);

    [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.attention button')].find((b) => b.textContent === 'Reconnect all')!.click();
    const ra = el.shadowRoot!.querySelector('cp-reconnect-all')!;
    await waitUntil(() => ra.shadowRoot?.querySelector('dialog')?.open, 'Reconnect all opens');
    expect(textOf(ra)).to.contain('0 of 3 reconnected');
    await expect(ra).to.be.accessible();
    ra.shadowRoot!.querySelector<HTMLButtonElement>('li.current button.primary')!.click();
    await waitUntil(() => reconnected.length === 1);
    expect(reconnected).to.deep.equal([amber[0]!.id]);
    list = list.map((a) => (a.id === amber[0]!.id ? { ...a, health: 'healthy', reason: null, reasonMessage: null } : a));
    postResult({ attemptId: 'r1', status: 'connected', accountIds: [amber[0]!.id] });
    await waitUntil(() => textOf(ra).includes('1 of 3 reconnected'), 'on to the next');
    expect(textOf(ra.shadowRoot!.querySelector('li.current')!)).to.contain('Amber 1');
    [...ra.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === 'Create reconnect links')!.click();
    await waitUntil(() => ra.shadowRoot!.querySelector('textarea'));
    expect(links).to.deep.equal([amber[1]!.id, amber[2]!.id]);
    expect(ra.shadowRoot!.querySelector('textarea')!.value).to.contain(`https://bff.example/link/${amber[1]!.id}`);
  });

  it('offers each of a platform\'s kinds as its own choice, and sends the kind', async () => {
    const started: unknown[] = [];
    const el = await panelWith(
      fakeApi(async () => [], {
        listPlatforms: async () => ({
          platforms: [{ platform: 'linkedin', label: 'LinkedIn', status: 'available', requiredPlan: 'professional', kinds: [{ kind: 'member', label: 'LinkedIn profile' }, { kind: 'organization', label: 'LinkedIn Page' }] }],
          accountCount: 0,
          accountLimit: null,
        }),
        startConnection: async (r) => (started.push(r), { attemptId: 'k', authorizeUrl: 'https://bff.example/oauth/start/k' }),
      }),
    );
    el.openWindow = () => fakePopup();
    await waitUntil(() => el.shadowRoot!.querySelectorAll('.connect button').length === 2);
    const labels = [...el.shadowRoot!.querySelectorAll('.connect button')].map((b) => b.textContent!.trim());
    expect(labels).to.deep.equal(['Connect LinkedIn profile', 'Connect LinkedIn Page']);
    el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.connect button')[1]!.click();
    await waitUntil(() => started.length === 1);
    expect(started).to.deep.equal([{ platform: 'linkedin', kind: 'organization', mode: 'popup' }]);
  });
});

describe('for agencies: thousands of accounts, history, links', () => {
  const many = Array.from({ length: 5000 }, (_, i) =>
    account({ id: `a${String(i).padStart(5, '0')}`, platform: i % 5 === 0 ? 'x' : 'facebook', displayName: `Client ${String(i).padStart(5, '0')}`, ...(i < 40 ? { health: 'needs_reconnect' as const, reason: 'token_expired' as const, reasonMessage: 'Expired.' } : {}) }),
  );
  const paged = (requests: { limit?: number; after?: string }[]) => async (r: { limit?: number; after?: string }): Promise<AccountPage> => {
    requests.push(r);
    const from = r.after ? Number(r.after) : 0;
    const to = from + (r.limit ?? many.length);
    return { accounts: many.slice(from, to), cursor: to >= many.length ? null : String(to), counts: { total: 5000, needsReconnect: 40, paused: 0 } };
  };

  it('counts and pages 5,000 accounts from the BFF without loading them all, and loads everything only to filter', async () => {
    const requests: { limit?: number; after?: string }[] = [];
    const el = await panelWith(fakeApi(async () => many, { listAccountsPage: paged(requests) }));
    await waitUntil(() => cards(el).length === 48 && el.shadowRoot!.querySelector('#cp-filter'));
    expect(textOf(el)).to.contain('5,000 connected').and.contain('40 accounts need attention');
    expect(requests.every((r) => r.limit === 100 && r.after === undefined)).to.equal(true, 'only the first page read');
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('#cp-filter')!;
    input.value = 'Client 04999';
    input.dispatchEvent(new Event('input'));
    await waitUntil(() => cards(el).length === 1 && cards(el)[0]!.account.displayName === 'Client 04999', 'found past the first page');
    expect(cards(el).length).to.equal(1);
    expect(requests.length).to.be.greaterThan(2);
  });

  it('shows the account\'s history, newest first, a page at a time', async () => {
    const a = account();
    const asked: (string | undefined)[] = [];
    const el = await panelWith(
      fakeApi(async () => [a], {
        getAccount: async () => detailOf(a),
        accountHistory: async (_id, after) => {
          asked.push(after);
          return after
            ? { entries: [{ id: '1', at: '2026-11-01T10:00:00.000Z', kind: 'connected', message: 'Connected by Dana', actor: { type: 'user', id: 'u1', name: 'Dana' }, accountId: a.id, params: {} }], cursor: null }
            : { entries: [{ id: '2', at: '2026-11-20T10:00:00.000Z', kind: 'refreshed', message: 'Access token refreshed', actor: null, accountId: a.id, params: {} }], cursor: 'older' };
        },
      }),
    );
    await waitUntil(() => cards(el).length === 1);
    await openDetailsOf(el);
    expect(asked).to.deep.equal([], 'read only when opened');
    detailDialog(el)!.querySelector<HTMLElement>('details.history summary')!.click();
    await waitUntil(() => detailDialog(el)!.querySelectorAll('ol.history li').length === 1);
    [...detailDialog(el)!.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === 'Show older')!.click();
    await waitUntil(() => detailDialog(el)!.querySelectorAll('ol.history li').length === 2);
    const entries = [...detailDialog(el)!.querySelectorAll('ol.history li')].map((li) => textOf(li));
    expect(entries[0]).to.contain('Access token refreshed');
    expect(entries[1]).to.contain('Connected by Dana').and.contain('by Dana');
    expect(asked).to.deep.equal([undefined, 'older']);
    expect([...detailDialog(el)!.querySelectorAll('button')].some((b) => b.textContent === 'Show older')).to.equal(false, 'no more');
  });

  it('lets an admin copy an account\'s reconnect link from its detail panel', async () => {
    const a = account();
    const asked: string[] = [];
    const el = await panelWith(fakeApi(async () => [a], { getAccount: async () => detailOf(a, true), reconnectLink: async (id) => (asked.push(id), { url: 'https://bff.example/link/abc', expiresAt: '2026-12-08T10:00:00.000Z' }) }));
    await waitUntil(() => cards(el).length === 1);
    await openDetailsOf(el);
    [...detailDialog(el)!.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === 'Copy reconnect link')!.click();
    await waitUntil(() => detailDialog(el)!.querySelector<HTMLInputElement>('#link-url'));
    expect(detailDialog(el)!.querySelector<HTMLInputElement>('#link-url')!.value).to.equal('https://bff.example/link/abc');
    expect(asked).to.deep.equal([a.id]);
    expect(textOf(detailDialog(el)!)).to.match(/works once, until/);
  });
});

describe('one API client, from context (issue 14)', () => {
  it('serves the detail panel and a nested summary with the client the host provided once', async () => {
    const a = account();
    const calls: string[] = [];
    const api = fakeApi(async () => (calls.push('list'), [a]), { getAccount: async () => (calls.push('detail'), detailOf(a)) });
    const host = await fixture<HTMLDivElement>(html`<div><connections-summary></connections-summary></div>`);
    new ContextProvider(host, { context: apiContext, initialValue: api });
    const summary = host.querySelector('connections-summary')!;
    host.append(summary); // re-connect under the provider
    await waitUntil(() => textOf(summary).includes('Hart & Crumb Bakery'), 'the summary read through the provided client');
    const el = await panelWith(api);
    await waitUntil(() => cards(el).length === 1);
    await openDetailsOf(el);
    expect(calls).to.include('detail');
  });
});
