import { html, nothing } from 'lit';
import { msg } from '../i18n/i18n.ts';
import { ApiError } from './api-client.ts';

/**
 * The connection error reference the BFF serves (GET /errors, from the same catalog as
 * docs/errors.md): each code's entry is `<bff>/errors#<code>`. Every error message in the
 * widget links there, and "Fix with AI Support" carries the code and the link.
 */
export function errorReferenceUrl(base: string | null | undefined, code: string | null | undefined): string | null {
  if (!base || !code) return null;
  try {
    const url = new URL(`${base.replace(/\/+$/, '')}/errors`, document.baseURI);
    // The entry's anchor is the code itself (contract/errors.ts errorAnchor; a node test holds them together).
    url.hash = code;
    return url.href;
  } catch {
    return null;
  }
}

/** The code of a failed call (a BFF error), if it has one the reference explains. */
export function errorCode(err: unknown): string | null {
  return err instanceof ApiError && err.code !== 'http_error' ? err.code : null;
}

/** " About this error" after an error message, linking its entry (nothing without a code or a BFF). */
export function errorHelp(base: string | null | undefined, code: string | null | undefined) {
  const href = errorReferenceUrl(base, code);
  return href ? html` <a class="error-help" href=${href} target="_blank" rel="noopener">${msg('About this error')}</a>` : nothing;
}
