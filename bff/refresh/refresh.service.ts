import { randomUUID } from 'node:crypto';
import type { Credentials } from '../../contract/types.ts';
import type { HistoryKind, HistoryParams } from '../../contract/history.ts';
import { scopeChange, type HistoryService } from '../history/history.service.ts';
import type { Clock } from '../clock.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { EventRow, SocialAccountRow, SocialAccountUpdate } from '../db/database.ts';
import type { InTransaction } from '../db/transaction.ts';
import { Failure } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { AccountRepository } from '../accounts/account.repository.ts';
import { accountHealth } from '../accounts/account.view.ts';
import { decryptCredentials, encryptCredentials, toStoredAccount } from '../accounts/credentials.ts';
import type { HealthEvents } from '../accounts/health-events.ts';
import type { EventService } from '../events/events.ts';
import { LOST_RENEWAL_CODE, PlatformError, type Inspection, type PlatformErrorKind, type Refreshed } from '../platforms/adapter.ts';
import { PLATFORM_LABELS, type LivePlatform } from '../../contract/platforms.ts';
import type { PlatformRegistry } from '../platforms/registry.ts';
import { HEALTH_CHECK_INTERVAL_MS, isRefreshDue, isRenewalOnHold, isRenewalVerificationDue, LEASE_MS, LINKEDIN_RENEW_AHEAD_MS, MAX_RETRY_DELAY_MS, nextCheckAt, ON_DEMAND_MARGIN_MS, retryDelayMs, VERIFIED_BY_REFRESH } from './policy.ts';
import type { OperatorProblems } from '../operations/problems.ts';

export type RefreshOutcome =
  | { status: 'refreshed'; row: SocialAccountRow }
  | { status: 'failed'; kind: PlatformErrorKind; row: SocialAccountRow }
  | { status: 'skipped'; row: SocialAccountRow }
  | { status: 'busy' };

export interface RefreshDeps {
  /** Problems only the operator can fix (X credits, a retired API version), for /readyz. */
  problems?: OperatorProblems;
  accounts: AccountRepository;
  platforms: PlatformRegistry;
  cipher: TokenCipher;
  events: EventService;
  healthEvents: HealthEvents;
  history: HistoryService;
  inTransaction: InTransaction;
  /** The product clock: expiries and last_refreshed_at. */
  clock: Clock;
  /** Real time: leases are about processes, not about the sandbox's time. */
  wallClock: Clock;
  logger: Logger;
  /** Names this process as a lease holder. */
  instanceId?: string;
}

/** What one look at an account did: the row as it now is, and the events it wrote. */
export interface Processed {
  row: SocialAccountRow;
  events: EventRow[];
  action: 'refreshed' | 'refresh_failed' | 'checked' | 'check_failed' | 'skipped';
}

/**
 * Refreshing tokens and checking health at the platform: the one mechanism the scheduler,
 * the health-check endpoint and the credentials endpoint share. A lease in PostgreSQL makes
 * sure only one instance works on an account at a time; results (a rotated refresh token
 * included) are written in the same statement that releases the lease, with the events the
 * change produced, in one transaction.
 */
export class RefreshService {
  readonly instanceId: string;

  constructor(private readonly deps: RefreshDeps) {
    this.instanceId = deps.instanceId ?? `bff-${randomUUID()}`;
  }

  /** Takes the account's lease; undefined when another instance holds it. */
  claim(accountId: string): Promise<SocialAccountRow | undefined> {
    const now = this.deps.wallClock.now();
    return this.deps.accounts.claimLease(accountId, this.instanceId, now, new Date(now.getTime() + LEASE_MS));
  }

  /** Refreshes now if the lease is free; `shouldStill` re-checks on the freshly read row. */
  async refresh(accountId: string, shouldStill: (row: SocialAccountRow) => boolean = () => true): Promise<RefreshOutcome> {
    const row = await this.claim(accountId);
    if (!row) return { status: 'busy' };
    if (!shouldStill(row) || row.access_token_enc === null) return { status: 'skipped', row: await this.release(row) };
    const done = await this.refreshLeased(row);
    if (done.action === 'refreshed') return { status: 'refreshed', row: done.row };
    if (done.action === 'skipped') return { status: 'skipped', row: done.row };
    return { status: 'failed', kind: done.kind ?? 'transient', row: done.row };
  }

