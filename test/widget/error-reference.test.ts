import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ContextProvider } from '@lit/context';
import '../../widget/index.ts';
import { loadAccountDetail, loadChoiceDialog } from '../../widget/lazy.ts';
import { apiContext } from '../../widget/context/api-context.ts';
import { ApiError, type Account, type AccountDetail, type ApiClient } from '../../widget/api/api-client.ts';
import type { AccountDetailPanel } from '../../widget/account-detail/account-detail.ts';
import type { ChoiceDialog } from '../../widget/choice-dialog/choice-dialog.ts';
import type { ConnectionsSummary } from '../../widget/connections-summary/connections-summary.ts';
import { button, cards, textOf } from './support/dom.ts';
import { account, fakeApi, fakePopup, panelWith, postResult } from './support/fake-api.ts';

/**
 * Issue 14 item 2: every error message links its entry in the BFF's error reference
 * (`<bff>/errors#<code>`), and "Fix with AI Support" carries the code and that link.
 * Issue 14 item 5: the elements that talk to the BFF take the client from @lit/context.
 */

const BFF = 'https://bff.example/connections';
const withBase = (api: ApiClient): ApiClient => ({ ...api, baseUrl: BFF });
const helpLinks = (root: ParentNode) => [...root.querySelectorAll<HTMLAnchorElement>('a.error-help')].map((a) => a.href);

describe('error messages link the error reference (issue 14)', () => {
  it('links an error toast, and the connect flow\'s failure toast, to the code\'s entry', async () => {
    const el = await panelWith(
      withBase(
        fakeApi(async () => [], {
          healthCheck: async () => Promise.reject(new ApiError(503, 'platform_unavailable', 'Facebook is not answering.')),
          startConnection: async () => ({ attemptId: 'c1', authorizeUrl: 'https://bff.example/oauth/start/c1?t=1' }),
          connectionStatus: async () => ({ status: 'pending' }),
        }),
      ),
    );
    // The check on opening failed: its toast says so, with the link.
    await waitUntil(() => helpLinks(el.shadowRoot!).length === 1, 'the failed check links its code');
    expect(helpLinks(el.shadowRoot!)).to.deep.equal([`${BFF}/errors#platform_unavailable`]);
    const link = el.shadowRoot!.querySelector<HTMLAnchorElement>('.toast a.error-help')!;
    expect(link.textContent).to.equal('About this error');
    expect(link.target).to.equal('_blank');

    el.openWindow = () => fakePopup();
    await waitUntil(() => button(el.shadowRoot!, 'Connect Facebook'));
    button(el.shadowRoot!, 'Connect Facebook')!.click();
    await waitUntil(() => textOf(el).includes('Finish signing in'));
    postResult({ attemptId: 'c1', status: 'failed', error: { code: 'different_account', message: 'You signed in to a different Facebook account than the one being reconnected.' } });
    await waitUntil(() => helpLinks(el.shadowRoot!).includes(`${BFF}/errors#different_account`), 'the OAuth outcome links its code');
    await expect(el).to.be.accessible();
  });

  it('links an amber card\'s reason, and "Fix with AI Support" carries the code and the link', async () => {
    const amber = account({
      health: 'needs_reconnect',
      reason: 'refresh_failed',
      reasonMessage: 'The token could not be refreshed three times in a row.',
      canPublish: false,
      lastError: { code: 'invalid_grant', message: 'The platform refused the refresh token.' },
    });
    const revoked = account({ displayName: 'Lumen Studio', health: 'needs_reconnect', reason: 'token_revoked', reasonMessage: 'Access was revoked on the platform.', canPublish: false });
    const el = await panelWith(withBase(fakeApi(async () => [amber, revoked])), { support: 'https://host.example/support' });
    await waitUntil(() => cards(el).length === 2);
    await Promise.all(cards(el).map((c) => c.updateComplete));
    const [first, second] = cards(el).map((c) => c.shadowRoot!);
    expect(helpLinks(first!)).to.deep.equal([`${BFF}/errors#invalid_grant`]);
    expect(helpLinks(second!)).to.deep.equal([`${BFF}/errors#token_revoked`]);
    const support = new URL(first!.querySelector<HTMLAnchorElement>('a.support')!.href);
    expect(support.searchParams.get('error_code')).to.equal('invalid_grant');
    expect(support.searchParams.get('error_reference')).to.equal(`${BFF}/errors#invalid_grant`);
    expect(support.searchParams.get('error')).to.contain('invalid_grant');
  });

  it('links a list that could not be read, in the panel and in the summary', async () => {
    const failing = withBase(fakeApi(async () => Promise.reject(new ApiError(404, 'workspace_not_found', 'No such workspace.'))));
    const el = await panelWith(failing);
    await waitUntil(() => helpLinks(el.shadowRoot!).length > 0);
    expect(helpLinks(el.shadowRoot!)[0]).to.equal(`${BFF}/errors#workspace_not_found`);
    const summary = await fixture<ConnectionsSummary>(html`<connections-summary .api=${failing}></connections-summary>`);
    await waitUntil(() => helpLinks(summary.shadowRoot!).length > 0, 'the summary links it too');
    expect(helpLinks(summary.shadowRoot!)).to.deep.equal([`${BFF}/errors#workspace_not_found`]);
  });
});

describe('one API client, injected once through @lit/context (issue 14)', () => {
  const detailOf = (a: Account): AccountDetail => ({ ...a, platformAccountId: '1', recentPosts: [] });

  it('serves the detail panel, the choice dialog and a summary from one provider, with no client set on them', async () => {
    await Promise.all([loadAccountDetail(), loadChoiceDialog()]);
    const a = account({ health: 'needs_reconnect', reason: 'token_expired', reasonMessage: 'The access token has expired.', canPublish: false });
    const calls: string[] = [];
    const api = withBase(
      fakeApi(async () => (calls.push('list'), [a]), {
        getAccount: async (id) => (calls.push(`detail ${id}`), detailOf(a)),
        listPlatforms: async () => (calls.push('platforms'), { platforms: [], accountCount: 1, accountLimit: 3 }),
      }),
    );
    const host = document.createElement('div');
    new ContextProvider(host, { context: apiContext, initialValue: api });
    host.innerHTML = '<cp-account-detail></cp-account-detail><cp-choice-dialog></cp-choice-dialog><connections-summary></connections-summary>';
    await fixture(html`<div></div>`).then((holder) => holder.append(host));
    const detail = host.querySelector('cp-account-detail') as AccountDetailPanel;
    const choice = host.querySelector('cp-choice-dialog') as ChoiceDialog;
    const summary = host.querySelector('connections-summary') as ConnectionsSummary;

    await detail.show(a.id, () => null);
    expect(calls).to.include(`detail ${a.id}`);
    // The client's base URL reaches the detail panel too: its reason links the reference.
    expect(helpLinks(detail.shadowRoot!)).to.deep.equal([`${BFF}/errors#token_expired`]);
    detail.close();

    const chosen = choice.choose({ label: 'Facebook', choices: [{ id: 'p1', name: 'Page one', kind: 'page', avatarUrl: null, alreadyConnected: false }], remaining: 1 });
    await waitUntil(() => calls.includes('platforms'), 'the choice dialog read the allowance through the provided client');
    button(choice.shadowRoot!, 'Cancel')!.click();
    expect(await chosen).to.equal(null);

    await waitUntil(() => textOf(summary).includes(a.displayName), 'the summary read through the provided client');
    expect(calls.filter((c) => c === 'list').length).to.be.greaterThan(0);
  });
});
