/**
 * The scopes each platform requires: the one declared table. Adapters request exactly these,
 * and health derivation checks every one was granted. (The platforms' names and kinds are
 * part of the contract: contract/platforms.ts.)
 */
import type { AccountKind, LivePlatform } from '../../contract/platforms.ts';

const LINKEDIN_MEMBER_SCOPES = ['openid', 'profile', 'w_member_social'];
/**
 * LinkedIn Pages (organizations) come through the Community Management product, which must be
 * the only product on its app: a second app, its own connect flow, only these scopes.
 */
export const LINKEDIN_PAGE_SCOPES: readonly string[] = ['r_organization_social', 'w_organization_social', 'rw_organization_admin'];

export const REQUIRED_SCOPES: Record<LivePlatform, readonly string[]> = {
  facebook: ['pages_show_list', 'pages_read_engagement', 'pages_manage_posts', 'pages_manage_engagement', 'read_insights'],
  instagram: [
    'instagram_business_basic',
    'instagram_business_content_publish',
    'instagram_business_manage_comments',
    'instagram_business_manage_insights',
  ],
  tiktok: ['user.info.basic', 'user.info.profile', 'user.info.stats', 'video.list', 'video.publish'],
  x: ['tweet.read', 'tweet.write', 'users.read', 'media.write', 'offline.access'],
  /** The default connect flow, a member's profile; Pages ask for LINKEDIN_PAGE_SCOPES instead. */
  linkedin: LINKEDIN_MEMBER_SCOPES,
};

/**
 * Instagram professional accounts reached through a Facebook Page (Facebook Login) hold the
 * Facebook-Login names of the same permissions.
 */
export const INSTAGRAM_VIA_FACEBOOK_SCOPES: readonly string[] = [
  'instagram_basic',
  'instagram_content_publish',
  'instagram_manage_comments',
  'instagram_manage_insights',
  'pages_show_list',
  'pages_read_engagement',
];

/** The scopes an account of this platform, kind and connect method must hold to be healthy. */
export function requiredScopesFor(platform: LivePlatform, kind: AccountKind | null, connectMethod?: string): readonly string[] {
  if (platform === 'linkedin') return kind === 'organization' ? LINKEDIN_PAGE_SCOPES : LINKEDIN_MEMBER_SCOPES;
  if (platform === 'instagram' && connectMethod === 'facebook_login') return INSTAGRAM_VIA_FACEBOOK_SCOPES;
  return REQUIRED_SCOPES[platform];
}

/** Platforms whose tokens Meta issues: refreshed in the background, data-access expiry applies. */
export function isMetaPlatform(platform: string): boolean {
  return platform === 'facebook' || platform === 'instagram';
}
