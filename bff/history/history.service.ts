import type { Transaction } from 'kysely';
import { HISTORY_TEXTS, type ActorType, type HistoryKind, type HistoryParams } from '../../contract/history.ts';
import type { HistoryEntry, HistoryPage } from '../../contract/types.ts';
import type { AccountHistoryRow, Database } from '../db/database.ts';
import { isoString } from '../iso.ts';
import { decodeCursor, encodeCursor } from '../paging.ts';
import type { HistoryRepository } from './history.repository.ts';

export interface Actor {
  type: ActorType;
  id?: string | null;
  name?: string | null;
}

export interface HistoryRecord {
  workspaceId: string;
  accountId: string;
  kind: HistoryKind;
  at: Date;
  actor?: Actor | null;
  /** Plain values the message is built from; never a token. */
  params?: HistoryParams;
}

export const HISTORY_PAGE_SIZE = 50;
export const AUDIT_PAGE_SIZE = 500;

function toEntry(row: AccountHistoryRow): HistoryEntry {
  return {
    id: String(row.id),
    accountId: row.account_id,
    at: isoString(row.at),
    kind: row.kind as HistoryKind,
    message: row.message,
    actor: row.actor ? { type: row.actor.type as ActorType, id: row.actor.id ?? null, name: row.actor.name ?? null } : null,
    params: (row.params ?? {}) as HistoryEntry['params'],
  };
}

/**
 * Each account's history: every change recorded as it happens, in the same transaction as the
 * change (callers pass theirs), so an entry exists exactly when its change does.
 */
export class HistoryService {
  constructor(private readonly entries: HistoryRepository) {}

  async record(entry: HistoryRecord, trx: Transaction<Database>): Promise<void> {
    const params = entry.params ?? {};
    await this.entries.insert(
      {
        workspaceId: entry.workspaceId,
        accountId: entry.accountId,
        at: entry.at,
        kind: entry.kind,
        message: HISTORY_TEXTS[entry.kind](params),
        actor: entry.actor ? { type: entry.actor.type, id: entry.actor.id ?? null, name: entry.actor.name ?? null } : null,
        params,
      },
      trx,
    );
  }

  /** An account's timeline, newest first, a page at a time. */
  async page(workspaceId: string, accountId: string, after: string | undefined, limit = HISTORY_PAGE_SIZE): Promise<HistoryPage> {
    const rows = await this.entries.forAccount(workspaceId, accountId, after === undefined ? null : decodeCursor('hist', after), limit + 1);
    const page = rows.slice(0, limit);
    return { entries: page.map(toEntry), cursor: rows.length > limit ? encodeCursor('hist', String(page.at(-1)!.id)) : null };
  }

  /** A workspace's entries for export, oldest first, a page at a time. */
  async audit(workspaceId: string, after: string | undefined, limit = AUDIT_PAGE_SIZE): Promise<HistoryPage> {
    const rows = await this.entries.forWorkspace(workspaceId, after === undefined ? null : decodeCursor('audit', after), limit + 1);
    const page = rows.slice(0, limit);
    return { entries: page.map(toEntry), cursor: rows.length > limit ? encodeCursor('audit', String(page.at(-1)!.id)) : null };
  }
}

/** Which scopes a reconnect, renewal or check found granted anew and which gone (nothing when unchanged). */
export function scopeChange(before: readonly string[], after: readonly string[] | undefined): { added?: string[]; removed?: string[] } {
  if (!after) return {};
  const added = after.filter((s) => !before.includes(s));
  const removed = before.filter((s) => !after.includes(s));
  return added.length > 0 || removed.length > 0 ? { added, removed } : {};
}
