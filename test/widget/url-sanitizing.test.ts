import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../widget/index.ts';
import { hostUrl, safeUrl } from '../../widget/api/safe-url.ts';
import type { AccountCard } from '../../widget/account-card/account-card.ts';
import type { ConnectionsSummary } from '../../widget/connections-summary/connections-summary.ts';
import { account, fakeApi } from './support/fake-api.ts';

/**
 * Issue 12 item 6: a URL from a platform (or a host attribute) with another scheme than
 * http(s) is never bound into an href or src. One sanitizer (widget/api/safe-url.ts).
 */

const HOSTILE = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'vbscript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>',
  'data:image/svg+xml,<svg onload=alert(1)>',
  'blob:https://bff.example/0b6c9a3e-1111-2222-3333-444444444444',
  'file:///etc/passwd',
  'http://evil.example/x.png',
];

/** Every href and src under `root`, through open shadow roots. */
function urlsIn(root: Element | ShadowRoot): string[] {
  const found: string[] = [];
  const walk = (node: Element | ShadowRoot) => {
    for (const el of node.querySelectorAll('*')) {
      for (const name of ['href', 'src', 'action', 'formaction']) {
        const value = el.getAttribute(name);
        if (value !== null) found.push(value);
      }
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(root);
  return found;
}

function expectOnlyWebUrls(urls: string[]): void {
  for (const value of urls) {
    const protocol = new URL(value, document.baseURI).protocol;
    expect(['https:', 'http:'], `${value} has scheme ${protocol}`).to.include(protocol);
    expect(value).not.to.match(/javascript|vbscript|data:|blob:/i);
  }
}

describe('URLs the widget renders', () => {
  it('safeUrl keeps https (and plain http on the BFF origin) and refuses every other scheme', () => {
    for (const url of HOSTILE) expect(safeUrl(url, 'https://bff.example'), url).to.equal(null);
    expect(safeUrl('https://cdn.example/a.jpg', null)).to.equal('https://cdn.example/a.jpg');
    expect(safeUrl('http://127.0.0.1:3000/sandbox/avatars/1.svg', 'http://127.0.0.1:3000')).to.equal('http://127.0.0.1:3000/sandbox/avatars/1.svg');
    expect(safeUrl('http://127.0.0.1:3000/sandbox/avatars/1.svg', null)).to.equal(null);
  });

  it('hostUrl keeps relative and http(s) URLs and refuses every other scheme', () => {
    for (const url of HOSTILE.filter((u) => !u.startsWith('http:'))) expect(hostUrl(url), url).to.equal(null);
    expect(hostUrl('/plans')?.protocol).to.match(/^https?:$/);
    expect(hostUrl('https://host.example/plans')?.href).to.equal('https://host.example/plans');
  });

  for (const hostile of HOSTILE.filter((u) => !u.startsWith('http:'))) {
    it(`a card renders no ${hostile.slice(0, 12)}… URL: picture, support link, upgrade link`, async () => {
      const amber = account({
        avatarUrl: hostile,
        health: 'needs_reconnect',
        reason: 'token_revoked',
        reasonMessage: 'Revoked.',
        lastError: { code: 'token_revoked', message: 'Revoked.', at: '2026-11-24T10:00:00.000Z' },
      } as never);
      const card = await fixture<AccountCard>(html`<cp-account-card .account=${amber} .supportUrl=${hostile} .bffOrigin=${'https://bff.example'}></cp-account-card>`);
      await card.updateComplete;
      expect(card.shadowRoot!.querySelector('img')).to.equal(null);
      expect(card.shadowRoot!.querySelector('a.support')).to.equal(null);
      expectOnlyWebUrls(urlsIn(card.shadowRoot!));

      const paused = await fixture<AccountCard>(html`<cp-account-card .account=${account({ status: 'paused', pausedReason: 'over_limit' } as never)} .upgradeUrl=${hostile}></cp-account-card>`);
      await paused.updateComplete;
      expect(paused.shadowRoot!.querySelector('a.button')).to.equal(null);
      expectOnlyWebUrls(urlsIn(paused.shadowRoot!));
    });
  }

  it('a whole panel with hostile URLs everywhere (pictures, posts, attributes) renders only http(s) URLs', async () => {
    const hostile = 'javascript:alert(1)';
    const accounts = [account({ avatarUrl: hostile }), account({ avatarUrl: 'data:image/png;base64,AAAA', status: 'paused', pausedReason: 'over_limit' } as never)];
    const el = await fixture(
      html`<connections-panel bff-url="https://bff.example" upgrade-url=${hostile} composer-url=${hostile} support-url=${hostile} .api=${fakeApi(async () => accounts)}></connections-panel>`,
    );
    await waitUntil(() => el.shadowRoot!.querySelectorAll('cp-account-card').length === 2, 'cards');
    for (const card of el.shadowRoot!.querySelectorAll('cp-account-card')) await (card as AccountCard).updateComplete;
    expectOnlyWebUrls(urlsIn(el.shadowRoot!));

    const summary = await fixture<ConnectionsSummary>(html`<connections-summary panel-url=${hostile} .api=${fakeApi(async () => accounts)}></connections-summary>`);
    await waitUntil(() => urlsIn(summary.shadowRoot!).length > 0, 'summary links');
    expectOnlyWebUrls(urlsIn(summary.shadowRoot!));
  });
});
