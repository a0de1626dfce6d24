import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import '../../widget/index.ts';
import type { ConnectionsPanel } from '../../widget/connections-panel/connections-panel.ts';
import type { ConnectionsSummary } from '../../widget/connections-summary/connections-summary.ts';
import { button, cards, textOf } from './support/dom.ts';

/**
 * The widget against the real BFF on the sandbox platforms: real HTTP, a real pop-up, the
 * sandbox's consent page answered as a person would, real events. The BFF runs beside the
 * test runner (test/widget/support/real-bff.plugin.ts).
 */

const cardNames = (el: ConnectionsPanel) => cards(el).map((c) => c.shadowRoot!.querySelector('.name')?.textContent);

/** A person's click: keyboard activation is a user gesture, so the pop-up is allowed. */
async function press(target: HTMLElement) {
  target.focus();
  await sendKeys({ press: 'Enter' });
}

async function session(workspaceId: string, plan = 'professional', accountLimit: number | null = null) {
  return executeServerCommand<{ url: string; token: string }, { workspaceId: string; plan: string; accountLimit: number | null }>('bff-session', { workspaceId, plan, accountLimit });
}

async function panelFor(workspaceId: string, plan?: string, accountLimit?: number | null) {
  const { url, token } = await session(workspaceId, plan, accountLimit);
  const el = await fixture<ConnectionsPanel>(html`<connections-panel bff-url=${url} oauth-mode="popup" upgrade-url="https://host.example/plans" .session=${token}></connections-panel>`);
  await waitUntil(() => button(el.shadowRoot!, 'Connect Facebook'), 'platforms loaded', { timeout: 10_000 });
  return { el, url, token };
}

