import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AccountRepository } from '../accounts/account.repository.ts';
import type { HealthEvents } from '../accounts/health-events.ts';
import type { Clock } from '../clock.ts';
import type { EventRow, SocialAccountUpdate } from '../db/database.ts';
import type { InTransaction } from '../db/transaction.ts';
import { Failure } from '../errors.ts';
import type { HistoryService } from '../history/history.service.ts';
import type { Logger } from '../logger.ts';
import type { PushRepository } from './push.repository.ts';

/** A signal older than this (by its own timestamp) is refused: it may be a replay. */
export const PUSH_MAX_AGE_MS = 60 * 60_000;
/** TikTok signs with a timestamp; more than this apart from now is refused. */
export const TIKTOK_TOLERANCE_MS = 5 * 60_000;

const bad = (why: string) => new Failure('invalid_signature', `The signature is not valid: ${why}.`);

function base64url(text: string): Buffer {
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Push signals from the platforms (SPEC "Background work"): Meta's deauthorize and
 * data-deletion callbacks (`signed_request`, HMAC-SHA256 with the app secret) and TikTok's
 * `authorization.removed` webhook (`TikTok-Signature`). Each is verified, refused when stale or
 * replayed (400, nothing changed), and turns the person's accounts amber at once with one event
 * each, in one transaction with the receipt.
 */
export class PushService {
  constructor(
    private readonly deps: {
      accounts: AccountRepository;
      push: PushRepository;
      healthEvents: HealthEvents;
      history: HistoryService;
      inTransaction: InTransaction;
      clock: Clock;
      logger: Logger;
      /** The app secret a platform signs with; null when the platform is not set up. */
      appSecret: (platform: string) => string | null;
      publicUrl: string;
    },
  ) {}

  /** Verifies a Meta `signed_request`; returns its payload. */
  verifySignedRequest(platform: string, signedRequest: string | undefined): { userId: string; issuedAt: number | null } {
    if (!signedRequest) throw bad('no signed_request');
    const secret = this.deps.appSecret(platform);
    if (!secret) throw bad('this platform is not set up');
    const [sigPart, payloadPart, extra] = signedRequest.split('.');
    if (!sigPart || !payloadPart || extra !== undefined) throw bad('malformed signed_request');
    const expected = createHmac('sha256', secret).update(payloadPart).digest();
    if (!sameBytes(base64url(sigPart), expected)) throw bad('wrong signature');
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(base64url(payloadPart).toString('utf8')) as Record<string, unknown>;
    } catch {
      throw bad('unreadable payload');
    }
    if (String(payload['algorithm'] ?? '').toUpperCase() !== 'HMAC-SHA256') throw bad('unexpected algorithm');
    const userId = payload['user_id'];
    if (typeof userId !== 'string' && typeof userId !== 'number') throw bad('no user_id');
    const issuedAt = typeof payload['issued_at'] === 'number' ? payload['issued_at'] : null;
    if (issuedAt !== null && Math.abs(this.deps.clock.now().getTime() - issuedAt * 1000) > PUSH_MAX_AGE_MS) throw bad('stale');
    return { userId: String(userId), issuedAt };
  }

  /** Meta's deauthorize callback: the person removed the app. */
  async metaDeauthorize(platform: 'facebook' | 'instagram', signedRequest: string | undefined): Promise<EventRow[]> {
    const { userId } = this.verifySignedRequest(platform, signedRequest);
    return this.revoke(platform, `meta:${digest(signedRequest!)}`, ['facebook', 'instagram'], userId, { deleteTokens: false });
  }

  /** Meta's data-deletion callback: deletes that person's tokens; answers Meta's `{ url, confirmation_code }`. */
  async metaDataDeletion(platform: 'facebook' | 'instagram', signedRequest: string | undefined): Promise<{ url: string; confirmation_code: string }> {
    const { userId } = this.verifySignedRequest(platform, signedRequest);
    const code = digest(`deletion:${signedRequest!}`).slice(0, 20);
    await this.revoke(platform, `meta-deletion:${digest(signedRequest!)}`, ['facebook', 'instagram'], userId, { deleteTokens: true });
    return { url: `${this.deps.publicUrl.replace(/\/$/, '')}/oauth/data-deletion/status/${code}`, confirmation_code: code };
  }

  /** TikTok's webhook: `authorization.removed` turns that user's account amber. */
  async tiktokWebhook(rawBody: Buffer, signature: string | undefined, body: { event?: string; user_openid?: string }): Promise<EventRow[]> {
    const secret = this.deps.appSecret('tiktok');
    if (!secret) throw bad('this platform is not set up');
    const parts = Object.fromEntries((signature ?? '').split(',').map((kv) => kv.trim().split('=', 2) as [string, string]));
    const t = Number(parts['t']);
    const s = parts['s'];
    if (!Number.isFinite(t) || !s || !/^[0-9a-f]{64}$/i.test(s)) throw bad('missing TikTok-Signature');
    const expected = createHmac('sha256', secret).update(`${parts['t']}.`).update(rawBody).digest();
    if (!sameBytes(Buffer.from(s, 'hex'), expected)) throw bad('wrong signature');
    if (Math.abs(this.deps.clock.now().getTime() - t * 1000) > TIKTOK_TOLERANCE_MS) throw bad('stale');
    if (body.event !== 'authorization.removed' || !body.user_openid) {
      // Verified, but nothing this product acts on; still remembered, so a replay is refused.
      await this.deps.push.recordReceipt(`tiktok:${s.toLowerCase()}`, 'tiktok', this.deps.clock.now());
      return [];
    }
    return this.revoke('tiktok', `tiktok:${s.toLowerCase()}`, ['tiktok'], body.user_openid, { deleteTokens: false });
  }

  private revoke(platform: string, receiptId: string, platforms: readonly string[], userId: string, options: { deleteTokens: boolean }): Promise<EventRow[]> {
    return this.deps.inTransaction(async (trx) => {
      const now = this.deps.clock.now();
      if (!(await this.deps.push.recordReceipt(receiptId, platform, now, trx))) throw bad('replayed');
      const events: EventRow[] = [];
      for (const row of await this.deps.push.accountsOfUser(platforms, userId, trx)) {
        const alreadyRevoked = row.last_error_code === 'token_revoked';
        const changes: SocialAccountUpdate = {
          last_error_code: 'token_revoked',
          last_error_message: 'The person removed the app on the platform. Reconnect the account.',
          last_error_at: now,
          checked_at: now,
          updated_at: now,
          ...(options.deleteTokens ? { access_token_enc: null, refresh_token_enc: null } : {}),
        };
        const updated = await this.deps.accounts.update(row.id, changes, trx);
        if (!alreadyRevoked) {
          await this.deps.history.record(
            { workspaceId: row.workspace_id, accountId: row.id, at: now, actor: { type: 'system' }, kind: 'revoked', params: { signal: 'push', code: 'token_revoked' } },
            trx,
          );
        }
        const event = await this.deps.healthEvents.record(updated, trx);
        if (event) events.push(event);
      }
      this.deps.logger.info({ platform, accounts: events.length, deleteTokens: options.deleteTokens }, 'push signal: access removed');
      return events;
    });
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