  /**
   * Everything due for an account this process holds the lease of: a refresh when one is due,
   * else a health check at the platform when asked for (or when the check is due).
   */
  async processLeased(row: SocialAccountRow, options: { healthCheck: boolean }): Promise<Processed> {
    const now = this.deps.clock.now();
    if (row.access_token_enc === null) return { row: await this.release(row), events: [], action: 'skipped' };
    if (this.isRefreshDue(row)) return this.refreshLeased(row);
    const checkDue = row.next_check_at !== null && new Date(row.next_check_at).getTime() <= now.getTime();
    if (!options.healthCheck && !checkDue) return { row: await this.release(row), events: [], action: 'skipped' };
    if (row.platform === 'linkedin' && row.refresh_token_enc !== null) {
      // LinkedIn partners' refresh tokens: renewed before the 60-day access token ends (between two daily checks).
      const expiresAt = row.token_expires_at ? new Date(row.token_expires_at).getTime() : null;
      if (expiresAt !== null && expiresAt - LINKEDIN_RENEW_AHEAD_MS <= now.getTime()) return this.refreshLeased(row);
    }
    if (VERIFIED_BY_REFRESH.has(row.platform)) {
      // TikTok and X: the renewal is the verification (never a billed read just to check).
      // While the access token is fresh, the renewal that issued it is the latest word.
      const expiresAt = row.token_expires_at ? new Date(row.token_expires_at) : null;
      if (row.refresh_token_enc !== null && isRenewalVerificationDue({ tokenExpiresAt: expiresAt, now })) return this.refreshLeased(row);
      // TikTok with the panel open: its user read is free and tells a revoked grant from a live
      // one (X's costs money per call: never).
      if (row.platform === 'tiktok' && options.healthCheck) return this.inspectLeased(row);
      if (row.refresh_token_enc !== null) {
        const next = nextCheckAt({ platform: row.platform, tokenExpiresAt: expiresAt, now });
        return { row: (await this.deps.accounts.completeLease(row.id, this.instanceId, { next_check_at: next })) ?? row, events: [], action: 'skipped' };
      }
      // X without a refresh token: the only check left is a billed read, never made just to check.
      if (row.platform === 'x') return { row: await this.release(row), events: [], action: 'skipped' };
    }
    return this.inspectLeased(row);
  }

  /** Whether a background refresh is due now (Meta tokens inside their window). */
  isRefreshDue(row: SocialAccountRow): boolean {
    return isRefreshDue({
      platform: row.platform,
      connectMethod: row.connect_method,
      tokenExpiresAt: row.token_expires_at ? new Date(row.token_expires_at) : null,
      tokenIssuedAt: new Date(row.last_refreshed_at ?? row.connected_at),
      now: this.deps.clock.now(),
    });
  }

  /**
   * Renews the token of an account this process holds the lease of. After a renewal whose
   * answer was lost, nothing is sent while the access token lives (isRenewalOnHold): the next
   * look is when it expires. `accessTokenDead`: the platform has just said the access token no
   * longer works, whatever its stored expiry.
   */
  private async refreshLeased(row: SocialAccountRow, options: { accessTokenDead?: boolean } = {}): Promise<Processed & { kind?: PlatformErrorKind }> {
    const expiresAt = row.token_expires_at ? new Date(row.token_expires_at) : null;
    if (!options.accessTokenDead && isRenewalOnHold({ lastErrorCode: row.last_error_code, tokenExpiresAt: expiresAt, now: this.deps.clock.now() })) {
      return { row: (await this.deps.accounts.completeLease(row.id, this.instanceId, { next_check_at: expiresAt })) ?? row, events: [], action: 'skipped' };
    }
    const adapter = this.deps.platforms.get(row.platform as LivePlatform);
    let refreshed: Refreshed;
    try {
      refreshed = await adapter.refresh(toStoredAccount(this.deps.cipher, row));
    } catch (err) {
      if (!(err instanceof PlatformError)) {
        await this.release(row);
        throw err;
      }
      return { ...(await this.finish(row, this.failureChanges(row, err, { countsAsRefreshFailure: true }), { history: this.failureEntry(err) })), action: 'refresh_failed', kind: err.kind };
    }
    const now = this.deps.clock.now();
    const stored = decryptCredentials(this.deps.cipher, row);
    const keepRefresh = refreshed.tokens.refreshToken === null;
    const changes: SocialAccountUpdate = {
      ...encryptCredentials(this.deps.cipher, row.id, {
        accessToken: refreshed.tokens.accessToken,
        // An empty refresh token never overwrites a stored one.
        refreshToken: keepRefresh ? stored.refreshToken : refreshed.tokens.refreshToken,
      }),
      token_expires_at: refreshed.tokens.expiresAt,
      refresh_token_expires_at: keepRefresh ? row.refresh_token_expires_at : (refreshed.tokens.refreshTokenExpiresAt ?? row.refresh_token_expires_at),
      ...(refreshed.grantedScopes ? { granted_scopes: refreshed.grantedScopes } : {}),
      ...(refreshed.dataAccessExpiresAt !== undefined ? { data_access_expires_at: refreshed.dataAccessExpiresAt } : {}),
      last_refreshed_at: now,
      // A successful renewal is the platform confirming the grant.
      checked_at: now,
      consecutive_refresh_failures: 0,
      last_error_code: null,
      last_error_message: null,
      last_error_at: null,
      next_check_at: nextCheckAt({ platform: row.platform, tokenExpiresAt: refreshed.tokens.expiresAt, now, tokenIssuedAt: now }),
      updated_at: now,
    };
    return { ...(await this.finish(row, changes, { event: 'token_refreshed', history: { kind: 'refreshed', params: scopeChange(row.granted_scopes, refreshed.grantedScopes) } })), action: 'refreshed' };
  }