describe('<connections-panel> on the real BFF and the sandbox platforms', () => {
  it('connects Facebook through the pop-up and the consent page, with the choice of Pages', async () => {
    const { el } = await panelFor(`ws-${crypto.randomUUID()}`);
    await waitUntil(() => textOf(el).includes('No accounts connected yet.'), 'the empty list');
    await press(button(el.shadowRoot!, 'Connect Facebook')!);
    await executeServerCommand('sandbox-consent', { decision: 'allow' });
    const choice = () => el.shadowRoot!.querySelector('cp-choice-dialog')!.shadowRoot?.querySelector('dialog') as HTMLDialogElement;
    await waitUntil(() => choice()?.open, 'the choice of Pages', { timeout: 10_000 });
    expect(textOf(el.shadowRoot!.querySelector('cp-choice-dialog')!)).to.contain('Hart & Crumb Bakery').and.contain('Northside Running Club');
    await expect(el.shadowRoot!.querySelector('cp-choice-dialog')).to.be.accessible();
    const boxes = [...choice().querySelectorAll<HTMLInputElement>('input[type=checkbox]')];
    const wanted = boxes.filter((b) => /Hart & Crumb|Northside/.test(b.closest('label')!.textContent!));
    for (const box of wanted) box.click();
    await el.shadowRoot!.querySelector('cp-choice-dialog')!.updateComplete;
    (choice().querySelector('button[type=submit]') as HTMLButtonElement).click();
    await waitUntil(() => cards(el).length === 2, 'two cards', { timeout: 10_000 });
    expect(cardNames(el)).to.deep.equal(['Hart & Crumb Bakery', 'Northside Running Club']);
    await waitUntil(() => textOf(el).includes('Added 2 accounts.'));
    expect(cards(el).every((c) => textOf(c).includes('Healthy'))).to.equal(true);
    // One message for the outcome: the feed's account_connected events restate it and are not toasted again.
    await el.healthCheck();
    expect([...el.shadowRoot!.querySelectorAll('.toast .text')].map((t) => t.textContent)).to.deep.equal(['Added 2 accounts.']);
    await expect(el).to.be.accessible();
  });

  it('says so when access is declined on X, and connects nothing', async () => {
    const { el } = await panelFor(`ws-${crypto.randomUUID()}`);
    await press(button(el.shadowRoot!, 'Connect X')!);
    await executeServerCommand('sandbox-consent', { decision: 'deny' });
    await waitUntil(() => textOf(el).includes('You declined access on X.'), 'the refusal', { timeout: 10_000 });
    expect(cards(el)).to.have.length(0);
  });

  it("lets an admin copy an account's reconnect link from its detail panel, and shows the account's history", async () => {
    const { el, url } = await panelFor(`ws-${crypto.randomUUID()}`);
    await press(button(el.shadowRoot!, 'Connect X')!);
    await executeServerCommand('sandbox-consent', { decision: 'allow' });
    await waitUntil(() => cards(el).length === 1, 'the card', { timeout: 10_000 });
    const card = cards(el)[0]!;
    await card.updateComplete;
    card.shadowRoot!.querySelector<HTMLButtonElement>('button.name')!.click();
    const detail = () => el.shadowRoot!.querySelector('cp-account-detail')!;
    const dialog = () => detail().shadowRoot?.querySelector('dialog') as HTMLDialogElement | undefined;
    await waitUntil(() => dialog()?.open && [...dialog()!.querySelectorAll('button')].some((b) => b.textContent === 'Copy reconnect link'), 'details with the link button', { timeout: 10_000 });
    [...dialog()!.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === 'Copy reconnect link')!.click();
    await waitUntil(() => dialog()!.querySelector<HTMLInputElement>('#link-url'), 'the link', { timeout: 10_000 });
    const link = dialog()!.querySelector<HTMLInputElement>('#link-url')!.value;
    expect(link.startsWith(`${url}/links/`)).to.equal(true);
    expect(link).to.match(/\/links\/[0-9a-f-]{36}\?s=[\w-]+$/);

    const history = dialog()!.querySelector<HTMLDetailsElement>('details.history')!;
    history.open = true;
    await waitUntil(() => /Connected by user-1/.test(textOf(detail())), 'the history from GET /api/accounts/:id/history', { timeout: 10_000 });
  });

  it('leaves a declined scope amber with the permission named, and reconnects it to green', async () => {
    const { el } = await panelFor(`ws-${crypto.randomUUID()}`);
    await press(button(el.shadowRoot!, 'Connect TikTok')!);
    await executeServerCommand('sandbox-consent', { decision: 'allow', uncheck: ['video.publish'] });
    await waitUntil(() => cards(el).length === 1, 'the card', { timeout: 10_000 });
    const card = cards(el)[0]!;
    await waitUntil(() => textOf(card).includes('Needs reconnect'));
    expect(textOf(card)).to.contain('video.publish');

    await press(button(card.shadowRoot!, 'Reconnect')!);
    await waitUntil(() => textOf(el).includes('approve every requested permission'), 'told first to approve every permission');
    await executeServerCommand('sandbox-consent', { decision: 'allow' });
    await waitUntil(() => textOf(cards(el)[0]!).includes('Healthy'), 'green again', { timeout: 10_000 });
    expect(cards(el)).to.have.length(1, 'the same account, updated');
  });

  it('turns an account revoked at the platform amber on the health check, with a toast that can reconnect it', async () => {
    const { el } = await panelFor(`ws-${crypto.randomUUID()}`);
    await press(button(el.shadowRoot!, 'Connect LinkedIn profile')!);
    await executeServerCommand('sandbox-consent', { decision: 'allow', user: 'Pw7tLm2xYc' });
    await waitUntil(() => cards(el).length === 1, 'the card', { timeout: 10_000 });
    await executeServerCommand('sandbox-revoke', { platform: 'linkedin', platformAccountId: 'Pw7tLm2xYc' });
    // The account was verified when it connected: a health check re-verifies what is older than 5 minutes.
    await executeServerCommand('sandbox-clock', { advanceSeconds: 6 * 60 });
    await el.healthCheck();
    await waitUntil(() => textOf(cards(el)[0]!).includes('Needs reconnect'), 'amber', { timeout: 10_000 });
    await waitUntil(() => [...el.shadowRoot!.querySelectorAll('.toast')].some((t) => t.textContent!.includes('Please reconnect')), 'the toast', { timeout: 5000 });
    const toast = [...el.shadowRoot!.querySelectorAll('.toast')].find((t) => t.textContent!.includes('Please reconnect'));
    expect(toast, 'a reconnect toast').to.exist;
    expect(button(toast!, 'Reconnect')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('disconnects after the confirmation, and the summary counts what is left', async () => {
    const workspaceId = `ws-${crypto.randomUUID()}`;
    const { el, url, token } = await panelFor(workspaceId);
    await press(button(el.shadowRoot!, 'Connect Instagram')!);
    await executeServerCommand('sandbox-consent', { decision: 'allow' });
    await waitUntil(() => cards(el).length === 1, 'the card', { timeout: 10_000 });
    await press(button(el.shadowRoot!, 'Connect X')!);
    await executeServerCommand('sandbox-consent', { decision: 'allow' });
    await waitUntil(() => cards(el).length === 2, 'two cards', { timeout: 10_000 });

    button(cards(el)[0]!.shadowRoot!, 'Disconnect')!.click();
    const dialog = () => el.shadowRoot!.querySelector('cp-confirm-dialog')!.shadowRoot?.querySelector('dialog') as HTMLDialogElement;
    await waitUntil(() => dialog()?.open);
    button(dialog(), 'Disconnect')!.click();
    await waitUntil(() => cards(el).length === 1, 'one left', { timeout: 10_000 });

    const summary = await fixture<ConnectionsSummary>(html`<connections-summary bff-url=${url} .session=${token}></connections-summary>`);
    await waitUntil(() => summary.shadowRoot!.querySelector('ul'), 'the summary', { timeout: 10_000 });
    expect(textOf(summary)).to.contain('1 healthy').and.contain('0 need reconnect');
    await expect(summary).to.be.accessible();
  });

  it('shows the plan upgrade prompt and blocks at the account limit', async () => {
    const { el } = await panelFor(`ws-${crypto.randomUUID()}`, 'free', 1);
    expect(textOf(el)).to.contain('TikTok: Upgrade to Professional');
    await press(button(el.shadowRoot!, 'Connect Instagram')!);
    await executeServerCommand('sandbox-consent', { decision: 'allow' });
    await waitUntil(() => cards(el).length === 1, 'the card', { timeout: 10_000 });
    await waitUntil(() => button(el.shadowRoot!, 'Connect Facebook')!.getAttribute('aria-disabled') === 'true', 'blocked at the limit');
    expect(textOf(el)).to.contain("1 of 1 accounts used").and.contain("Upgrade to add more");
    await expect(el).to.be.accessible();
  });
});
