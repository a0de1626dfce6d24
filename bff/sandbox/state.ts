/**
 * The sandbox's memory: authorization codes, grants (one per consent) and the tokens issued
 * under them, shared by every platform and persisted to an optional JSON file so a restarted
 * sandbox still honours the tokens it issued.
 *
 * A grant is the unit of revocation: revoking any token (or an account) revokes its grant,
 * which kills every access, refresh and Page token issued under it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { OffsetClock } from '../clock.ts';
import type { SandboxPlatform } from './seed.ts';

/** One OAuth method; Instagram has two (Instagram Login and the retired Basic Display). */
export type FlowId = 'facebook' | 'instagram' | 'instagram-basic' | 'tiktok' | 'x' | 'linkedin';

export const FLOW_PLATFORM: Readonly<Record<FlowId, SandboxPlatform>> = {
  facebook: 'facebook',
  instagram: 'instagram',
  'instagram-basic': 'instagram',
  tiktok: 'tiktok',
  x: 'x',
  linkedin: 'linkedin',
};

export interface CodeRecord {
  code: string;
  flow: FlowId;
  clientId: string;
  redirectUri: string;
  userId: string;
  scopes: string[];
  /** Requested but not granted (Meta reports them as "declined"). */
  declinedScopes: string[];
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain' | null;
  nonce: string | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

/**
 * How a grant was revoked, which Meta reports with different error subcodes:
 * `deauthorized` (the app was removed or revoked its own token: 458) and
 * `session_invalidated` (revoked from outside the app, e.g. a password change: 460).
 */
export type RevokeReason = 'deauthorized' | 'session_invalidated' | 'refresh_token_replayed';

export interface GrantRecord {
  id: string;
  flow: FlowId;
  userId: string;
  scopes: string[];
  declinedScopes: string[];
  grantedAt: number;
  revokedAt: number | null;
  revokedReason: RevokeReason | null;
}

/** Meta's kinds of user tokens: short-lived (from a code), long-lived (exchanged), Page. */
export type TokenVariant = 'short' | 'long' | 'page';

export interface TokenRecord {
  value: string;
  kind: 'access' | 'refresh';
  grantId: string;
  issuedAt: number;
  /** null: never expires (a Page token from a long-lived user token). */
  expiresAt: number | null;
  /** Set on a refresh token once it has been exchanged for a new one. */
  rotatedAt: number | null;
  variant: TokenVariant | null;
  pageId: string | null;
  /** For a Page token: the user token it was read with. */
  parent: string | null;
}

export type TokenStatus = 'active' | 'expired' | 'revoked' | 'rotated';

export type TokenCheck =
  | { status: TokenStatus; token: TokenRecord; grant: GrantRecord }
  | { status: 'unknown'; token?: undefined; grant?: undefined };

interface PersistedState {
  version: 1;
  clockOffsetMs: number;
  codes: Record<string, CodeRecord>;
  grants: Record<string, GrantRecord>;
  tokens: Record<string, TokenRecord>;
}

/** A code about to be issued: the record without what issuing fills in, plus its lifetime. */
export type NewCode = Omit<CodeRecord, 'code' | 'createdAt' | 'expiresAt' | 'usedAt'> & { ttlSeconds: number };

export interface NewToken {
  grant: GrantRecord;
  kind: 'access' | 'refresh';
  /** Platform prefix so a token shows where it came from, e.g. `sbx-fb`. */
  prefix: string;
  /** Lifetime from now; null for no expiry. Ignored when `expiresAt` is given. */
  ttlSeconds: number | null;
  /** An absolute expiry, for tokens that inherit one (Page tokens, rotated refresh tokens). */
  expiresAt?: number | null;
  variant?: TokenVariant;
  pageId?: string;
  parent?: string;
}

const STATE_VERSION = 1;
/** Used or expired codes are kept a day (so a late replay still reads "used"), then dropped. */
const CODE_RETENTION_MS = 24 * 3600 * 1000;
/** Expired and rotated tokens are kept a week (a late call still reads "expired" or "reused"), then dropped. */
const TOKEN_RETENTION_MS = 7 * 24 * 3600 * 1000;
/**
 * At most this many codes are kept: anyone can post the consent form (it needs no
 * credentials), so without a bound the state would grow with every post. The oldest go first.
 */
export const MAX_CODES = 5_000;
/** Changes within this window are written together, off the request path. */
const WRITE_DELAY_MS = 50;

/** An unguessable value: 256 random bits, base64url. */
export function randomSecret(prefix: string): string {
  return `${prefix}-${randomBytes(32).toString('base64url')}`;
}

export class SandboxStore {
  readonly #clock: OffsetClock;
  readonly #file: string | undefined;
  #state: PersistedState;
  /** Page tokens by the user token they were read with and their Page: a lookup, not a scan of every token. */
  readonly #pageTokens = new Map<string, TokenRecord>();
  #dirty = false;
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> | null = null;
  #closed = false;
  #writes = 0;

