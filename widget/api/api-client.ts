import type {
  Account,
  AccountCounts,
  AccountDetail,
  AttemptStarted,
  HistoryEntry,
  HistoryPage,
  LinkCreated,
  OAuthMessage,
  PlatformAvailability,
  PlatformsResponse as ContractPlatformsResponse,
  PublicEvent,
  StartConnectionBody,
} from '../../contract/types.ts';
import type { ConnectMode } from '../../contract/oauth.ts';
import type { PausedReason } from '../../contract/health.ts';

// The wire types come from the contract (type-only imports: nothing of it is bundled).
export type { Account, AccountCounts, AccountDetail, AttemptStarted, HistoryEntry, HistoryPage, PausedReason, PlatformAvailability, PublicEvent, ConnectMode };

/** What the widget learns about an attempt, however it arrives (message, redirect, or asking). */
export type AttemptResult = Omit<OAuthMessage, 'source' | 'type'>;

/** Parameters of an event, an error or a history entry, for saying it in any language. */
export type MessageParams = Record<string, string | number | boolean | null | undefined | string[]>;

/** A link an account's owner can open to reconnect it. */
export type ReconnectLink = LinkCreated;

export type StartConnectionRequest = StartConnectionBody;

/** The platforms, the workspace's plan and the session's role; `plan` and `role` are absent from an older BFF. */
export type PlatformsResponse = Omit<ContractPlatformsResponse, 'plan' | 'role'> & Partial<Pick<ContractPlatformsResponse, 'plan' | 'role'>>;

/** A session token, or a function that returns a fresh one (called again after a 401). */
export type SessionSource = string | (() => string | Promise<string>);

/** An error answer of the BFF: `{ error: { code, message, params? } }` with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly params: MessageParams = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type AttemptStatus = Omit<AttemptResult, 'attemptId'>;

/**
 * One page of the account list. Without `cursor` (a BFF that does not page) the whole list
 * came; `cursor` null means there is no more.
 */
export interface AccountPage {
  accounts: Account[];
  cursor?: string | null;
  counts?: AccountCounts;
}

/**
 * The one way the widget talks to the BFF. Every method takes an AbortSignal, so a component
 * can cancel what it no longer needs.
 */
export interface ApiClient {
  /** The BFF's origin, when known: its own pictures (the sandbox's) may be plain http. */
  readonly origin?: string;
  /** The BFF's base URL, when known: its error reference is `<baseUrl>/errors#<code>`. */
  readonly baseUrl?: string;
  /** Every account, in one answer. */
  listAccounts(signal?: AbortSignal): Promise<Account[]>;
  /** A page of accounts, amber first (`limit` and `after` as the BFF's `?limit=&after=`). */
  listAccountsPage(request: { limit?: number; after?: string }, signal?: AbortSignal): Promise<AccountPage>;
  getAccount(id: string, signal?: AbortSignal): Promise<AccountDetail>;
  disconnect(id: string, signal?: AbortSignal): Promise<void>;
  listPlatforms(signal?: AbortSignal): Promise<PlatformsResponse>;
  startConnection(request: StartConnectionRequest, signal?: AbortSignal): Promise<AttemptStarted>;
  reconnect(id: string, options: { mode?: ConnectMode; returnTo?: string }, signal?: AbortSignal): Promise<AttemptStarted>;
  connectionStatus(attemptId: string, signal?: AbortSignal): Promise<AttemptStatus>;
  selectAccounts(attemptId: string, ids: string[], signal?: AbortSignal): Promise<{ accountIds: string[] }>;
  events(after: string | undefined, signal?: AbortSignal): Promise<{ events: PublicEvent[]; cursor: string }>;
  /** Due refreshes and a platform health check for every account, now; the events it produced. */
  healthCheck(signal?: AbortSignal): Promise<{ accounts: Account[]; events: PublicEvent[] }>;
  /** An account's timeline, newest first, a page at a time. */
  accountHistory(id: string, after: string | undefined, signal?: AbortSignal): Promise<HistoryPage>;
  /** A single-use link an account's owner can open to reconnect it (admin sessions only). */
  reconnectLink(id: string, signal?: AbortSignal): Promise<ReconnectLink>;
}

