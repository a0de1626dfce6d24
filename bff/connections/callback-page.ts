import { createHash } from 'node:crypto';
import { OAUTH_MESSAGE } from '../../contract/oauth.ts';
import type { OAuthMessage } from '../../contract/types.ts';
import type { AttemptResult } from './connection.service.ts';

const STYLE = 'body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#1f2328}a{color:#0a58ca}';

/**
 * The callback page's own policy: its one script from our origin, its one style block by
 * hash (no 'unsafe-inline'), nothing else; never framed. No Cross-Origin-Opener-Policy: the
 * popup must keep its opener to post the result.
 */
export const CALLBACK_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// JSON inside a <script> block: nothing in it may close the block.
const safeJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

/**
 * The page the popup lands on after the platform. It carries the result as JSON data and
 * loads one external script (no inline script, so it works under a strict CSP) that posts
 * it to the opener, only to the allowed origins, then closes. Without an opener it says
 * what happened and links back.
 */
export function renderCallbackPage(input: { result: AttemptResult; targetOrigins: string[]; scriptUrl: string; backUrl: string }): string {
  const { result } = input;
  const message: OAuthMessage = { ...OAUTH_MESSAGE, ...result };
  const text =
    result.status === 'failed'
      ? (result.error?.message ?? 'The connection failed.')
      : result.status === 'choose'
        ? 'Signed in. Return to the connections page to choose which accounts to add.'
        : 'Connected. You can close this window.';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${result.status === 'failed' ? 'Connection failed' : 'Connected'}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${result.status === 'failed' ? 'The connection did not go through' : 'Done'}</h1>
<p id="cp-oauth-text" role="status">${escapeHtml(text)}</p>
<p><a href="${escapeHtml(input.backUrl)}">Back to the connections page</a></p>
</main>
<script type="application/json" id="cp-oauth-result">${safeJson({ message, targetOrigins: input.targetOrigins })}</script>
<script src="${escapeHtml(input.scriptUrl)}"></script>
</body>
</html>`;
}

/** The callback page's script, served from the BFF's own origin. */
export const CALLBACK_SCRIPT = `(function () {
  var data = document.getElementById('cp-oauth-result');
  if (!data) return;
  var payload = JSON.parse(data.textContent || '{}');
  var opener = window.opener;
  if (!opener || opener.closed) return;
  for (var i = 0; i < payload.targetOrigins.length; i++) {
    try { opener.postMessage(payload.message, payload.targetOrigins[i]); } catch (e) {}
  }
  setTimeout(function () { window.close(); }, 50);
})();
`;
