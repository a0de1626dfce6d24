/**
 * What Facebook (Pages) and Instagram share because Meta runs both: the Graph API's error
 * shape and what it means for an account, calls to a Graph host, and Facebook Login (the
 * dialog, the code exchange, the 60-day fb_exchange_token, debug_token, /me/accounts), which
 * Instagram also uses when its accounts are reached through their Facebook Pages.
 */
import * as client from 'openid-client';
import type { Clock } from '../clock.ts';
import { PlatformError } from './adapter.ts';
import type { Grant, Inspection, RedirectError, StoredAccount, TokenSet } from './adapter.ts';
import type { LivePlatform } from '../../contract/platforms.ts';
import { PLATFORM_TIMEOUT_MS, asRecord, asString, expiresIn, platformFetch, retryAfterSeconds, unixTime } from './http.ts';

/** How long a Meta call may take before it counts as a (transient) timeout. */
export const DEFAULT_TIMEOUT_SECONDS = PLATFORM_TIMEOUT_MS / 1000;

/** Adapter options both Meta adapters accept beyond AdapterOptions. */
export interface MetaTimeoutOption {
  /** Seconds before a platform call counts as a timeout; default 10 (tests use less). */
  timeoutSeconds?: number;
}

/** What the adapter was doing when the platform said no: it words the message. */
export type MetaAction = 'sign-in' | 'renewal' | 'read';

const DID_NOT: Record<MetaAction, string> = {
  'sign-in': 'did not accept the sign-in',
  renewal: 'did not renew the access token',
  read: 'refused the request',
};

/**
 * Rate limits (https://developers.facebook.com/docs/graph-api/overview/rate-limiting): 4 app,
 * 17 user, 32 Page, 613 custom, 368 temporarily blocked, 80001-80014 business use case. They
 * say "back off", never that the grant is gone.
 */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 368, 613, ...Array.from({ length: 14 }, (_, i) => 80001 + i)]);
/** Graph error codes that only say "try again later": unknown/service errors and rate limits. */
const TRANSIENT_CODES = new Set([1, 2, 341, ...RATE_LIMIT_CODES]);
/** "Unsupported version" and friends: the operator's META_GRAPH_VERSION is no longer served. */
const VERSION_ERROR = /\b(version|v\d+\.\d+)\b.*\b(deprecated|no longer|not exist|invalid|unsupported|not supported)\b|\bunknown path components\b.*\bv\d+\.\d+/i;
/** OAuthException 190 (and the legacy 102): the token is dead; subcode 463 says it expired. */
const DEAD_TOKEN_CODES = new Set([102, 190]);
const EXPIRED_SUBCODE = 463;

/** The endpoint under `key`, or a start-up error naming what is missing. */
export function endpoint(endpoints: Record<string, string>, key: string, adapter: string): string {
  const url = endpoints[key];
  if (!url) throw new Error(`The ${adapter} adapter needs the "${key}" endpoint.`);
  return url.replace(/\/+$/, '');
}

/**
 * Platform text shown to people, without anything that looks like a secret: Meta messages do
 * not quote tokens today, but a message is no place to find out they started to.
 */
function readable(text: string): string {
  const cleaned = text.replace(/[A-Za-z0-9_\-|.~+/=]{32,}/g, '[hidden]').replace(/\s+/g, ' ').trim();
  return cleaned.length > 300 ? `${cleaned.slice(0, 297)}...` : cleaned;
}

/**
 * Reads a Graph error body (`{ error: { message, code, error_subcode, is_transient } }`) or
 * api.instagram.com's older `{ error_type, code, error_message }`, and says what it means for
 * the account.
 */
