import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deriveHealth, REASONS, type HealthFacts } from '../../bff/accounts/health.ts';
import { MAX_REFRESH_FAILURES } from '../../bff/refresh/policy.ts';
import { REQUIRED_SCOPES, requiredScopesFor } from '../../bff/platforms/catalog.ts';

const NOW = new Date('2026-11-24T12:00:00Z');
const at = (offsetSeconds: number) => new Date(NOW.getTime() + offsetSeconds * 1000);

function facts(overrides: Partial<HealthFacts> = {}): HealthFacts {
  return {
    platform: 'facebook',
    connectMethod: 'facebook_login',
    // Verified a minute ago, unless a test says otherwise.
    checkedAt: at(-60),
    tokenExpiresAt: at(86_400),
    hasRefreshToken: false,
    refreshTokenExpiresAt: null,
    dataAccessExpiresAt: null,
    grantedScopes: [...REQUIRED_SCOPES.facebook],
    requiredScopes: REQUIRED_SCOPES.facebook,
    consecutiveRefreshFailures: 0,
    lastErrorCode: null,
    canPublish: true,
    ...overrides,
  };
}

describe('deriveHealth', () => {
  it('is healthy when the token is valid, every scope granted and publishing possible', () => {
    assert.deepEqual(deriveHealth(facts(), NOW), { health: 'healthy', reason: null, missingScopes: [] });
  });

  it('treats a token with no expiry as valid', () => {
    assert.equal(deriveHealth(facts({ tokenExpiresAt: null }), NOW).health, 'healthy');
  });

  describe('token_expired', () => {
    it('applies from the exact expiry instant, not a millisecond before', () => {
      assert.equal(deriveHealth(facts({ tokenExpiresAt: at(0.001) }), NOW).reason, null);
      assert.equal(deriveHealth(facts({ tokenExpiresAt: at(0) }), NOW).reason, 'token_expired');
      assert.equal(deriveHealth(facts({ tokenExpiresAt: at(-1) }), NOW).reason, 'token_expired');
    });

    it('does not apply to an expired access token that a valid refresh token can renew', () => {
      const renewable = facts({ tokenExpiresAt: at(-3600), hasRefreshToken: true, refreshTokenExpiresAt: at(86_400) });
      assert.equal(deriveHealth(renewable, NOW).health, 'healthy');
    });

    it('does not apply when the refresh token never expires', () => {
      const renewable = facts({ tokenExpiresAt: at(-3600), hasRefreshToken: true, refreshTokenExpiresAt: null });
      assert.equal(deriveHealth(renewable, NOW).health, 'healthy');
    });

    it('applies once the refresh token has expired too, from its exact expiry', () => {
      const base = { tokenExpiresAt: at(-3600), hasRefreshToken: true };
      assert.equal(deriveHealth(facts({ ...base, refreshTokenExpiresAt: at(1) }), NOW).reason, null);
      assert.equal(deriveHealth(facts({ ...base, refreshTokenExpiresAt: at(0) }), NOW).reason, 'token_expired');
    });

    it('counts an expired token as renewable only while its grant was verified within the last 24 hours', () => {
      const base = { platform: 'x', tokenExpiresAt: at(-3600), hasRefreshToken: true, refreshTokenExpiresAt: null };
      assert.equal(deriveHealth(facts({ ...base, checkedAt: at(-24 * 3600 + 1) }), NOW).health, 'healthy');
      assert.equal(deriveHealth(facts({ ...base, checkedAt: at(-24 * 3600) }), NOW).reason, 'token_expired', 'not verified for a day: renew before green');
      assert.equal(deriveHealth(facts({ ...base, checkedAt: null }), NOW).reason, 'token_expired', 'never verified');
      // A token that has not expired does not depend on the last verification.
      assert.equal(deriveHealth(facts({ ...base, tokenExpiresAt: at(60), checkedAt: null }), NOW).health, 'healthy');
    });

    it("counts Meta's data-access expiry as expiry, even with a valid token", () => {
      assert.equal(deriveHealth(facts({ dataAccessExpiresAt: at(1) }), NOW).reason, null);
      assert.equal(deriveHealth(facts({ dataAccessExpiresAt: at(0) }), NOW).reason, 'token_expired');
    });
  });

  describe('token_revoked', () => {
    it('applies when the platform last rejected the grant for good', () => {
      assert.equal(deriveHealth(facts({ lastErrorCode: 'token_revoked' }), NOW).reason, 'token_revoked');
      assert.equal(deriveHealth(facts({ lastErrorCode: 'invalid_grant' }), NOW).reason, 'token_revoked');
    });

    it('does not apply for a transient error', () => {
      assert.equal(deriveHealth(facts({ lastErrorCode: 'platform_unavailable' }), NOW).health, 'healthy');
    });
  });

  describe('missing_permissions', () => {
    it('names every required scope that was not granted', () => {
      const result = deriveHealth(facts({ grantedScopes: ['pages_show_list', 'pages_manage_posts', 'pages_read_engagement'] }), NOW);
      assert.equal(result.reason, 'missing_permissions');
      assert.deepEqual(result.missingScopes, ['pages_manage_engagement', 'read_insights']);
    });

    it('ignores extra scopes beyond the required ones', () => {
      assert.equal(deriveHealth(facts({ grantedScopes: [...REQUIRED_SCOPES.facebook, 'business_management'] }), NOW).health, 'healthy');
    });

    it('asks LinkedIn organizations for the organization scopes, and members only for the member ones', () => {
      const member = requiredScopesFor('linkedin', 'member');
      const org = requiredScopesFor('linkedin', 'organization');
      assert.deepEqual([...member], ['openid', 'profile', 'w_member_social']);
      const result = deriveHealth(facts({ grantedScopes: member, requiredScopes: org }), NOW);
      assert.deepEqual(result.missingScopes, ['r_organization_social', 'w_organization_social', 'rw_organization_admin']);
      assert.equal(deriveHealth(facts({ grantedScopes: member, requiredScopes: member }), NOW).health, 'healthy');
    });
  });

  describe('refresh_failed', () => {
    it(`applies from the ${MAX_REFRESH_FAILURES}rd consecutive failure, not before`, () => {
      assert.equal(deriveHealth(facts({ consecutiveRefreshFailures: MAX_REFRESH_FAILURES - 1 }), NOW).health, 'healthy');
      assert.equal(deriveHealth(facts({ consecutiveRefreshFailures: MAX_REFRESH_FAILURES }), NOW).reason, 'refresh_failed');
      assert.equal(MAX_REFRESH_FAILURES, 3);
    });
  });

  describe('publish_unavailable', () => {
    it('applies to an account that cannot publish', () => {
      assert.equal(deriveHealth(facts({ canPublish: false }), NOW).reason, 'publish_unavailable');
    });
  });

  describe('when several reasons apply', () => {
    const all: Partial<HealthFacts> = {
      tokenExpiresAt: at(-1),
      lastErrorCode: 'token_revoked',
      grantedScopes: [],
      consecutiveRefreshFailures: 5,
      canPublish: false,
    };
    it('reports the first in SPEC order', () => {
      assert.deepEqual([...REASONS], ['token_expired', 'token_revoked', 'missing_permissions', 'refresh_failed', 'publish_unavailable']);
      // Remove the reasons one at a time from the front: the next one takes over.
      const steps: [Partial<HealthFacts>, string][] = [
        [{}, 'token_expired'],
        [{ tokenExpiresAt: at(60) }, 'token_revoked'],
        [{ tokenExpiresAt: at(60), lastErrorCode: null }, 'missing_permissions'],
        [{ tokenExpiresAt: at(60), lastErrorCode: null, grantedScopes: [...REQUIRED_SCOPES.facebook] }, 'refresh_failed'],
        [{ tokenExpiresAt: at(60), lastErrorCode: null, grantedScopes: [...REQUIRED_SCOPES.facebook], consecutiveRefreshFailures: 0 }, 'publish_unavailable'],
      ];
      for (const [change, expected] of steps) {
        assert.equal(deriveHealth(facts({ ...all, ...change }), NOW).reason, expected);
      }
    });
  });
});