  /**
   * Asks the platform whether the token still works and what it grants. When it answers
   * "refresh and retry" (TikTok's access_token_invalid on a token we held live), the token is
   * renewed at once and checked once more with the new one; a second such answer is recorded
   * as an expired access token, which the next renewal judges.
   */
  private async inspectLeased(row: SocialAccountRow, options: { renewed?: boolean } = {}): Promise<Processed> {
    const adapter = this.deps.platforms.get(row.platform as LivePlatform);
    let inspection: Inspection;
    try {
      inspection = await adapter.inspect(toStoredAccount(this.deps.cipher, row));
    } catch (err) {
      if (!(err instanceof PlatformError)) {
        await this.release(row);
        throw err;
      }
      return this.applyVerification(row, err);
    }
    if (inspection.renew && !options.renewed && row.refresh_token_enc !== null) {
      const renewal = await this.refreshLeased(row, { accessTokenDead: true });
      if (renewal.action !== 'refreshed') return renewal;
      const again = await this.claim(row.id);
      if (!again) return renewal;
      const recheck = await this.inspectLeased(again, { renewed: true });
      return { ...recheck, events: [...renewal.events, ...recheck.events] };
    }
    const { renew: _renew, ...answer } = inspection;
    return this.applyVerification(row, answer);
  }

  /**
   * Records what the platform said about a leased account (an inspection, or the error it
   * answered), e.g. from a batched verification of several grants, and lets go of the lease.
   * `options.expiry` false keeps the stored expiry (the answer was for a sibling's token).
   */
  async applyVerification(row: SocialAccountRow, answer: Inspection | PlatformError, options: { expiry?: boolean } = {}): Promise<Processed> {
    if (answer instanceof PlatformError) {
      const err = answer;
      return { ...(await this.finish(row, this.failureChanges(row, err, { countsAsRefreshFailure: false }), { history: this.failureEntry(err) })), action: 'check_failed' };
    }
    const inspection: Inspection = options.expiry === false ? { ...answer, expiresAt: undefined } : answer;
    const now = this.deps.clock.now();
    const expiresAt = inspection.expiresAt !== undefined ? inspection.expiresAt : row.token_expires_at ? new Date(row.token_expires_at) : null;
    const changes: SocialAccountUpdate = {
      ...(inspection.grantedScopes ? { granted_scopes: inspection.grantedScopes } : {}),
      ...(inspection.expiresAt !== undefined ? { token_expires_at: inspection.expiresAt } : {}),
      ...(inspection.dataAccessExpiresAt !== undefined ? { data_access_expires_at: inspection.dataAccessExpiresAt } : {}),
      ...(inspection.canPublish !== undefined ? { can_publish: inspection.canPublish } : {}),
      // The platform accepted the token: an earlier rejection no longer holds.
      ...(row.last_error_code !== null && row.consecutive_refresh_failures === 0 ? { last_error_code: null, last_error_message: null, last_error_at: null } : {}),
      next_check_at: nextCheckAt({ platform: row.platform, tokenExpiresAt: expiresAt, now, tokenIssuedAt: new Date(row.last_refreshed_at ?? row.connected_at) }),
      checked_at: now,
      updated_at: now,
    };
    const scopes = inspection.grantedScopes ? scopeChange(row.granted_scopes, inspection.grantedScopes) : {};
    return { ...(await this.finish(row, changes, Object.keys(scopes).length > 0 ? { history: { kind: 'scopes_changed', params: scopes } } : {})), action: 'checked' };
  }

