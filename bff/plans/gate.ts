import { Failure } from '../errors.ts';
import { PLATFORM_LABELS, type Platform } from '../../contract/platforms.ts';
import { platformStatus, requiredPlan } from './plans.ts';
import { PLAN_LABELS, type Plan } from '../../contract/plans.ts';

export interface GateInput {
  plan: Plan;
  /** Null when unlimited. */
  limit: number | null;
  activeCount: number;
  platform: Platform;
  /** How many new accounts this would add (reconnecting an existing one adds none). */
  adding: number;
  /** Reconnecting an existing account (paused ones too): allowed whatever the plan, never counted. */
  reconnecting?: boolean;
}

/**
 * The plan gate and the account-limit gate, in that order. Run when a connection starts and
 * again when it lands, so no race can take a workspace over its limit. Returns the refusal
 * as a Failure, or null when the connection may go ahead.
 */
export function checkConnectionGate(input: GateInput): Failure | null {
  if (input.reconnecting) return null;
  const label = PLATFORM_LABELS[input.platform];
  const status = platformStatus(input.platform, input.plan);
  if (status === 'coming_soon') {
    return new Failure('platform_coming_soon', `${label} is coming soon: it cannot be connected yet.`);
  }
  if (status === 'upgrade_required') {
    const needed = PLAN_LABELS[requiredPlan(input.platform)];
    return new Failure('plan_upgrade_required',
      `${label} is available on the ${needed} plan and above. Upgrade your ${PLAN_LABELS[input.plan]} plan to connect it.`,
    );
  }
  if (input.adding > 0 && input.limit !== null && input.activeCount + input.adding > input.limit) {
    const room = Math.max(0, input.limit - input.activeCount);
    const plural = (n: number) => `${n} account${n === 1 ? '' : 's'}`;
    const message =
      room === 0
        ? `Your ${PLAN_LABELS[input.plan]} plan allows ${plural(input.limit)}, and all are connected. Upgrade your plan or disconnect an account to add another.`
        : `Your ${PLAN_LABELS[input.plan]} plan allows ${plural(input.limit)}: there is room for ${plural(room)} more, not ${input.adding}. Upgrade your plan or choose fewer.`;
    return new Failure('account_limit_reached', message);
  }
  return null;
}
