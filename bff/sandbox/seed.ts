/**
 * The fixed world the sandbox platforms serve: the platforms, the one app each accepts, and
 * the people, Pages, accounts and organizations a tester can sign in as. Read-only data;
 * everything that changes (codes, grants, tokens) lives in state.ts.
 */

export const SANDBOX_PLATFORMS = ['facebook', 'instagram', 'tiktok', 'x', 'linkedin'] as const;
export type SandboxPlatform = (typeof SANDBOX_PLATFORMS)[number];

export const PLATFORM_LABELS: Readonly<Record<SandboxPlatform, string>> = {
  facebook: 'Facebook',
  instagram: 'Instagram',
  tiktok: 'TikTok',
  x: 'X',
  linkedin: 'LinkedIn',
};

export interface SandboxClient {
  clientId: string;
  clientSecret: string;
}

function client(platform: SandboxPlatform): SandboxClient {
  return { clientId: `sandbox-${platform}-client`, clientSecret: `sandbox-${platform}-secret` };
}

/**
 * LinkedIn's Community Management product must be the only product on its app: organization
 * pages are connected through this second app (LINKEDIN_PAGES_CLIENT_ID in the BFF).
 */
export const SANDBOX_LINKEDIN_PAGES_CLIENT: SandboxClient = { clientId: 'sandbox-linkedin-pages-client', clientSecret: 'sandbox-linkedin-pages-secret' };

/** Each platform accepts one registered app (LinkedIn also SANDBOX_LINKEDIN_PAGES_CLIENT). */
export const SANDBOX_CLIENTS: Readonly<Record<SandboxPlatform, SandboxClient>> = {
  facebook: client('facebook'),
  instagram: client('instagram'),
  tiktok: client('tiktok'),
  x: client('x'),
  linkedin: client('linkedin'),
};

// ---------------------------------------------------------------------------------------
// Facebook and Instagram via Facebook Login

export interface SeedPost {
  id: string;
  message: string;
  createdTime: string; // ISO 8601
  likes: number;
  comments: number;
  shares: number;
}

export interface FacebookPage {
  id: string;
  name: string;
  username: string;
  category: string;
  ownerId: string;
  fanCount: number;
  /** The Instagram professional account linked to this Page, if any. */
  instagramAccountId: string | null;
  posts: readonly SeedPost[];
}

/**
 * A Business Manager: its Pages are not in its people's /me/accounts; they come through
 * business_management and /me/businesses -> owned_pages / client_pages.
 */
export interface FacebookBusiness {
  id: string;
  name: string;
  /** People with a role in the business. */
  memberIds: readonly string[];
  ownedPageIds: readonly string[];
  /** Pages of clients the business works on. */
  clientPageIds: readonly string[];
}

export interface FacebookUser {
  id: string;
  name: string;
  email: string;
  pageIds: readonly string[];
}

export interface InstagramMedia {
  id: string;
  caption: string;
  mediaType: 'IMAGE' | 'VIDEO' | 'CAROUSEL_ALBUM';
  timestamp: string; // ISO 8601
  likeCount: number;
  commentsCount: number;
}

export interface InstagramAccount {
  id: string;
  username: string;
  name: string;
  biography: string;
  /** The account type seen through Instagram Login or Facebook Login. */
  accountType: 'BUSINESS' | 'MEDIA_CREATOR';
  followersCount: number;
  followsCount: number;
  media: readonly InstagramMedia[];
}

export const FACEBOOK_USERS: readonly FacebookUser[] = [
  {
    id: '100000000000001',
    name: 'Amelia Hart',
    email: 'amelia.hart@example.com',
    pageIds: ['200000000000001', '200000000000002', '200000000000003'],
  },
  { id: '100000000000002', name: 'Daniel Osei', email: 'daniel.osei@example.com', pageIds: ['200000000000004'] },
  // Works for Mensah Trading: no Page of his own, only the business's (business_management).
  { id: '100000000000003', name: 'Kofi Mensah', email: 'kofi.mensah@example.com', pageIds: [] },
];

