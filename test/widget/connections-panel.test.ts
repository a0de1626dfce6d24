import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widget/index.ts';
import type { ConnectionsPanel } from '../../widget/connections-panel/connections-panel.ts';
import type { Account, AccountDetail, ApiClient, PlatformsResponse } from '../../widget/api/api-client.ts';
import { CpCreatePostEvent } from '../../widget/events.ts';

function account(overrides: Partial<Account> = {}): Account {
  return {
    id: crypto.randomUUID(),
    platform: 'facebook',
    kind: 'page',
    displayName: 'Hart & Crumb Bakery',
    username: 'hartandcrumb',
    avatarUrl: null,
    health: 'healthy',
    reason: null,
    reasonMessage: null,
    canPublish: true,
    connectedAt: '2026-11-01T10:00:00.000Z',
    lastRefreshedAt: null,
    tokenExpiresAt: '2027-01-01T10:00:00.000Z',
    lastError: null,
    ...overrides,
  };
}

const PLATFORMS: PlatformsResponse = {
  platforms: [
    { platform: 'facebook', label: 'Facebook', status: 'available', requiredPlan: 'free' },
    { platform: 'tiktok', label: 'TikTok', status: 'upgrade_required', requiredPlan: 'professional' },
    { platform: 'whatsapp', label: 'WhatsApp', status: 'coming_soon', requiredPlan: 'enterprise' },
  ],
  accountCount: 1,
  accountLimit: 3,
};

/** A fake BFF client: the list the test gives, the platforms above, and whatever a test overrides. */
function fakeApi(list: () => Promise<Account[]>, overrides: Partial<ApiClient> = {}): ApiClient {
  const unused = () => Promise.reject(new Error('not used in this test'));
  return {
    listAccounts: list,
    getAccount: unused,
    disconnect: unused,
    listPlatforms: async () => PLATFORMS,
    startConnection: unused,
    reconnect: unused,
    connectionStatus: unused,
    selectAccounts: unused,
    events: unused,
    healthCheck: async () => ({ accounts: [], events: [] }),
    ...overrides,
  } as ApiClient;
}

async function panelWith(api: ApiClient, attrs: { composer?: string; support?: string } = {}): Promise<ConnectionsPanel> {
  return fixture<ConnectionsPanel>(
    html`<connections-panel bff-url="https://bff.example" upgrade-url="https://host.example/plans" composer-url=${attrs.composer ?? ''} support-url=${attrs.support ?? ''} .api=${api}></connections-panel>`,
  );
}

const button = (root: ParentNode, label: string) => [...root.querySelectorAll('button')].find((b) => b.textContent!.trim() === label) as HTMLButtonElement | undefined;

