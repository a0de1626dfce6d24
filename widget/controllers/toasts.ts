import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type Tone = 'info' | 'success' | 'warning' | 'error';

export interface Toast {
  id: string;
  /** Its words, or how to say them (said again when the language changes). */
  text: string | (() => string);
  tone: Tone;
  /** The account it is about: warnings offer Reconnect and a link to it. */
  accountId?: string | null;
  /** An error's code: the toast links its entry in the error reference. */
  code?: string | null;
}

/** At most this many informational toasts are on screen; warnings are never pushed out by them. */
export const MAX_INFO_TOASTS = 3;

/**
 * The panel's notifications: one per outcome, in a fixed stack the person sees wherever the
 * page is scrolled. Informational ones (success, info) leave by themselves after
 * `durationMs` (held while hovered or focused); warnings and errors stay until acted on or
 * dismissed, and never make way for newer informational ones. A new toast about the same
 * account and with the same words replaces the older one.
 */
export class Toasts implements ReactiveController {
  items: Toast[] = [];
  durationMs = 6000;
  #timers = new Map<string, ReturnType<typeof setTimeout>>();
  #held = false;
  #next = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }

  show(toast: Omit<Toast, 'id'> & { id?: string }): Toast {
    const t: Toast = { ...toast, id: toast.id ?? `t${++this.#next}` };
    const sticky = (x: Toast) => x.tone === 'warning' || x.tone === 'error';
    let items = this.items.filter((x) => x.id !== t.id && !(toastText(x) === toastText(t) && (x.accountId ?? null) === (t.accountId ?? null)));
    // A warning about an account that is now fine is old news: a newer word about it replaces it.
    if (t.accountId) items = items.filter((x) => x.accountId !== t.accountId || (sticky(x) && sticky(t)));
    items.push(t);
    const info = items.filter((x) => !sticky(x));
    for (const old of info.slice(0, Math.max(0, info.length - MAX_INFO_TOASTS))) items = items.filter((x) => x !== old);
    this.#set(items);
    if (!sticky(t)) this.#arm(t.id);
    return t;
  }

  dismiss(id: string): void {
    this.#set(this.items.filter((x) => x.id !== id));
  }

  /** Dismisses the toasts about an account (once it is acted on). */
  dismissAbout(accountId: string): void {
    this.#set(this.items.filter((x) => x.accountId !== accountId));
  }

  /** Hovered or focused: informational toasts stay while the person reads them. */
  hold(held: boolean): void {
    this.#held = held;
    if (held) {
      for (const t of this.#timers.values()) clearTimeout(t);
      this.#timers.clear();
    } else {
      for (const t of this.items) if (t.tone === 'info' || t.tone === 'success') this.#arm(t.id);
    }
  }

  #arm(id: string) {
    if (this.#held) return;
    clearTimeout(this.#timers.get(id));
    this.#timers.set(
      id,
      setTimeout(() => this.dismiss(id), this.durationMs),
    );
  }

  #set(items: Toast[]) {
    for (const [id, timer] of this.#timers) {
      if (!items.some((x) => x.id === id)) {
        clearTimeout(timer);
        this.#timers.delete(id);
      }
    }
    this.items = items;
    this.host.requestUpdate();
  }
}

/** A toast's words in the language shown now. */
export const toastText = (t: Pick<Toast, 'text'>): string => (typeof t.text === 'function' ? t.text() : t.text);
