/**
 * The openid-client plumbing the TikTok, X and LinkedIn adapters share: one Configuration per
 * operation (so the product clock, timeout and insecure-loopback rules always apply), the
 * standard grant, revocation and introspection calls, and one translation of their failures
 * into PlatformErrors. Each adapter passes in its own platform's metadata, client
 * authentication and error quirks; nothing platform-specific lives here.
 */
import * as client from 'openid-client';
import type { Clock } from '../clock.ts';
import { LOST_RENEWAL_CODE, PlatformError } from './adapter.ts';
import type { AdapterOptions, RedirectError, TokenSet } from './adapter.ts';
import { asRecord, asString, expiresIn, splitScopes } from './http.ts';

export const DEFAULT_TIMEOUT_SECONDS = 10;
/**
 * Refresh calls wait longer than reads: a refresh whose answer is lost after the platform
 * rotated the token leaves the grant in doubt (X revokes it on a replay), so giving a slow
 * token endpoint time to answer is worth more than a quick failure.
 */
export const REFRESH_TIMEOUT_FACTOR = 2;

/** What the TikTok, X and LinkedIn factories take: the shared options plus a call timeout. */
export interface OAuthAdapterOptions extends AdapterOptions {
  /** How long one platform call may take before it counts as a transient timeout (default 10). */
  timeoutSeconds?: number;
  /** How long a refresh (token endpoint, grant_type=refresh_token) may take (default twice timeoutSeconds: 20 s). */
  refreshTimeoutSeconds?: number;
}

export type OAuthOperation = 'exchange' | 'refresh' | 'revoke' | 'introspect';

/** A failed OAuth call, reduced to what an adapter needs to judge it. */
export interface OAuthFailure {
  operation: OAuthOperation;
  /** HTTP status of the platform's answer, when there was one. */
  status?: number;
  /** The OAuth `error` code of the answer, when it had one. */
  error?: string;
  description?: string;
}

export interface OAuthClientSetup {
  /** The platform's name as people know it, for messages. */
  label: string;
  server: client.ServerMetadata;
  clientId: string;
  clientAuth: client.ClientAuth;
  clock: Clock;
  allowInsecure: boolean;
  timeoutSeconds: number;
  /** The refresh call's own deadline (default REFRESH_TIMEOUT_FACTOR times timeoutSeconds). */
  refreshTimeoutSeconds?: number;
  /** The platform's `error` values at the redirect that mean "the person said no", besides access_denied. */
  deniedErrors?: readonly string[];
  /**
   * Replaces fetch for every call of this client: a platform whose answers break the RFC
   * (LinkedIn's token answers lack token_type) repairs them here, before openid-client parses them.
   */
  customFetch?: client.CustomFetch;
  /** Verify id_token signatures against the server's jwks_uri (OpenID Connect platforms). */
  verifyIdTokenSignatures?: boolean;
  /**
   * The platform retires a refresh token when it is used (X, TikTok): a refresh that gets no
   * answer in time may have rotated it, which is said as `refresh_outcome_unknown`.
   */
  rotatesRefreshTokens?: boolean;
  /**
   * A platform's own reading of a failure (e.g. X answers a dead refresh token with
   * invalid_request); undefined falls back to the standard reading.
   */
  classify?: (failure: OAuthFailure) => PlatformError | undefined;
}

export type TokenResponse = client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;

/**
 * A renewal of a rotating refresh token whose answer never came: the platform may have
 * rotated the token already, and X revokes the whole grant when an old one is replayed. The
 * refresh service keeps the account's access token until it expires and only then tries the
 * stored refresh token again (bff/refresh/policy.ts, isRenewalOnHold).
 */
export function refreshOutcomeUnknown(label: string): PlatformError {
  return new PlatformError(
    'transient',
    LOST_RENEWAL_CODE,
    `${label} did not answer a token renewal in time and may have renewed the token anyway. The current access token is used until it expires; only then is the renewal tried again.`,
  );
}

/** openid-client calls for one platform app, each failure mapped to a PlatformError. */
export class OAuthClient {
  constructor(private readonly setup: OAuthClientSetup) {}

