/**
 * URLs a platform hands us (profile pictures, permalinks, post thumbnails) are data from
 * outside: they end up in an `<a href>` or `<img src>`. Only `https:` URLs are kept, plus the
 * sandbox's own origin (plain http on loopback); `javascript:`, `data:`, `blob:`, userinfo
 * tricks and anything unparseable become null. Every adapter result that carries a URL goes
 * through here (PlatformRegistry wraps each adapter), so no adapter can forget it.
 */
import type { GrantedAccount, PlatformAdapter, PlatformPost } from './adapter.ts';

const MAX_URL_LENGTH = 2048;

export function platformUrl(value: string | null | undefined, trustedOrigins: readonly string[] = []): string | null {
  if (typeof value !== 'string' || value === '' || value.length > MAX_URL_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.username !== '' || url.password !== '') return null;
  if (url.protocol === 'https:') return url.href;
  if (url.protocol === 'http:' && trustedOrigins.includes(url.origin)) return url.href;
  return null;
}

/** The adapter with every URL it returns passed through platformUrl. */
export function withSafeUrls(adapter: PlatformAdapter, trustedOrigins: readonly string[]): PlatformAdapter {
  const account = (a: GrantedAccount): GrantedAccount => ({ ...a, avatarUrl: platformUrl(a.avatarUrl, trustedOrigins) });
  const post = (p: PlatformPost): PlatformPost => ({
    ...p,
    permalinkUrl: platformUrl(p.permalinkUrl, trustedOrigins),
    mediaUrl: platformUrl(p.mediaUrl, trustedOrigins),
  });
  return Object.assign(Object.create(adapter) as PlatformAdapter, {
    accounts: async (grant: Parameters<PlatformAdapter['accounts']>[0]) => (await adapter.accounts(grant)).map(account),
    recentPosts: async (stored: Parameters<PlatformAdapter['recentPosts']>[0]) => (await adapter.recentPosts(stored)).map(post),
  });
}
