import type { PlatformsResponse, Workspace } from '../../contract/types.ts';
import type { Role } from '../../contract/health.ts';
import type { Clock } from '../clock.ts';
import type { WorkspaceRow } from '../db/database.ts';
import { Failure } from '../errors.ts';
import type { AccountRepository } from '../accounts/account.repository.ts';
import { platformsForPlan, workspaceLimit, workspacePlan } from '../plans/plans.ts';
import type { PlatformAvailability } from '../../contract/types.ts';
import type { InTransaction } from '../db/transaction.ts';
import type { Actor } from '../history/history.service.ts';
import type { PlanEnforcer } from '../plans/pausing.ts';
import type { WorkspaceRepository, WorkspaceWrite } from './workspace.repository.ts';

export type PublicWorkspace = Workspace;

export { workspaceLimit, workspacePlan };

export class WorkspaceService {
  constructor(
    private readonly workspaces: WorkspaceRepository,
    private readonly accounts: AccountRepository,
    private readonly clock: Clock,
    private readonly plan: { enforcer: PlanEnforcer; inTransaction: InTransaction },
  ) {}

  async require(id: string): Promise<WorkspaceRow> {
    const row = await this.workspaces.find(id);
    if (!row) throw new Failure('workspace_not_found', `No workspace "${id}". Create it first with PUT /v1/workspaces/${id}.`, { params: { workspaceId: id } });
    return row;
  }

  /**
   * Creates or updates the workspace and, in the same transaction (holding its row lock),
   * pauses what the plan no longer covers and resumes what it covers again. `keepAccountIds`
   * names the accounts that stay active when the limit pauses others.
   */
  async put(input: WorkspaceWrite & { keepAccountIds?: readonly string[] }, actor: Actor | null = { type: 'host' }): Promise<{ workspace: PublicWorkspace; created: boolean }> {
    const { workspace, created } = await this.plan.inTransaction(async (trx) => {
      const result = await this.workspaces.upsert(input, this.clock.now(), trx);
      await this.plan.enforcer.reconcile(result.workspace, trx, { keep: input.keepAccountIds ?? [], actor });
      return result;
    });
    return { workspace: await this.toPublic(workspace), created };
  }

  async toPublic(row: WorkspaceRow): Promise<PublicWorkspace> {
    return {
      id: row.id,
      name: row.name,
      plan: workspacePlan(row),
      accountLimit: workspaceLimit(row),
      accountLimitOverride: row.account_limit,
      accountCount: await this.accounts.countActive(row.id),
      pausedCount: await this.accounts.countPaused(row.id),
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }

  /** Every platform with its state on this workspace's plan, and the count against the limit. */
  async platforms(workspaceId: string, role: Role): Promise<PlatformsResponse> {
    const row = await this.require(workspaceId);
    return {
      platforms: platformsForPlan(workspacePlan(row)),
      plan: workspacePlan(row),
      role,
      accountCount: await this.accounts.countActive(row.id),
      accountLimit: workspaceLimit(row),
    };
  }
}
