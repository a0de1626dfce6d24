import { Failure } from '../errors.ts';

/** `returnTo` must be a page on one of the host origins we may send people back to. */
export function returnToOf(value: string | undefined, allowedOrigins: readonly string[]): string | null {
  if (value === undefined) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Failure('invalid_return_to', '"returnTo" must be an absolute URL.');
  }
  // A blob: (or filesystem:) URL carries its creator's origin: the scheme must be http(s) itself.
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '') {
    throw new Failure('invalid_return_to', '"returnTo" must be an http(s) URL without credentials.');
  }
  if (!allowedOrigins.includes(url.origin)) {
    throw new Failure('invalid_return_to', `"returnTo" must be on an allowed origin (${allowedOrigins.join(', ')}).`);
  }
  return url.href;
}