export const FACEBOOK_BUSINESSES: readonly FacebookBusiness[] = [
  { id: '400000000000001', name: 'Mensah Trading Ltd', memberIds: ['100000000000003'], ownedPageIds: ['200000000000005'], clientPageIds: ['200000000000006'] },
];

/** The businesses a person has a role in. */
export function facebookBusinessesOf(userId: string): FacebookBusiness[] {
  return FACEBOOK_BUSINESSES.filter((b) => b.memberIds.includes(userId));
}

/** Who manages a Page: its owner, or the people of the businesses that own it or work for it. */
export function facebookPageManagers(pageId: string): string[] {
  const owner = FACEBOOK_PAGES.find((p) => p.id === pageId)?.ownerId;
  if (owner) return [owner];
  return FACEBOOK_BUSINESSES.filter((b) => b.ownedPageIds.includes(pageId) || b.clientPageIds.includes(pageId)).flatMap((b) => [...b.memberIds]);
}

export const FACEBOOK_PAGES: readonly FacebookPage[] = [
  {
    id: '200000000000001',
    name: 'Hart & Crumb Bakery',
    username: 'hartandcrumb',
    category: 'Bakery',
    ownerId: '100000000000001',
    fanCount: 4821,
    instagramAccountId: '17841400000000001',
    posts: [
      {
        id: '200000000000001_300000000000013',
        message: 'Cardamom buns are back this weekend. Get there early!',
        createdTime: '2026-11-21T08:15:00Z',
        likes: 212,
        comments: 31,
        shares: 9,
      },
      {
        id: '200000000000001_300000000000012',
        message: 'Our sourdough starter turned five today. Free tasting at the counter.',
        createdTime: '2026-11-14T10:02:00Z',
        likes: 145,
        comments: 18,
        shares: 4,
      },
      {
        id: '200000000000001_300000000000011',
        message: 'Holiday pre-orders are open: stollen, panettone and mince pies.',
        createdTime: '2026-11-03T16:40:00Z',
        likes: 98,
        comments: 22,
        shares: 15,
      },
    ],
  },
  {
    id: '200000000000002',
    name: 'Northside Running Club',
    username: 'northsiderunning',
    category: 'Sports club',
    ownerId: '100000000000001',
    fanCount: 1290,
    instagramAccountId: '17841400000000002',
    posts: [
      {
        id: '200000000000002_300000000000022',
        message: 'Sunday long run: 18 km along the river, all paces welcome.',
        createdTime: '2026-11-20T19:30:00Z',
        likes: 64,
        comments: 12,
        shares: 3,
      },
      {
        id: '200000000000002_300000000000021',
        message: 'Congratulations to everyone who ran the city half marathon!',
        createdTime: '2026-11-09T13:05:00Z',
        likes: 187,
        comments: 40,
        shares: 6,
      },
    ],
  },
  {
    id: '200000000000003',
    name: 'Amelia Hart Photography',
    username: 'ameliahartphoto',
    category: 'Photographer',
    ownerId: '100000000000001',
    fanCount: 610,
    instagramAccountId: null,
    posts: [
      {
        id: '200000000000003_300000000000032',
        message: 'Autumn mini-sessions in the botanical garden, two dates left.',
        createdTime: '2026-11-18T11:20:00Z',
        likes: 51,
        comments: 7,
        shares: 2,
      },
      {
        id: '200000000000003_300000000000031',
        message: 'A few favourites from last week’s wedding by the lake.',
        createdTime: '2026-11-06T09:45:00Z',
        likes: 133,
        comments: 19,
        shares: 5,
      },
    ],
  },
  {
    id: '200000000000004',
    name: 'Osei Bike Repairs',
    username: 'oseibikes',
    category: 'Bicycle repair shop',
    ownerId: '100000000000002',
    fanCount: 342,
    instagramAccountId: null,
    posts: [
      {
        id: '200000000000004_300000000000042',
        message: 'Winter service special: new chain, brake pads and a full tune-up.',
        createdTime: '2026-11-19T15:00:00Z',
        likes: 27,
        comments: 5,
        shares: 1,
      },
      {
        id: '200000000000004_300000000000041',
        message: 'Now stocking studded tyres for icy commutes.',
        createdTime: '2026-11-02T08:30:00Z',
        likes: 19,
        comments: 3,
        shares: 0,
      },
    ],
  },
  {
    id: '200000000000005',
    name: 'Mensah Cycle Hire',
    username: 'mensahcyclehire',
    category: 'Bicycle rental',
    // Business-owned: no person's /me/accounts lists it.
    ownerId: '',
    fanCount: 118,
    instagramAccountId: null,
    posts: [],
  },
  {
    id: '200000000000006',
    name: 'Riverside Market',
    username: 'riversidemarket',
    category: 'Farmers market',
    // A client's Page that Mensah Trading manages.
    ownerId: '',
    fanCount: 905,
    instagramAccountId: null,
    posts: [],
  },
];

