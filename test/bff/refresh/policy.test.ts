import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HEALTH_CHECK_INTERVAL_MS, isRefreshDue, MAX_RETRY_DELAY_MS, nextCheckAt, REFRESH_WINDOW_MS, retryDelayMs } from '../../../bff/refresh/policy.ts';
import { webhookRetryDelayMs } from '../../../bff/webhooks/policy.ts';

const NOW = new Date('2026-11-24T12:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const HOUR = 3_600_000;

describe('refresh policy', () => {
  it('waits longer after each transient failure, never more than an hour, with jitter only downwards', () => {
    const none = () => 0;
    const full = () => 1;
    assert.deepEqual([1, 2, 3, 4].map((n) => retryDelayMs(n, none)), [5, 10, 20, 40].map((m) => m * 60_000));
    for (let n = 1; n <= 50; n++) {
      assert.ok(retryDelayMs(n, none) <= MAX_RETRY_DELAY_MS);
      assert.ok(retryDelayMs(n, full) >= 0.8 * retryDelayMs(n, none));
      if (n > 1) assert.ok(retryDelayMs(n, none) >= retryDelayMs(n - 1, none));
    }
    assert.equal(MAX_RETRY_DELAY_MS, HOUR);
    assert.ok(webhookRetryDelayMs(100, none) <= HOUR);
  });

  it('refreshes Meta tokens from 7 days before expiry, and nothing else', () => {
    const base = { platform: 'facebook', connectMethod: 'facebook_login', tokenIssuedAt: at(-30 * 24 * HOUR), now: NOW };
    assert.equal(isRefreshDue({ ...base, tokenExpiresAt: at(REFRESH_WINDOW_MS + 1) }), false);
    assert.equal(isRefreshDue({ ...base, tokenExpiresAt: at(REFRESH_WINDOW_MS) }), true);
    assert.equal(isRefreshDue({ ...base, tokenExpiresAt: null }), false, 'a Page token with no expiry');
    for (const platform of ['tiktok', 'x', 'linkedin']) assert.equal(isRefreshDue({ ...base, platform, tokenExpiresAt: at(HOUR) }), false, platform);
  });

  it('waits until an Instagram Login token is a day old, and never refreshes a retired Basic Display one', () => {
    const base = { platform: 'instagram', connectMethod: 'instagram_login', tokenExpiresAt: at(HOUR), now: NOW };
    assert.equal(isRefreshDue({ ...base, tokenIssuedAt: at(-24 * HOUR + 1) }), false);
    assert.equal(isRefreshDue({ ...base, tokenIssuedAt: at(-24 * HOUR) }), true);
    assert.equal(isRefreshDue({ ...base, connectMethod: 'instagram_basic_display', tokenIssuedAt: at(-48 * HOUR) }), false);
  });

  it('schedules the next look at the next health check, or sooner when the refresh window opens', () => {
    // X and TikTok are verified by a renewal, daily: never hourly renewals of a 2-hour token.
    assert.deepEqual(nextCheckAt({ platform: 'x', tokenExpiresAt: at(2 * HOUR), now: NOW }), at(HEALTH_CHECK_INTERVAL_MS));
    assert.deepEqual(nextCheckAt({ platform: 'tiktok', tokenExpiresAt: at(48 * HOUR), now: NOW }), at(HEALTH_CHECK_INTERVAL_MS));
    assert.deepEqual(nextCheckAt({ platform: 'linkedin', tokenExpiresAt: at(60 * 24 * HOUR), now: NOW }), at(HEALTH_CHECK_INTERVAL_MS));
    assert.ok(HEALTH_CHECK_INTERVAL_MS < 24 * HOUR, 'every account is verified at least daily');
    assert.deepEqual(nextCheckAt({ platform: 'facebook', tokenExpiresAt: at(60 * 24 * HOUR), now: NOW }), at(HEALTH_CHECK_INTERVAL_MS));
    assert.deepEqual(nextCheckAt({ platform: 'facebook', tokenExpiresAt: at(REFRESH_WINDOW_MS + 10 * 60_000), now: NOW }), at(10 * 60_000));
    assert.deepEqual(nextCheckAt({ platform: 'facebook', tokenExpiresAt: at(HOUR), now: NOW }), NOW, 'already inside the window: now');
  });
});
