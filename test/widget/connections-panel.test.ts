import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widget/index.ts';
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import type { ConnectionsPanel } from '../../widget/connections-panel/connections-panel.ts';
import type { ConnectionsSummary } from '../../widget/connections-summary/connections-summary.ts';
import type { AccountCard } from '../../widget/account-card/account-card.ts';
import { ApiError, type Account, type AccountDetail, type ApiClient } from '../../widget/api/api-client.ts';
import { CpCreatePostEvent } from '../../widget/events.ts';
import { button, cards, textOf } from './support/dom.ts';
import { account, fakeApi, fakePopup, openMenu, panelWith, PLATFORMS, postResult, submitted, toastTexts } from './support/fake-api.ts';

// Opening details writes ?account=<id> into the page's URL: each test starts from a clean one.
afterEach(() => {
  history.replaceState(null, '', window.location.pathname);
  sessionStorage.clear();
});

describe('<connections-panel>', () => {
  it('shows each account as a card with its health in words, in the order the BFF gives (amber first)', async () => {
    const amber = account({ displayName: 'Northside Running Club', health: 'needs_reconnect', reason: 'token_expired', reasonMessage: 'The access token has expired.' });
    const green = account({ platform: 'x', displayName: 'Sofia Marquez', username: 'sofiabuilds' });
    const el = await panelWith(fakeApi(async () => [amber, green]));
    await waitUntil(() => cards(el).length === 2);
    const [first, second] = cards(el);
    await first!.updateComplete;
    const text = (card: Element) => card.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text(first!)).to.contain('Northside Running Club').and.contain('Needs reconnect').and.contain('The access token has expired.');
    expect(text(second!)).to.contain('Sofia Marquez').and.contain('Healthy').and.contain('@sofiabuilds');
    expect(first!.shadowRoot!.querySelector('article')!.getAttribute('aria-label')).to.equal('Northside Running Club, Facebook, Needs reconnect');
    await expect(el).to.be.accessible();
  });

  it('says when there are no accounts yet', async () => {
    const el = await panelWith(fakeApi(async () => []));
    await waitUntil(() => el.shadowRoot!.textContent!.includes('No accounts connected yet.'));
    await expect(el).to.be.accessible();
  });

  it('shows a loading state, then an error with a retry that works', async () => {
    let calls = 0;
    let fail = true;
    const el = await panelWith(
      fakeApi(async () => {
        calls++;
        if (fail) throw new Error('The BFF could not be reached.');
        return [account()];
      }),
    );
    await waitUntil(() => el.shadowRoot!.querySelector('[role="alert"]'));
    expect(el.shadowRoot!.textContent).to.contain('The BFF could not be reached.');
    await expect(el).to.be.accessible();
    fail = false;
    const before = calls;
    (el.shadowRoot!.querySelector('[role="alert"] button') as HTMLButtonElement).click();
    await waitUntil(() => cards(el).length === 1);
    expect(calls).to.equal(before + 1);
  });

  it('opens the composer with ?social_account_id=<id> after a cancelable event', async () => {
    const a = account();
    const el = await panelWith(fakeApi(async () => [a]), { composer: 'https://host.example/compose?draft=1' });
    const opened: string[] = [];
    el.navigate = (url) => opened.push(url);
    await waitUntil(() => cards(el).length === 1);
    const button = [...cards(el)[0]!.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent === 'Create post')!;
    setTimeout(() => button.click());
    const event = (await oneEvent(el, CpCreatePostEvent.type)) as unknown as CpCreatePostEvent;
    expect(event.accountId).to.equal(a.id);
    expect(event.cancelable).to.equal(true);
    await waitUntil(() => opened.length === 1);
    const url = new URL(opened[0]!);
    expect(url.searchParams.get('social_account_id')).to.equal(a.id);
    expect(url.searchParams.get('draft')).to.equal('1');
  });

  it('lets the host route Create post itself by cancelling the event', async () => {
    const el = await panelWith(fakeApi(async () => [account()]), { composer: 'https://host.example/compose' });
    const opened: string[] = [];
    el.navigate = (url) => opened.push(url);
    el.addEventListener(CpCreatePostEvent.type, (e) => e.preventDefault());
    await waitUntil(() => cards(el).length === 1);
    [...cards(el)[0]!.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent === 'Create post')!.click();
    await new Promise((r) => setTimeout(r, 20));
    expect(opened).to.deep.equal([]);
  });

  it('links amber accounts with a connection error to support, the error pre-filled', async () => {
    const a = account({ health: 'needs_reconnect', reason: 'token_revoked', reasonMessage: 'Revoked.', lastError: { code: 'token_revoked', message: 'Error validating access token' } });
    const el = await panelWith(fakeApi(async () => [a]), { support: 'https://host.example/support' });
    await waitUntil(() => cards(el).length === 1);
    const card = cards(el)[0]!;
    await card.updateComplete;
    const link = card.shadowRoot!.querySelector('a.support') as HTMLAnchorElement;
    expect(link.textContent).to.equal('Fix with AI Support');
    expect(new URL(link.href).searchParams.get('error')).to.equal('Facebook: token_revoked: Error validating access token');
  });

  it('falls back to an initial when the profile picture fails to load', async () => {
    const el = await panelWith(fakeApi(async () => [account({ avatarUrl: 'http://127.0.0.1:9/missing.png' })]));
    await waitUntil(() => cards(el).length === 1);
    const card = cards(el)[0]!;
    await waitUntil(() => card.shadowRoot!.querySelector('span.avatar'), 'fallback shown', { timeout: 5000 });
    expect(card.shadowRoot!.querySelector('span.avatar')!.textContent).to.equal('H');
  });

  it('disconnects only after the confirmation dialog, and returns focus to the button', async () => {
    const a = account({ displayName: 'Leaving Page' });
    let list = [a];
    const disconnected: string[] = [];
    const el = await panelWith(fakeApi(async () => list, { disconnect: async (id) => void disconnected.push(id) }));
    await waitUntil(() => cards(el).length === 1);
    const dialog = () => el.shadowRoot!.querySelector('cp-confirm-dialog')!.shadowRoot?.querySelector('dialog') as HTMLDialogElement;
    const more = cards(el)[0]!.shadowRoot!.querySelector<HTMLButtonElement>('button.more')!;
    const disconnect = button(cards(el)[0]!.shadowRoot!, 'Disconnect')!;

    await openMenu(cards(el)[0]!);
    disconnect.click();
    await waitUntil(() => dialog()?.open);
    expect(dialog().textContent).to.contain('Disconnect Leaving Page?').and.contain('published posts and analytics stay');
    await expect(el.shadowRoot!.querySelector('cp-confirm-dialog')).to.be.accessible();
    button(dialog(), 'Cancel')!.click();
    await waitUntil(() => !dialog().open);
    expect(disconnected).to.deep.equal([]);
    expect(cards(el)[0]!.shadowRoot!.activeElement).to.equal(more, 'back on the menu\'s button');

    await openMenu(cards(el)[0]!);
    disconnect.click();
    await waitUntil(() => dialog()?.open);
    list = [];
    button(dialog(), 'Disconnect')!.click();
    await waitUntil(() => disconnected.length === 1);
    expect(disconnected).to.deep.equal([a.id]);
    await waitUntil(() => el.shadowRoot!.textContent!.includes('Leaving Page disconnected.'));
    await waitUntil(() => el.shadowRoot!.textContent!.includes('No accounts connected yet.'));
  });

  it('lists every platform with its plan state and the count against the limit', async () => {
    const el = await panelWith(fakeApi(async () => [account()]));
    await waitUntil(() => el.shadowRoot!.querySelector('.platforms li'));
    const text = el.shadowRoot!.querySelector('.add')!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('1 of 3 accounts used').and.contain('Connect Facebook').and.contain('TikTok: Upgrade to Professional').and.contain('WhatsApp: coming soon');
    expect((el.shadowRoot!.querySelector('a.upgrade') as HTMLAnchorElement).href).to.equal('https://host.example/plans');
    await expect(el).to.be.accessible();
  });

  it('blocks new connections at the limit, with an upgrade prompt', async () => {
    const el = await panelWith(fakeApi(async () => [account()], { listPlatforms: async () => ({ ...PLATFORMS, accountCount: 3 }) }));
    await waitUntil(() => el.shadowRoot!.querySelector('.platforms li'));
    expect(button(el.shadowRoot!, 'Connect Facebook')!.getAttribute('aria-disabled')).to.equal('true');
    expect(el.shadowRoot!.querySelector('.add')!.textContent).to.contain('Upgrade to add more');
  });

  it('opens the pop-up in the click, posts the start form into it, and takes the result only from the BFF', async () => {
    const started: unknown[] = [];
    let listed = 0;
    const el = await panelWith(
      fakeApi(
        async () => {
          listed++;
          return [account()];
        },
        { startConnection: async (request) => (started.push(request), { attemptId: 'a1', authorizeUrl: 'https://bff.example/oauth/start/a1', fields: { t: 'x' } }) },
      ),
    );
    const popup = fakePopup();
    const opened: string[] = [];
    el.openWindow = (url) => (opened.push(url), popup);
    await waitUntil(() => button(el.shadowRoot!, 'Connect Facebook'));
    button(el.shadowRoot!, 'Connect Facebook')!.click();
    expect(opened).to.deep.equal(['about:blank'], 'opened synchronously, before any request');
    await waitUntil(() => popup.location.href !== 'about:blank');
    expect(submitted.at(-1)).to.deep.equal({ action: 'https://bff.example/oauth/start/a1', fields: { t: 'x' }, into: 'popup' }, 'the secret goes in the form body, into the pop-up');
    expect(started).to.deep.equal([{ platform: 'facebook', mode: 'popup' }]);

    const before = listed;
    const result = { source: 'connections-panel', type: 'oauth-result', attemptId: 'a1', status: 'connected', accountIds: ['x'] };
    window.dispatchEvent(new MessageEvent('message', { data: result, origin: 'https://evil.example' }));
    await new Promise((r) => setTimeout(r, 20));
    expect(listed).to.equal(before, 'a message from another origin is ignored');
    window.dispatchEvent(new MessageEvent('message', { data: result, origin: 'https://bff.example' }));
    await waitUntil(() => listed > before);
    await waitUntil(() => el.shadowRoot!.textContent!.includes('Connected 1 account.'));
  });

  it('offers the redirect flow in one click when the pop-up is blocked', async () => {
    const started: unknown[] = [];
    const el = await panelWith(fakeApi(async () => [], { startConnection: async (request) => (started.push(request), { attemptId: 'a2', authorizeUrl: 'https://bff.example/oauth/start/a2', fields: { t: 'y' } }) }));
    el.openWindow = () => null;
    const before = submitted.length;
    await waitUntil(() => button(el.shadowRoot!, 'Connect Facebook'));
    button(el.shadowRoot!, 'Connect Facebook')!.click();
    await waitUntil(() => el.shadowRoot!.textContent!.includes('Pop-ups are blocked'));
    expect(started).to.deep.equal([]);
    button(el.shadowRoot!, 'Continue in this tab instead')!.click();
    await waitUntil(() => submitted.length === before + 1);
    expect(submitted.at(-1)).to.deep.equal({ action: 'https://bff.example/oauth/start/a2', fields: { t: 'y' }, into: 'page' });
    expect(started).to.deep.equal([{ platform: 'facebook', mode: 'redirect', returnTo: window.location.href }]);
  });

  describe('details, deep link, reconnect and toasts', () => {
    const detailOf = (a: Account, admin: boolean): AccountDetail => ({
      ...a,
      platformAccountId: '200000000000001',
      recentPosts: [{ id: 'p1', message: 'Fresh sourdough today', permalinkUrl: 'https://facebook.example/p1', mediaUrl: null, publishedAt: '2026-11-20T09:00:00.000Z', metrics: { likes: 12 } }],
      ...(admin
        ? { debug: { grantedScopes: ['pages_show_list'], missingScopes: ['read_insights'], requiredScopes: [], tokenExpiresAt: '2027-01-01T00:00:00.000Z', refreshTokenExpiresAt: null, dataAccessExpiresAt: '2027-02-01T00:00:00.000Z', connectMethod: 'facebook_login', consecutiveRefreshFailures: 0 } }
        : {}),
    });
    const detailDialog = (el: ConnectionsPanel) => el.shadowRoot!.querySelector('cp-account-detail')!.shadowRoot?.querySelector('dialog') as HTMLDialogElement;

    it('opens the detail panel from a card, with recent posts and the admin debug panel, and returns focus', async () => {
      const a = account();
      const el = await panelWith(fakeApi(async () => [a], { getAccount: async () => detailOf(a, true) }));
      await waitUntil(() => cards(el).length === 1);
      const view = cards(el)[0]!.shadowRoot!.querySelector<HTMLButtonElement>('button.name')!;
      view.focus();
      view.click();
      await waitUntil(() => detailDialog(el)?.open);
      const text = detailDialog(el).textContent!.replace(/\s+/g, ' ');
      expect(text).to.contain('Hart & Crumb Bakery').and.contain('Healthy').and.contain('Can receive published posts').and.contain('Fresh sourdough today');
      expect(text).to.contain('Token debug').and.contain('read_insights');
      await expect(el.shadowRoot!.querySelector('cp-account-detail')).to.be.accessible();
      detailDialog(el).querySelector<HTMLButtonElement>('button.close')!.click();
      await waitUntil(() => !detailDialog(el).open);
      await waitUntil(() => cards(el)[0]!.shadowRoot!.activeElement === view);
    });

    it('shows no debug panel to members', async () => {
      const a = account();
      const el = await panelWith(fakeApi(async () => [a], { getAccount: async () => detailOf(a, false) }));
      await waitUntil(() => cards(el).length === 1);
      button(cards(el)[0]!.shadowRoot!, 'View details')!.click();
      await waitUntil(() => detailDialog(el)?.open);
      expect(detailDialog(el).textContent).not.to.contain('Token debug');
      expect(textOf(detailDialog(el))).not.to.contain('Copy reconnect link', 'links are for admins');
    });

    it('opens ?account=<id> from the page URL', async () => {
      const a = account();
      const before = window.location.href;
      history.replaceState(null, '', `${window.location.pathname}?account=${a.id}`);
      try {
        const asked: string[] = [];
        const el = await panelWith(fakeApi(async () => [a], { getAccount: async (id) => (asked.push(id), detailOf(a, false)) }));
        await waitUntil(() => detailDialog(el)?.open);
        expect(asked).to.deep.equal([a.id]);
      } finally {
        history.replaceState(null, '', before);
      }
    });

    it('opens ?account=<id> when the session arrives after the element is on the page', async () => {
      const a = account();
      const before = window.location.href;
      history.replaceState(null, '', `${window.location.pathname}?account=${a.id}`);
      const el = document.createElement('connections-panel');
      try {
        document.body.append(el);
        await el.updateComplete;
        await new Promise((r) => setTimeout(r, 20));
        expect(textOf(el)).to.contain('Loading accounts…', 'no session yet: still loading, never "no accounts"');
        el.api = fakeApi(async () => [a], { getAccount: async () => detailOf(a, false) });
        await waitUntil(() => detailDialog(el)?.open, 'the deep link waits for the accounts');
      } finally {
        el.remove();
        history.replaceState(null, '', before);
      }
    });

    it('reconnects through the pop-up, telling the person to approve every permission', async () => {
      const a = account({ health: 'needs_reconnect', reason: 'missing_permissions', reasonMessage: 'Some permissions were not granted: read_insights.' });
      const asked: unknown[] = [];
      const el = await panelWith(fakeApi(async () => [a], { reconnect: async (id, options) => (asked.push([id, options]), { attemptId: 'r1', authorizeUrl: 'https://bff.example/oauth/start/r1', fields: { t: 'z' } }) }));
      const popup = fakePopup();
      el.openWindow = () => popup;
      await waitUntil(() => cards(el).length === 1);
      button(cards(el)[0]!.shadowRoot!, 'Reconnect')!.click();
      await waitUntil(() => popup.location.href !== 'about:blank');
      expect(asked).to.deep.equal([[a.id, { mode: 'popup' }]]);
      expect(el.shadowRoot!.textContent).to.contain('approve every requested permission');
    });

    it('shows the health check\'s events as toasts, with a Reconnect action and a link for amber accounts', async () => {
      const a = account({ health: 'needs_reconnect', reason: 'token_revoked', reasonMessage: 'Revoked.' });
      let checks = 0;
      const el = await panelWith(
        fakeApi(async () => [a], {
          healthCheck: async () => (
            checks++,
            { accounts: [a], events: [{ id: '7', type: 'reconnect_required', accountId: a.id, message: 'Please reconnect Hart & Crumb Bakery', createdAt: '2026-11-24T10:00:00.000Z' }] }
          ),
        }),
      );
      await waitUntil(() => checks === 1, 'checked once on opening');
      await waitUntil(() => el.shadowRoot!.querySelector('.toast'));
      await el.healthCheck();
      await el.updateComplete;
      expect(el.shadowRoot!.querySelectorAll('.toast').length).to.equal(1, 'the same event is not toasted twice');
      const toast = el.shadowRoot!.querySelector('.toast')!;
      expect(toast.textContent).to.contain('Please reconnect Hart & Crumb Bakery');
      expect(button(toast, 'Reconnect')).to.exist;
      expect(new URL((toast.querySelector('a') as HTMLAnchorElement).href).searchParams.get('account')).to.equal(a.id);
      expect(el.shadowRoot!.querySelector('.toasts')!.getAttribute('aria-live')).to.equal('polite');
      await expect(el).to.be.accessible();
      expect(checks).to.equal(2);
    });

    it('asks for a health check on its own while open', async () => {
      let checks = 0;
      const api = fakeApi(async () => [], { healthCheck: async () => (checks++, { accounts: [], events: [] }) });
      const el = document.createElement('connections-panel');
      el.healthCheckIntervalMs = 30;
      el.api = api;
      document.body.append(el);
      try {
        await waitUntil(() => checks >= 2, 'checked on its interval');
      } finally {
        el.remove();
      }
      const after = checks;
      await new Promise((r) => setTimeout(r, 100));
      expect(checks).to.equal(after, 'no checks once the panel is gone');
    });
  });

  describe('the outcome of OAuth: choice, closed pop-up, redirect back, feed', () => {
    const choices = [
      { id: '200000000000001', name: 'Hart & Crumb Bakery', kind: 'page', avatarUrl: null, alreadyConnected: true },
      { id: '200000000000002', name: 'Northside Running Club', kind: 'page', avatarUrl: null, alreadyConnected: false },
      { id: '200000000000003', name: 'Lumen Studio', kind: 'page', avatarUrl: null, alreadyConnected: false },
    ];
    const choiceDialog = (el: ConnectionsPanel) => el.shadowRoot!.querySelector('cp-choice-dialog')!.shadowRoot?.querySelector('dialog') as HTMLDialogElement;
    const boxes = (el: ConnectionsPanel) => [...choiceDialog(el).querySelectorAll<HTMLInputElement>('input[type=checkbox]')];
    const started = { startConnection: async () => ({ attemptId: 'c1', authorizeUrl: 'https://bff.example/oauth/start/c1', fields: { t: '1' } }) };

    async function connectFacebook(el: ConnectionsPanel, popup = fakePopup()) {
      el.openWindow = () => popup;
      await waitUntil(() => button(el.shadowRoot!, 'Connect Facebook'));
      button(el.shadowRoot!, 'Connect Facebook')!.click();
      await waitUntil(() => popup.location.href !== 'about:blank');
      return popup;
    }

    it('lets the person choose which Pages to add, then adds exactly those', async () => {
      const selected: unknown[] = [];
      const el = await panelWith(fakeApi(async () => [], { ...started, selectAccounts: async (id, ids) => (selected.push([id, ids]), { accountIds: ids.map((x) => `acc-${x}`) }) }));
      await connectFacebook(el);
      postResult({ attemptId: 'c1', status: 'choose', choices });
      await waitUntil(() => choiceDialog(el)?.open);
      expect(textOf(choiceDialog(el))).to.contain('Choose what to add from Facebook').and.contain('2 more can be added').and.contain('already connected');
      const [connected, second, third] = boxes(el);
      expect(connected!.disabled && connected!.checked).to.equal(true, 'an account already here is shown, not offered again');
      const add = choiceDialog(el).querySelector('button[type=submit]') as HTMLButtonElement;
      expect(add.disabled).to.equal(true, 'nothing picked yet');
      await expect(el.shadowRoot!.querySelector('cp-choice-dialog')).to.be.accessible();
      second!.click();
      third!.click();
      await el.shadowRoot!.querySelector('cp-choice-dialog')!.updateComplete;
      expect(add.textContent).to.equal('Add 2');
      add.click();
      await waitUntil(() => selected.length === 1);
      expect(selected).to.deep.equal([['c1', ['200000000000002', '200000000000003']]]);
      await waitUntil(() => textOf(el).includes('Added 2 accounts.'));
      expect(choiceDialog(el).open).to.equal(false);
    });

    it('asks again with the reason when the pick is over the limit, and says so when cancelled', async () => {
      let calls = 0;
      const el = await panelWith(
        fakeApi(async () => [], {
          ...started,
          listPlatforms: async () => ({ ...PLATFORMS, accountCount: 2 }),
          selectAccounts: async () => {
            calls++;
            throw new ApiError(403, 'account_limit_reached', 'Your plan allows 3 accounts. Upgrade to add more.');
          },
        }),
      );
      await connectFacebook(el);
      postResult({ attemptId: 'c1', status: 'choose', choices: choices.slice(1) });
      await waitUntil(() => choiceDialog(el)?.open);
      boxes(el)[0]!.click();
      await el.shadowRoot!.querySelector('cp-choice-dialog')!.updateComplete;
      (choiceDialog(el).querySelector('button[type=submit]') as HTMLButtonElement).click();
      await waitUntil(() => textOf(choiceDialog(el)).includes('Your plan allows 3 accounts.'));
      expect(choiceDialog(el).open).to.equal(true);
      expect(calls).to.equal(1);
      button(choiceDialog(el), 'Cancel')!.click();
      await waitUntil(() => textOf(el).includes('Nothing was added.'));
    });

    it('says so when the pop-up is closed before finishing, and changes nothing', async () => {
      const asked: string[] = [];
      const el = await panelWith(fakeApi(async () => [], { ...started, connectionStatus: async (id) => (asked.push(id), { status: 'pending' }) }));
      const popup = await connectFacebook(el);
      popup.closed = true;
      await waitUntil(() => textOf(el).includes('The Facebook window was closed before finishing. Nothing was changed.'), 'closed pop-up noticed', { timeout: 3000 });
      expect(asked).to.deep.equal(['c1']);
    });

    it('learns the outcome by asking the BFF when the pop-up closes without a message', async () => {
      const el = await panelWith(fakeApi(async () => [], { ...started, connectionStatus: async () => ({ status: 'connected', accountIds: ['n1'] }) }));
      const popup = await connectFacebook(el);
      popup.closed = true;
      await waitUntil(() => textOf(el).includes('Connected 1 account.'), 'outcome read', { timeout: 3000 });
    });

    it('settles an attempt once, whichever way its outcome arrives first', async () => {
      let listed = 0;
      const el = await panelWith(fakeApi(async () => (listed++, []), { ...started, connectionStatus: async () => ({ status: 'failed', error: { code: 'access_denied', message: 'You declined access on Facebook. Nothing was connected.' } }) }));
      const popup = await connectFacebook(el);
      postResult({ attemptId: 'c1', status: 'failed', error: { code: 'access_denied', message: 'You declined access on Facebook. Nothing was connected.' } });
      await waitUntil(() => textOf(el).includes('You declined access on Facebook.'));
      const after = listed;
      popup.closed = true;
      await new Promise((r) => setTimeout(r, 900));
      expect(listed).to.equal(after, 'the closed pop-up does not settle it again');
    });

    it('runs OAuth as a full redirect in redirect mode, returning to this page', async () => {
      const requests: unknown[] = [];
      const el = await panelWith(fakeApi(async () => [], { startConnection: async (r) => (requests.push(r), { attemptId: 'r9', authorizeUrl: 'https://bff.example/oauth/start/r9', fields: { t: '2' } }) }), { oauthMode: 'redirect' });
      let opened = 0;
      const before = submitted.length;
      el.openWindow = () => (opened++, null);
      await waitUntil(() => button(el.shadowRoot!, 'Connect Facebook'));
      button(el.shadowRoot!, 'Connect Facebook')!.click();
      await waitUntil(() => submitted.length === before + 1);
      expect(opened).to.equal(0);
      expect(submitted.at(-1)).to.deep.equal({ action: 'https://bff.example/oauth/start/r9', fields: { t: '2' }, into: 'page' });
      expect(requests).to.deep.equal([{ platform: 'facebook', mode: 'redirect', returnTo: window.location.href }]);
    });

    it('reads the outcome when the redirect flow returns, and tidies the URL', async () => {
      const before = window.location.href;
      history.replaceState(null, '', `${window.location.pathname}?keep=1&cp_attempt=r9&cp_status=choose`);
      try {
        const asked: string[] = [];
        const el = await panelWith(fakeApi(async () => [], { connectionStatus: async (id) => (asked.push(id), { status: 'choose', choices: choices.slice(1) }) }));
        await waitUntil(() => choiceDialog(el)?.open);
        expect(asked[0]).to.equal('r9');
        expect(window.location.search).to.equal('?keep=1');
      } finally {
        history.replaceState(null, '', before);
      }
    });

    it('toasts the events that follow a change, each once, and not what the person\'s own outcome already said', async () => {
      const other = { id: '42', type: 'token_refreshed', accountId: 'o1', message: 'Access token refreshed for Other Page', createdAt: '2026-11-24T10:00:00.000Z' };
      const connected = { id: '41', type: 'account_connected', accountId: 'n1', message: 'Lumen Studio connected', createdAt: '2026-11-24T10:00:00.000Z' };
      let feed: (typeof connected)[] = [{ ...connected, id: '40', message: 'Old news' }];
      let checked = 0;
      const el = await panelWith(
        fakeApi(async () => [], {
          ...started,
          events: async (after) => ({ events: feed, cursor: after === undefined ? 'c40' : 'c41' }),
          healthCheck: async () => (checked++, { accounts: [], events: checked > 1 ? [other] : [] }),
        }),
      );
      await waitUntil(() => checked === 1);
      await connectFacebook(el);
      feed = [connected];
      postResult({ attemptId: 'c1', status: 'connected', accountIds: ['n1'] });
      await waitUntil(() => toastTexts(el).includes('Connected 1 account.'));
      await el.healthCheck();
      await el.healthCheck();
      await el.updateComplete;
      expect(toastTexts(el)).to.deep.equal(['Connected 1 account.', 'Access token refreshed for Other Page'], 'old news is not news; the own outcome is said once; nothing repeats');
    });
  });

  describe('touch, offline and keyboard', () => {
    function touch(el: Element, type: string, y: number) {
      const t = new Touch({ identifier: 1, target: el, clientX: 20, clientY: y });
      el.dispatchEvent(new TouchEvent(type, { touches: type === 'touchend' ? [] : [t], changedTouches: [t], bubbles: true, composed: true }));
    }

    it('refreshes statuses when pulled down far enough on a touch screen, not on a short pull', async () => {
      let checks = 0;
      let release: () => void = () => undefined;
      const el = await panelWith(fakeApi(async () => [account()], { healthCheck: () => (checks++, new Promise((r) => (release = () => r({ accounts: [], events: [] })))) }));
      await waitUntil(() => cards(el).length === 1 && checks === 1, 'checked once on opening');
      release();
      await waitUntil(() => !textOf(el).includes('Checking…'));
      checks = 0;
      const pull = () => el.shadowRoot!.querySelector('.pull') as HTMLElement;
      touch(el, 'touchstart', 100);
      touch(el, 'touchmove', 150);
      touch(el, 'touchend', 150);
      await el.updateComplete;
      expect(checks).to.equal(0, 'a short pull does nothing');
      touch(el, 'touchstart', 100);
      touch(el, 'touchmove', 300);
      await el.updateComplete;
      expect(pull().dataset.state).to.equal('armed');
      expect(pull().textContent!.trim()).to.equal('Release to refresh');
      touch(el, 'touchend', 300);
      await el.updateComplete;
      expect(checks).to.equal(1);
      expect(pull().textContent!.trim()).to.equal('Checking statuses…');
      expect(el.shadowRoot!.querySelector('section')!.getAttribute('aria-busy')).to.equal('true');
      release();
      await waitUntil(() => pull().dataset.state === 'idle');
    });

    it('says the service cannot be reached, and retries by itself when back online', async () => {
      let fail = true;
      const el = await panelWith(
        fakeApi(async () => {
          if (fail) throw new TypeError('Failed to fetch');
          return [account()];
        }),
      );
      await waitUntil(() => el.shadowRoot!.querySelector('[role="alert"]'));
      expect(textOf(el)).to.contain('could not be reached').and.not.contain('Failed to fetch');
      fail = false;
      window.dispatchEvent(new Event('online'));
      await waitUntil(() => cards(el).length === 1);
    });

    it('is operable from the keyboard: the card\'s name opens details, the menu runs the actions, Escape backs out one step', async () => {
      const a = account({ displayName: 'Keyboard Page' });
      const el = await panelWith(fakeApi(async () => [a], { getAccount: async () => ({ ...a, platformAccountId: '1', recentPosts: null }) }));
      await waitUntil(() => cards(el).length === 1);
      const card = cards(el)[0]!;
      await card.updateComplete;
      const name = card.shadowRoot!.querySelector<HTMLButtonElement>('button.name')!;
      name.focus();
      await sendKeys({ press: 'Enter' });
      const detail = el.shadowRoot!.querySelector('cp-account-detail')!;
      await waitUntil(() => detail.shadowRoot?.querySelector('dialog')?.open, 'details open from the keyboard');
      expect(detail.shadowRoot!.activeElement?.id).to.equal('detail-title', 'focus on the heading, not the first link');
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !detail.shadowRoot!.querySelector('dialog')!.open);
      await waitUntil(() => card.shadowRoot!.activeElement === name, 'focus back on the card');

      const more = card.shadowRoot!.querySelector<HTMLButtonElement>('button.more')!;
      more.focus();
      await sendKeys({ press: 'Enter' });
      const menu = card.shadowRoot!.querySelector<HTMLElement>('[role=menu]')!;
      await waitUntil(() => menu.matches(':popover-open'));
      expect(more.getAttribute('aria-expanded')).to.equal('true');
      expect(card.shadowRoot!.activeElement!.textContent).to.equal('View details', 'focus on the first item');
      await sendKeys({ press: 'End' });
      expect(card.shadowRoot!.activeElement!.textContent).to.equal('Disconnect');
      await sendKeys({ press: 'Enter' });
      const confirm = el.shadowRoot!.querySelector('cp-confirm-dialog')!;
      await waitUntil(() => confirm.shadowRoot?.querySelector('dialog')?.open);
      expect(confirm.shadowRoot!.activeElement!.textContent).to.equal('Cancel', 'focus starts on Cancel');
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !confirm.shadowRoot!.querySelector('dialog')!.open);
      expect(card.shadowRoot!.activeElement).to.equal(more, 'back on the menu\'s button');
      expect(menu.matches(':popover-open')).to.equal(false);
    });
  });
});

