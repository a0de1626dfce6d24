import type { Clock } from '../clock.ts';
import type { AccountKind, LivePlatform } from '../../contract/platforms.ts';

/** Tokens as a platform issued them, with lifetimes read from its responses. */
export interface TokenSet {
  accessToken: string;
  /**
   * What renews the access token: a refresh token (TikTok, X, LinkedIn partners), or for a
   * Facebook Page the long-lived user token its Page token comes from. Null when none.
   */
  refreshToken: string | null;
  /** When the access token stops working (for a Facebook Page: when its user token does). */
  expiresAt: Date | null;
  refreshTokenExpiresAt: Date | null;
}

/** What a person granted in one OAuth round, before it is split into accounts. */
export interface Grant {
  platform: LivePlatform;
  tokens: TokenSet;
  grantedScopes: string[];
  /** Meta's data-access expiry; null elsewhere. */
  dataAccessExpiresAt: Date | null;
  /** The platform's id for the person who granted it. */
  userId: string;
  /** The connect flow it came from, when the platform has several (LinkedIn `member` / `organization`). */
  kind?: AccountKind;
}

/** One account a grant covers, ready to be stored. */
export interface GrantedAccount {
  platformAccountId: string;
  kind: AccountKind;
  displayName: string;
  username: string | null;
  avatarUrl: string | null;
  tokens: TokenSet;
  grantedScopes: string[];
  dataAccessExpiresAt: Date | null;
  canPublish: boolean;
  /** How it was connected, e.g. `facebook_login`, `instagram_login`, `instagram_basic_display`, `oauth2`. */
  connectMethod: string;
  /** The platform's id for the person whose grant this is (set from the Grant when stored). */
  grantUserId?: string | null;
}

/** What an adapter needs to know about a stored account to act for it. */
export interface StoredAccount {
  platformAccountId: string;
  kind: AccountKind;
  connectMethod: string;
  tokens: TokenSet;
  grantedScopes: string[];
}

/** The result of one refresh: new tokens (a null refresh token means "keep the stored one"). */
export interface Refreshed {
  tokens: TokenSet;
  grantedScopes?: string[];
  dataAccessExpiresAt?: Date | null;
}

/** What the platform says about a stored token right now. */
export interface Inspection {
  grantedScopes?: string[];
  expiresAt?: Date | null;
  dataAccessExpiresAt?: Date | null;
  canPublish?: boolean;
  /**
   * The platform said "refresh and retry" about an access token we held live (TikTok's
   * `access_token_invalid`): the caller renews now and checks once more with the new token.
   */
  renew?: boolean;
}

export interface PlatformPost {
  platformPostId: string;
  message: string | null;
  permalinkUrl: string | null;
  mediaUrl: string | null;
  publishedAt: Date | null;
  metrics: Record<string, number>;
}

/** An error at the redirect, in words a person can act on. */
export interface RedirectError {
  code: 'access_denied' | 'platform_error';
  message: string;
}

/**
 * One platform's OAuth and the few API reads the product needs. Each adapter carries its own
 * platform's quirks and nothing else's; it knows its platform only by the endpoint URLs it is
 * given (real, or the sandbox's), never by importing the sandbox.
 */
export interface PlatformAdapter {
  readonly platform: LivePlatform;
  /** The authorize URL for a fresh attempt (PKCE where the platform supports it). */
  authorizationUrl(input: { redirectUri: string; state: string; codeVerifier: string; kind?: AccountKind }): Promise<URL>;
  /** Reads the error parameters of a redirect, or null when there is none. */
  redirectError(params: URLSearchParams): RedirectError | null;
  /** Finishes the grant from the callback URL (whose path is the redirect URI). */
  exchangeCode(input: { callbackUrl: URL; state: string; codeVerifier: string; kind?: AccountKind }): Promise<Grant>;
  /** The accounts a grant covers: one, or several Pages / professional accounts / organizations. */
  accounts(grant: Grant): Promise<GrantedAccount[]>;
  /** Renews the token: one request to the platform's token endpoint (plus any re-read it needs). */
  refresh(account: StoredAccount): Promise<Refreshed>;
  /** Asks the platform whether the token still works and what it grants. */
  inspect(account: StoredAccount): Promise<Inspection>;
  /**
   * Verifies several grants at once where the platform can (Meta: one debug_token per user
   * grant, up to 50 in one Graph batch request). One answer per account, in order: what the
   * platform says, or the PlatformError it answered. Absent: verify with `inspect`.
   */
  verifyGrants?(accounts: StoredAccount[]): Promise<Array<Inspection | PlatformError>>;
  /** Recent posts (Facebook and Instagram); [] where the platform has none to show. */
  recentPosts(account: StoredAccount): Promise<PlatformPost[]>;
  /** Revokes the grant where the platform can; a no-op where it cannot. */
  revoke(account: StoredAccount): Promise<void>;
}

/** The code of a renewal of a rotating refresh token whose answer never came (it may have rotated it). */
export const LOST_RENEWAL_CODE = 'refresh_outcome_unknown';

/**
 * How a platform call failed. `permanent`: the grant is dead (revoked, invalid_grant, Meta 190):
 * the account needs reconnecting now. `transient`: timeouts, 5xx, network, rate limits: try
 * again later. `rejected`: the platform refused this request (bad code, wrong account, missing
 * permission). `operator`: the operator's setup or bill is at fault (a retired API version,
 * X's credits depleted): nothing the account's owner can fix, so it never turns an account
 * amber or asks for a reconnect; it is said plainly to the operator and retried later.
 */
export type PlatformErrorKind = 'permanent' | 'transient' | 'rejected' | 'operator';

export class PlatformError extends Error {
  constructor(
    readonly kind: PlatformErrorKind,
    /** Our code: `token_revoked`, `invalid_grant`, `platform_unavailable`, `platform_timeout`, `platform_rejected`, ... */
    readonly code: string,
    message: string,
    readonly status?: number,
    /** How long the platform asked us to wait (rate limits), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}

/** What every adapter is built from. */
export interface AdapterOptions {
  clientId: string;
  clientSecret: string;
  /**
   * Endpoint URLs by key (`authorize`, `token`, `graph`, `api`, ...): the platform's real ones
   * (each adapter exports its own `REAL_ENDPOINTS`), or the sandbox's with the same keys.
   */
  endpoints: Record<string, string>;
  /** The product clock: token lifetimes are counted from it. */
  clock: Clock;
  /** Allows plain-http endpoints: the loopback sandbox and tests only. */
  allowInsecure: boolean;
  /** The platform API version to call (LINKEDIN_API_VERSION, META_GRAPH_VERSION); default the adapter's current one. */
  apiVersion?: string;
  /**
   * A second app for one connect flow (LinkedIn Pages: the Community Management app, which
   * must be alone on its app). Unset: the first app serves every flow.
   */
  secondApp?: { clientId: string; clientSecret: string };
}