const cards = (el: ConnectionsPanel) => [...el.shadowRoot!.querySelectorAll('cp-account-card')];

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
    (el.shadowRoot!.querySelector('[role="alert"] button') as HTMLButtonElement).click();
    await waitUntil(() => cards(el).length === 1);
    expect(calls).to.equal(2);
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
    const disconnect = button(cards(el)[0]!.shadowRoot!, 'Disconnect')!;
    const dialog = () => el.shadowRoot!.querySelector('cp-confirm-dialog')!.shadowRoot!.querySelector('dialog')!;

    disconnect.focus();
    disconnect.click();
    await waitUntil(() => dialog().open);
    expect(dialog().textContent).to.contain('Disconnect Leaving Page?').and.contain('published posts and analytics stay');
    await expect(el.shadowRoot!.querySelector('cp-confirm-dialog')).to.be.accessible();
    button(dialog(), 'Cancel')!.click();
    await waitUntil(() => !dialog().open);
    expect(disconnected).to.deep.equal([]);
    expect(cards(el)[0]!.shadowRoot!.activeElement).to.equal(disconnect);

    disconnect.click();
    await waitUntil(() => dialog().open);
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
    expect(text).to.contain('1 of 3 accounts used').and.contain('Connect Facebook').and.contain('TikTok: upgrade to professional').and.contain('WhatsApp: coming soon');
    expect((el.shadowRoot!.querySelector('a.upgrade') as HTMLAnchorElement).href).to.equal('https://host.example/plans');
    await expect(el).to.be.accessible();
  });

  it('blocks new connections at the limit, with an upgrade prompt', async () => {
    const el = await panelWith(fakeApi(async () => [account()], { listPlatforms: async () => ({ ...PLATFORMS, accountCount: 3 }) }));
    await waitUntil(() => el.shadowRoot!.querySelector('.platforms li'));
    expect(button(el.shadowRoot!, 'Connect Facebook')!.disabled).to.equal(true);
    expect(el.shadowRoot!.querySelector('.add')!.textContent).to.contain('Upgrade to add more');
  });

  it('opens the pop-up in the click, sends it to the authorize URL, and takes the result only from the BFF', async () => {
    const started: unknown[] = [];
    let listed = 0;
    const el = await panelWith(
      fakeApi(
        async () => {
          listed++;
          return [account()];
        },
        { startConnection: async (request) => (started.push(request), { attemptId: 'a1', authorizeUrl: 'https://bff.example/oauth/start/a1?t=x' }) },
      ),
    );
    const popup = { location: { href: 'about:blank' }, close: () => {} } as unknown as Window;
    const opened: string[] = [];
    el.openWindow = (url) => (opened.push(url), popup);
    await waitUntil(() => button(el.shadowRoot!, 'Connect Facebook'));
    button(el.shadowRoot!, 'Connect Facebook')!.click();
    expect(opened).to.deep.equal(['about:blank'], 'opened synchronously, before any request');
    await waitUntil(() => popup.location.href !== 'about:blank');
    expect(popup.location.href).to.equal('https://bff.example/oauth/start/a1?t=x');
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
    const el = await panelWith(fakeApi(async () => [], { startConnection: async (request) => (started.push(request), { attemptId: 'a2', authorizeUrl: 'https://bff.example/oauth/start/a2?t=y' }) }));
    el.openWindow = () => null;
    const went: string[] = [];
    el.navigate = (url) => went.push(url);
    await waitUntil(() => button(el.shadowRoot!, 'Connect Facebook'));
    button(el.shadowRoot!, 'Connect Facebook')!.click();
    await waitUntil(() => el.shadowRoot!.textContent!.includes('Pop-ups are blocked'));
    expect(started).to.deep.equal([]);
    button(el.shadowRoot!, 'Continue in this tab instead')!.click();
    await waitUntil(() => went.length === 1);
    expect(went).to.deep.equal(['https://bff.example/oauth/start/a2?t=y']);
    expect(started).to.deep.equal([{ platform: 'facebook', mode: 'redirect', returnTo: window.location.href }]);
  });

  describe('details, deep link, reconnect and toasts', () => {
    const detailOf = (a: Account, admin: boolean): AccountDetail => ({
      ...a,
      recentPosts: [{ id: 'p1', message: 'Fresh sourdough today', permalinkUrl: 'https://facebook.example/p1', mediaUrl: null, publishedAt: '2026-11-20T09:00:00.000Z', metrics: { likes: 12 } }],
      ...(admin
        ? { debug: { grantedScopes: ['pages_show_list'], missingScopes: ['read_insights'], requiredScopes: [], tokenExpiresAt: '2027-01-01T00:00:00.000Z', refreshTokenExpiresAt: null, dataAccessExpiresAt: '2027-02-01T00:00:00.000Z', connectMethod: 'facebook_login', consecutiveRefreshFailures: 0 } }
        : {}),
    });
    const detailDialog = (el: ConnectionsPanel) => el.shadowRoot!.querySelector('cp-account-detail')!.shadowRoot!.querySelector('dialog')!;

    it('opens the detail panel from a card, with recent posts and the admin debug panel, and returns focus', async () => {
      const a = account();
      const el = await panelWith(fakeApi(async () => [a], { getAccount: async () => detailOf(a, true) }));
      await waitUntil(() => cards(el).length === 1);
      const view = button(cards(el)[0]!.shadowRoot!, 'View details')!;
      view.focus();
      view.click();
      await waitUntil(() => detailDialog(el).open);
      const text = detailDialog(el).textContent!.replace(/\s+/g, ' ');
      expect(text).to.contain('Hart & Crumb Bakery').and.contain('Healthy').and.contain('Can receive published posts').and.contain('Fresh sourdough today');
      expect(text).to.contain('Token debug').and.contain('read_insights');
      await expect(el.shadowRoot!.querySelector('cp-account-detail')).to.be.accessible();
      button(detailDialog(el), 'Close')!.click();
      await waitUntil(() => !detailDialog(el).open);
      await waitUntil(() => cards(el)[0]!.shadowRoot!.activeElement === view);
    });

    it('shows no debug panel to members', async () => {
      const a = account();
      const el = await panelWith(fakeApi(async () => [a], { getAccount: async () => detailOf(a, false) }));
      await waitUntil(() => cards(el).length === 1);
      button(cards(el)[0]!.shadowRoot!, 'View details')!.click();
      await waitUntil(() => detailDialog(el).open);
      expect(detailDialog(el).textContent).not.to.contain('Token debug');
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

    it('reconnects through the pop-up, telling the person to approve every permission', async () => {
      const a = account({ health: 'needs_reconnect', reason: 'missing_permissions', reasonMessage: 'Some permissions were not granted: read_insights.' });
      const asked: unknown[] = [];
      const el = await panelWith(fakeApi(async () => [a], { reconnect: async (id, options) => (asked.push([id, options]), { attemptId: 'r1', authorizeUrl: 'https://bff.example/oauth/start/r1?t=z' }) }));
      const popup = { location: { href: 'about:blank' }, close: () => {} } as unknown as Window;
      el.openWindow = () => popup;
      await waitUntil(() => cards(el).length === 1);
      button(cards(el)[0]!.shadowRoot!, 'Reconnect')!.click();
      await waitUntil(() => popup.location.href !== 'about:blank');
      expect(asked).to.deep.equal([[a.id, { mode: 'popup' }]]);
      expect(el.shadowRoot!.textContent).to.contain('approve every requested permission');
    });

    it('shows the health check\'s events as toasts, with a Reconnect action and a link for amber accounts', async () => {
      const a = account();
      let checks = 0;
      const el = await panelWith(
        fakeApi(async () => [a], {
          healthCheck: async () => (
            checks++,
            { accounts: [a], events: [{ id: '7', type: 'reconnect_required', accountId: a.id, message: 'Please reconnect Hart & Crumb Bakery', createdAt: '2026-11-24T10:00:00.000Z' }] }
          ),
        }),
      );
      await waitUntil(() => cards(el).length === 1);
      await el.healthCheck();
      await el.updateComplete;
      const toast = el.shadowRoot!.querySelector('.toast')!;
      expect(toast.textContent).to.contain('Please reconnect Hart & Crumb Bakery');
      expect(button(toast, 'Reconnect')).to.exist;
      expect(new URL((toast.querySelector('a') as HTMLAnchorElement).href).searchParams.get('account')).to.equal(a.id);
      expect(el.shadowRoot!.querySelector('.toasts')!.getAttribute('aria-live')).to.equal('polite');
      await expect(el).to.be.accessible();
      expect(checks).to.equal(1);
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
});