  readonly #maxCodes: number;
  readonly #writeDelayMs: number;

  constructor(clock: OffsetClock, file?: string, limits: { maxCodes?: number; writeDelayMs?: number } = {}) {
    this.#clock = clock;
    this.#file = file;
    this.#maxCodes = limits.maxCodes ?? MAX_CODES;
    this.#writeDelayMs = limits.writeDelayMs ?? WRITE_DELAY_MS;
    this.#state = file ? loadState(file) : emptyState();
    for (const token of Object.values(this.#state.tokens)) this.#indexPageToken(token);
    // Keep "now" monotonic across restarts, or tokens would look issued in the future.
    if (this.#state.clockOffsetMs > clock.offsetMs) clock.setOffset(this.#state.clockOffsetMs);
  }

  nowMs(): number {
    return this.#clock.now().getTime();
  }

  clockOffsetMs(): number {
    return this.#clock.offsetMs;
  }

  advanceClock(seconds: number): Date {
    const now = this.#clock.advance(seconds);
    this.#save();
    return now;
  }

  // --- codes -------------------------------------------------------------------------

  createCode(input: NewCode): CodeRecord {
    const now = this.nowMs();
    const { ttlSeconds, ...rest } = input;
    const record: CodeRecord = {
      ...rest,
      code: randomSecret(`sbx-${input.flow}-code`),
      createdAt: now,
      expiresAt: now + ttlSeconds * 1000,
      usedAt: null,
    };
    this.#state.codes[record.code] = record;
    if (Object.keys(this.#state.codes).length > this.#maxCodes) this.#pruneCodes();
    this.#save();
    return record;
  }

  findCode(code: string, flow: FlowId): CodeRecord | undefined {
    const record = this.#state.codes[code];
    return record && record.flow === flow ? record : undefined;
  }

  /** Marks the code used and records the consent it carried as a grant. */
  consumeCode(record: CodeRecord): GrantRecord {
    record.usedAt = this.nowMs();
    const grant: GrantRecord = {
      id: randomSecret('grant'),
      flow: record.flow,
      userId: record.userId,
      scopes: [...record.scopes],
      declinedScopes: [...record.declinedScopes],
      grantedAt: record.createdAt,
      revokedAt: null,
      revokedReason: null,
    };
    this.#state.grants[grant.id] = grant;
    this.#save();
    return grant;
  }

  // --- tokens ------------------------------------------------------------------------

  issueToken(input: NewToken): TokenRecord {
    const now = this.nowMs();
    const expiresAt =
      input.expiresAt !== undefined ? input.expiresAt : input.ttlSeconds === null ? null : now + input.ttlSeconds * 1000;
    const token: TokenRecord = {
      value: randomSecret(input.kind === 'refresh' ? `${input.prefix}-rt` : input.prefix),
      kind: input.kind,
      grantId: input.grant.id,
      issuedAt: now,
      expiresAt,
      rotatedAt: null,
      variant: input.variant ?? null,
      pageId: input.pageId ?? null,
      parent: input.parent ?? null,
    };
    this.#state.tokens[token.value] = token;
    this.#indexPageToken(token);
    this.#save();
    return token;
  }

  #indexPageToken(token: TokenRecord): void {
    if (token.parent === null || token.pageId === null) return;
    const key = `${token.parent} ${token.pageId}`;
    if (!this.#pageTokens.has(key)) this.#pageTokens.set(key, token);
  }

  /**
   * What a token is worth right now. A token of another flow, or of another kind when `kind`
   * is given (an access token offered as a refresh token), counts as unknown.
   */
  checkToken(value: string | undefined, flows: readonly FlowId[], kind?: TokenRecord['kind']): TokenCheck {
    const token = value === undefined ? undefined : this.#state.tokens[value];
    const grant = token ? this.#state.grants[token.grantId] : undefined;
    if (!token || !grant || !flows.includes(grant.flow) || (kind && token.kind !== kind)) return { status: 'unknown' };
    return { status: this.#statusOf(token, grant), token, grant };
  }

  #statusOf(token: TokenRecord, grant: GrantRecord): TokenStatus {
    if (grant.revokedAt !== null) return 'revoked';
    if (token.rotatedAt !== null) return 'rotated';
    if (token.expiresAt !== null && this.nowMs() >= token.expiresAt) return 'expired';
    return 'active';
  }

  /**
   * Seconds left before `token` expires (never negative); null when it never does. Rounded,
   * so a token issued a millisecond ago still reports its full lifetime.
   */
  secondsLeft(token: TokenRecord): number | null {
    if (token.expiresAt === null) return null;
    return Math.max(0, Math.round((token.expiresAt - this.nowMs()) / 1000));
  }

  /** Retires a refresh token that has just been exchanged for a new one. */
  markRotated(token: TokenRecord): void {
    token.rotatedAt = this.nowMs();
    this.#save();
  }

  /** The Page token already read with this user token, so repeated reads do not pile up tokens. */
  findPageToken(parent: string, pageId: string): TokenRecord | undefined {
    return this.#pageTokens.get(`${parent} ${pageId}`);
  }

  /** Every secret the sandbox has handed out (tokens and codes): tests prove none leaks. */
  issuedSecrets(): string[] {
    return [...Object.keys(this.#state.tokens), ...Object.keys(this.#state.codes)];
  }

  // --- grants ------------------------------------------------------------------------

  grant(id: string): GrantRecord | undefined {
    return this.#state.grants[id];
  }

  revokeGrant(grant: GrantRecord, reason: RevokeReason): void {
    if (grant.revokedAt !== null) return;
    grant.revokedAt = this.nowMs();
    grant.revokedReason = reason;
    this.#save();
  }

  /** A platform's revoke endpoint: any token of a grant (access or refresh) revokes all of it. */
  revokeToken(value: string | undefined, flows: readonly FlowId[]): void {
    const check = this.checkToken(value, flows);
    if (check.status !== 'unknown') this.revokeGrant(check.grant, 'deauthorized');
  }

  /** Revokes every live grant of these users in these flows; returns how many. */
  revokeUsers(flows: readonly FlowId[], userIds: readonly string[], reason: RevokeReason): number {
    let count = 0;
    const now = this.nowMs();
    for (const grant of Object.values(this.#state.grants)) {
      if (grant.revokedAt === null && flows.includes(grant.flow) && userIds.includes(grant.userId)) {
        grant.revokedAt = now;
        grant.revokedReason = reason;
        count++;
      }
    }
    if (count > 0) this.#save();
    return count;
  }

  /** Takes one permission back from a grant (Meta's DELETE /me/permissions/{permission}). */
  removeScope(grant: GrantRecord, scope: string): void {
    grant.scopes = grant.scopes.filter((s) => s !== scope);
    if (!grant.declinedScopes.includes(scope)) grant.declinedScopes.push(scope);
    this.#save();
  }

  // --- persistence -------------------------------------------------------------------

  /** Tokens held right now (tests prove pruning). */
  get tokenCount(): number {
    return Object.keys(this.#state.tokens).length;
  }

  /** How many times the state file has been written (tests prove writes are coalesced). */
  get writes(): number {
    return this.#writes;
  }

  /** How many codes are held right now (tests prove the bound). */
  get codeCount(): number {
    return Object.keys(this.#state.codes).length;
  }

  /** Marks the state changed; it is written soon, asynchronously, together with any other change. */
  #save(): void {
    if (!this.#file || this.#closed) return;
    this.#dirty = true;
    if (this.#timer || this.#writing) return;
    this.#timer = setTimeout(() => void this.flush(), this.#writeDelayMs);
    this.#timer.unref();
  }

  /** Writes pending changes now; resolves once the file holds them. */
  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    while (this.#writing) await this.#writing;
    if (!this.#dirty || !this.#file || this.#closed) return;
    this.#writing = this.#writeAll(this.#file).finally(() => (this.#writing = null));
    await this.#writing;
  }

  async #writeAll(file: string): Promise<void> {
    while (this.#dirty && !this.#closed) {
      this.#dirty = false;
      const text = this.#serialize();
      // Write then rename, so a crash mid-write never leaves a truncated file behind.
      const temp = `${file}.${process.pid}.${this.#writes}.tmp`;
      try {
        await mkdir(dirname(file), { recursive: true, mode: 0o700 });
        await writeFile(temp, text, { mode: 0o600 });
        if (!this.#closed) await rename(temp, file);
        this.#writes++;
      } catch (err) {
        this.#dirty = true;
        process.emitWarning(`could not write the sandbox state file ${file}: ${(err as Error).message}`);
        return;
      }
    }
  }

  /** At shutdown: stops the timer and writes what is pending, synchronously, once. */
  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#file || (!this.#dirty && !this.#writing)) return;
    const temp = `${this.#file}.${process.pid}.final.tmp`;
    mkdirSync(dirname(this.#file), { recursive: true, mode: 0o700 });
    writeFileSync(temp, this.#serialize(), { mode: 0o600 });
    renameSync(temp, this.#file);
    this.#writes++;
  }

  #serialize(): string {
    this.#prune();
    this.#state.clockOffsetMs = this.#clock.offsetMs;
    return JSON.stringify(this.#state);
  }

  /** Drops codes and tokens past their retention, and the grants nothing refers to any more. */
  #prune(): void {
    const now = this.nowMs();
    for (const [code, record] of Object.entries(this.#state.codes)) {
      if (record.expiresAt + CODE_RETENTION_MS < now) delete this.#state.codes[code];
    }
    const live = new Set<string>();
    for (const [value, token] of Object.entries(this.#state.tokens)) {
      const expired = token.expiresAt !== null && token.expiresAt + TOKEN_RETENTION_MS < now;
      const rotated = token.rotatedAt !== null && token.rotatedAt + TOKEN_RETENTION_MS < now;
      if (expired || rotated) {
        delete this.#state.tokens[value];
        if (token.parent !== null && token.pageId !== null && this.#pageTokens.get(`${token.parent} ${token.pageId}`) === token) {
          this.#pageTokens.delete(`${token.parent} ${token.pageId}`);
        }
      } else {
        live.add(token.grantId);
      }
    }
    for (const [id, grant] of Object.entries(this.#state.grants)) {
      if (!live.has(id) && grant.grantedAt + TOKEN_RETENTION_MS < now) delete this.#state.grants[id];
    }
  }

  /** Over the bound: expired codes go, then the oldest (objects keep insertion order). */
  #pruneCodes(): void {
    const now = this.nowMs();
    const codes = this.#state.codes;
    for (const [code, record] of Object.entries(codes)) if (record.expiresAt + CODE_RETENTION_MS < now) delete codes[code];
    const keys = Object.keys(codes);
    for (let i = 0; i < keys.length - this.#maxCodes; i++) delete codes[keys[i]!];
  }
}

function emptyState(): PersistedState {
  return { version: STATE_VERSION, clockOffsetMs: 0, codes: {}, grants: {}, tokens: {} };
}

function loadState(file: string): PersistedState {
  if (!existsSync(file)) return emptyState();
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<PersistedState>;
  if (parsed.version !== STATE_VERSION || !parsed.codes || !parsed.grants || !parsed.tokens) {
    throw new Error(`${file} is not a sandbox state file (version ${STATE_VERSION})`);
  }
  return {
    version: STATE_VERSION,
    clockOffsetMs: typeof parsed.clockOffsetMs === 'number' ? parsed.clockOffsetMs : 0,
    codes: parsed.codes,
    grants: parsed.grants,
    tokens: parsed.tokens,
  };
}
