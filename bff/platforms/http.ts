import { PlatformError } from './adapter.ts';

/** How long any platform call may take before it counts as a (transient) timeout. */
export const PLATFORM_TIMEOUT_MS = 10_000;

export interface PlatformResponse {
  status: number;
  body: unknown;
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
    throw new PlatformError('transient', 'platform_unavailable', `${label} is having trouble right now (HTTP ${response.status}).`, response.status);
  }
  return { status: response.status, body };
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
