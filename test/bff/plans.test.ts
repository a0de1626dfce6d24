import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accountLimit, platformStatus } from '../../bff/plans/plans.ts';
import { PLANS, type Plan } from '../../contract/plans.ts';
import { checkConnectionGate } from '../../bff/plans/gate.ts';
import { ALL_PLATFORMS, type Platform } from '../../contract/platforms.ts';

describe('platform availability by plan', () => {
  // SPEC section 1, "Platforms and plans".
  const expected: Record<Platform, Record<Plan, string>> = {
    facebook: { free: 'available', starter: 'available', professional: 'available', enterprise: 'available' },
    instagram: { free: 'available', starter: 'available', professional: 'available', enterprise: 'available' },
    tiktok: { free: 'upgrade_required', starter: 'upgrade_required', professional: 'available', enterprise: 'available' },
    x: { free: 'upgrade_required', starter: 'upgrade_required', professional: 'available', enterprise: 'available' },
    linkedin: { free: 'upgrade_required', starter: 'upgrade_required', professional: 'available', enterprise: 'available' },
    telegram: { free: 'coming_soon', starter: 'coming_soon', professional: 'coming_soon', enterprise: 'coming_soon' },
    whatsapp: { free: 'coming_soon', starter: 'coming_soon', professional: 'coming_soon', enterprise: 'coming_soon' },
  };
  for (const platform of ALL_PLATFORMS) {
    it(`${platform} follows the plan table`, () => {
      for (const plan of PLANS) assert.equal(platformStatus(platform, plan), expected[platform][plan], `${platform} on ${plan}`);
    });
  }

  it('has the default account limits 3 / 10 / 50 / unlimited, overridable', () => {
    assert.deepEqual(PLANS.map((p) => accountLimit(p, null)), [3, 10, 50, null]);
    assert.equal(accountLimit('enterprise', 500), 500);
    assert.equal(accountLimit('free', 0), 0);
  });
});

describe('checkConnectionGate', () => {
  const base = { plan: 'free' as Plan, limit: 3, activeCount: 0, platform: 'facebook' as Platform, adding: 1 };

  it('lets a connection through within the plan and the limit', () => {
    assert.equal(checkConnectionGate(base), null);
    assert.equal(checkConnectionGate({ ...base, activeCount: 2 }), null);
  });

  it('refuses a platform the plan lacks with an upgrade message naming the plan needed', () => {
    const refusal = checkConnectionGate({ ...base, platform: 'tiktok' });
    assert.equal(refusal?.code, 'plan_upgrade_required');
    assert.match(refusal!.message, /TikTok is available on the Professional plan/);
  });

  it('checks the plan before the limit', () => {
    assert.equal(checkConnectionGate({ ...base, platform: 'x', activeCount: 3 })?.code, 'plan_upgrade_required');
  });

  it('refuses a coming-soon platform on every plan', () => {
    for (const plan of PLANS) assert.equal(checkConnectionGate({ ...base, plan, limit: null, platform: 'whatsapp' })?.code, 'platform_coming_soon');
  });

  it('blocks a new account at the limit, with a message a person understands', () => {
    const refusal = checkConnectionGate({ ...base, activeCount: 3 });
    assert.equal(refusal?.code, 'account_limit_reached');
    assert.match(refusal!.message, /Free plan allows 3 accounts/);
  });

  it('blocks adding several accounts that would go over the limit, naming the room left', () => {
    const refusal = checkConnectionGate({ ...base, activeCount: 1, adding: 3 });
    assert.equal(refusal?.code, 'account_limit_reached');
    assert.match(refusal!.message, /room for 2 accounts more/);
    assert.equal(checkConnectionGate({ ...base, activeCount: 1, adding: 2 }), null);
  });

  it('never counts a reconnect against the limit', () => {
    assert.equal(checkConnectionGate({ ...base, activeCount: 3, adding: 0 }), null);
    assert.equal(checkConnectionGate({ ...base, activeCount: 10, adding: 0 }), null);
  });

  it('has no limit when unlimited', () => {
    assert.equal(checkConnectionGate({ ...base, plan: 'enterprise', limit: null, activeCount: 100_000 }), null);
  });
});