/** Instagram professional accounts linked to Facebook Pages (reached through Facebook Login). */
export const INSTAGRAM_LINKED_ACCOUNTS: readonly InstagramAccount[] = [
  {
    id: '17841400000000001',
    username: 'hartandcrumb',
    name: 'Hart & Crumb Bakery',
    biography: 'Neighbourhood bakery. Sourdough, buns and too much butter.',
    accountType: 'BUSINESS',
    followersCount: 3904,
    followsCount: 211,
    media: [
      {
        id: '17900000000000013',
        caption: 'Fresh out of the oven: cardamom knots.',
        mediaType: 'IMAGE',
        timestamp: '2026-11-21T08:20:00Z',
        likeCount: 402,
        commentsCount: 27,
      },
      {
        id: '17900000000000012',
        caption: 'How we shape a country loaf, in 30 seconds.',
        mediaType: 'VIDEO',
        timestamp: '2026-11-15T17:10:00Z',
        likeCount: 655,
        commentsCount: 48,
      },
      {
        id: '17900000000000011',
        caption: 'Holiday menu, swipe for prices.',
        mediaType: 'CAROUSEL_ALBUM',
        timestamp: '2026-11-03T16:45:00Z',
        likeCount: 231,
        commentsCount: 12,
      },
    ],
  },
  {
    id: '17841400000000002',
    username: 'northsiderunners',
    name: 'Northside Running Club',
    biography: 'Free group runs every Tuesday and Sunday.',
    accountType: 'BUSINESS',
    followersCount: 880,
    followsCount: 154,
    media: [
      {
        id: '17900000000000022',
        caption: 'Sunrise at the river loop.',
        mediaType: 'IMAGE',
        timestamp: '2026-11-20T07:05:00Z',
        likeCount: 120,
        commentsCount: 9,
      },
      {
        id: '17900000000000021',
        caption: 'Half marathon finish line moments.',
        mediaType: 'CAROUSEL_ALBUM',
        timestamp: '2026-11-09T14:00:00Z',
        likeCount: 310,
        commentsCount: 33,
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------
// Instagram (Instagram Login, and the retired Basic Display method)

/** The account that also signs in through Basic Display, as a personal account that cannot publish. */
export const INSTAGRAM_LEGACY_ACCOUNT_ID = '17841400000000013';

export const INSTAGRAM_ACCOUNTS: readonly InstagramAccount[] = [
  {
    id: '17841400000000011',
    username: 'studio.lumen',
    name: 'Lumen Studio',
    biography: 'Interior design studio in Lisbon.',
    accountType: 'BUSINESS',
    followersCount: 12480,
    followsCount: 305,
    media: [
      {
        id: '17900000000000113',
        caption: 'Before and after: a 1930s flat, opened up to the light.',
        mediaType: 'CAROUSEL_ALBUM',
        timestamp: '2026-11-22T12:00:00Z',
        likeCount: 1820,
        commentsCount: 96,
      },
      {
        id: '17900000000000112',
        caption: 'Material board for the Alfama project.',
        mediaType: 'IMAGE',
        timestamp: '2026-11-17T09:30:00Z',
        likeCount: 940,
        commentsCount: 41,
      },
      {
        id: '17900000000000111',
        caption: 'Studio tour.',
        mediaType: 'VIDEO',
        timestamp: '2026-11-08T18:45:00Z',
        likeCount: 2210,
        commentsCount: 130,
      },
    ],
  },
  {
    id: '17841400000000012',
    username: 'rosa.cooks',
    name: 'Rosa Martins',
    biography: 'Weeknight recipes from a tiny kitchen.',
    accountType: 'MEDIA_CREATOR',
    followersCount: 48210,
    followsCount: 512,
    media: [
      {
        id: '17900000000000122',
        caption: 'One-pan lemon orzo, 20 minutes.',
        mediaType: 'VIDEO',
        timestamp: '2026-11-23T19:00:00Z',
        likeCount: 5310,
        commentsCount: 288,
      },
      {
        id: '17900000000000121',
        caption: 'Sunday pastéis de nata.',
        mediaType: 'IMAGE',
        timestamp: '2026-11-16T10:15:00Z',
        likeCount: 4102,
        commentsCount: 175,
      },
    ],
  },
  {
    id: INSTAGRAM_LEGACY_ACCOUNT_ID,
    username: 'jonas.polaroids',
    name: 'Jonas Weber',
    biography: 'Instant film, mostly Berlin.',
    accountType: 'BUSINESS',
    followersCount: 2150,
    followsCount: 389,
    media: [
      {
        id: '17900000000000132',
        caption: 'Tempelhof at dusk, SX-70.',
        mediaType: 'IMAGE',
        timestamp: '2026-11-12T16:30:00Z',
        likeCount: 310,
        commentsCount: 14,
      },
      {
        id: '17900000000000131',
        caption: 'Spree reflections.',
        mediaType: 'IMAGE',
        timestamp: '2026-10-30T15:10:00Z',
        likeCount: 275,
        commentsCount: 8,
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------
// TikTok

export interface TikTokUser {
  openId: string;
  unionId: string;
  displayName: string;
  username: string;
  bio: string;
  verified: boolean;
  followerCount: number;
  followingCount: number;
  likesCount: number;
  videoCount: number;
}

export const TIKTOK_USERS: readonly TikTokUser[] = [
  {
    openId: 'tt-open-0001',
    unionId: 'tt-union-0001',
    displayName: 'Priya Raman',
    username: 'priya.cooks',
    bio: 'Street food from Chennai to Chicago.',
    verified: false,
    followerCount: 81200,
    followingCount: 320,
    likesCount: 1904000,
    videoCount: 212,
  },
  {
    openId: 'tt-open-0002',
    unionId: 'tt-union-0002',
    displayName: 'Leo Fischer',
    username: 'leo.skates',
    bio: 'Skateboarding, slowly.',
    verified: false,
    followerCount: 6400,
    followingCount: 150,
    likesCount: 88000,
    videoCount: 57,
  },
];

// ---------------------------------------------------------------------------------------
// X

export interface XUser {
  id: string;
  name: string;
  username: string;
  description: string;
  createdAt: string;
  followersCount: number;
  followingCount: number;
  tweetCount: number;
}

export const X_USERS: readonly XUser[] = [
  {
    id: '1700000000000000001',
    name: 'Sofia Marquez',
    username: 'sofiabuilds',
    description: 'Building small tools for small teams.',
    createdAt: '2019-04-02T10:00:00.000Z',
    followersCount: 5230,
    followingCount: 410,
    tweetCount: 8120,
  },
  {
    id: '1700000000000000002',
    name: 'Kenji Watanabe',
    username: 'kenji_w',
    description: 'Coffee, cameras, compilers.',
    createdAt: '2015-09-17T08:30:00.000Z',
    followersCount: 1180,
    followingCount: 620,
    tweetCount: 15400,
  },
];

// ---------------------------------------------------------------------------------------
// LinkedIn

export interface LinkedInMember {
  sub: string;
  givenName: string;
  familyName: string;
  email: string;
  locale: { country: string; language: string };
}

export interface LinkedInOrganization {
  id: number;
  localizedName: string;
  vanityName: string;
  administrators: readonly string[]; // member subs
  /** Members with the CONTENT_ADMINISTRATOR role (may post, not manage the page). */
  contentAdministrators?: readonly string[];
  /** Members with a role that may not post (ANALYST). */
  analysts?: readonly string[];
}

export const LINKEDIN_MEMBERS: readonly LinkedInMember[] = [
  {
    sub: 'Hn3kQ8vRzA',
    givenName: 'Grace',
    familyName: 'Thompson',
    email: 'grace.thompson@example.com',
    locale: { country: 'US', language: 'en' },
  },
  {
    sub: 'Pw7tLm2xYc',
    givenName: 'Marcus',
    familyName: 'Bell',
    email: 'marcus.bell@example.com',
    locale: { country: 'GB', language: 'en' },
  },
];

export const LINKEDIN_ORGANIZATIONS: readonly LinkedInOrganization[] = [
  { id: 90000001, localizedName: 'Thompson Analytics', vanityName: 'thompson-analytics', administrators: ['Hn3kQ8vRzA'] },
  { id: 90000002, localizedName: 'Brightwater Co-op', vanityName: 'brightwater-coop', administrators: ['Hn3kQ8vRzA'], contentAdministrators: ['Pw7tLm2xYc'] },
  { id: 90000003, localizedName: 'Northfield Reading Circle', vanityName: 'northfield-reading', administrators: [], analysts: ['Hn3kQ8vRzA', 'Pw7tLm2xYc'] },
];

export function linkedinMemberName(member: LinkedInMember): string {
  return `${member.givenName} ${member.familyName}`;
}

// ---------------------------------------------------------------------------------------
// Lookups used by the picture and post pages (assets.ts)

/** Display name of anything that has an avatar, by id. */
export function avatarOwnerName(id: string): string | undefined {
  return (
    FACEBOOK_USERS.find((u) => u.id === id)?.name ??
    FACEBOOK_PAGES.find((p) => p.id === id)?.name ??
    [...INSTAGRAM_LINKED_ACCOUNTS, ...INSTAGRAM_ACCOUNTS].find((a) => a.id === id)?.name ??
    TIKTOK_USERS.find((u) => u.openId === id)?.displayName ??
    X_USERS.find((u) => u.id === id)?.name ??
    mapOrUndefined(LINKEDIN_MEMBERS.find((m) => m.sub === id), linkedinMemberName) ??
    LINKEDIN_ORGANIZATIONS.find((o) => String(o.id) === id)?.localizedName
  );
}

export interface SeedPublication {
  id: string;
  text: string;
  createdTime: string;
  authorName: string;
}

/** A Facebook post or an Instagram media item, by id. */
export function findPublication(id: string): SeedPublication | undefined {
  for (const page of FACEBOOK_PAGES) {
    const post = page.posts.find((p) => p.id === id);
    if (post) return { id, text: post.message, createdTime: post.createdTime, authorName: page.name };
  }
  for (const account of [...INSTAGRAM_LINKED_ACCOUNTS, ...INSTAGRAM_ACCOUNTS]) {
    const media = account.media.find((m) => m.id === id);
    if (media) return { id, text: media.caption, createdTime: media.timestamp, authorName: account.name };
  }
  return undefined;
}

function mapOrUndefined<T, R>(value: T | undefined, fn: (value: T) => R): R | undefined {
  return value === undefined ? undefined : fn(value);
}
