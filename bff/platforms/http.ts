import { PlatformError } from './adapter.ts';

/** How long any platform call may take before it counts as a (transient) timeout. */
export const PLATFORM_TIMEOUT_MS = 10_000;
/**
 * A refresh may take longer: its answer carries a rotated refresh token, and losing it (a
 * timeout after the platform rotated) leaves the grant in doubt, which costs far more than waiting.
 */
export const REFRESH_TIMEOUT_MS = 2 * PLATFORM_TIMEOUT_MS;

export interface PlatformResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

/**
 * One HTTP call to a platform API. Network failures, timeouts and 5xx become transient
 * PlatformErrors; any other status is returned for the adapter to read its platform's
 * error shape.
 */
export async function platformFetch(
  label: string,
  url: string | URL,
  init: { method?: string; headers?: Record<string, string>; body?: URLSearchParams | string; timeoutMs?: number } = {},
): Promise<PlatformResponse> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: { Accept: 'application/json', ...init.headers },
      body: init.body,
      signal: AbortSignal.timeout(init.timeoutMs ?? PLATFORM_TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
    throw new PlatformError(
      'transient',
      timedOut ? 'platform_timeout' : 'platform_unreachable',
      timedOut ? `${label} did not answer in time.` : `${label} could not be reached.`,
    );
  }
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text for the adapter's error message.
  }
  if (response.status >= 500) {
    throw new PlatformError('transient', 'platform_unavailable', `${label} is having trouble right now (HTTP ${response.status}).`, response.status, retryAfterSeconds(response.headers));
  }
  return { status: response.status, body, headers: response.headers };
}

/** The longest wait a platform may ask for that we honour (beyond it, the next pass retries). */
const MAX_WAIT_SECONDS = 24 * 3600;

/**
 * How long a platform asked us to wait, in seconds, from whichever header it uses: Retry-After
 * (seconds or an HTTP date), X's `x-rate-limit-reset` (Unix seconds), Meta's `X-App-Usage` /
 * `X-Business-Use-Case-Usage` (`estimated_time_to_regain_access` in minutes). Undefined when none says.
 */
export function retryAfterSeconds(headers: Headers | undefined, now: Date = new Date()): number | undefined {
  if (!headers) return undefined;
  const waits: number[] = [];
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) waits.push(seconds);
    else if (!Number.isNaN(Date.parse(retryAfter))) waits.push((Date.parse(retryAfter) - now.getTime()) / 1000);
  }
  const reset = Number(headers.get('x-rate-limit-reset') ?? '');
  if (Number.isFinite(reset) && reset > 0) waits.push(reset - now.getTime() / 1000);
  for (const name of ['x-business-use-case-usage', 'x-app-usage', 'x-ad-account-usage']) {
    const value = headers.get(name);
    if (!value) continue;
    try {
      collectMinutes(JSON.parse(value), waits);
    } catch {
      // Not JSON: nothing to read.
    }
  }
  const positive = waits.filter((w) => Number.isFinite(w) && w > 0);
  return positive.length > 0 ? Math.min(MAX_WAIT_SECONDS, Math.ceil(Math.max(...positive))) : undefined;
}

/** `estimated_time_to_regain_access` (minutes) anywhere in a Meta usage header, as seconds. */
function collectMinutes(value: unknown, into: number[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collectMinutes(item, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'estimated_time_to_regain_access' && typeof inner === 'number') into.push(inner * 60);
      else collectMinutes(inner, into);
    }
  }
}

/** Seconds from now as a date; null when the platform gave no lifetime. */
export function expiresIn(now: Date, seconds: unknown): Date | null {
  const n = typeof seconds === 'string' ? Number(seconds) : seconds;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? new Date(now.getTime() + n * 1000) : null;
}

/** Unix seconds as a date; 0 or missing means "never" (null). */
export function unixTime(seconds: unknown): Date | null {
  return typeof seconds === 'number' && seconds > 0 ? new Date(seconds * 1000) : null;
}

export function splitScopes(value: unknown, separator: RegExp = /[\s,]+/): string[] {
  return typeof value === 'string' ? value.split(separator).map((s) => s.trim()).filter(Boolean) : [];
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function asString(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : typeof value === 'number' ? String(value) : null;
}
