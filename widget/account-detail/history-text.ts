import type { HistoryEntry, MessageParams } from '../api/api-client.ts';
import { msg } from '../i18n/i18n.ts';
import { say, text } from '../i18n/messages.ts';

/** The words of an account's history (only the detail panel shows it: loaded with it). */

/** Who made a history entry's change, in words. */
export function actorName(actor: HistoryEntry['actor']): string | null {
  if (!actor) return null;
  if (actor.name) return actor.name;
  switch (actor.type) {
    case 'link':
      return msg('the owner, through a reconnect link');
    case 'platform':
      return msg('the platform');
    case 'host':
      return msg('the host app');
    case 'system':
      return null;
    default:
      return actor.id;
  }
}

/** One entry of an account's history, from its kind and parameters (`{code}`; a reconnect through a link, a permanent failure). */
export function historyText(e: HistoryEntry): string {
  const p = (e.params ?? {}) as MessageParams;
  const variant = e.actor?.type === 'link' || text(p.via) === 'link' ? '.link' : String(p.permanent) === 'true' ? '.permanent' : '';
  return say(`history.${e.kind}${variant}`, e.message, p);
}