describe('<connections-panel> layout and colour schemes', () => {
  const amber = () => account({ displayName: 'Northside Running Club', health: 'needs_reconnect', reason: 'token_revoked', reasonMessage: 'Revoked.', lastError: { code: 'token_revoked', message: 'Revoked' } });
  const toast = { id: '9', type: 'reconnect_required', accountId: null, message: 'Please reconnect Northside Running Club', createdAt: '2026-11-24T10:00:00.000Z' };

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`passes axe (contrast included) in the ${colorScheme} scheme, loading and loaded`, async () => {
      await emulateMedia({ colorScheme });
      try {
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        const el = await panelWith(fakeApi(async () => (await gate, [amber(), account()]), { healthCheck: async () => ({ accounts: [], events: [toast] }) }), { support: 'https://host.example/support' });
        await waitUntil(() => textOf(el).includes('Loading accounts…'));
        await expect(el).to.be.accessible();
        release();
        await waitUntil(() => cards(el).length === 2);
        await el.healthCheck();
        await el.updateComplete;
        await Promise.all(cards(el).map((c) => c.updateComplete));
        await expect(el).to.be.accessible();
        const a = account({ displayName: 'Detail Page' });
        el.api = fakeApi(async () => [a], {
          getAccount: async () => ({
            ...a,
            platformAccountId: '1',
            recentPosts: [{ id: 'p', message: 'Hello', permalinkUrl: 'https://facebook.example/p', mediaUrl: null, publishedAt: null, metrics: {} }],
            debug: { grantedScopes: ['pages_show_list'], missingScopes: ['read_insights'], requiredScopes: [], tokenExpiresAt: null, refreshTokenExpiresAt: null, dataAccessExpiresAt: null, connectMethod: 'facebook_login', consecutiveRefreshFailures: 0 },
          }),
        });
        await waitUntil(() => cards(el).length === 1);
        button(cards(el)[0]!.shadowRoot!, 'View details')!.click();
        const detail = el.shadowRoot!.querySelector('cp-account-detail')!;
        await waitUntil(() => detail.shadowRoot?.querySelector('dialog')?.open);
        await expect(detail).to.be.accessible();
      } finally {
        await emulateMedia({ colorScheme: 'light' });
      }
    });
  }

  it('uses one column and a bottom sheet in a narrow container, a grid when wide', async () => {
    const a = account();
    const wrapper = await fixture<HTMLDivElement>(html`<div style="width: 960px"></div>`);
    const el = document.createElement('connections-panel');
    el.setAttribute('bff-url', 'https://bff.example');
    el.api = fakeApi(async () => [a, account(), account()], {
      getAccount: async () => ({ ...a, platformAccountId: '1', recentPosts: null }),
    });
    wrapper.append(el);
    await waitUntil(() => cards(el).length === 3);
    const columns = () => getComputedStyle(el.shadowRoot!.querySelector('.grid')!).gridTemplateColumns.split(' ').length;
    expect(columns()).to.be.greaterThan(1);
    wrapper.style.width = '360px';
    await waitUntil(() => columns() === 1, 'one column when narrow');

    await setViewport({ width: 400, height: 700 });
    try {
      button(cards(el)[0]!.shadowRoot!, 'View details')!.click();
      const dialog = () => el.shadowRoot!.querySelector('cp-account-detail')!.shadowRoot?.querySelector('dialog') as HTMLDialogElement;
      await waitUntil(() => dialog()?.open);
      const box = dialog().getBoundingClientRect();
      expect(Math.round(box.bottom)).to.equal(window.innerHeight, 'a bottom sheet sits on the bottom edge');
      expect(Math.round(box.width)).to.equal(window.innerWidth, 'and spans the width');
      dialog().close();
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });
});

