import type { AccountRepository } from '../accounts/account.repository.ts';
import { toStoredAccount } from '../accounts/credentials.ts';
import type { Clock } from '../clock.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { EventRow, SocialAccountRow } from '../db/database.ts';
import { inParallel } from '../jobs/periodic-job.ts';
import type { Logger } from '../logger.ts';
import type { LivePlatform } from '../../contract/platforms.ts';
import type { PlatformRegistry } from '../platforms/registry.ts';
import { PlatformError } from '../platforms/adapter.ts';
import { LEASE_MS, RECENT_CHECK_MS } from './policy.ts';
import type { EventService } from '../events/events.ts';
import type { InTransaction } from '../db/transaction.ts';
import { accountHealth, healthFacts } from '../accounts/account.view.ts';
import { actionNeededBy } from '../accounts/health.ts';

const DAY_MS = 86_400_000;
/** EXPIRY_WARNING_DAYS' default. */
export const DEFAULT_EXPIRY_WARNING_DAYS = 7;
import type { RefreshService } from './refresh.service.ts';

export interface VerificationOptions {
  /** Accounts claimed per query. */
  batchSize: number;
  /** Platform calls in flight at once. */
  concurrency: number;
}

export const DEFAULT_VERIFICATION: VerificationOptions = { batchSize: 100, concurrency: 8 };

/**
 * WHAT verifying an account means and WHEN it is due (SPEC "Background work"): the cheapest
 * signal per platform. Meta accounts are verified per user grant (every Page of one consent
 * shares one debug_token), up to 50 grants in one Graph batch request; TikTok and X by a
 * renewal once the access token has (nearly) expired; LinkedIn by introspection. Due work is
 * claimed from PostgreSQL (FOR UPDATE SKIP LOCKED, with a lease each), so any number of
 * instances and any polling loop can call `runDue` at any rate.
 */
export class VerificationService {
  constructor(
    private readonly deps: {
      refresh: RefreshService;
      accounts: AccountRepository;
      platforms: PlatformRegistry;
      cipher: TokenCipher;
      clock: Clock;
      wallClock: Clock;
      logger: Logger;
      events: EventService;
      inTransaction: InTransaction;
    },
    private readonly options: VerificationOptions & { expiryWarningDays?: number } = DEFAULT_VERIFICATION,
  ) {}

  /** Everything due now (refreshes and verifications), each account once. Returns how many were looked at. */
  async runDue(): Promise<number> {
    const seen = new Set<string>();
    for (;;) {
      const wallNow = this.deps.wallClock.now();
      const claimed = await this.deps.accounts.claimDue(
        this.deps.refresh.instanceId,
        this.deps.clock.now(),
        wallNow,
        new Date(wallNow.getTime() + LEASE_MS),
        this.options.batchSize,
      );
      // Each account once per run, whatever its result: anything still due waits for the next run.
      const again = claimed.filter((row) => seen.has(row.id));
      const fresh = claimed.filter((row) => !seen.has(row.id));
      await Promise.all(again.map((row) => this.deps.refresh.releaseLease(row.id)));
      if (fresh.length === 0) {
        await this.warnExpiring();
        return seen.size;
      }
      for (const row of fresh) seen.add(row.id);
      await this.process(fresh, { healthCheck: false });
    }
  }

  /**
   * POST /api/health-check's work for one workspace: verifies the accounts not checked in the
   * last 5 minutes (a repeat costs no platform call), and returns the events it wrote.
   * Accounts another instance is working on are left to it.
   */
  async checkWorkspace(workspaceId: string): Promise<EventRow[]> {
    const now = this.deps.clock.now().getTime();
    const rows = (await this.deps.accounts.listActive(workspaceId)).filter(
      (row) => row.checked_at === null || now - new Date(row.checked_at).getTime() >= RECENT_CHECK_MS || this.deps.refresh.isRefreshDue(row),
    );
    const leased: SocialAccountRow[] = [];
    for (const row of rows) {
      const claimed = await this.deps.refresh.claim(row.id);
      if (claimed) leased.push(claimed);
    }
    return this.process(leased, { healthCheck: true });
  }

