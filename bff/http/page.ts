import { createHash } from 'node:crypto';
import type { Response } from 'express';

/**
 * The BFF's own HTML pages (the error reference, and the pages people land on from links and
 * OAuth): one small style, no script unless a page brings its own file, a strict policy.
 */
export const PAGE_STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1f2328;background:#fff}' +
  'a{color:#0a58ca}h2{margin-top:2rem;border-bottom:1px solid #d0d7de}h3{margin-bottom:.25rem}code{font-size:.95em}' +
  '.muted{color:#57606a}@media (prefers-color-scheme:dark){body{color:#e6edf3;background:#0d1117}a{color:#4493f8}.muted{color:#8b949e}}';

const STYLE_HASH = createHash('sha256').update(PAGE_STYLE).digest('base64');

/** The pages' policy: their one style block by hash, scripts only from our origin, never framed. */
export function pagePolicy(options: { formAction?: string } = {}): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'sha256-${STYLE_HASH}'`,
    "img-src 'self' https: data:",
    "base-uri 'none'",
    `form-action ${options.formAction ?? "'none'"}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A whole page; `body` must be escaped already. */
export function renderPage(input: { title: string; body: string; lang?: string }): string {
  return `<!doctype html>
<html lang="${escapeHtml(input.lang ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
${input.body}
</main>
</body>
</html>`;
}

/** Sends a page with its policy; never cached where it carries a person's outcome. */
export function sendPage(res: Response, status: number, html: string, options: { cache?: string; formAction?: string; referrerPolicy?: string } = {}): void {
  res.setHeader('Content-Security-Policy', pagePolicy(options));
  res.setHeader('Cache-Control', options.cache ?? 'no-store');
  // same-origin: nothing leaks to other sites, and a form on the page (a Continue button) keeps its Origin
  // (under `no-referrer` the browser would send `Origin: null`).
  res.setHeader('Referrer-Policy', options.referrerPolicy ?? 'same-origin');
  res.status(status).type('html').send(html);
}
