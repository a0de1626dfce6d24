import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { SocialAccountRow, SocialAccountUpdate } from '../db/database.ts';
import type { InTransaction } from '../db/transaction.ts';
import { HttpError } from '../http/errors.ts';
import type { Logger } from '../logger.ts';
import type { AccountRepository } from '../accounts/account.repository.ts';
import { accountHealth } from '../accounts/account.service.ts';
import { decryptCredentials, encryptCredentials, toStoredAccount } from '../accounts/credentials.ts';
import type { EventService } from '../events/events.ts';
import { PlatformError } from '../platforms/adapter.ts';
import type { LivePlatform } from '../platforms/catalog.ts';
import type { PlatformRegistry } from '../platforms/registry.ts';
import { LEASE_MS, nextCheckAt, ON_DEMAND_MARGIN_MS, retryDelayMs } from './policy.ts';

export type RefreshOutcome =
  | { status: 'refreshed'; row: SocialAccountRow }
  | { status: 'failed'; kind: 'transient' | 'permanent' | 'rejected'; row: SocialAccountRow }
  | { status: 'busy' };

export interface RefreshDeps {
  accounts: AccountRepository;
  platforms: PlatformRegistry;
  cipher: TokenCipher;
  events: EventService;
  inTransaction: InTransaction;
  /** The product clock: expiries and last_refreshed_at. */
  clock: Clock;
  /** Real time: leases are about processes, not about the sandbox's time. */
  wallClock: Clock;
  logger: Logger;
  /** Names this process as a lease holder. */
  instanceId?: string;
}

/**
 * Refreshing one account's token, the one mechanism the scheduler and the credentials
 * endpoint share. A lease in PostgreSQL makes sure only one refresh of an account runs at a
 * time across every instance; the new tokens (a rotated refresh token included) are written
 * in the same statement that releases the lease.
 */
export class RefreshService {
  readonly instanceId: string;

  constructor(private readonly deps: RefreshDeps) {
    this.instanceId = deps.instanceId ?? `bff-${randomUUID()}`;
  }

  /** Refreshes now if the lease is free; `shouldStill` re-checks on the freshly read row. */
  async refresh(accountId: string, shouldStill: (row: SocialAccountRow) => boolean = () => true): Promise<RefreshOutcome | { status: 'skipped'; row: SocialAccountRow }> {
    const now = this.deps.wallClock.now();
    const row = await this.deps.accounts.claimLease(accountId, this.instanceId, now, new Date(now.getTime() + LEASE_MS));
    if (!row) return { status: 'busy' };
    if (!shouldStill(row) || row.access_token_enc === null) {
      const released = await this.deps.accounts.completeLease(row.id, this.instanceId, {});
      return { status: 'skipped', row: released ?? row };
    }
    const adapter = this.deps.platforms.get(row.platform as LivePlatform);
    try {
      const refreshed = await adapter.refresh(toStoredAccount(this.deps.cipher, row));
      return { status: 'refreshed', row: await this.applySuccess(row, refreshed) };
    } catch (err) {
      if (!(err instanceof PlatformError)) {
        await this.deps.accounts.completeLease(row.id, this.instanceId, {});
        throw err;
      }
      return { status: 'failed', kind: err.kind, row: await this.applyFailure(row, err) };
    }
  }

