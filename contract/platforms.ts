/**
 * The platforms, their names and the kinds of account each connects: plain constants both
 * sides share (the widget bundles them; nothing here imports a library).
 */

export const LIVE_PLATFORMS = ['facebook', 'instagram', 'tiktok', 'x', 'linkedin'] as const;
export const COMING_SOON_PLATFORMS = ['telegram', 'whatsapp'] as const;
export const ALL_PLATFORMS = [...LIVE_PLATFORMS, ...COMING_SOON_PLATFORMS] as const;

export type LivePlatform = (typeof LIVE_PLATFORMS)[number];
export type Platform = (typeof ALL_PLATFORMS)[number];

/** A platform's name as people know it. */
export const PLATFORM_LABELS: Readonly<Record<Platform, string>> = {
  facebook: 'Facebook',
  instagram: 'Instagram',
  tiktok: 'TikTok',
  x: 'X',
  linkedin: 'LinkedIn',
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
};

export function isPlatform(value: unknown): value is Platform {
  return typeof value === 'string' && (ALL_PLATFORMS as readonly string[]).includes(value);
}

export function isLivePlatform(value: unknown): value is LivePlatform {
  return typeof value === 'string' && (LIVE_PLATFORMS as readonly string[]).includes(value);
}

/** What a connected account is on its platform. */
export const ACCOUNT_KINDS = ['page', 'professional', 'profile', 'member', 'organization'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export const ACCOUNT_KIND_LABELS: Readonly<Record<AccountKind, string>> = {
  page: 'Facebook Page',
  professional: 'Professional account',
  profile: 'Profile',
  member: 'Member profile',
  organization: 'Organization page',
};

/**
 * The connect flows each platform offers, the first being the default. LinkedIn has two: a
 * member's profile and, through the Community Management app, organization pages.
 */
export const CONNECT_KINDS: Readonly<Record<LivePlatform, readonly { kind: AccountKind; label: string }[]>> = {
  facebook: [{ kind: 'page', label: 'Facebook Page' }],
  instagram: [{ kind: 'professional', label: 'Instagram professional account' }],
  tiktok: [{ kind: 'profile', label: 'TikTok account' }],
  x: [{ kind: 'profile', label: 'X account' }],
  linkedin: [
    { kind: 'member', label: 'LinkedIn profile' },
    { kind: 'organization', label: 'LinkedIn Page' },
  ],
};
