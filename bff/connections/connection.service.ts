import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { OAuthAttemptRow, SocialAccountRow } from '../db/database.ts';
import type { InTransaction } from '../db/transaction.ts';
import { Failure } from '../errors.ts';
import { durationText } from '../duration.ts';
import { isErrorCode, type ErrorCode } from '../../contract/errors.ts';
import type { Logger } from '../logger.ts';
import type { AccountRepository } from '../accounts/account.repository.ts';
import type { AccountService } from '../accounts/account.service.ts';
import { toStoredAccount } from '../accounts/credentials.ts';
import { checkConnectionGate } from '../plans/gate.ts';
import { PlatformError, type GrantedAccount, type PlatformAdapter } from '../platforms/adapter.ts';
import { isMetaPlatform } from '../platforms/catalog.ts';
import { CONNECT_KINDS, isLivePlatform, PLATFORM_LABELS, type AccountKind, type LivePlatform, type Platform } from '../../contract/platforms.ts';
import type { PlatformRegistry } from '../platforms/registry.ts';
import type { Session } from '../sessions/sessions.ts';
import type { WorkspaceRepository } from '../workspaces/workspace.repository.ts';
import { workspaceLimit, workspacePlan, type WorkspaceService } from '../workspaces/workspace.service.ts';
import type { AttemptRepository } from './attempt.repository.ts';
import type { LinkRepository } from '../links/link.repository.ts';
import type { EventService } from '../events/events.ts';
import type { LinkRow } from '../db/database.ts';

import type { ConnectMode } from '../../contract/oauth.ts';
import type { AttemptStarted, AttemptStatusBody, Choice } from '../../contract/types.ts';
import type { OperatorProblems } from '../operations/problems.ts';

/** How long an attempt may take from the widget's click to the callback (and to the choice). */
export const ATTEMPT_TTL_MS = 10 * 60_000;
const TOOK_TOO_LONG = `The sign-in took longer than ${durationText(ATTEMPT_TTL_MS)}. Please start again.`;

export interface StartConnection {
  session: Session;
  /** The platform to connect; null when reconnecting (the account's own platform is used). */
  platform: Platform | null;
  mode: ConnectMode;
  returnTo: string | null;
  /** The host page's origin, from the widget's request. */
  openerOrigin: string | null;
  /** Set when reconnecting an existing account: it never counts against the limit. */
  accountId: string | null;
  /** The connect flow, one of the platform's CONNECT_KINDS (default its first). */
  kind?: AccountKind | null;
}

/** What the widget learns about an attempt, by postMessage, by the redirect back, or by asking. */
export type AttemptResult = { attemptId: string } & AttemptStatusBody;

/** The outcome of a callback: what to tell the page, and how (popup or redirect). */
export interface CallbackOutcome {
  result: AttemptResult;
  mode: ConnectMode;
  returnTo: string | null;
  openerOrigin: string | null;
  /** The attempt whose binding cookie should be cleared. */
  attemptId: string | null;
  /** Set when the attempt came from a reconnect or connect link: the result is a page of its own. */
  linkId: string | null;
}

const hash = (value: string) => createHash('sha256').update(value).digest('base64url');
const secret = () => randomBytes(32).toString('base64url');