  /**
   * Built per operation: openid-client fixes the clock skew when a Configuration is made,
   * and the product clock (which the sandbox can move) is what token times are checked against.
   */
  configuration(operation?: OAuthOperation): client.Configuration {
    const { setup } = this;
    const skew = Math.round((setup.clock.now().getTime() - Date.now()) / 1000);
    const config = new client.Configuration(setup.server, setup.clientId, { [client.clockSkew]: skew }, setup.clientAuth);
    config.timeout = operation === 'refresh' ? this.refreshTimeoutSeconds : setup.timeoutSeconds;
    if (setup.allowInsecure) client.allowInsecureRequests(config);
    if (setup.customFetch) config[client.customFetch] = setup.customFetch;
    if (setup.verifyIdTokenSignatures) client.enableNonRepudiationChecks(config);
    return config;
  }

  get refreshTimeoutSeconds(): number {
    return this.setup.refreshTimeoutSeconds ?? Math.round(this.setup.timeoutSeconds * REFRESH_TIMEOUT_FACTOR * 1000) / 1000;
  }

  authorizationUrl(parameters: Record<string, string>): URL {
    return client.buildAuthorizationUrl(this.configuration(), parameters);
  }

  redirectError(params: URLSearchParams): RedirectError | null {
    return redirectErrorFrom(params, this.setup.label, this.setup.deniedErrors ?? []);
  }

  /**
   * Redeems the code in the callback URL; its query-less form is the redirect_uri sent. An
   * error redirect is answered in the platform's words first (TikTok's carries no state).
   */
  async exchangeCode(callbackUrl: URL, checks: { state: string; codeVerifier?: string }): Promise<TokenResponse> {
    const redirect = this.redirectError(callbackUrl.searchParams);
    if (redirect) throw new PlatformError('rejected', redirect.code, redirect.message);
    return this.#run('exchange', () =>
      client.authorizationCodeGrant(this.configuration(), callbackUrl, {
        expectedState: checks.state,
        ...(checks.codeVerifier !== undefined ? { pkceCodeVerifier: checks.codeVerifier } : {}),
      }),
    );
  }

  async refresh(refreshToken: string): Promise<TokenResponse> {
    try {
      return await this.#run('refresh', () => client.refreshTokenGrant(this.configuration('refresh'), refreshToken));
    } catch (err) {
      throw this.setup.rotatesRefreshTokens && err instanceof PlatformError && err.code === 'platform_timeout' ? refreshOutcomeUnknown(this.setup.label) : err;
    }
  }

  revoke(token: string, tokenTypeHint?: 'access_token' | 'refresh_token'): Promise<void> {
    const parameters: Record<string, string> = tokenTypeHint ? { token_type_hint: tokenTypeHint } : {};
    return this.#run('revoke', () => client.tokenRevocation(this.configuration(), token, parameters));
  }

  introspect(token: string): Promise<client.IntrospectionResponse> {
    return this.#run('introspect', () => client.tokenIntrospection(this.configuration(), token));
  }

  async #run<T>(operation: OAuthOperation, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw this.#translate(operation, err);
    }
  }

  #translate(operation: OAuthOperation, err: unknown): PlatformError {
    const { label } = this.setup;
    if (err instanceof PlatformError) return err;
    if (isTimeout(err)) return new PlatformError('transient', 'platform_timeout', `${label} did not answer in time.`);
    if (isNetworkFailure(err)) return new PlatformError('transient', 'platform_unreachable', `${label} could not be reached.`);

    const failure = describeFailure(operation, err);
    const own = this.setup.classify?.(failure);
    if (own) return own;

    if (failure.status !== undefined && failure.status >= 500) {
      return new PlatformError('transient', 'platform_unavailable', `${label} is having trouble right now (HTTP ${failure.status}).`, failure.status);
    }
    if (failure.status === 429) {
      return new PlatformError('transient', 'platform_rate_limited', `${label} asked us to slow down; we will try again later.`, 429);
    }
    if (err instanceof client.AuthorizationResponseError) {
      const redirect = this.redirectError(err.cause) ?? { code: 'platform_error' as const, message: `${label} reported a problem.` };
      return new PlatformError('rejected', redirect.code, redirect.message);
    }
    if (operation === 'refresh' && failure.error === 'invalid_grant') {
      return new PlatformError('permanent', 'invalid_grant', `${label} no longer accepts this account's refresh token. Please reconnect it.`, failure.status);
    }
    if (operation === 'exchange' && failure.error === 'invalid_grant') {
      return new PlatformError(
        'rejected',
        'invalid_code',
        `${label} did not accept the sign-in (it may have expired or been used already). Please connect again.`,
        failure.status,
      );
    }
    if (isStateMismatch(err)) {
      return new PlatformError('rejected', 'state_mismatch', `The answer from ${label} does not belong to this connection attempt. Please connect again.`);
    }
    if (isIdTokenFailure(err)) {
      return new PlatformError('rejected', 'invalid_id_token', `${label} sent a sign-in token that could not be verified. Please connect again.`);
    }
    const detail = failure.description ?? failure.error;
    return new PlatformError(
      'rejected',
      'platform_rejected',
      detail ? `${label} refused the request: ${detail}` : `${label} refused the request.`,
      failure.status,
    );
  }
}