  /** How a failed call reads in the account's history: revoked when the platform turned the grant down, else a failed check. */
  private failureEntry(err: PlatformError): { kind: HistoryKind; params: HistoryParams } {
    if (err.kind === 'permanent' && (err.code === 'token_revoked' || err.code === 'invalid_grant')) return { kind: 'revoked', params: { signal: 'verification', code: err.code } };
    return { kind: 'verification_failed', params: { permanent: err.kind === 'permanent', code: err.code } };
  }

  /**
   * A permanent rejection (revoked, invalid_grant, Meta 190) is recorded at once; a transient
   * one waits longer each time (capped at an hour) and, for refreshes, counts towards the
   * three consecutive failures that turn an account amber.
   */
  private failureChanges(row: SocialAccountRow, err: PlatformError, options: { countsAsRefreshFailure: boolean }): SocialAccountUpdate {
    const now = this.deps.clock.now();
    if (err.kind === 'operator' || err.code === 'platform_rate_limited') {
      // The operator's bill or configuration, or the platform asking us to slow down: nothing
      // the account's owner can fix, so it never counts towards amber; the wait is the
      // platform's when it said one, and the operator hears about their problems plainly.
      if (err.kind === 'operator') {
        const fresh = this.deps.problems?.report({ area: row.platform, code: err.code, message: err.message }) ?? true;
        if (fresh) this.deps.logger.error({ platform: row.platform, code: err.code }, err.message);
      } else {
        this.deps.logger.warn({ accountId: row.id, platform: row.platform, code: err.code, retryAfterSeconds: err.retryAfterSeconds }, 'platform rate limit');
      }
      const waitMs = err.retryAfterSeconds !== undefined ? Math.min(err.retryAfterSeconds * 1000, MAX_RETRY_DELAY_MS) : retryDelayMs(1);
      return { next_check_at: new Date(now.getTime() + Math.max(waitMs, 1000)), updated_at: now };
    }
    this.deps.logger.warn({ accountId: row.id, platform: row.platform, kind: err.kind, code: err.code }, options.countsAsRefreshFailure ? 'token refresh failed' : 'health check failed');
    if (err.kind === 'permanent') {
      // The platform answered: the grant is dead, which is a confirmed fact.
      // Only a reconnect brings it back: the next look is the daily one.
      const message = row.last_error_code === LOST_RENEWAL_CODE && options.countsAsRefreshFailure ? this.afterLostRenewal(row) : err.message;
      return { last_error_code: err.code, last_error_message: message, last_error_at: now, checked_at: now, next_check_at: new Date(now.getTime() + HEALTH_CHECK_INTERVAL_MS), updated_at: now };
    }
    const failures = row.consecutive_refresh_failures + (options.countsAsRefreshFailure ? 1 : 0);
    if (err.code === LOST_RENEWAL_CODE) {
      // The platform may have rotated the token: the access token is kept until it expires
      // (isRenewalOnHold), and the next try is no sooner than the usual back-off either.
      this.deps.logger.warn({ accountId: row.id, platform: row.platform, failures }, 'token refresh answer lost: the next try waits until the access token expires');
      const expiresAt = row.token_expires_at ? new Date(row.token_expires_at).getTime() : 0;
      return {
        consecutive_refresh_failures: failures,
        last_error_code: err.code,
        last_error_message: err.message,
        last_error_at: now,
        next_check_at: new Date(Math.max(now.getTime() + retryDelayMs(Math.max(1, failures)), expiresAt)),
        updated_at: now,
      };
    }
    return {
      consecutive_refresh_failures: failures,
      last_error_code: err.code,
      last_error_message: err.message,
      last_error_at: now,
      next_check_at: new Date(now.getTime() + retryDelayMs(Math.max(1, failures))),
      updated_at: now,
    };
  }

