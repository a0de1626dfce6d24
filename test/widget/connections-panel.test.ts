import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widget/index.ts';
import type { ConnectionsPanel } from '../../widget/connections-panel/connections-panel.ts';
import type { Account, ApiClient } from '../../widget/api/api-client.ts';
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

/** A fake BFF client: only what the panel calls, with the list the test gives. */
function fakeApi(list: () => Promise<Account[]>): ApiClient {
  const unused = () => Promise.reject(new Error('not used in this test'));
  return {
    listAccounts: list,
    getAccount: unused,
    disconnect: unused,
    listPlatforms: unused,
    startConnection: unused,
    reconnect: unused,
    connectionStatus: unused,
    selectAccounts: unused,
    events: unused,
  } as ApiClient;
}

async function panelWith(api: ApiClient, attrs: { composer?: string; support?: string } = {}): Promise<ConnectionsPanel> {
  return fixture<ConnectionsPanel>(html`<connections-panel composer-url=${attrs.composer ?? ''} support-url=${attrs.support ?? ''} .api=${api}></connections-panel>`);
}

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
});