  private async applySuccess(row: SocialAccountRow, refreshed: Awaited<ReturnType<ReturnType<PlatformRegistry['get']>['refresh']>>): Promise<SocialAccountRow> {
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
      consecutive_refresh_failures: 0,
      last_error_code: null,
      last_error_message: null,
      last_error_at: null,
      next_check_at: nextCheckAt({ platform: row.platform, tokenExpiresAt: refreshed.tokens.expiresAt, now }),
      updated_at: now,
    };
    return this.deps.inTransaction(async (trx) => {
      const updated = await this.deps.accounts.completeLease(row.id, this.instanceId, changes, trx);
      if (!updated) throw new Error(`lost the refresh lease of account ${row.id} while refreshing`);
      await this.deps.events.record(
        { workspaceId: row.workspace_id, accountId: row.id, type: 'token_refreshed', accountName: row.display_name, dedupeKey: `token_refreshed:${row.id}:${now.toISOString()}`, at: now },
        trx,
      );
      return updated;
    });
  }

  private async applyFailure(row: SocialAccountRow, err: PlatformError): Promise<SocialAccountRow> {
    const now = this.deps.clock.now();
    const failures = row.consecutive_refresh_failures + 1;
    const changes: SocialAccountUpdate =
      err.kind === 'permanent'
        ? { last_error_code: err.code, last_error_message: err.message, last_error_at: now, next_check_at: null, updated_at: now }
        : {
            consecutive_refresh_failures: failures,
            last_error_code: err.code,
            last_error_message: err.message,
            last_error_at: now,
            next_check_at: new Date(now.getTime() + retryDelayMs(failures)),
            updated_at: now,
          };
    this.deps.logger.warn({ accountId: row.id, platform: row.platform, kind: err.kind, code: err.code, failures }, 'token refresh failed');
    return (await this.deps.accounts.completeLease(row.id, this.instanceId, changes)) ?? row;
  }

  /**
   * A usable access token for a host backend: renewed first when it expires soon and can be
   * renewed. If another instance is refreshing it, waits for that and re-reads the row.
   */
  async credentials(accountId: string): Promise<{ accessToken: string; expiresAt: string | null; platform: string; platformAccountId: string }> {
    let row = await this.requireActive(accountId);
    const needsRefresh = (r: SocialAccountRow) => {
      const expiresAt = r.token_expires_at ? new Date(r.token_expires_at).getTime() : null;
      return r.refresh_token_enc !== null && expiresAt !== null && expiresAt - ON_DEMAND_MARGIN_MS <= this.deps.clock.now().getTime();
    };
    for (let waited = 0; needsRefresh(row) && this.isHealthy(row); ) {
      const outcome = await this.refresh(row.id, needsRefresh);
      if (outcome.status !== 'busy') {
        row = outcome.row;
        break;
      }
      if (waited >= 15_000) throw new HttpError(503, 'refresh_in_progress', 'This account is being refreshed right now. Try again in a moment.', { 'Retry-After': '5' });
      await new Promise((r) => setTimeout(r, 100));
      waited += 100;
      row = await this.requireActive(accountId);
    }
    if (!this.isHealthy(row)) {
      const { reason } = accountHealth(row, this.deps.clock.now());
      throw new HttpError(409, 'needs_reconnect', `This account needs to be reconnected before it can be used (${reason}).`);
    }
    const { accessToken } = decryptCredentials(this.deps.cipher, row);
    if (!accessToken) throw new HttpError(409, 'needs_reconnect', 'This account has no stored credentials. Reconnect it.');
    if (row.token_expires_at && new Date(row.token_expires_at).getTime() <= this.deps.clock.now().getTime()) {
      // Renewable, but the platform did not answer this time: no usable token right now.
      throw new HttpError(503, 'platform_unavailable', `${row.last_error_message ?? 'The platform could not renew the token.'} Try again shortly.`, { 'Retry-After': '30' });
    }
    return {
      accessToken,
      expiresAt: row.token_expires_at ? new Date(row.token_expires_at).toISOString() : null,
      platform: row.platform,
      platformAccountId: row.platform_account_id,
    };
  }

  private isHealthy(row: SocialAccountRow): boolean {
    return accountHealth(row, this.deps.clock.now()).health === 'healthy';
  }

  private async requireActive(accountId: string): Promise<SocialAccountRow> {
    const row = await this.deps.accounts.findActiveById(accountId);
    if (!row) throw new HttpError(404, 'account_not_found', 'No connected account with this id.');
    return row;
  }
}
