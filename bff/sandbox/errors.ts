/**
 * Every error body the sandbox sends, one builder per shape. The shapes differ on purpose:
 * each reproduces what its platform really sends, so adapters learn to read them.
 */
import { randomBytes } from 'node:crypto';
import type { Response } from 'express';

function randomTraceId(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** TikTok's log_id looks like a timestamp followed by hex. */
function tiktokLogId(): string {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  return `${stamp}${randomBytes(10).toString('hex').toUpperCase()}`;
}

// --- Meta (graph.facebook.com, graph.instagram.com) ---------------------------------------

export interface MetaErrorOptions {
  subcode?: number;
  type?: string;
  isTransient?: boolean;
}

export interface MetaErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    is_transient?: boolean;
    fbtrace_id: string;
  };
}

export function metaError(code: number, message: string, options: MetaErrorOptions = {}): MetaErrorBody {
  return {
    error: {
      message,
      type: options.type ?? 'OAuthException',
      code,
      ...(options.subcode !== undefined ? { error_subcode: options.subcode } : {}),
      ...(options.isTransient !== undefined ? { is_transient: options.isTransient } : {}),
      fbtrace_id: randomTraceId(9),
    },
  };
}

export function metaServerError(): MetaErrorBody {
  return metaError(2, 'An unexpected error has occurred. Please retry your request later.', { isTransient: true });
}

/** api.instagram.com (the Instagram code exchange) still answers in the old Instagram shape. */
export function instagramApiError(code: number, message: string): { error_type: string; code: number; error_message: string } {
  return { error_type: 'OAuthException', code, error_message: message };
}

// --- OAuth token endpoints (TikTok, X, LinkedIn) -------------------------------------------

export function oauthError(error: string, description: string): { error: string; error_description: string } {
  return { error, error_description: description };
}

export function tiktokOAuthError(error: string, description: string): { error: string; error_description: string; log_id: string } {
  return { error, error_description: description, log_id: tiktokLogId() };
}

// --- platform APIs -----------------------------------------------------------------------

export function tiktokApiError(code: string, message: string): { error: { code: string; message: string; log_id: string } } {
  return { error: { code, message, log_id: tiktokLogId() } };
}

export function tiktokOk(): { code: string; message: string; log_id: string } {
  return { code: 'ok', message: '', log_id: tiktokLogId() };
}

/** X API v2 errors are RFC 7807 problem documents. */
export function xProblem(status: number, title: string): { title: string; type: string; status: number; detail: string } {
  return { title, type: 'about:blank', status, detail: title };
}

export function linkedinError(
  status: number,
  serviceErrorCode: number,
  message: string,
  code?: string,
): { serviceErrorCode: number; code?: string; message: string; status: number } {
  return { serviceErrorCode, ...(code !== undefined ? { code } : {}), message, status };
}

// --- the sandbox's own API -----------------------------------------------------------------

export function controlError(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

// --- HTML ---------------------------------------------------------------------------------

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

export const PAGE_STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1c1e21}' +
  'main{max-width:32rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 3px #0002}' +
  'h1{font-size:1.4rem;margin-top:0}fieldset{border:1px solid #ccd;border-radius:6px;margin:1rem 0}' +
  'fieldset div{margin:.3rem 0}select{font:inherit;padding:.3rem}code{font-size:.9em}' +
  'button{font:inherit;padding:.5rem 1.4rem;margin-right:.5rem;border-radius:6px;border:1px solid #889;cursor:pointer}' +
  'button[value=allow]{background:#1b74e4;color:#fff;border-color:#1b74e4}.note{color:#555;font-size:.9em}' +
  '.error{color:#b00020}img{max-width:100%}';

/** A full HTML page; `body` must already be escaped. */
export function htmlPage(title: string, body: string): string {
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${PAGE_STYLE}</style></head>\n` +
    `<body><main>\n${body}\n</main></body></html>\n`
  );
}

/** The page a platform shows instead of redirecting when it cannot trust the redirect. */
export function htmlErrorPage(title: string, message: string): string {
  return htmlPage(`${title} - error`, `<h1>${escapeHtml(title)}</h1>\n<p class="error">${escapeHtml(message)}</p>`);
}

/** Sends a sandbox HTML page: never cached, never framed, no scripts. */
export function sendHtml(res: Response, status: number, html: string): void {
  res
    .status(status)
    .set({
      'Cache-Control': 'no-store',
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'",
    })
    .type('html')
    .send(html);
}
