import type { Account, PublicEvent } from '../../contract/types.ts';
import type { AccountService } from '../accounts/account.service.ts';
import { toPublicEvent } from '../events/events.ts';
import type { VerificationService } from './verification.service.ts';

/**
 * POST /api/health-check: verifies now, for one workspace, the accounts not checked in the
 * last 5 minutes (with the cheapest signal per platform, see VerificationService), and returns
 * the accounts and the events this call produced.
 */
export class HealthCheckService {
  constructor(private readonly deps: { verification: VerificationService; accounts: AccountService }) {}

  async run(workspaceId: string): Promise<{ accounts: Account[]; events: PublicEvent[] }> {
    const events = (await this.deps.verification.checkWorkspace(workspaceId)).map(toPublicEvent);
    return { accounts: (await this.deps.accounts.list(workspaceId)).accounts, events };
  }
}