  /**
   * The forecast: `token_expiring` (event and webhook), once, for each account whose
   * credentials lapse within EXPIRY_WARNING_DAYS while nothing can renew them by itself
   * (`actionNeededBy`: Meta's data access, LinkedIn without a refresh token, a refresh token's end).
   */
  async warnExpiring(): Promise<EventRow[]> {
    const now = this.deps.clock.now();
    const windowMs = (this.options.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS) * DAY_MS;
    const written: EventRow[] = [];
    for (const row of await this.deps.accounts.listExpiryCandidates(new Date(now.getTime() + windowMs), 500)) {
      const by = actionNeededBy(healthFacts(row), now);
      if (!by || by.getTime() <= now.getTime() || by.getTime() - now.getTime() > windowMs) continue;
      if (accountHealth(row, now).health !== 'healthy') continue;
      const event = await this.deps.inTransaction(async (trx) => {
        if (!(await this.deps.accounts.markExpiryWarned(row.id, now, trx))) return undefined;
        return this.deps.events.record(
          {
            workspaceId: row.workspace_id,
            accountId: row.id,
            type: 'token_expiring',
            accountName: row.display_name,
            days: Math.max(1, Math.ceil((by.getTime() - now.getTime()) / DAY_MS)),
            dedupeKey: `token_expiring:${row.id}:${by.toISOString()}`,
            at: now,
          },
          trx,
        );
      });
      if (event) written.push(event);
    }
    return written;
  }

  /** Verifies leased accounts, Meta grants batched; returns the events written. */
  async process(rows: SocialAccountRow[], options: { healthCheck: boolean }): Promise<EventRow[]> {
    const events: EventRow[] = [];
    const now = this.deps.clock.now().getTime();
    const batched = new Map<LivePlatform, Map<string, SocialAccountRow[]>>();
    const single: SocialAccountRow[] = [];
    for (const row of rows) {
      const platform = row.platform as LivePlatform;
      const adapter = this.deps.platforms.get(platform);
      const due = options.healthCheck || (row.next_check_at !== null && new Date(row.next_check_at).getTime() <= now);
      if (adapter.verifyGrants && row.access_token_enc !== null && due && !this.deps.refresh.isRefreshDue(row)) {
        const grants = batched.get(platform) ?? new Map<string, SocialAccountRow[]>();
        // One grant: the same person's consent (every Page it covers), else the account alone.
        const key = row.platform_user_id ? `user:${row.workspace_id}:${row.platform_user_id}` : `account:${row.id}`;
        grants.set(key, [...(grants.get(key) ?? []), row]);
        batched.set(platform, grants);
      } else {
        single.push(row);
      }
    }
    for (const [platform, grants] of batched) {
      const groups = [...grants.values()];
      let answers;
      try {
        answers = await this.deps.platforms.get(platform).verifyGrants!(groups.map((g) => toStoredAccount(this.deps.cipher, g[0]!)));
      } catch (err) {
        if (!(err instanceof PlatformError)) {
          this.deps.logger.error({ err, platform }, 'verifying grants failed');
          await Promise.all(groups.flat().map((row) => this.deps.refresh.releaseLease(row.id)));
          continue;
        }
        // The whole batch was refused (a rate limit, a retired API version, the platform down):
        // each account records it as its own failed check, by the same rules as one call.
        const failed = err;
        answers = groups.map(() => failed);
      }
      await inParallel(groups, this.options.concurrency, async (group, ) => {
        const answer = answers[groups.indexOf(group)]!;
        for (const [i, row] of group.entries()) {
          try {
            const done = await this.deps.refresh.applyVerification(row, answer, { expiry: i === 0 });
            events.push(...done.events);
          } catch (err) {
            this.deps.logger.error({ err, accountId: row.id }, 'recording a verification failed');
          }
        }
      });
    }
    await inParallel(single, this.options.concurrency, async (row) => {
      try {
        const done = await this.deps.refresh.processLeased(row, options);
        events.push(...done.events);
      } catch (err) {
        this.deps.logger.error({ err, accountId: row.id }, 'processing an account failed');
      }
    });
    return events.sort((a, b) => Number(a.id) - Number(b.id));
  }
}