export function metaFailure(label: string, action: MetaAction, status: number, body: unknown, headers?: Headers): PlatformError {
  const root = asRecord(body);
  const error = asRecord(root['error']);
  const text = asString(error['message']) ?? asString(root['error_message']) ?? asString(root['error_description']) ?? `HTTP ${status}`;
  const code = Number(error['code']);
  const subcode = Number(error['error_subcode']);
  const message = `${label} ${DID_NOT[action]}: ${readable(text)}`;

  const wait = retryAfterSeconds(headers);
  if (RATE_LIMIT_CODES.has(code) || status === 429) {
    return new PlatformError('transient', 'platform_rate_limited', `${label} asked us to slow down (code ${Number.isFinite(code) ? code : status}); it will be tried again later.`, status, wait);
  }
  if (code === 12 || (code === 100 && VERSION_ERROR.test(text)) || (code === 2635)) {
    return new PlatformError(
      'operator',
      'api_version_retired',
      `${label} no longer serves the Graph API version this server calls (${readable(text)}). The operator must set META_GRAPH_VERSION to a supported version; the accounts themselves are fine.`,
      status,
    );
  }
  if (status >= 500 || error['is_transient'] === true || TRANSIENT_CODES.has(code)) {
    return new PlatformError('transient', 'platform_unavailable', `${label} is having trouble right now; it will be tried again later.`, status, wait);
  }
  if (DEAD_TOKEN_CODES.has(code)) {
    // An expired token is as dead as a revoked one, but health reports it as expiry.
    return new PlatformError('permanent', subcode === EXPIRED_SUBCODE ? 'token_expired' : 'token_revoked', message, status);
  }
  if (code === 10 || (code >= 200 && code <= 299)) {
    return new PlatformError('rejected', 'missing_permission', message, status);
  }
  if (root['error'] === 'invalid_grant') return new PlatformError('permanent', 'invalid_grant', message, status);
  return new PlatformError('rejected', 'platform_rejected', message, status);
}

async function responseFailure(label: string, action: MetaAction, response: Response): Promise<PlatformError> {
  let body: unknown = null;
  try {
    body = response.bodyUsed ? null : await response.json();
  } catch {
    // Not JSON (an HTML error page): the status says enough.
  }
  return metaFailure(label, action, response.status, body, response.headers);
}

/**
 * Maps what openid-client throws to a PlatformError: timeouts and network failures are
 * transient; Meta's non-OAuth error bodies arrive as a non-conform response, read here.
 * Programming errors (bad arguments) are returned unchanged.
 */
export async function oauthFailure(err: unknown, label: string, action: MetaAction): Promise<Error> {
  if (err instanceof PlatformError) return err;
  if (err instanceof client.ClientError) {
    if (err.code === 'OAUTH_TIMEOUT' || err.code === 'OAUTH_ABORT') {
      return new PlatformError('transient', 'platform_timeout', `${label} did not answer in time.`);
    }
    if (err.cause instanceof Response) return responseFailure(label, action, err.cause);
    if (err.cause instanceof PlatformError) return err.cause;
    if (err.cause instanceof TypeError) return unreachable(label);
    return new PlatformError('rejected', 'platform_rejected', `${label} ${DID_NOT[action]}: its answer could not be used.`);
  }
  if (err instanceof client.ResponseBodyError) {
    return metaFailure(label, action, err.status, { error: err.error, error_description: err.error_description ?? err.error });
  }
  if (err instanceof client.WWWAuthenticateChallengeError) return responseFailure(label, action, err.response);
  if (err instanceof client.AuthorizationResponseError) {
    const text = err.error_description ?? err.error;
    return new PlatformError('rejected', err.error === 'access_denied' ? 'access_denied' : 'platform_rejected', `${label} ${DID_NOT[action]}: ${readable(text)}`);
  }
  // fetch() rejects with a bare TypeError when the host cannot be reached.
  if (err instanceof TypeError && !('code' in err)) return unreachable(label);
  return err instanceof Error ? err : new Error(String(err));
}

function unreachable(label: string): PlatformError {
  return new PlatformError('transient', 'platform_unreachable', `${label} could not be reached.`);
}

