import { ALL_PLATFORMS, CONNECT_KINDS, PLATFORM_LABELS, isLivePlatform, type Platform } from '../../contract/platforms.ts';
import { PLANS, isPlan, type Plan, type PlatformStatus } from '../../contract/plans.ts';
import type { WorkspaceRow } from '../db/database.ts';
import type { PlatformAvailability } from '../../contract/types.ts';

// What each plan allows: the platforms on it and its account limit (the plans' names: contract/plans.ts).

/** Accounts a workspace may connect, per plan; null is unlimited. A workspace can override it. */
export const DEFAULT_ACCOUNT_LIMITS: Record<Plan, number | null> = {
  free: 3,
  starter: 10,
  professional: 50,
  enterprise: null,
};


/**
 * The lowest plan a platform is on, and whether it is still coming soon there.
 * Paid platforms sit on the two upper plans (SPEC's reading of the seed's table).
 */
const PLATFORM_PLANS: Record<Platform, { requiredPlan: Plan; comingSoon: boolean }> = {
  facebook: { requiredPlan: 'free', comingSoon: false },
  instagram: { requiredPlan: 'free', comingSoon: false },
  tiktok: { requiredPlan: 'professional', comingSoon: false },
  x: { requiredPlan: 'professional', comingSoon: false },
  linkedin: { requiredPlan: 'professional', comingSoon: false },
  telegram: { requiredPlan: 'professional', comingSoon: true },
  whatsapp: { requiredPlan: 'enterprise', comingSoon: true },
};

export function requiredPlan(platform: Platform): Plan {
  return PLATFORM_PLANS[platform].requiredPlan;
}

/** A coming-soon platform is coming soon on every plan; others depend on the plan's rank. */
export function platformStatus(platform: Platform, plan: Plan): PlatformStatus {
  const rule = PLATFORM_PLANS[platform];
  if (rule.comingSoon) return 'coming_soon';
  return PLANS.indexOf(plan) >= PLANS.indexOf(rule.requiredPlan) ? 'available' : 'upgrade_required';
}

export function accountLimit(plan: Plan, override: number | null): number | null {
  return override ?? DEFAULT_ACCOUNT_LIMITS[plan];
}


export function platformsForPlan(plan: Plan): PlatformAvailability[] {
  return ALL_PLATFORMS.map((platform) => ({
    platform,
    label: PLATFORM_LABELS[platform],
    status: platformStatus(platform, plan),
    requiredPlan: requiredPlan(platform),
    kinds: isLivePlatform(platform) ? CONNECT_KINDS[platform].map((k) => ({ ...k })) : [],
  }));
}


export function workspacePlan(row: Pick<WorkspaceRow, 'id' | 'plan'>): Plan {
  if (!isPlan(row.plan)) throw new Error(`workspace ${row.id} has an unknown plan "${row.plan}"`);
  return row.plan;
}

/** The limit in force: the workspace's override, else its plan's; null when unlimited. */
export function workspaceLimit(row: Pick<WorkspaceRow, 'id' | 'plan' | 'account_limit'>): number | null {
  return accountLimit(workspacePlan(row), row.account_limit);
}