export interface ApiClientOptions {
  /** The BFF's base URL, e.g. `https://app.example/connections`. */
  baseUrl: string;
  session: SessionSource;
  fetch?: typeof fetch;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let token: string | null = typeof options.session === 'string' ? options.session : null;

  async function sessionToken(fresh: boolean): Promise<string> {
    if (typeof options.session === 'string') return options.session;
    if (token === null || fresh) token = await options.session();
    return token;
  }

  async function call<T>(method: string, path: string, body: unknown, signal: AbortSignal | undefined): Promise<T> {
    const send = async (fresh: boolean) =>
      doFetch(`${base}${path}`, {
        method,
        signal,
        headers: { Authorization: `Bearer ${await sessionToken(fresh)}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    let res = await send(false);
    // An expired session: ask the host for a fresh one, once.
    if (res.status === 401 && typeof options.session === 'function') res = await send(true);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: reported below.
    }
    if (!res.ok) {
      const error = (json as { error?: { code?: string; message?: string; params?: MessageParams } } | null)?.error;
      throw new ApiError(res.status, error?.code ?? 'http_error', error?.message ?? `The server answered HTTP ${res.status}.`, error?.params ?? { status: res.status });
    }
    return json as T;
  }

  const id = (value: string) => encodeURIComponent(value);
  const query = (params: Record<string, string | number | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
    const s = q.toString();
    return s ? `?${s}` : '';
  };
  /** Whether the BFF pages its account list (assumed until it refuses `?limit=`). */
  let paging = true;
  let origin: string | undefined;
  try {
    origin = new URL(base, globalThis.location?.href).origin;
  } catch {
    origin = undefined;
  }
  return {
    origin,
    baseUrl: base,
    listAccounts: async (signal) => (await call<{ accounts: Account[] }>('GET', '/api/accounts', undefined, signal)).accounts,
    listAccountsPage: async (request, signal) => {
      if (!paging) return call<AccountPage>('GET', '/api/accounts', undefined, signal);
      try {
        return await call<AccountPage>('GET', `/api/accounts${query({ limit: request.limit, after: request.after })}`, undefined, signal);
      } catch (err) {
        // A BFF from before paging refuses ?limit=: it answers the whole list without it.
        if (!(err instanceof ApiError) || err.status !== 400 || request.after !== undefined) throw err;
        paging = false;
        return call<AccountPage>('GET', '/api/accounts', undefined, signal);
      }
    },
    getAccount: async (accountId, signal) => (await call<{ account: AccountDetail }>('GET', `/api/accounts/${id(accountId)}`, undefined, signal)).account,
    disconnect: (accountId, signal) => call<void>('DELETE', `/api/accounts/${id(accountId)}`, undefined, signal),
    listPlatforms: (signal) => call<PlatformsResponse>('GET', '/api/platforms', undefined, signal),
    startConnection: (request, signal) => call('POST', '/api/connections', request, signal),
    reconnect: (accountId, body, signal) => call('POST', `/api/accounts/${id(accountId)}/reconnect`, body, signal),
    connectionStatus: (attemptId, signal) => call<AttemptStatus>('GET', `/api/connections/${id(attemptId)}`, undefined, signal),
    selectAccounts: (attemptId, ids, signal) => call('POST', `/api/connections/${id(attemptId)}/select`, { ids }, signal),
    healthCheck: (signal) => call('POST', '/api/health-check', undefined, signal),
    events: (after, signal) => call('GET', `/api/events${query({ after })}`, undefined, signal),
    accountHistory: (accountId, after, signal) => call<HistoryPage>('GET', `/api/accounts/${id(accountId)}/history${query({ after })}`, undefined, signal),
    reconnectLink: (accountId, signal) => call<ReconnectLink>('POST', `/api/accounts/${id(accountId)}/reconnect-link`, {}, signal),
  };
}
