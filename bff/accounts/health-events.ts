import type { Transaction } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Database, EventRow, SocialAccountRow } from '../db/database.ts';
import type { EventService, EventType } from '../events/events.ts';
import type { AccountRepository } from './account.repository.ts';
import { accountHealth } from './account.view.ts';

/**
 * Turns health changes into events, exactly one per change. The account remembers the health
 * it last announced (notified_health / notified_reason); when the derived health differs,
 * the first instance to move that marker writes the event, and everyone else writes nothing.
 *
 * Turning amber writes `token_expired` when the reason is token_expired, else
 * `reconnect_required`; turning green again writes `account_recovered`. A reason changing
 * while the account stays amber moves the marker without a second toast.
 */
export class HealthEvents {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly events: EventService,
    private readonly clock: Clock,
  ) {}

  async record(row: SocialAccountRow, trx: Transaction<Database>, options: { announceRecovery?: boolean } = {}): Promise<EventRow | undefined> {
    const now = this.clock.now();
    const { health, reason } = accountHealth(row, now);
    const from = { health: row.notified_health, reason: row.notified_reason };
    if (from.health === health && from.reason === reason) return undefined;
    const claimed = await this.accounts.markNotified(row.id, from, { health, reason }, trx);
    if (!claimed) return undefined;
    let type: EventType | null = null;
    if (health === 'needs_reconnect' && from.health !== 'needs_reconnect') type = reason === 'token_expired' ? 'token_expired' : 'reconnect_required';
    if (health === 'healthy' && from.health === 'needs_reconnect' && options.announceRecovery !== false) type = 'account_recovered';
    if (!type) return undefined;
    return this.events.record(
      { workspaceId: row.workspace_id, accountId: row.id, type, accountName: row.display_name, dedupeKey: `${type}:${row.id}:${now.toISOString()}`, at: now },
      trx,
    );
  }
}