  /** Why a renewal tried again after a lost answer was refused: most likely, the lost answer had rotated the token. */
  private afterLostRenewal(row: SocialAccountRow): string {
    const label = PLATFORM_LABELS[row.platform as LivePlatform] ?? row.platform;
    const when = row.last_error_at ? ` on ${new Date(row.last_error_at).toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
    return `${label} did not answer a token renewal${when} and now refuses the refresh token it had then: it most likely renewed the token and its answer was lost. Please reconnect the account.`;
  }

  /** Writes the result, lets go of the lease and records the events, in one transaction. */
  private async finish(
    row: SocialAccountRow,
    changes: SocialAccountUpdate,
    record: { event?: 'token_refreshed'; history?: { kind: HistoryKind; params: HistoryParams } } = {},
  ): Promise<{ row: SocialAccountRow; events: EventRow[] }> {
    const { event } = record;
    return this.deps.inTransaction(async (trx) => {
      const updated = await this.deps.accounts.completeLease(row.id, this.instanceId, changes, trx);
      if (!updated) throw new Error(`lost the lease of account ${row.id} while working on it`);
      const events: EventRow[] = [];
      if (record.history) {
        await this.deps.history.record({ workspaceId: row.workspace_id, accountId: row.id, at: this.deps.clock.now(), actor: { type: 'system' }, ...record.history }, trx);
      }
      if (event) {
        const now = this.deps.clock.now();
        const written = await this.deps.events.record(
          { workspaceId: row.workspace_id, accountId: row.id, type: event, accountName: row.display_name, dedupeKey: `${event}:${row.id}:${now.toISOString()}`, at: now },
          trx,
        );
        if (written) events.push(written);
      }
      const change = await this.deps.healthEvents.record(updated, trx);
      if (change) events.push(change);
      return { row: (await this.deps.accounts.findById(row.id, trx)) ?? updated, events };
    });
  }

  /** Lets go of a lease this process holds, changing nothing. */
  async releaseLease(accountId: string): Promise<void> {
    await this.deps.accounts.completeLease(accountId, this.instanceId, {});
  }

  /** Lets go of the lease without a result; the next look is postponed so a pass never spins on it. */
  private async release(row: SocialAccountRow): Promise<SocialAccountRow> {
    const later = new Date(this.deps.clock.now().getTime() + retryDelayMs(1));
    const due = row.next_check_at !== null && new Date(row.next_check_at).getTime() <= this.deps.clock.now().getTime();
    return (await this.deps.accounts.completeLease(row.id, this.instanceId, due ? { next_check_at: later } : {})) ?? row;
  }

  /**
   * A usable access token for a host backend: renewed first when it expires soon and can be
   * renewed. If another instance is refreshing it, waits for that and re-reads the row.
   */
  async credentials(accountId: string): Promise<Credentials> {
    let row = await this.requireActive(accountId);
    if (row.status === 'paused') throw new Failure('account_paused');
    const needsRefresh = (r: SocialAccountRow) => {
      const expiresAt = r.token_expires_at ? new Date(r.token_expires_at).getTime() : null;
      return r.refresh_token_enc !== null && expiresAt !== null && expiresAt - ON_DEMAND_MARGIN_MS <= this.deps.clock.now().getTime();
    };
    // Not verified for a day is no reason not to try: the renewal is the verification.
    for (let waited = 0; needsRefresh(row) && this.isHealthy({ ...row, checked_at: this.deps.clock.now() }); ) {
      const outcome = await this.refresh(row.id, needsRefresh);
      if (outcome.status !== 'busy') {
        row = outcome.row;
        break;
      }
      if (waited >= 15_000) throw new Failure('refresh_in_progress', 'This account is being refreshed right now. Try again in a moment.', { retryAfterSeconds: 5 });
      await new Promise((r) => setTimeout(r, 100));
      waited += 100;
      row = await this.requireActive(accountId);
    }
    // An expired token whose renewal just failed transiently is a 503 below, not a reconnect.
    if (!this.isHealthy({ ...row, checked_at: this.deps.clock.now() })) {
      const { reason } = accountHealth(row, this.deps.clock.now());
      throw new Failure('needs_reconnect', `This account needs to be reconnected before it can be used (${reason}).`);
    }
    const { accessToken } = decryptCredentials(this.deps.cipher, row);
    if (!accessToken) throw new Failure('needs_reconnect', 'This account has no stored credentials. Reconnect it.');
    if (row.token_expires_at && new Date(row.token_expires_at).getTime() <= this.deps.clock.now().getTime()) {
      // Renewable, but the platform did not answer this time: no usable token right now.
      throw new Failure('platform_unavailable', `${row.last_error_message ?? 'The platform could not renew the token.'} Try again shortly.`, { retryAfterSeconds: 30 });
    }
    return {
      accessToken,
      expiresAt: row.token_expires_at ? new Date(row.token_expires_at).toISOString() : null,
      platform: row.platform as LivePlatform,
      platformAccountId: row.platform_account_id,
    };
  }

  private isHealthy(row: SocialAccountRow): boolean {
    return accountHealth(row, this.deps.clock.now()).health === 'healthy';
  }

  private async requireActive(accountId: string): Promise<SocialAccountRow> {
    const row = await this.deps.accounts.findActiveById(accountId);
    if (!row) throw new Failure('account_not_found', 'No connected account with this id.');
    return row;
  }
}

