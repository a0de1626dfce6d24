import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiClient, AttemptResult, AttemptStarted, ConnectMode } from '../api/api-client.ts';
import { formatNumber, msg, plural, str } from '../i18n/i18n.ts';
import { describeError, errorText } from '../i18n/messages.ts';
import type { Tone } from './toasts.ts';

export type Choices = NonNullable<AttemptResult['choices']>;
type Started = AttemptStarted;
/** Starts one connection or reconnection at the BFF in the given mode. */
export type Starter = (mode: ConnectMode, returnTo?: string) => Promise<Started>;

export interface OAuthFlowOptions {
  client: () => ApiClient | null;
  /** The BFF's origin: the only one whose messages are taken. */
  bffOrigin: () => string | null;
  openWindow: (url: string) => Window | null;
  /** Posts the start form into the pop-up, or into this window (null) for the redirect flow. */
  submit: (started: Started, target: Window | null) => void;
  /** Whether OAuth should run as a full redirect (narrow screens) rather than in a pop-up. */
  preferRedirect: () => boolean;
  /**
   * An outcome or a step to tell the person: one message per attempt (each replaces the
   * last), with its tone and the accounts it is about.
   */
  say: (text: string, tone: Tone, accountIds?: string[]) => void;
  /**
   * A grant covers several Pages / accounts / organizations: resolve with the ids picked, or
   * null. `problem` says why the previous pick was refused (over the limit).
   */
  choose: (label: string, choices: Choices, problem?: string) => Promise<string[] | null>;
  /** An attempt finished (connected, failed or abandoned): time to re-read the accounts. */
  settled: () => void;
}

/** The redirect flow's return: the BFF appends these to the page's URL. */
const RETURN_PARAMS = ['cp_attempt', 'cp_status'] as const;
/** How often a pop-up is checked for having been closed. */
const POPUP_POLL_MS = 400;

/**
 * Runs OAuth for the panel from the click to the outcome. The pop-up opens in the click
 * itself (so blockers allow it), blank, and receives the BFF's start form (a POST carrying
 * the one-time secret) once the start answer is known; a
 * blocked pop-up offers the redirect flow in one click; narrow screens use the redirect flow
 * directly. The outcome arrives by postMessage from the BFF's origin, by the redirect back
 * (`?cp_attempt=`), or, when the pop-up closes without a message, by asking the BFF: any one
 * is enough, and each attempt is settled once. A grant with several accounts goes through
 * the choice step.
 */
