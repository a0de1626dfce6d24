import type { Clock } from '../clock.ts';
import type { WorkspaceRow } from '../db/database.ts';
import { HttpError } from '../http/errors.ts';
import type { AccountRepository } from '../accounts/account.repository.ts';
import { accountLimit, isPlan, platformsForPlan, type Plan, type PlatformAvailability } from '../plans/plans.ts';
import type { WorkspaceRepository, WorkspaceWrite } from './workspace.repository.ts';

export interface PublicWorkspace {
  id: string;
  name: string | null;
  plan: Plan;
  /** The limit in force (the override, else the plan's); null when unlimited. */
  accountLimit: number | null;
  accountLimitOverride: number | null;
  accountCount: number;
  createdAt: string;
  updatedAt: string;
}

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
    if (!row) throw new HttpError(404, 'workspace_not_found', `No workspace "${id}". Create it first with PUT /v1/workspaces/${id}.`);
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
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }

  /** Every platform with its state on this workspace's plan, and the count against the limit. */
  async platforms(workspaceId: string): Promise<{ platforms: PlatformAvailability[]; accountCount: number; accountLimit: number | null }> {
    const row = await this.require(workspaceId);
    return {
      platforms: platformsForPlan(workspacePlan(row)),
      accountCount: await this.accounts.countActive(row.id),
      accountLimit: workspaceLimit(row),
    };
  }
}
