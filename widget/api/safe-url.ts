/**
 * URLs that come from the BFF (pictures, permalinks, links) are shown only when they are
 * `https:`, or plain http on the BFF's own origin (the sandbox's pictures): never
 * `javascript:`, `data:` or another scheme in an `href` or `src`.
 */
export function safeUrl(url: string | null | undefined, bffOrigin?: string | null): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol === 'https:') return parsed.href;
  if (parsed.protocol === 'http:' && bffOrigin && parsed.origin === bffOrigin) return parsed.href;
  return null;
}

/**
 * A URL the host configured (composer, support, plans): relative or http(s), never another
 * scheme. Resolved against the page.
 */
export function hostUrl(url: string | null | undefined): URL | null {
  if (!url) return null;
  try {
    const parsed = new URL(url, document.baseURI);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed : null;
  } catch {
    return null;
  }
}
