import { ERRORS, errorAnchor, type ErrorArea, type ErrorCode } from '../../contract/errors.ts';
import { escapeHtml, renderPage } from './page.ts';

const AREAS: Record<ErrorArea, string> = {
  request: 'The request',
  auth: 'Who is asking',
  plan: 'Plans and limits',
  account: 'Accounts and workspaces',
  connection: 'Connecting an account',
  platform: 'What a platform says about an account',
  link: 'Reconnect and connect links',
  server: 'The server',
};

/**
 * GET /errors: the connection error reference as a page the widget links to (`/errors#<code>`),
 * from the same catalog as docs/errors.md.
 */
export function renderErrorReferencePage(): string {
  const sections = (Object.entries(AREAS) as [ErrorArea, string][]).map(([area, title]) => {
    const codes = (Object.keys(ERRORS) as ErrorCode[]).filter((c) => ERRORS[c].area === area);
    if (codes.length === 0) return '';
    const entries = codes
      .map((code) => {
        const e = ERRORS[code];
        return `<section id="${escapeHtml(errorAnchor(code))}"><h3><code>${escapeHtml(code)}</code></h3><p>${escapeHtml(e.message)}</p><p><strong>What to do:</strong> ${escapeHtml(e.action)}</p></section>`;
      })
      .join('\n');
    return `<h2>${escapeHtml(title)}</h2>\n${entries}`;
  });
  return renderPage({
    title: 'Connection error reference',
    body: `<h1>Connection error reference</h1>\n<p class="muted">What each message of the connections page means and what to do about it.</p>\n${sections.join('\n')}`,
  });
}
