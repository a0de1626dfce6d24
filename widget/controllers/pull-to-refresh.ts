import { css, type ReactiveController, type ReactiveControllerHost } from 'lit';

/** The pull's indicator (the panel shows it once this module is here). */
export const pullStyles = css`
  .pull {
    height: var(--cp-pull, 0px);
    overflow: hidden;
    display: grid;
    place-items: end center;
    font-size: 0.875rem;
    color: var(--cp-muted-color, #57606a);
    transition: height 0.15s ease-out;
  }
  .pull[data-state='idle'] {
    visibility: hidden;
  }
  .pull[data-state='pulling'],
  .pull[data-state='armed'] {
    transition: none;
  }
  @media (prefers-reduced-motion: reduce) {
    .pull {
      transition: none;
    }
  }
  @media (prefers-color-scheme: dark) {
    .pull {
      color: var(--cp-muted-color, #8b949e);
    }
  }
`;

export type PullState = 'idle' | 'pulling' | 'armed' | 'refreshing';

/** How far (px) a pull must go before letting go refreshes. */
export const PULL_THRESHOLD = 64;
/** The pull follows the finger at this fraction, and stops at twice the threshold. */
const RESISTANCE = 0.5;

/**
 * Pull down to refresh on touch screens: a downward drag that starts while the page is
 * scrolled to the top, and goes far enough, runs `refresh` on release. Listeners are passive,
 * so scrolling is never held up.
 */
export class PullToRefresh implements ReactiveController {
  state: PullState = 'idle';
  /** How far the pull has gone, in px (for the indicator). */
  distance = 0;
  #startY: number | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly refresh: () => Promise<void>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('touchstart', this.#start, { passive: true });
    this.host.addEventListener('touchmove', this.#move, { passive: true });
    this.host.addEventListener('touchend', this.#end);
    this.host.addEventListener('touchcancel', this.#cancel);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('touchstart', this.#start);
    this.host.removeEventListener('touchmove', this.#move);
    this.host.removeEventListener('touchend', this.#end);
    this.host.removeEventListener('touchcancel', this.#cancel);
  }

  /** A touch that began before this controller was there (it loads on demand): take it from its start. */
  begin(event: TouchEvent): void {
    this.#start(event);
  }

  #set(state: PullState, distance: number) {
    if (state === this.state && distance === this.distance) return;
    this.state = state;
    this.distance = distance;
    this.host.requestUpdate();
  }

  readonly #start = (event: TouchEvent) => {
    if (this.state === 'refreshing' || event.touches.length !== 1) return;
    // Only at the top of the page (and of a scrolled container the panel sits in).
    if (window.scrollY > 0 || (document.scrollingElement?.scrollTop ?? 0) > 0) return;
    this.#startY = event.touches[0]!.clientY;
  };

  readonly #move = (event: TouchEvent) => {
    if (this.#startY === null || this.state === 'refreshing') return;
    const dy = (event.touches[0]?.clientY ?? this.#startY) - this.#startY;
    if (dy <= 0) return this.#set('idle', 0);
    const distance = Math.min(dy * RESISTANCE, PULL_THRESHOLD * 2);
    this.#set(distance >= PULL_THRESHOLD ? 'armed' : 'pulling', distance);
  };

  readonly #end = () => {
    this.#startY = null;
    if (this.state !== 'armed') return this.#set('idle', 0);
    this.#set('refreshing', PULL_THRESHOLD);
    void this.refresh().finally(() => this.#set('idle', 0));
  };

  readonly #cancel = () => {
    this.#startY = null;
    if (this.state !== 'refreshing') this.#set('idle', 0);
  };
}
