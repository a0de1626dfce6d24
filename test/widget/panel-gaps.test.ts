import { expect, waitUntil } from '@open-wc/testing';
import '../../widget/index.ts';
import { ApiError } from '../../widget/api/api-client.ts';
import { cards } from './support/dom.ts';
import { account, fakeApi, panelWith, toastTexts } from './support/fake-api.ts';

/** Issue 17: gaps found going through its items on the demo, each with the test that failed without its fix. */

afterEach(() => history.replaceState(null, '', window.location.pathname));

describe('7. deep links both ways: a link to an account that is gone', () => {
  it('says why in a toast and takes ?account=<id> out of the address', async () => {
    history.replaceState(null, '', `${window.location.pathname}?account=gone-1&tab=x`);
    const el = await panelWith(fakeApi(async () => [account()], { getAccount: async () => Promise.reject(new ApiError(404, 'account_not_found', 'No such account in this workspace.')) }));
    await waitUntil(() => cards(el).length === 1);
    await waitUntil(() => toastTexts(el).length > 0, 'the error as a toast');
    expect(toastTexts(el)[0]).to.contain('No such account');
    const url = new URL(window.location.href);
    expect(url.searchParams.has('account')).to.equal(false, 'the dead link is tidied away');
    expect(url.searchParams.get('tab')).to.equal('x', 'the host page\'s own parameters stay');
  });
});

describe('a card\'s menu, whose behaviour and looks load on demand', () => {
  it('opens styled beside its button, focused on its first item', async () => {
    const a = account();
    const el = await panelWith(fakeApi(async () => [a]));
    await waitUntil(() => cards(el).length === 1);
    const card = cards(el)[0]!;
    await card.updateComplete;
    const more = card.shadowRoot!.querySelector<HTMLButtonElement>('button.more')!;
    more.focus();
    more.click();
    const menu = card.shadowRoot!.querySelector<HTMLElement>('[role=menu]')!;
    await waitUntil(() => menu.matches(':popover-open'), 'the menu opens');
    expect(getComputedStyle(menu).position).to.equal('fixed');
    expect(getComputedStyle(menu).minWidth).not.to.equal('auto');
    expect(card.shadowRoot!.activeElement!.textContent).to.equal('View details');
    const box = menu.getBoundingClientRect();
    const button = more.getBoundingClientRect();
    expect(Math.abs(box.top - (button.bottom + 4)) < 2 || box.bottom <= button.top).to.equal(true, 'beside its button');
  });
});
