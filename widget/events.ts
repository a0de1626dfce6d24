import type { Account } from './api/api-client.ts';

/**
 * Every event the widget dispatches: `cp-` prefixed, bubbling and composed so a host page can
 * listen on the element. Those that ask permission are cancelable.
 */

/** Before opening the composer: cancel it to route to the composer yourself. */
export class CpCreatePostEvent extends Event {
  static readonly type = 'cp-create-post';
  constructor(readonly accountId: string) {
    super(CpCreatePostEvent.type, { bubbles: true, composed: true, cancelable: true });
  }
}

/** A card asks for an account's details, reconnect or disconnect. */
export class CpAccountActionEvent extends Event {
  static readonly type = 'cp-account-action';
  constructor(
    readonly accountId: string,
    readonly action: 'details' | 'reconnect' | 'disconnect',
  ) {
    super(CpAccountActionEvent.type, { bubbles: true, composed: true });
  }
}

/** The panel read the accounts (first load, or after a change): a host can keep other views in step. */
export class CpAccountsChangedEvent extends Event {
  static readonly type = 'cp-accounts-changed';
  constructor(readonly accounts: readonly Account[]) {
    super(CpAccountsChangedEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cp-create-post': CpCreatePostEvent;
    'cp-account-action': CpAccountActionEvent;
    'cp-accounts-changed': CpAccountsChangedEvent;
  }
}
