import type { Account, AccountDetail, AccountList, AttemptStarted, OAuthMessage, PlatformAvailability, PlatformsResponse, PublicEvent } from '../../contract/types.ts';
import type { ConnectMode } from '../../contract/oauth.ts';

// The wire types come from the contract (type-only imports: nothing of it is bundled).
export type { Account, AccountDetail, AccountList, AttemptStarted, PublicEvent, PlatformAvailability, PlatformsResponse, ConnectMode };

/** What the widget learns about an attempt, however it arrives (message, redirect, or asking). */
export type AttemptResult = Omit<OAuthMessage, 'source' | 'type'>;

/** A session token, or a function that returns a fresh one (called again after a 401). */
export type SessionSource = string | (() => string | Promise<string>);

/** An error answer of the BFF: `{ error: { code, message } }` with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface StartConnectionRequest {
  platform: string;
  mode?: ConnectMode;
  returnTo?: string;
}

export type AttemptStatus = Omit<AttemptResult, 'attemptId'>;

/**
 * The one way the widget talks to the BFF. Every method takes an AbortSignal, so a component
 * can cancel what it no longer needs.
 */
export interface ApiClient {
  listAccounts(signal?: AbortSignal): Promise<Account[]>;
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
      const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
      throw new ApiError(res.status, error?.code ?? 'http_error', error?.message ?? `The server answered HTTP ${res.status}.`);
    }
    return json as T;
  }

  const id = (value: string) => encodeURIComponent(value);
  return {
    listAccounts: async (signal) => (await call<AccountList>('GET', '/api/accounts', undefined, signal)).accounts,
    getAccount: async (accountId, signal) => (await call<{ account: AccountDetail }>('GET', `/api/accounts/${id(accountId)}`, undefined, signal)).account,
    disconnect: (accountId, signal) => call<void>('DELETE', `/api/accounts/${id(accountId)}`, undefined, signal),
    listPlatforms: (signal) => call<PlatformsResponse>('GET', '/api/platforms', undefined, signal),
    startConnection: (request, signal) => call('POST', '/api/connections', request, signal),
    reconnect: (accountId, body, signal) => call('POST', `/api/accounts/${id(accountId)}/reconnect`, body, signal),
    connectionStatus: (attemptId, signal) => call<AttemptStatus>('GET', `/api/connections/${id(attemptId)}`, undefined, signal),
    selectAccounts: (attemptId, ids, signal) => call('POST', `/api/connections/${id(attemptId)}/select`, { ids }, signal),
    healthCheck: (signal) => call('POST', '/api/health-check', undefined, signal),
    events: (after, signal) => call('GET', `/api/events${after === undefined ? '' : `?after=${encodeURIComponent(after)}`}`, undefined, signal),
  };
}