function describeFailure(operation: OAuthOperation, err: unknown): OAuthFailure {
  const failure: OAuthFailure = { operation };
  if (err instanceof client.ResponseBodyError) {
    failure.status = err.status;
    failure.error = err.error;
    if (err.error_description !== undefined) failure.description = err.error_description;
  } else if (err instanceof client.WWWAuthenticateChallengeError) {
    failure.status = err.status;
    const error = err.cause[0]?.parameters.error;
    if (error !== undefined) failure.error = error;
  } else if (err instanceof client.AuthorizationResponseError) {
    failure.error = err.error;
    if (err.error_description !== undefined) failure.description = err.error_description;
  } else if (err instanceof client.ClientError && err.cause instanceof Response) {
    // A non-conforming answer (wrong status, not JSON): openid-client hands back the response.
    failure.status = err.cause.status;
  } else if (err instanceof client.ClientError && err.code === 'OAUTH_INVALID_RESPONSE') {
    // An OAuth error inside a 200 answer (no access_token): read it as that error.
    const body = asRecord(asRecord(asRecord(err.cause)['cause'])['body']);
    const error = asString(body['error']);
    const description = asString(body['error_description']);
    if (error !== null) failure.error = error;
    if (description !== null) failure.description = description;
  }
  return failure;
}

function isTimeout(err: unknown): boolean {
  if (err instanceof client.ClientError && err.code === 'OAUTH_TIMEOUT') return true;
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

/** fetch() rejects with a bare TypeError when the connection fails; openid-client passes it on. */
function isNetworkFailure(err: unknown): boolean {
  return err instanceof TypeError && !('code' in err) && err.message === 'fetch failed';
}

function isStateMismatch(err: unknown): boolean {
  return err instanceof client.ClientError && err.code === 'OAUTH_INVALID_RESPONSE' && /"state"/.test(describeCause(err));
}

/** An id_token that failed its claims, time or signature checks (or whose key is not in the JWKS). */
function isIdTokenFailure(err: unknown): boolean {
  if (!(err instanceof client.ClientError)) return false;
  const code = err.code ?? '';
  if (code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' || code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED' || code === 'OAUTH_KEY_SELECTION_FAILED') return true;
  return code === 'OAUTH_INVALID_RESPONSE' && /JWT|ID Token|id_token/.test(describeCause(err));
}

function describeCause(err: Error): string {
  return err.cause instanceof Error ? err.cause.message : '';
}

/**
 * Reads a redirect's error parameters. `deniedCodes` are the platform's words for "the person
 * said no" (besides the standard access_denied where the platform uses it).
 */
export function redirectErrorFrom(params: URLSearchParams, label: string, deniedCodes: readonly string[]): RedirectError | null {
  const error = params.get('error');
  if (!error) return null;
  if (error === 'access_denied' || deniedCodes.includes(error)) {
    return { code: 'access_denied', message: `You declined access on ${label}. Nothing was connected.` };
  }
  const description = params.get('error_description');
  return {
    code: 'platform_error',
    message: description ? `${label} reported a problem: ${description}` : `${label} reported a problem (${error}). Please try again.`,
  };
}

/** The tokens of a token-endpoint answer, lifetimes counted from the product clock. */
export function tokenSetFrom(response: client.TokenEndpointResponse, now: Date, refreshExpiresInSeconds: unknown): TokenSet {
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token ?? null,
    expiresAt: expiresIn(now, response.expires_in),
    refreshTokenExpiresAt: response.refresh_token ? expiresIn(now, refreshExpiresInSeconds) : null,
  };
}

