import type { AccountRepository } from '../accounts/account.repository.ts';
import type { Account, PublicEvent } from '../../contract/types.ts';
import type { AccountService } from '../accounts/account.service.ts';
import { toPublicEvent } from '../events/events.ts';
import type { Logger } from '../logger.ts';
import type { RefreshService } from './refresh.service.ts';
import { inParallel } from '../jobs/periodic-job.ts';

/** Platform calls in flight at once for one workspace's check. */
const CONCURRENCY = 4;

/**
 * POST /api/health-check: does now, for one workspace, what the scheduler would do for it
 * (due refreshes, and a health check at the platform for every account), and returns the
 * accounts and the events this call produced. Accounts another instance is working on are
 * left to it.
 */
export class HealthCheckService {
  constructor(private readonly deps: { refresh: RefreshService; accounts: AccountService; accountRepository: AccountRepository; logger: Logger }) {}

  async run(workspaceId: string): Promise<{ accounts: Account[]; events: PublicEvent[] }> {
    const rows = await this.deps.accountRepository.listActive(workspaceId);
    const events: PublicEvent[] = [];
    await inParallel(rows, CONCURRENCY, async (row) => {
      const leased = await this.deps.refresh.claim(row.id);
      if (!leased) return;
      try {
        const done = await this.deps.refresh.processLeased(leased, { healthCheck: true });
        events.push(...done.events.map(toPublicEvent));
      } catch (err) {
        this.deps.logger.error({ err, accountId: row.id }, 'health check failed');
      }
    });
    events.sort((a, b) => Number(a.id) - Number(b.id));
    return { accounts: (await this.deps.accounts.list(workspaceId)).accounts, events };
  }
}
