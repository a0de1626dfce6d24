import { ERRORS, errorAnchor, type ErrorArea, type ErrorCode } from '../../contract/errors.ts';

const AREAS: Record<ErrorArea, string> = {
  request: 'The request',
  auth: 'Who is asking',
  plan: 'Plans and limits',
  account: 'Accounts and workspaces',
  connection: 'Connecting an account (OAuth outcomes)',
  platform: 'What a platform says about an account',
  link: 'Reconnect and connect links',
  server: 'The server',
};

/** docs/errors.md: every code, grouped by area, each under a heading the widget links to. */
export function renderErrorReference(): string {
  const lines = [
    '# Connection error reference',
    '',
    '<!-- Generated from contract/errors.ts by `npm run generate`: edit that file, not this one. -->',
    '',
    'Every error the BFF answers is `{ "error": { "code", "message", "params"? } }` with the HTTP status below; the outcome of a connection attempt (`GET /api/connections/:id`, the pop-up\'s message, the redirect back) carries the same codes. The widget links each message it shows to its entry here, and "Fix with AI Support" sends the code along.',
    '',
  ];
  for (const [area, title] of Object.entries(AREAS) as [ErrorArea, string][]) {
    const codes = (Object.keys(ERRORS) as ErrorCode[]).filter((c) => ERRORS[c].area === area);
    if (codes.length === 0) continue;
    lines.push(`## ${title}`, '');
    for (const code of codes) {
      const e = ERRORS[code];
      lines.push(`### ${errorAnchor(code)}`, '', `\`${code}\`${e.status >= 400 ? ` (HTTP ${e.status})` : ' (a connection outcome)'}: ${e.message}`, '', `What to do: ${e.action}`, '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
