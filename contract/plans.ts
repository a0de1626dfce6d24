/** The plans a workspace can be on, in ascending order, and their names. */
export const PLANS = ['free', 'starter', 'professional', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

export const PLAN_LABELS: Readonly<Record<Plan, string>> = {
  free: 'Free',
  starter: 'Starter',
  professional: 'Professional',
  enterprise: 'Enterprise',
};

export function isPlan(value: unknown): value is Plan {
  return typeof value === 'string' && (PLANS as readonly string[]).includes(value);
}

/** What a platform is on a plan: connectable, behind an upgrade, or not yet there. */
export const PLATFORM_STATUSES = ['available', 'upgrade_required', 'coming_soon'] as const;
export type PlatformStatus = (typeof PLATFORM_STATUSES)[number];
