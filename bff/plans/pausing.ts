import type { Transaction } from 'kysely';
import type { PausedReason } from '../../contract/health.ts';
import type { Plan } from '../../contract/plans.ts';
import type { Platform } from '../../contract/platforms.ts';
import type { Clock } from '../clock.ts';
import type { Database, WorkspaceRow } from '../db/database.ts';
import type { EventService } from '../events/events.ts';
import type { Actor, HistoryService } from '../history/history.service.ts';
import type { AccountRepository, PlanAccountRow } from '../accounts/account.repository.ts';
import { platformStatus, workspaceLimit, workspacePlan } from './plans.ts';

export interface PlanPlacement {
  id: string;
  status: 'active' | 'paused';
  pausedReason: PausedReason | null;
}

/**
 * Which of a workspace's accounts its plan covers (SPEC "Plan downgrade"), deterministically:
 * accounts on platforms the plan lacks are paused (`plan_platform`); of the rest, the limit's
 * worth stay active in this order: those the host names (`keep`), then those active now, then
 * by connection time, oldest first (ties by id). So a downgrade pauses the most recently
 * connected ones, an upgrade resumes the oldest paused first, and running it again changes
 * nothing.
 */
export function placeAccounts(
  accounts: readonly Pick<PlanAccountRow, 'id' | 'platform' | 'connected_at' | 'status'>[],
  plan: Plan,
  limit: number | null,
  keep: readonly string[] = [],
): PlanPlacement[] {
  const keepRank = new Map(keep.map((id, i) => [id, i]));
  const eligible = accounts.filter((a) => platformStatus(a.platform as Platform, plan) === 'available');
  const ordered = [...eligible].sort((a, b) => {
    const ka = keepRank.get(a.id) ?? Infinity;
    const kb = keepRank.get(b.id) ?? Infinity;
    if (ka !== kb) return ka - kb;
    if (a.status !== b.status) return a.status === 'active' ? -1 : 1;
    const ta = new Date(a.connected_at).getTime();
    const tb = new Date(b.connected_at).getTime();
    if (ta !== tb) return ta - tb;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  const active = new Set(ordered.slice(0, limit ?? ordered.length).map((a) => a.id));
  const eligibleIds = new Set(eligible.map((a) => a.id));
  return accounts.map((a) =>
    active.has(a.id)
      ? { id: a.id, status: 'active', pausedReason: null }
      : { id: a.id, status: 'paused', pausedReason: eligibleIds.has(a.id) ? 'plan_limit' : 'plan_platform' },
  );
}

/**
 * Pauses and resumes a workspace's accounts to fit its plan. Callers hold the workspace's row
 * lock (WorkspaceRepository.lockForUpdate) in `trx`: plan changes, connections and
 * disconnections queue on it, so the active count never passes the limit.
 */
export class PlanEnforcer {
  constructor(
    private readonly deps: { accounts: AccountRepository; events: EventService; history: HistoryService; clock: Clock },
  ) {}

  async reconcile(workspace: WorkspaceRow, trx: Transaction<Database>, options: { keep?: readonly string[]; actor?: Actor | null } = {}): Promise<{ paused: string[]; resumed: string[] }> {
    const accounts = await this.deps.accounts.listForPlan(workspace.id, trx);
    const placements = placeAccounts(accounts, workspacePlan(workspace), workspaceLimit(workspace), options.keep);
    const now = this.deps.clock.now();
    const paused: string[] = [];
    const resumed: string[] = [];
    for (const [i, place] of placements.entries()) {
      const account = accounts[i]!;
      if (account.status === place.status && account.paused_reason === place.pausedReason) continue;
      await this.deps.accounts.setPlanStatus(account.id, place.status, place.pausedReason, now, trx);
      if (account.status === place.status) continue; // still paused, for another reason now
      const type = place.status === 'paused' ? 'account_paused' : 'account_resumed';
      await this.deps.events.record(
        { workspaceId: workspace.id, accountId: account.id, type, accountName: account.display_name, dedupeKey: `${type}:${account.id}:${now.toISOString()}`, at: now },
        trx,
      );
      await this.deps.history.record(
        {
          workspaceId: workspace.id,
          accountId: account.id,
          kind: place.status === 'paused' ? 'paused' : 'resumed',
          at: now,
          actor: options.actor ?? { type: 'system' },
          params: { plan: workspace.plan, ...(place.pausedReason ? { reason: place.pausedReason } : {}) },
        },
        trx,
      );
      (place.status === 'paused' ? paused : resumed).push(account.id);
    }
    return { paused, resumed };
  }
}
