import { fixture, html } from '@open-wc/testing';
import type { ConnectionsPanel } from '../../../widget/connections-panel/connections-panel.ts';
import { ApiError, type Account, type ApiClient, type PlatformsResponse } from '../../../widget/api/api-client.ts';

/** An account as the BFF lists it, healthy unless told otherwise. */
export function account(overrides: Partial<Account> = {}): Account {
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
    reasonParams: {},
    canPublish: true,
    connectedAt: '2026-11-01T10:00:00.000Z',
    lastRefreshedAt: null,
    tokenExpiresAt: '2027-01-01T10:00:00.000Z',
    checkedAt: null,
    actionNeededBy: null,
    status: 'active',
    pausedReason: null,
    lastError: null,
    ...overrides,
  };
}

export const PLATFORMS: PlatformsResponse = {
  platforms: [
    { platform: 'facebook', label: 'Facebook', status: 'available', requiredPlan: 'free', kinds: [{ kind: 'page', label: 'Facebook Page' }] },
    { platform: 'tiktok', label: 'TikTok', status: 'upgrade_required', requiredPlan: 'professional', kinds: [{ kind: 'profile', label: 'TikTok account' }] },
    { platform: 'whatsapp', label: 'WhatsApp', status: 'coming_soon', requiredPlan: 'enterprise', kinds: [] },
  ],
  accountCount: 1,
  accountLimit: 3,
};

/**
 * A fake BFF client: the list the test gives (answered whole, as a BFF that does not page),
 * the platforms above, no history endpoint (404, as today's BFF), and whatever a test overrides.
 */
/** The client's methods, loosely typed: a fake answers only what a test reads. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose<T> = { [K in keyof T]?: T[K] extends (...args: infer A) => Promise<unknown> ? (...args: A) => Promise<any> : T[K] };

export function fakeApi(list: () => Promise<Account[]>, overrides: Loose<ApiClient> = {}): ApiClient {
  const unused = () => Promise.reject(new Error('not used in this test'));
  return {
    listAccounts: list,
    listAccountsPage: async () => ({ accounts: await list() }),
    getAccount: unused,
    disconnect: unused,
    listPlatforms: async () => PLATFORMS,
    startConnection: unused,
    reconnect: unused,
    connectionStatus: unused,
    selectAccounts: unused,
    events: async () => ({ events: [], cursor: 'c0' }),
    healthCheck: async () => ({ accounts: [], events: [] }),
    accountHistory: () => Promise.reject(new ApiError(404, 'not_found', 'Not found')),
    reconnectLink: unused,
    ...overrides,
  } as ApiClient;
}

/** Every start form a panel made by panelWith submitted (none reaches a real window in tests). */
export const submitted: { action: string; fields: Record<string, string>; into: 'popup' | 'page' }[] = [];

/**
 * Stands in for the form POST: records it, and "navigates" a fake pop-up to the form's action
 * (so a test can wait for the pop-up to leave about:blank).
 */
export function recordSubmit(started: { authorizeUrl: string; fields?: Record<string, string> }, target: Window | null): void {
  submitted.push({ action: started.authorizeUrl, fields: started.fields ?? {}, into: target ? 'popup' : 'page' });
  if (target) target.location.href = started.authorizeUrl;
}

export async function panelWith(api: ApiClient, attrs: { composer?: string; support?: string; oauthMode?: string; locale?: string } = {}): Promise<ConnectionsPanel> {
  return fixture<ConnectionsPanel>(
    html`<connections-panel
      bff-url="https://bff.example"
      upgrade-url="https://host.example/plans"
      composer-url=${attrs.composer ?? ''}
      support-url=${attrs.support ?? ''}
      oauth-mode=${attrs.oauthMode ?? 'auto'}
      locale=${attrs.locale ?? ''}
      .api=${api}
      .submitForm=${recordSubmit}
    ></connections-panel>`,
  );
}

/** A stand-in for the pop-up window: it can be navigated and closed. */
export function fakePopup() {
  const popup = { location: { href: 'about:blank' }, closed: false, close: () => void (popup.closed = true) };
  return popup as unknown as Window & { closed: boolean };
}

export const ORIGIN = 'https://bff.example';
export const postResult = (result: Record<string, unknown>, origin = ORIGIN) =>
  window.dispatchEvent(new MessageEvent('message', { data: { source: 'connections-panel', type: 'oauth-result', ...result }, origin }));

/** The panel's toasts' words, in order. */
export const toastTexts = (el: ConnectionsPanel) => [...el.shadowRoot!.querySelectorAll('.toast .text')].map((t) => t.textContent!.trim());

/** Opens a card's "More actions" menu and returns its items. */
export async function openMenu(card: Element) {
  const more = card.shadowRoot!.querySelector<HTMLButtonElement>('button.more')!;
  more.focus();
  more.click();
  return [...card.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role=menuitem]')];
}