/**
 * One Graph API call. The token goes in the Authorization header (both Graph hosts accept it),
 * so it never sits in a URL; Meta's error body becomes a PlatformError.
 */
export async function graphCall(
  label: string,
  url: string,
  init: { token?: string; query?: Record<string, string>; method?: 'GET' | 'DELETE'; action?: MetaAction; timeoutMs: number },
): Promise<Record<string, unknown>> {
  const target = new URL(url);
  for (const [name, value] of Object.entries(init.query ?? {})) target.searchParams.set(name, value);
  const response = await platformFetch(label, target, {
    method: init.method ?? 'GET',
    headers: init.token ? { Authorization: `Bearer ${init.token}` } : {},
    timeoutMs: init.timeoutMs,
  });
  const body = asRecord(response.body);
  if (response.status >= 400 || body['error'] !== undefined) {
    throw metaFailure(label, init.action ?? 'read', response.status, response.body, response.headers);
  }
  return body;
}

/** An OAuth client for a platform without discovery, bounded in time. */
export function oauthConfiguration(
  options: { clientId: string; clientSecret: string; allowInsecure: boolean; timeoutSeconds: number },
  urls: { authorize: string; token: string },
): client.Configuration {
  const config = new client.Configuration(
    // Meta publishes no metadata; the issuer is only a name here (no id_token, no `iss`).
    { issuer: new URL(urls.authorize).origin, authorization_endpoint: urls.authorize, token_endpoint: urls.token },
    options.clientId,
    undefined,
    client.ClientSecretPost(options.clientSecret),
  );
  if (options.allowInsecure) client.allowInsecureRequests(config);
  config.timeout = options.timeoutSeconds;
  return config;
}

/** Reads the error parameters Meta's dialogs put on the redirect. */
export function metaRedirectError(label: string, params: URLSearchParams): RedirectError | null {
  const error = params.get('error');
  const reason = params.get('error_reason');
  if (!error && !reason) return null;
  if (reason === 'user_denied' || error === 'access_denied') {
    return { code: 'access_denied', message: `You declined access on ${label}. Nothing was connected.` };
  }
  const description = params.get('error_description') ?? reason ?? error ?? 'unknown error';
  return { code: 'platform_error', message: `${label} could not complete the sign-in: ${readable(description)}` };
}

// --- Facebook Login ----------------------------------------------------------------------

export interface FacebookLoginEndpoints {
  authorize: string;
  token: string;
  graph: string;
  debugToken: string;
  /** DELETE here removes the app's grant (Facebook has no OAuth revoke endpoint). */
  revoke: string;
}

/** What debug_token says about one token. */
export interface TokenDebug {
  isValid: boolean;
  userId: string | null;
  scopes: string[];
  expiresAt: Date | null;
  dataAccessExpiresAt: Date | null;
  /** Why the token is not valid, as Meta explains it. */
  failure: PlatformError | null;
}

/** A Page from /me/accounts: its Page token and the person's tasks on it. */
export interface ManagedPage {
  id: string;
  name: string;
  accessToken: string;
  tasks: string[];
  /** The linked Instagram professional account, when asked for. */
  instagramAccountId: string | null;
}

export interface FacebookLoginOptions {
  clientId: string;
  clientSecret: string;
  clock: Clock;
  allowInsecure: boolean;
  timeoutSeconds: number;
}

/** The permission that lists business-owned Pages (/me/businesses). */
export const BUSINESS_SCOPE = 'business_management';

/**
 * The tokens of an account held through a Page. The Page token does not expire by itself;
 * it dies with the user token it was read with (and with data access). That user token is
 * what renews it, so its expiry is the refresh token's, and (SPEC "Refresh") it is also the
 * expiry that counts for the account: stored as the account's expiry because nothing else
 * ends the Page token sooner.
 */