/** Granted scopes as the token response lists them (any separator); `fallback` when it lists none. */
export function grantedScopesFrom(response: client.TokenEndpointResponse, fallback: readonly string[]): string[] {
  const scopes = splitScopes(response.scope);
  return scopes.length > 0 ? scopes : [...fallback];
}

export function hasExpired(at: Date | null, now: Date): boolean {
  return at !== null && at.getTime() <= now.getTime();
}

/** Whether a refresh could still renew these tokens: a refresh token that has not expired. */
export function canRenew(tokens: TokenSet, now: Date): boolean {
  return tokens.refreshToken !== null && !hasExpired(tokens.refreshTokenExpiresAt, now);
}

/**
 * The refresh token to use, or the error that says why there is none worth sending: an
 * expired one cannot be renewed (token_expired); a missing one while the access token still
 * works is only a refused request.
 */
export function usableRefreshToken(tokens: TokenSet, now: Date, label: string): string {
  if (tokens.refreshToken !== null && !hasExpired(tokens.refreshTokenExpiresAt, now)) return tokens.refreshToken;
  if (tokens.refreshToken !== null || hasExpired(tokens.expiresAt, now)) {
    return throwExpired(label);
  }
  throw new PlatformError('rejected', 'refresh_unavailable', `${label} gave this account no way to renew its access; it works until it expires.`);
}

export function throwExpired(label: string): never {
  throw new PlatformError('permanent', 'token_expired', `The connection to ${label} has expired. Please reconnect the account.`);
}

/**
 * A 401 from a platform API: with a locally expired access token that a refresh can still
 * renew, it is nothing to worry about (the result says so); expired beyond renewal it is
 * token_expired; otherwise the platform has revoked the grant.
 */
export function deadTokenOutcome(tokens: TokenSet, now: Date, label: string): { expiresAt: Date | null } {
  if (hasExpired(tokens.expiresAt, now)) {
    if (canRenew(tokens, now)) return { expiresAt: tokens.expiresAt };
    throwExpired(label);
  }
  throw new PlatformError('permanent', 'token_revoked', `${label} has revoked this connection. Please reconnect the account.`, 401);
}

/** Picks the endpoint URLs an adapter needs, failing at start-up when one is missing. */
export function requireEndpoints<K extends string>(endpoints: Record<string, string>, keys: readonly K[], label: string): Record<K, string> {
  const picked = {} as Record<K, string>;
  for (const key of keys) {
    const url = endpoints[key];
    if (!url) throw new Error(`The ${label} adapter needs a "${key}" endpoint URL.`);
    picked[key] = url;
  }
  return picked;
}

export function timeoutSecondsOf(options: OAuthAdapterOptions): number {
  return options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
}

/** An OAuthClient's deadlines from the adapter's options: a read's, and a refresh's when given. */
export function deadlinesOf(options: OAuthAdapterOptions): Pick<OAuthClientSetup, 'timeoutSeconds' | 'refreshTimeoutSeconds'> {
  return { timeoutSeconds: timeoutSecondsOf(options), ...(options.refreshTimeoutSeconds !== undefined ? { refreshTimeoutSeconds: options.refreshTimeoutSeconds } : {}) };
}