describe('<connections-panel> with thousands of accounts', () => {
  const many = (n: number) =>
    Array.from({ length: n }, (_, i) => account({ id: `acc-${String(i).padStart(5, '0')}`, displayName: `Client ${String(i).padStart(5, '0')}`, username: `client${i}` }));

  it('shows a page of cards, more on demand, and a filter that finds the rest', async () => {
    const list = many(120);
    list[117] = { ...list[117]!, displayName: 'Zebra Crossing Cafe' };
    const el = await panelWith(fakeApi(async () => list));
    await waitUntil(() => cards(el).length === 48);
    const more = () => [...el.shadowRoot!.querySelectorAll('button.more')][0] as HTMLButtonElement | undefined;
    expect(more()!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Show 48 more (48 of 120 shown)');
    more()!.click();
    await waitUntil(() => cards(el).length === 96);
    more()!.click();
    await waitUntil(() => cards(el).length === 120);
    expect(more()).to.equal(undefined);

    await waitUntil(() => el.shadowRoot!.querySelector('#cp-filter'), 'the filter bar (it loads on demand)');
    const input = el.shadowRoot!.querySelector('#cp-filter') as HTMLInputElement;
    input.value = 'zebra';
    input.dispatchEvent(new Event('input'));
    await waitUntil(() => cards(el).length === 1);
    expect(cards(el)[0]!.account.displayName).to.equal('Zebra Crossing Cafe');
    input.value = '@client3';
    input.dispatchEvent(new Event('input'));
    await waitUntil(() => cards(el).length === 11, 'client3 and client30-39');
    input.value = 'nobody at all';
    input.dispatchEvent(new Event('input'));
    await waitUntil(() => textOf(el).includes('No account matches “nobody at all”.'));
    await expect(el).to.be.accessible();
  });

  it('re-renders only the card whose account changed when the list is read again', async () => {
    let list = many(30);
    const el = await panelWith(fakeApi(async () => list));
    await waitUntil(() => cards(el).length === 30);
    await Promise.all(cards(el).map((c) => c.updateComplete));
    // Count renders, card by card.
    const proto = customElements.get('cp-account-card')!.prototype as { render(): unknown };
    const render = proto.render;
    const rendered: string[] = [];
    proto.render = function (this: AccountCard) {
      rendered.push(this.account.id);
      return render.call(this);
    };
    try {
      // The same accounts as new objects, one of them now amber.
      list = list.map((a) => ({ ...a, lastError: a.lastError ? { ...a.lastError } : null }));
      list[7] = { ...list[7]!, health: 'needs_reconnect', reason: 'token_revoked', reasonMessage: 'Revoked.' };
      el.refresh();
      await waitUntil(() => rendered.length > 0);
      await new Promise((r) => setTimeout(r, 50));
      expect(rendered).to.deep.equal([list[7]!.id]);
    } finally {
      proto.render = render;
    }
  });
});

describe('<connections-summary>', () => {
  const summaryWith = (api: ApiClient) => fixture<ConnectionsSummary>(html`<connections-summary panel-url="https://host.example/connections?tab=social" .api=${api}></connections-summary>`);

  it('counts healthy and amber accounts and links each to its panel', async () => {
    const amber = account({ displayName: 'Northside Running Club', health: 'needs_reconnect', reason: 'token_expired' });
    const green = account({ platform: 'linkedin', displayName: 'Grace Hopper' });
    const el = await summaryWith(fakeApi(async () => [amber, green]));
    await waitUntil(() => el.shadowRoot!.querySelector('ul'));
    expect(textOf(el)).to.contain('1 healthy').and.contain('1 needs reconnect').and.contain('Northside Running Club').and.contain('Needs reconnect').and.contain('LinkedIn · Healthy');
    const links = [...el.shadowRoot!.querySelectorAll('li a')].map((a) => new URL((a as HTMLAnchorElement).href));
    expect(links.map((u) => u.searchParams.get('account'))).to.deep.equal([amber.id, green.id]);
    expect(links[0]!.pathname).to.equal('/connections');
    expect(links[0]!.searchParams.get('tab')).to.equal('social');
    await expect(el).to.be.accessible();
  });

  it('has empty and error states, the error with a retry', async () => {
    let fail = true;
    const el = await summaryWith(
      fakeApi(async () => {
        if (fail) throw new ApiError(503, 'database_unavailable', 'The service is unavailable. Please try again shortly.');
        return [];
      }),
    );
    await waitUntil(() => el.shadowRoot!.querySelector('[role="alert"]'));
    expect(textOf(el)).to.contain('The service is unavailable.');
    await expect(el).to.be.accessible();
    fail = false;
    button(el.shadowRoot!, 'Try again')!.click();
    await waitUntil(() => textOf(el).includes('No accounts connected yet.'));
    await expect(el).to.be.accessible();
  });
});