export function pageTokens(pageToken: string, userToken: string, userTokenExpiresAt: Date | null): TokenSet {
  return { accessToken: pageToken, refreshToken: userToken, expiresAt: userTokenExpiresAt, refreshTokenExpiresAt: userTokenExpiresAt };
}

/** Page tasks that allow publishing. */
export const CREATE_CONTENT_TASK = 'CREATE_CONTENT';
const MAX_PAGE_READS = 20;
/** Graph answers at most this many requests in one batch. */
export const GRAPH_BATCH_LIMIT = 50;

/**
 * Facebook Login for an app that manages Pages (and the Instagram accounts linked to them):
 * a code gives a one-hour user token, exchanged at once for a 60-day one; Page tokens come
 * from /me/accounts with that user token, so renewing a Page means renewing its user token.
 */
export class FacebookLogin {
  readonly #config: client.Configuration;
  readonly #timeoutMs: number;

  constructor(
    private readonly options: FacebookLoginOptions,
    readonly endpoints: FacebookLoginEndpoints,
    /** Requested exactly, comma-separated as Facebook expects. */
    private readonly scopes: readonly string[],
    private readonly label = 'Facebook',
  ) {
    this.#config = oauthConfiguration(options, endpoints);
    this.#timeoutMs = options.timeoutSeconds * 1000;
  }

