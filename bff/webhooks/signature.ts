import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a host checks: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const SIGNATURE_HEADER = 'X-Connections-Signature';
export const EVENT_ID_HEADER = 'X-Connections-Event-Id';

export function signWebhook(secret: string, body: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

/**
 * What a host runs to check a delivery (docs/webhooks-verify.md has the version for hosts): the signature must match and
 * be recent, so a captured delivery cannot be replayed later.
 */
export function verifyWebhook(secret: string, body: string, header: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  // An integer number of seconds and nothing else ("1e9", "0x1f", " 12" are refused): docs/webhooks-verify.md.
  if (typeof parts.t !== 'string' || !/^\d{1,12}$/.test(parts.t)) return false;
  const t = Number(parts.t);
  if (Math.abs(nowSeconds - t) > toleranceSeconds || !parts.v1) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  const given = Buffer.from(parts.v1);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