export class OAuthFlow implements ReactiveController {
  /** The fallback offered when the pop-up was blocked. */
  blocked: Starter | null = null;
  #active: { attemptId: string; label: string; timer: ReturnType<typeof setInterval> } | null = null;
  #settled = new Set<string>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: OAuthFlowOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('message', this.#onMessage);
    void this.#resumeFromRedirect();
  }

  hostDisconnected(): void {
    window.removeEventListener('message', this.#onMessage);
    this.#stopWatching();
  }

  /** Starts a connection (or reconnection) from a click. */
  async start(label: string, start: Starter, advice: string): Promise<void> {
    if (this.options.preferRedirect()) return this.#redirect(start);
    const popup = this.options.openWindow('about:blank');
    if (!popup) {
      this.blocked = start;
      this.options.say(msg(str`Pop-ups are blocked, so ${label} cannot open in a new window.`), 'warning');
      this.host.requestUpdate();
      return;
    }
    this.#setBlocked(null);
    try {
      const started = await start('popup');
      if (popup.closed) {
        this.options.say(msg(str`The ${label} window was closed before finishing. Nothing was changed.`), 'info');
        return;
      }
      this.options.submit(started, popup);
      const { attemptId } = started;
      this.options.say(advice, 'info');
      this.#watch(attemptId, label, popup);
    } catch (err) {
      popup.close();
      this.options.say(describeError(err, { platform: label }), 'error');
    }
  }

  /** The one-click fallback for a blocked pop-up: OAuth as a full redirect that returns here. */
  async continueInThisTab(): Promise<void> {
    const start = this.blocked;
    if (!start) return;
    this.#setBlocked(null);
    await this.#redirect(start);
  }

  async #redirect(start: Starter): Promise<void> {
    try {
      this.options.submit(await start('redirect', pageUrlWithout(RETURN_PARAMS)), null);
    } catch (err) {
      this.options.say(describeError(err), 'error');
    }
  }

  #setBlocked(start: Starter | null) {
    this.blocked = start;
    this.host.requestUpdate();
  }

  /** Notices a pop-up closed before any result came, and asks the BFF what became of it. */
  #watch(attemptId: string, label: string, popup: Window) {
    this.#stopWatching();
    const timer = setInterval(() => {
      if (!popup.closed) return;
      this.#stopWatching();
      // The callback page posts its message just before it closes: give it a moment to land.
      setTimeout(() => void this.#askAbout(attemptId, label, true), 250);
    }, POPUP_POLL_MS);
    this.#active = { attemptId, label, timer };
  }

  #stopWatching() {
    if (this.#active) clearInterval(this.#active.timer);
    this.#active = null;
  }

  async #askAbout(attemptId: string, label: string, popupClosed: boolean) {
    if (this.#settled.has(attemptId)) return;
    const client = this.options.client();
    if (!client) return;
    try {
      const status = await client.connectionStatus(attemptId);
      if (status.status === 'pending') {
        if (popupClosed) {
          this.#settled.add(attemptId);
          this.options.say(msg(str`The ${label} window was closed before finishing. Nothing was changed.`), 'info');
        }
        return;
      }
      await this.#handle({ attemptId, ...status }, label);
    } catch (err) {
      this.options.say(describeError(err), 'error');
    }
  }

  readonly #onMessage = (event: MessageEvent) => {
    const origin = this.options.bffOrigin();
    const data = event.data as Partial<AttemptResult> & { source?: unknown; type?: unknown };
    if (!origin || event.origin !== origin) return;
    if (data?.source !== 'connections-panel' || data.type !== 'oauth-result' || typeof data.attemptId !== 'string') return;
    const label = this.#active?.attemptId === data.attemptId ? this.#active.label : 'the platform';
    if (this.#active?.attemptId === data.attemptId) this.#stopWatching();
    void this.#handle(data as AttemptResult, label);
  };

  /** Back from the redirect flow: read the attempt's outcome and tidy the page's URL. */
  async #resumeFromRedirect() {
    const url = new URL(window.location.href);
    const attemptId = url.searchParams.get('cp_attempt');
    if (!attemptId) return;
    history.replaceState(history.state, '', tidy(pageUrlWithout(RETURN_PARAMS)));
    // The client may arrive a moment after the element connects (a property set later).
    for (let i = 0; i < 50 && !this.options.client(); i++) await new Promise((r) => setTimeout(r, 20));
    await this.#askAbout(attemptId, 'the platform', false);
  }

  async #handle(result: AttemptResult, label: string) {
    if (this.#settled.has(result.attemptId)) return;
    this.#settled.add(result.attemptId);
    if (result.status === 'failed') {
      const e = result.error;
      this.options.say(e ? errorText(e.code, e.message, e.params, { platform: label }) : msg('The connection did not go through. Nothing was changed.'), 'error');
    } else if (result.status === 'connected') {
      const n = result.accountIds?.length ?? 1;
      this.options.say(connectedText(n), 'success', result.accountIds);
    } else if (result.status === 'choose') {
      await this.#choose(result, label);
    } else {
      this.#settled.delete(result.attemptId); // still pending: not an outcome
      return;
    }
    this.options.settled();
  }

  /** The choice step: the person picks which Pages / accounts / organizations to add. */
  async #choose(result: AttemptResult, label: string) {
    const client = this.options.client();
    if (!client) return;
    const choices = result.choices ?? (await client.connectionStatus(result.attemptId)).choices ?? [];
    let problem: string | undefined;
    for (;;) {
      const ids = await this.options.choose(label, choices, problem);
      if (!ids || ids.length === 0) {
        this.options.say(msg('Nothing was added.'), 'info');
        return;
      }
      try {
        const { accountIds } = await client.selectAccounts(result.attemptId, ids);
        this.options.say(addedText(accountIds.length), 'success', accountIds);
        return;
      } catch (err) {
        // Over the limit: pick fewer. Anything else (expired, already added): say why.
        if ((err as { code?: string }).code === 'account_limit_reached') {
          problem = describeError(err);
          continue;
        }
        this.options.say(describeError(err), 'error');
        return;
      }
    }
  }
}

const connectedText = (n: number) => plural(n, 'oauth-connected', { one: str`Connected ${formatNumber(n)} account.`, other: str`Connected ${formatNumber(n)} accounts.` });
const addedText = (n: number) => plural(n, 'oauth-added', { one: str`Added ${formatNumber(n)} account.`, other: str`Added ${formatNumber(n)} accounts.` });

/** Without the `#_=_` (or `#_`) that Facebook appends to a redirect: nothing of the page's own. */
function tidy(href: string): string {
  const url = new URL(href);
  if (url.hash === '#_=_' || url.hash === '#_') url.hash = '';
  return url.href.replace(/#$/, '');
}

/** The page's own URL without the given query parameters. */
function pageUrlWithout(names: readonly string[]): string {
  const url = new URL(window.location.href);
  for (const name of names) url.searchParams.delete(name);
  return url.href;
}