  /** PKCE is optional on Facebook: send it, it binds the code to this attempt. */
  async authorizationUrl(input: { redirectUri: string; state: string; codeVerifier: string }): Promise<URL> {
    return client.buildAuthorizationUrl(this.#config, {
      redirect_uri: input.redirectUri,
      scope: this.scopes.join(','),
      state: input.state,
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(input.codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  redirectError(params: URLSearchParams): RedirectError | null {
    return metaRedirectError(this.label, params);
  }

  /** Code -> short-lived user token -> 60-day user token, with what debug_token says it grants. */
  async exchangeCode(platform: LivePlatform, input: { callbackUrl: URL; state: string; codeVerifier: string }): Promise<Grant> {
    let shortLived: string;
    try {
      const tokens = await client.authorizationCodeGrant(this.#config, input.callbackUrl, {
        expectedState: input.state,
        pkceCodeVerifier: input.codeVerifier,
      });
      shortLived = tokens.access_token;
    } catch (err) {
      throw await oauthFailure(err, this.label, 'sign-in');
    }
    const longLived = await this.exchangeUserToken(shortLived, 'sign-in');
    const debug = await this.debugToken(longLived.accessToken, 'sign-in');
    if (!debug.isValid || debug.userId === null) {
      throw debug.failure ?? new PlatformError('rejected', 'platform_rejected', `${this.label} did not accept the sign-in.`);
    }
    return {
      platform,
      tokens: { accessToken: longLived.accessToken, refreshToken: null, expiresAt: longLived.expiresAt ?? debug.expiresAt, refreshTokenExpiresAt: null },
      grantedScopes: debug.scopes,
      dataAccessExpiresAt: debug.dataAccessExpiresAt,
      userId: debug.userId,
    };
  }

  /** fb_exchange_token: one request to the token endpoint; an expired token cannot be exchanged. */
  async exchangeUserToken(userToken: string, action: MetaAction): Promise<{ accessToken: string; expiresAt: Date | null }> {
    try {
      const tokens = await client.genericGrantRequest(this.#config, 'fb_exchange_token', { fb_exchange_token: userToken });
      return { accessToken: tokens.access_token, expiresAt: expiresIn(this.options.clock.now(), tokens.expires_in) };
    } catch (err) {
      throw await oauthFailure(err, this.label, action);
    }
  }

  /** debug_token with the app token; a dead token is reported (not thrown) with Meta's reason. */
  async debugToken(token: string, action: MetaAction = 'read'): Promise<TokenDebug> {
    const body = await graphCall(this.label, this.endpoints.debugToken, {
      token: `${this.options.clientId}|${this.options.clientSecret}`,
      query: { input_token: token },
      action,
      timeoutMs: this.#timeoutMs,
    });
    return this.#readDebug(body, action);
  }

  #readDebug(body: Record<string, unknown>, action: MetaAction): TokenDebug {
    const data = asRecord(body['data']);
    const isValid = data['is_valid'] === true;
    const scopes = Array.isArray(data['scopes']) ? data['scopes'].filter((s): s is string => typeof s === 'string') : [];
    return {
      isValid,
      userId: asString(data['user_id']),
      scopes,
      expiresAt: unixTime(data['expires_at']),
      dataAccessExpiresAt: unixTime(data['data_access_expires_at']),
      failure: isValid ? null : deadTokenFailure(this.label, action, data['error']),
    };
  }

  /**
   * debug_token for several tokens in Graph batch requests of up to 50 (one HTTP request per
   * 50 tokens): one answer per token, in order, a dead token reported (not thrown).
   */
  async debugTokens(tokens: readonly string[]): Promise<Array<TokenDebug | PlatformError>> {
    const answers: Array<TokenDebug | PlatformError> = [];
    for (let at = 0; at < tokens.length; at += GRAPH_BATCH_LIMIT) {
      const chunk = tokens.slice(at, at + GRAPH_BATCH_LIMIT);
      const form = new URLSearchParams({
        access_token: `${this.options.clientId}|${this.options.clientSecret}`,
        include_headers: 'false',
        batch: JSON.stringify(chunk.map((token) => ({ method: 'GET', relative_url: `debug_token?input_token=${encodeURIComponent(token)}` }))),
      });
      const response = await platformFetch(this.label, `${this.endpoints.graph}/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form,
        timeoutMs: this.#timeoutMs,
      });
      if (response.status >= 400 || !Array.isArray(response.body)) throw metaFailure(this.label, 'read', response.status, response.body);
      const items: unknown[] = response.body;
      chunk.forEach((_token, i) => {
        const item = asRecord(items[i]);
        let body: Record<string, unknown> = {};
        try {
          body = asRecord(typeof item['body'] === 'string' ? JSON.parse(item['body']) : item['body']);
        } catch {
          // An unreadable answer is a failed call, below.
        }
        const code = typeof item['code'] === 'number' ? item['code'] : 500;
        if (code >= 500 || items[i] === null || items[i] === undefined) {
          answers.push(new PlatformError('transient', 'platform_unavailable', `${this.label} did not answer this check.`, code));
        } else if (code >= 400 || body['error'] !== undefined) {
          answers.push(metaFailure(this.label, 'read', code, body));
        } else {
          answers.push(this.#readDebug(body, 'read'));
        }
      });
    }
    return answers;
  }

  /**
   * Every Page the person manages, with its Page token (following Graph's paging). With
   * `businesses`, also the Pages of the businesses they have a role in (business_management:
   * /me/businesses -> owned_pages and client_pages), which /me/accounts does not list for
   * every user.
   */
  async managedPages(userToken: string, action: MetaAction = 'read', extraFields: readonly string[] = [], businesses = false): Promise<ManagedPage[]> {
    const fields = ['id', 'name', 'access_token', 'tasks', ...extraFields].join(',');
    const pages = await this.#pagesOf(`${this.endpoints.graph}/me/accounts`, userToken, fields, action);
    if (businesses) {
      const ids = (await this.#edge(`${this.endpoints.graph}/me/businesses`, userToken, 'id,name', action)).flatMap((b) => asString(asRecord(b)['id']) ?? []);
      for (const id of ids) {
        for (const edge of ['owned_pages', 'client_pages']) {
          pages.push(...(await this.#pagesOf(`${this.endpoints.graph}/${encodeURIComponent(id)}/${edge}`, userToken, fields, action)));
        }
      }
    }
    const seen = new Set<string>();
    return pages.filter((p) => !seen.has(p.id) && seen.add(p.id));
  }

  async #pagesOf(url: string, userToken: string, fields: string, action: MetaAction): Promise<ManagedPage[]> {
    return (await this.#edge(url, userToken, fields, action)).flatMap((item): ManagedPage[] => {
      const page = asRecord(item);
      const id = asString(page['id']);
      const accessToken = asString(page['access_token']);
      // A Page without a token is one the person cannot act for.
      if (!id || !accessToken) return [];
      return [
        {
          id,
          name: asString(page['name']) ?? id,
          accessToken,
          tasks: Array.isArray(page['tasks']) ? page['tasks'].filter((t): t is string => typeof t === 'string') : [],
          instagramAccountId: asString(asRecord(page['instagram_business_account'])['id']),
        },
      ];
    });
  }

  /** Every item of a Graph edge, following `paging.next`. */
  async #edge(first: string, token: string, fields: string, action: MetaAction): Promise<unknown[]> {
    const items: unknown[] = [];
    let url: string | null = first;
    let query: Record<string, string> | undefined = { fields, limit: '100' };
    for (let read = 0; url !== null && read < MAX_PAGE_READS; read++) {
      const body: Record<string, unknown> = await graphCall(this.label, url, { token, query, action, timeoutMs: this.#timeoutMs });
      items.push(...graphData(body));
      url = asString(asRecord(body['paging'])['next']);
      query = undefined; // the next URL carries its own query
    }
    return items;
  }

  /** A read on graph.facebook.com. */
  get(path: string, token: string, query: Record<string, string> = {}, action: MetaAction = 'read'): Promise<Record<string, unknown>> {
    return graphCall(this.label, `${this.endpoints.graph}/${path.replace(/^\/+/, '')}`, { token, query, action, timeoutMs: this.#timeoutMs });
  }

  /**
   * Renews an account held through a Page: exchanges its user token (the one token-endpoint
   * request), then re-reads the Page token with the new user token.
   */
  async renewThroughPage(
    account: StoredAccount,
    findPage: (pages: ManagedPage[]) => ManagedPage | undefined,
    extraFields: readonly string[] = [],
  ): Promise<{ tokens: TokenSet; page: ManagedPage }> {
    const userToken = account.tokens.refreshToken;
    if (!userToken) {
      throw new PlatformError('permanent', 'token_revoked', `There is no ${this.label} user token to renew this account with. Reconnect it.`);
    }
    const renewed = await this.exchangeUserToken(userToken, 'renewal');
    const page = findPage(await this.managedPages(renewed.accessToken, 'renewal', extraFields, account.grantedScopes.includes(BUSINESS_SCOPE)));
    if (!page) {
      throw new PlatformError(
        'permanent',
        'token_revoked',
        `${this.label} no longer lists this account among the Pages the person who connected it manages. Reconnect it.`,
      );
    }
    return { page, tokens: pageTokens(page.accessToken, renewed.accessToken, renewed.expiresAt) };
  }

  /**
   * What Meta says about an account held through a Page: both its Page token and the user
   * token behind it must be valid; the user token's expiry is the one that counts.
   */
  async inspectGrant(account: StoredAccount): Promise<{ grantedScopes: string[]; expiresAt?: Date | null; dataAccessExpiresAt: Date | null }> {
    const userToken = account.tokens.refreshToken;
    const [pageDebug, userDebug] = await Promise.all([
      this.debugToken(account.tokens.accessToken),
      userToken ? this.debugToken(userToken) : Promise.resolve(null),
    ]);
    for (const debug of [userDebug, pageDebug]) {
      if (debug && !debug.isValid) throw debug.failure ?? deadTokenFailure(this.label, 'read', undefined);
    }
    const grant = userDebug ?? pageDebug;
    // A Page token has no expiry of its own (debug_token says 0): only the user token's counts,
    // so without one the stored expiry is left as it is.
    return { grantedScopes: grant.scopes, ...(userDebug ? { expiresAt: userDebug.expiresAt } : {}), dataAccessExpiresAt: grant.dataAccessExpiresAt };
  }

  /**
   * Verifies accounts held through user grants: one debug_token per distinct user token (a
   * grant's Pages share it), batched. One answer per account, in order.
   */
  async verifyUserGrants(accounts: readonly StoredAccount[]): Promise<Array<Inspection | PlatformError>> {
    const tokenOf = (a: StoredAccount) => a.tokens.refreshToken ?? a.tokens.accessToken;
    const distinct = [...new Set(accounts.map(tokenOf))];
    const debugs = await this.debugTokens(distinct);
    const byToken = new Map(distinct.map((t, i) => [t, debugs[i]!]));
    return accounts.map((a) => {
      const debug = byToken.get(tokenOf(a))!;
      if (debug instanceof PlatformError) return debug;
      if (!debug.isValid) return debug.failure ?? deadTokenFailure(this.label, 'read', undefined);
      return { grantedScopes: debug.scopes, expiresAt: debug.expiresAt, dataAccessExpiresAt: debug.dataAccessExpiresAt };
    });
  }

  /** Removes the app's whole grant for the person (DELETE /me/permissions with the user token). */
  async revoke(account: StoredAccount): Promise<void> {
    await graphCall(this.label, this.endpoints.revoke, {
      method: 'DELETE',
      token: account.tokens.refreshToken ?? account.tokens.accessToken,
      timeoutMs: this.#timeoutMs,
    });
  }
}

/** debug_token's `error` of an invalid token, read as a Graph error (190, subcode 463 = expired). */
function deadTokenFailure(label: string, action: MetaAction, error: unknown): PlatformError {
  const e = asRecord(error);
  const failure = metaFailure(label, action, 400, {
    error: { code: e['code'] ?? 190, error_subcode: e['subcode'] ?? e['error_subcode'], message: asString(e['message']) ?? 'The access token is not valid.' },
  });
  // debug_token only answers is_valid false for tokens that cannot be used: never "rejected".
  return failure.kind === 'permanent' ? failure : new PlatformError('permanent', 'token_revoked', failure.message, failure.status);
}

/** The Facebook Login endpoints under `prefix` (e.g. `facebookAuthorize`), when all are given. */
export function facebookLoginEndpoints(endpoints: Record<string, string>, adapter: string, prefix = ''): FacebookLoginEndpoints {
  const key = (name: string) => (prefix ? `${prefix}${name[0]?.toUpperCase()}${name.slice(1)}` : name);
  const graph = endpoint(endpoints, key('graph'), adapter);
  return {
    authorize: endpoint(endpoints, key('authorize'), adapter),
    token: endpoint(endpoints, key('token'), adapter),
    graph,
    debugToken: endpoint(endpoints, key('debugToken'), adapter),
    revoke: endpoints[key('revoke')] ?? `${graph}/me/permissions`,
  };
}

/** The items of a Graph edge (`{ data: [...] }`). */
export function graphData(body: Record<string, unknown>): unknown[] {
  return Array.isArray(body['data']) ? body['data'] : [];
}

/** Newest first; undated items last. */
export function newestFirst<T extends { publishedAt: Date | null }>(items: T[]): T[] {
  return items.sort((a, b) => (b.publishedAt?.getTime() ?? -Infinity) - (a.publishedAt?.getTime() ?? -Infinity));
}

/** Graph timestamps (`2026-11-21T08:15:00+0000`) as dates. */
export function graphTime(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A Graph count (`{ summary: { total_count } }`, `{ count }` or a number), when there is one. */
export function graphCount(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const record = asRecord(value);
  const count = asRecord(record['summary'])['total_count'] ?? record['count'];
  return typeof count === 'number' && Number.isFinite(count) ? count : null;
}