function sameHash(value: string, expectedHash: string | null): boolean {
  if (expectedHash === null) return false;
  const a = Buffer.from(hash(value));
  const b = Buffer.from(expectedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The grant held between the callback and the choice, as stored (encrypted) on the attempt. */
type HeldAccount = Omit<GrantedAccount, 'tokens' | 'dataAccessExpiresAt'> & {
  tokens: { accessToken: string; refreshToken: string | null; expiresAt: string | null; refreshTokenExpiresAt: string | null };
  dataAccessExpiresAt: string | null;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const date = (s: string | null) => (s ? new Date(s) : null);

function hold(account: GrantedAccount): HeldAccount {
  return {
    ...account,
    tokens: { ...account.tokens, expiresAt: iso(account.tokens.expiresAt), refreshTokenExpiresAt: iso(account.tokens.refreshTokenExpiresAt) },
    dataAccessExpiresAt: iso(account.dataAccessExpiresAt),
  };
}

function release(held: HeldAccount): GrantedAccount {
  return {
    ...held,
    tokens: { ...held.tokens, expiresAt: date(held.tokens.expiresAt), refreshTokenExpiresAt: date(held.tokens.refreshTokenExpiresAt) },
    dataAccessExpiresAt: date(held.dataAccessExpiresAt),
  };
}

export interface ConnectionDeps {
  config: Config;
  workspaces: WorkspaceService;
  workspaceRepository: WorkspaceRepository;
  accounts: AccountService;
  accountRepository: AccountRepository;
  attempts: AttemptRepository;
  platforms: PlatformRegistry;
  cipher: TokenCipher;
  inTransaction: InTransaction;
  /** The product clock. */
  clock: Clock;
  /** Real time: attempts expire by it, like sessions. */
  wallClock: Clock;
  logger: Logger;
  links: LinkRepository;
  events: EventService;
  /** Problems only the operator can fix (X credits, a retired API version), for /readyz. */
  problems?: OperatorProblems;
}

/**
 * Connecting and reconnecting accounts through OAuth: one attempt per click, bound to the
 * browser that opened it, finished by the platform's callback, with a choice step when a
 * grant covers several accounts. The plan and limit gates run at the start and again when
 * the accounts are stored.
 */
export class ConnectionService {
  constructor(private readonly deps: ConnectionDeps) {}

  /** Refuses with the plan or limit gate's error. */
  async assertMayConnect(workspaceId: string, platform: Platform, adding: number, reconnecting = false): Promise<void> {
    const workspace = await this.deps.workspaces.require(workspaceId);
    const refusal = checkConnectionGate({
      plan: workspacePlan(workspace),
      limit: workspaceLimit(workspace),
      activeCount: await this.deps.accountRepository.countActive(workspaceId),
      platform,
      adding,
      reconnecting,
    });
    if (refusal) throw refusal;
  }

  async start(input: StartConnection): Promise<AttemptStarted> {
    const { session } = input;
    const reconnecting = input.accountId ? await this.deps.accounts.requireActive(session.workspaceId, input.accountId) : null;
    const platform = reconnecting ? (reconnecting.platform as Platform) : input.platform;
    if (platform === null) throw new Error('start needs a platform or an account to reconnect');
    await this.assertMayConnect(session.workspaceId, platform, input.accountId ? 0 : 1, input.accountId !== null);
    if (!isLivePlatform(platform)) throw new Error(`gate let a non-live platform through: ${platform}`);
    this.deps.platforms.get(platform); // 503 now, not after a round trip, when it is not set up
    // A reconnect runs the flow its account came from; a connect the one asked for, if the platform offers it.
    const requested = reconnecting ? (reconnecting.kind as AccountKind) : (input.kind ?? null);
    const kind = requested !== null && CONNECT_KINDS[platform].some((k) => k.kind === requested) ? requested : null;

    const startToken = secret();
    const now = this.deps.wallClock.now();
    const attempt = await this.deps.attempts.insert({
      id: randomUUID(),
      workspace_id: session.workspaceId,
      user_id: session.userId,
      session_id: session.id,
      platform,
      account_id: input.accountId,
      kind,
      mode: input.mode,
      return_to: input.returnTo,
      opener_origin: input.openerOrigin,
      start_token_hash: hash(startToken),
      status: 'pending',
      expires_at: new Date(now.getTime() + ATTEMPT_TTL_MS),
      updated_at: now,
    });
    return { attemptId: attempt.id, authorizeUrl: `${this.deps.config.publicUrl}/oauth/start/${attempt.id}`, fields: { t: startToken } };
  }

  /**
   * A person pressed Continue on a link's page (no session, no host login): an attempt in the
   * link's name, opened at once in this browser (bound by the cookie), redirect mode.
   * A reconnect passes no gate (allowed whatever the plan); a connect passes both.
   */
  async startFromLink(link: LinkRow, platform: LivePlatform): Promise<{ attemptId: string; platformUrl: URL; bindingSecret: string }> {
    if (link.account_id === null) await this.assertMayConnect(link.workspace_id, platform, 1);
    this.deps.platforms.get(platform);
    const startToken = secret();
    const now = this.deps.wallClock.now();
    const attempt = await this.deps.attempts.insert({
      id: randomUUID(),
      workspace_id: link.workspace_id,
      user_id: `link:${link.id}`,
      session_id: `link:${link.id}`,
      platform,
      account_id: link.account_id,
      mode: 'redirect',
      return_to: link.return_to,
      opener_origin: null,
      start_token_hash: hash(startToken),
      status: 'pending',
      expires_at: new Date(now.getTime() + ATTEMPT_TTL_MS),
      updated_at: now,
      link_id: link.id,
    });
    return { attemptId: attempt.id, ...(await this.openStart(attempt.id, startToken)) };
  }

  /** The choice of Pages / accounts on a connect link's result page: the link's signature stands for the session. */
  async selectFromLink(link: LinkRow, attemptId: string, ids: string[]): Promise<{ accountIds: string[] }> {
    const attempt = await this.deps.attempts.findById(attemptId);
    if (!attempt || attempt.link_id !== link.id) throw new Failure('attempt_not_found', 'No connection attempt with this id.');
    return this.selectFor(attempt, ids);
  }

  /**
   * The widget's start form arrives (from an allowed origin: the route checked): the first
   * browser to post it is bound to the attempt by a cookie, and sent to the platform with a
   * fresh state (and PKCE verifier).
   */
  async openStart(attemptId: string, startToken: string): Promise<{ platformUrl: URL; bindingSecret: string }> {
    const attempt = await this.deps.attempts.findById(attemptId);
    if (!attempt || !sameHash(startToken, attempt.start_token_hash)) {
      throw new Failure('attempt_not_found', 'This sign-in link is not valid. Start again from the connections page.');
    }
    if (attempt.started_at !== null) {
      throw new Failure('attempt_already_started', 'This sign-in link was already opened. Start again from the connections page.');
    }
    if (this.isExpired(attempt)) {
      throw new Failure('attempt_expired', 'This sign-in link has expired. Start again from the connections page.');
    }
    const platform = attempt.platform as LivePlatform;
    const adapter = this.deps.platforms.get(platform);
    const state = secret();
    const bindingSecret = secret();
    const codeVerifier = secret();
    const now = this.deps.wallClock.now();
    const started = await this.deps.attempts.markStarted(attempt.id, {
      started_at: now,
      state_hash: hash(state),
      browser_binding_hash: hash(bindingSecret),
      code_verifier_enc: this.deps.cipher.encrypt(codeVerifier, `oauth_attempts:${attempt.id}:verifier`).ciphertext,
      key_id: this.deps.cipher.currentKeyId,
      updated_at: now,
    });
    if (!started) throw new Failure('attempt_already_started', 'This sign-in link was already opened. Start again from the connections page.');
    const kind = (attempt.kind as AccountKind | null) ?? undefined;
    const platformUrl = await adapter.authorizationUrl({ redirectUri: this.redirectUri(platform), state, codeVerifier, ...(kind ? { kind } : {}) });
    return { platformUrl, bindingSecret };
  }

  redirectUri(platform: LivePlatform): string {
    return `${this.deps.config.publicUrl}/oauth/callback/${platform}`;
  }

  /**
   * The platform sends the browser back. Finds the attempt by its state (or, for platforms
   * whose errors carry no state, by the browser's binding cookies), checks the binding,
   * consumes the state, and finishes the grant. Never throws for a failed grant: the outcome
   * says what went wrong, in words for people.
   */
  async callback(platform: string, query: URLSearchParams, bindings: Record<string, string>): Promise<CallbackOutcome> {
    const refuse = (code: ErrorCode, message: string, attempt?: OAuthAttemptRow): CallbackOutcome => ({
      result: { attemptId: attempt?.id ?? '', status: 'failed', error: { code, message } },
      mode: (attempt?.mode as ConnectMode) ?? 'popup',
      returnTo: attempt?.return_to ?? null,
      openerOrigin: attempt?.opener_origin ?? null,
      attemptId: attempt?.id ?? null,
      linkId: attempt?.link_id ?? null,
    });
    if (!isLivePlatform(platform)) return refuse('unknown_platform', 'This sign-in came back for a platform we do not know.');

    const state = query.get('state');
    const attempt = state
      ? await this.deps.attempts.findByStateHash(hash(state))
      : await this.deps.attempts.findLatestStarted(Object.keys(bindings), platform);
    if (!attempt || attempt.platform !== platform) {
      return refuse('attempt_not_found', 'This sign-in does not match a connection in progress. Close this window and start again from the connections page.');
    }
    const binding = bindings[attempt.id];
    if (binding === undefined || !sameHash(binding, attempt.browser_binding_hash)) {
      // Not this browser's attempt: say nothing about it, change nothing.
      return refuse('browser_mismatch', 'This sign-in was started in another browser. Start again from the connections page in this browser.');
    }
    const consumed = await this.deps.attempts.consumeState(attempt.id, this.deps.wallClock.now());
    if (!consumed) return refuse('attempt_already_used', 'This sign-in was already completed. Start again from the connections page.', attempt);

    const outcome = (result: AttemptResult): CallbackOutcome => ({
      result,
      mode: consumed.mode as ConnectMode,
      returnTo: consumed.return_to,
      openerOrigin: consumed.opener_origin,
      attemptId: consumed.id,
      linkId: consumed.link_id,
    });
    try {
      if (this.isExpired(consumed)) throw new Failure('attempt_expired', TOOK_TOO_LONG);
      const adapter = this.deps.platforms.get(platform);
      const redirectError = adapter.redirectError(query);
      if (redirectError) throw new Failure(redirectError.code, redirectError.message);
      if (!state || !query.get('code')) throw new Failure('invalid_callback', `${PLATFORM_LABELS[platform]} sent the browser back without a sign-in code. Please try again.`);

      // Without its PKCE verifier the grant cannot be bound to this browser's start: never exchange the code.
      if (!consumed.code_verifier_enc || !consumed.key_id) {
        throw new Failure('missing_verifier', 'This sign-in cannot be finished safely. Start again from the connections page.');
      }
      const codeVerifier = this.deps.cipher.decrypt(consumed.key_id, consumed.code_verifier_enc, `oauth_attempts:${consumed.id}:verifier`);
      const callbackUrl = new URL(this.redirectUri(platform));
      callbackUrl.search = query.toString();
      const kind = (consumed.kind as AccountKind | null) ?? undefined;
      const grant = await adapter.exchangeCode({ callbackUrl, state, codeVerifier, ...(kind ? { kind } : {}) });
      const granted = (await adapter.accounts(grant)).map((a) => ({ ...a, grantUserId: grant.userId }));
      if (granted.length === 0) throw new Failure('no_accounts', this.noAccountsMessage(platform));
      return outcome(await this.land(consumed, platform, adapter, granted));
    } catch (err) {
      const failure = this.toFailure(err, platform);
      await this.fail(consumed, failure);
      return outcome({ attemptId: consumed.id, status: 'failed', error: { code: failure.code, message: failure.message } });
    }
  }

  /** Stores what the grant covers: the reconnected account, the one account, or the choice. */
  private async land(attempt: OAuthAttemptRow, platform: LivePlatform, adapter: PlatformAdapter, granted: GrantedAccount[]): Promise<AttemptResult> {
    if (attempt.account_id) {
      const target = await this.deps.accountRepository.findActive(attempt.workspace_id, attempt.account_id);
      if (!target) throw new Failure('account_not_found', 'The account being reconnected was disconnected meanwhile. Connect it again instead.');
      const same = granted.find((g) => g.platformAccountId === target.platform_account_id);
      if (!same) {
        const names = granted.map((g) => g.username ? `${g.displayName} (@${g.username})` : g.displayName).join(', ');
        throw new Failure(
          'different_account',
          `You signed in to ${PLATFORM_LABELS[platform]} as ${names}, but this account is ${target.display_name}. Sign in as ${target.display_name} to reconnect it. Nothing was changed.`,
        );
      }
      const [row] = await this.store(attempt, platform, [same], 'pending');
      await this.syncRecentPosts(adapter, [row!]);
      return { attemptId: attempt.id, status: 'connected', accountIds: [row!.id] };
    }
    if (granted.length === 1) {
      const rows = await this.store(attempt, platform, granted, 'pending');
      await this.syncRecentPosts(adapter, rows);
      return { attemptId: attempt.id, status: 'connected', accountIds: rows.map((r) => r.id) };
    }
    const choices = await this.choicesFor(attempt.workspace_id, platform, granted);
    const now = this.deps.wallClock.now();
    await this.deps.attempts.update(attempt.id, {
      status: 'choose',
      choices: JSON.stringify(choices),
      grant_enc: this.deps.cipher.encrypt(JSON.stringify(granted.map(hold)), `oauth_attempts:${attempt.id}:grant`).ciphertext,
      key_id: this.deps.cipher.currentKeyId,
      code_verifier_enc: null,
      expires_at: new Date(now.getTime() + ATTEMPT_TTL_MS),
      updated_at: now,
    });
    return { attemptId: attempt.id, status: 'choose', choices };
  }

  private async choicesFor(workspaceId: string, platform: LivePlatform, granted: GrantedAccount[]): Promise<Choice[]> {
    const active = new Set((await this.deps.accountRepository.listActive(workspaceId)).filter((r) => r.platform === platform).map((r) => r.platform_account_id));
    return granted.map((g) => ({ id: g.platformAccountId, name: g.displayName, kind: g.kind, avatarUrl: g.avatarUrl, alreadyConnected: active.has(g.platformAccountId) }));
  }

  /**
   * Stores accounts in one transaction that holds the workspace's lock, so the limit is
   * checked against a count no concurrent callback can change, and settles the attempt in the
   * same transaction, exactly once: of two choices posted at once, one adds its accounts and
   * the other is refused (nothing of it is stored). A refusal (over the limit) rolls the
   * settling back, so the person can choose again.
   */
  private async store(attempt: OAuthAttemptRow, platform: LivePlatform, accounts: GrantedAccount[], from: 'pending' | 'choose'): Promise<SocialAccountRow[]> {
    return this.deps.inTransaction(async (trx) => {
      const workspace = await this.deps.workspaceRepository.lockForUpdate(attempt.workspace_id, trx);
      if (!workspace) throw new Failure('workspace_not_found', 'This workspace no longer exists.');
      const now = this.deps.wallClock.now();
      const settled = await this.deps.attempts.settle(attempt.id, from, { status: 'connected', grant_enc: null, code_verifier_enc: null, choices: null, updated_at: now }, trx);
      if (!settled) throw new Failure('attempt_not_choosing', from === 'choose' ? 'These accounts were already added.' : 'This sign-in was already completed.');
      const active = await this.deps.accountRepository.listActive(attempt.workspace_id, trx);
      const activeIds = new Set(active.filter((r) => r.platform === platform).map((r) => r.platform_account_id));
      const adding = accounts.filter((a) => !activeIds.has(a.platformAccountId)).length;
      // Paused accounts are over the plan already: only active ones count against the limit.
      const activeCount = active.filter((r) => r.status === 'active').length;
      const refusal = checkConnectionGate({ plan: workspacePlan(workspace), limit: workspaceLimit(workspace), activeCount, platform, adding, reconnecting: attempt.account_id !== null });
      if (refusal) throw refusal;
      const rows: SocialAccountRow[] = [];
      const actor = attempt.link_id ? { type: 'link' as const, id: attempt.link_id } : { type: 'user' as const, id: attempt.user_id };
      for (const account of accounts) rows.push(await this.deps.accounts.saveGranted(attempt.workspace_id, platform, account, trx, actor, attempt.link_id ? 'link' : 'panel'));
      if (attempt.link_id) {
        // Single use: the link is spent in the transaction that changes the accounts; if another
        // browser spent it first, this rolls back and nothing changes.
        const spent = await this.deps.links.markUsed(attempt.link_id, now, rows.map((r) => r.id), trx);
        if (!spent) throw new Failure('link_used', 'This link was already used: each link works once. Nothing was changed.');
        const at = this.deps.clock.now();
        for (const row of rows) {
          await this.deps.events.record(
            { workspaceId: row.workspace_id, accountId: row.id, type: 'reconnect_link_used', accountName: row.display_name, dedupeKey: `reconnect_link_used:${attempt.link_id}:${row.id}`, at },
            trx,
          );
        }
      }
      await this.deps.attempts.update(attempt.id, { account_ids: rows.map((r) => r.id), updated_at: now }, trx);
      return rows;
    });
  }

  /** Recent posts (Facebook, Instagram) are kept in the workspace: read them once connected. */
  private async syncRecentPosts(adapter: PlatformAdapter, rows: SocialAccountRow[]): Promise<void> {
    for (const row of rows) {
      if (!isMetaPlatform(row.platform)) continue;
      try {
        const posts = await adapter.recentPosts(toStoredAccount(this.deps.cipher, row));
        await this.deps.accountRepository.upsertPosts(
          row.id,
          posts.map((p) => ({ id: randomUUID(), ...p })),
          this.deps.clock.now(),
        );
      } catch (err) {
        this.deps.logger.warn({ accountId: row.id, err: (err as Error).message }, 'reading recent posts failed; the account is connected anyway');
      }
    }
  }

  /** The person picks which of the grant's Pages / accounts / organizations to add. */
  async select(session: Session, attemptId: string, ids: string[]): Promise<{ accountIds: string[] }> {
    return this.selectFor(await this.requireOwn(session, attemptId), ids);
  }

  private async selectFor(attempt: OAuthAttemptRow, ids: string[]): Promise<{ accountIds: string[] }> {
    if (attempt.status !== 'choose') {
      throw new Failure('attempt_not_choosing', attempt.status === 'connected' ? 'These accounts were already added.' : 'This connection has nothing to choose from.');
    }
    if (this.isExpired(attempt)) throw new Failure('attempt_expired', `The choice took longer than ${durationText(ATTEMPT_TTL_MS)}. Please connect again.`);
    const held = (JSON.parse(this.deps.cipher.decrypt(attempt.key_id!, attempt.grant_enc!, `oauth_attempts:${attempt.id}:grant`)) as HeldAccount[]).map(release);
    const unknown = ids.filter((id) => !held.some((h) => h.platformAccountId === id));
    if (unknown.length > 0) throw new Failure('invalid_choice', `Not among the choices: ${unknown.slice(0, 5).join(', ')}.`);
    const chosen = held.filter((h) => ids.includes(h.platformAccountId));
    const platform = attempt.platform as LivePlatform;
    const rows = await this.store(attempt, platform, chosen, 'choose');
    await this.syncRecentPosts(this.deps.platforms.get(platform), rows);
    return { accountIds: rows.map((r) => r.id) };
  }

  async status(session: Session, attemptId: string): Promise<AttemptResult> {
    const attempt = await this.requireOwn(session, attemptId);
    const status = attempt.status as AttemptResult['status'];
    if ((status === 'pending' || status === 'choose') && this.isExpired(attempt)) {
      return { attemptId, status: 'failed', error: { code: 'attempt_expired', message: TOOK_TOO_LONG } };
    }
    switch (status) {
      case 'pending':
        return { attemptId, status };
      case 'choose':
        return { attemptId, status, choices: (attempt.choices ?? []) as Choice[] };
      case 'connected':
        return { attemptId, status, accountIds: attempt.account_ids ?? [] };
      case 'failed':
        return { attemptId, status, error: { code: isErrorCode(attempt.error_code) ? attempt.error_code : 'internal_error', message: attempt.error_message ?? 'The connection failed.' } };
    }
  }

  /** An attempt is visible to the user who started it, in its workspace; to anyone else it does not exist. */
  private async requireOwn(session: Session, attemptId: string): Promise<OAuthAttemptRow> {
    const attempt = await this.deps.attempts.findById(attemptId);
    if (!attempt || attempt.workspace_id !== session.workspaceId || attempt.user_id !== session.userId) {
      throw new Failure('attempt_not_found', 'No connection attempt with this id.');
    }
    return attempt;
  }

  private isExpired(attempt: OAuthAttemptRow): boolean {
    return new Date(attempt.expires_at).getTime() <= this.deps.wallClock.now().getTime();
  }

  private async fail(attempt: OAuthAttemptRow, failure: Failure): Promise<void> {
    await this.deps.attempts.update(attempt.id, {
      status: 'failed',
      error_code: failure.code,
      error_message: failure.message,
      code_verifier_enc: null,
      grant_enc: null,
      updated_at: this.deps.wallClock.now(),
    });
  }

  private toFailure(err: unknown, platform: LivePlatform): Failure {
    if (err instanceof Failure) return err;
    if (err instanceof PlatformError && err.kind === 'operator') {
      // The operator's billing or configuration: said plainly to the operator, never blamed on the account.
      if (this.deps.problems?.report({ area: platform, code: err.code, message: err.message }) ?? true) {
        this.deps.logger.error({ platform, code: err.code }, err.message);
      }
      return new Failure(isErrorCode(err.code) ? err.code : 'platform_unavailable', err.message);
    }
    if (err instanceof PlatformError) return new Failure(err.kind === 'transient' ? 'platform_unavailable' : 'platform_rejected', err.message);
    this.deps.logger.error({ err, platform }, 'finishing an OAuth grant failed');
    return new Failure('internal_error', `Something went wrong while connecting ${PLATFORM_LABELS[platform]}. Please try again.`);
  }

  private noAccountsMessage(platform: LivePlatform): string {
    switch (platform) {
      case 'facebook':
        return 'No Facebook Pages were shared. Choose at least one Page you manage when you sign in.';
      case 'instagram':
        return 'No Instagram professional account was found. Switch the account to a professional (business or creator) account and try again.';
      default:
        return `No ${PLATFORM_LABELS[platform]} account was found for this sign-in.`;
    }
  }
}
