import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Account, AccountCounts, ApiClient } from '../api/api-client.ts';

/** The first read: enough for the first screens of cards, and fast with 5,000 accounts. */
export const FIRST_PAGE = 100;
/** Later reads (more cards, a filter over everything, every amber account). */
export const NEXT_PAGE = 500;

const isAmber = (a: Account) => a.status !== 'paused' && a.health === 'needs_reconnect';

/** Counts over a whole list (for a BFF that sends the whole list and no counts). */
export function countsOf(accounts: readonly Account[]): AccountCounts {
  let needsReconnect = 0;
  let paused = 0;
  for (const a of accounts) {
    if (a.status === 'paused') paused++;
    else if (a.health === 'needs_reconnect') needsReconnect++;
  }
  return { total: accounts.length, needsReconnect, paused };
}

/** Whether two reads of an account show the same (a re-read brings new objects for every account). */
export function sameAccount(a: Account | undefined, b: Account | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  let keys = 0;
  for (const key in a) {
    keys++;
    const x = a[key as keyof Account];
    const y = b[key as keyof Account];
    // Values are strings, numbers, booleans or null; the rest (lastError, reasonParams) small objects.
    if (x !== y && (typeof x !== 'object' || JSON.stringify(x) !== JSON.stringify(y))) return false;
  }
  return keys === Object.keys(b).length;
}


/**
 * The workspace's accounts as far as they have been read: the BFF's list pages (amber
 * first), its counts over every account, and whether everything is here. A BFF that does
 * not page answers everything at once (no cursor): then the list is complete at once.
 * A re-read keeps the last good list on failure (offline), with the error beside it.
 */
export class AccountList implements ReactiveController {
  accounts: Account[] = [];
  counts: AccountCounts = { total: 0, needsReconnect: 0, paused: 0 };
  /** Whether every account has been read. */
  complete = false;
  /** Whether anything was ever read (the first answer came). */
  loaded = false;
  loading = false;
  error: unknown = null;
  /** When the list last came from the BFF. */
  readAt: Date | null = null;
  /** The platforms the accounts read so far are on (kept with the list: it runs to thousands). */
  platforms: readonly string[] = [];
  #cursor: string | null = null;
  #run = 0;
  #abort: AbortController | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly client: () => ApiClient | null,
    private readonly onRead: (list: AccountList) => void,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.#abort?.abort();
  }

  /** Forgets everything (a new client, another workspace). */
  reset(): void {
    this.#abort?.abort();
    this.#run++;
    Object.assign(this, { accounts: [], counts: { total: 0, needsReconnect: 0, paused: 0 }, complete: false, loaded: false, loading: false, error: null, readAt: null, platforms: [] });
    this.#cursor = null;
  }

  /** Reads the list again from the start, as far as it had been read (at least the first page). */
  async reload(): Promise<void> {
    await this.#read(Math.max(FIRST_PAGE, this.complete ? Infinity : this.accounts.length), true);
  }

  /** Reads `n` more accounts (for "Show more"). */
  async more(n = NEXT_PAGE): Promise<void> {
    if (this.complete || this.loading) return;
    await this.#read(this.accounts.length + n, false);
  }

  /** Reads every account (a filter, a search, "Reconnect all" over everything). */
  async all(): Promise<void> {
    if (!this.complete) await this.#read(Infinity, false);
  }

  /** Reads until every amber account is here (they come first). */
  async amber(): Promise<Account[]> {
    while (!this.complete && !this.accounts.some((a) => a.status !== 'paused' && a.health === 'healthy')) {
      const before = this.accounts.length;
      await this.more();
      if (this.accounts.length === before || this.error) break;
    }
    return this.accounts.filter(isAmber);
  }

  async #read(upTo: number, fromStart: boolean): Promise<void> {
    const client = this.client();
    if (!client) return;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    const run = ++this.#run;
    this.loading = true;
    // A re-read of a list on screen changes nothing visible until it lands.
    if (!this.loaded) this.host.requestUpdate();
    try {
      let list: Account[] = fromStart ? [] : [...this.accounts];
      let cursor = fromStart ? undefined : (this.#cursor ?? undefined);
      let counts: AccountCounts | undefined;
      let complete = false;
      for (;;) {
        const limit = list.length === 0 ? FIRST_PAGE : NEXT_PAGE;
        const page = await client.listAccountsPage({ limit, ...(cursor ? { after: cursor } : {}) }, abort.signal);
        if (run !== this.#run) return;
        if (list.length === 0) list = page.accounts;
        else {
          const seen = new Set(list.map((a) => a.id));
          list = list.concat(page.accounts.filter((a) => !seen.has(a.id)));
        }
        counts = page.counts ?? counts;
        // No cursor at all: a BFF that answers everything at once.
        if (page.cursor === undefined || page.cursor === null) {
          complete = true;
          break;
        }
        cursor = page.cursor;
        if (list.length >= upTo) break;
      }
      this.#take(list, counts);
      this.#cursor = complete ? null : (cursor ?? null);
      this.complete = complete;
      this.loaded = true;
      this.error = null;
      this.readAt = new Date();
      this.loading = false;
      this.host.requestUpdate();
    } catch (err) {
      if (run !== this.#run) return;
      this.loading = false;
      if ((err as Error)?.name !== 'AbortError') this.error = err;
      this.host.requestUpdate();
      return;
    }
    this.onRead(this);
  }

  /**
   * Takes a fresh read in one pass over it (lists run to thousands, and a re-read comes every
   * hour and after every action): its counts (when the BFF sent none) and the platforms it is on,
   * keeping the previous platforms array when they did not change. The cards compare their own
   * account (a card whose account shows the same is not touched), so nothing else here looks
   * into every account.
   */
  #take(list: Account[], counts: AccountCounts | undefined): void {
    let needsReconnect = 0;
    let paused = 0;
    const tally: Record<string, true> = {};
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      tally[a.platform] = true;
      if (a.status === 'paused') paused++;
      else if (a.health === 'needs_reconnect') needsReconnect++;
    }
    this.counts = counts ?? { total: list.length, needsReconnect, paused };
    const platforms = Object.keys(tally);
    if (platforms.length !== this.platforms.length || platforms.some((p, i) => p !== this.platforms[i])) this.platforms = platforms;
    this.accounts = list;
  }
}
