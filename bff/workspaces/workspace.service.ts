import type { PlatformsResponse, Workspace } from '../../contract/types.ts';
import type { Role } from '../../contract/health.ts';
import type { Clock } from '../clock.ts';
import type { WorkspaceRow } from '../db/database.ts';
import { Failure } from '../errors.ts';
import type { AccountRepository } from '../accounts/account.repository.ts';
import { accountLimit, platformsForPlan } from '../plans/plans.ts';
import { isPlan, type Plan } from '../../contract/plans.ts';
import type { PlatformAvailability } from '../../contract/types.ts';
import type { WorkspaceRepository, WorkspaceWrite } from './workspace.repository.ts';

export type PublicWorkspace = Workspace;

export function workspacePlan(row: WorkspaceRow): Plan {
  if (!isPlan(row.plan)) throw new Error(`workspace ${row.id} has an unknown plan "${row.plan}"`);
  return row.plan;
}

export function workspaceLimit(row: WorkspaceRow): number | null {
  return accountLimit(workspacePlan(row), row.account_limit);
}

export class WorkspaceService {
  constructor(
    private readonly workspaces: WorkspaceRepository,
    private readonly accounts: AccountRepository,
    private readonly clock: Clock,
  ) {}

  async require(id: string): Promise<WorkspaceRow> {
    const row = await this.workspaces.find(id);
    if (!row) throw new Failure('workspace_not_found', `No workspace "${id}". Create it first with PUT /v1/workspaces/${id}.`, { params: { workspaceId: id } });
    return row;
  }

  async put(input: WorkspaceWrite): Promise<{ workspace: PublicWorkspace; created: boolean }> {
    const { workspace, created } = await this.workspaces.upsert(input, this.clock.now());
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
