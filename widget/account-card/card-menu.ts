/**
 * A card's "More actions" menu: placing it beside its button within the viewport, and the
 * keys that move through it. Loaded on demand (the panel fetches it while the page is idle).
 */

import { css } from 'lit';

/** How the menu looks (added to the card's styles when it first opens). */
export const menuStyles = css`
  [role='menu'] {
    position: fixed;
    inset: auto;
    margin: 0;
    min-width: 11rem;
    padding: 0.25rem;
    border: 1px solid var(--cp-border-color, #d0d7de);
    border-radius: 0.5rem;
    background: var(--cp-card-background, #fff);
    color: var(--cp-text-color, #1f2328);
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.16);
  }
  [role='menuitem'] {
    display: block;
    width: 100%;
    text-align: start;
    border: 0;
    background: transparent;
  }
  [role='menuitem']:hover,
  [role='menuitem']:focus-visible {
    background: var(--cp-button-background, #f6f8fa);
  }
  [role='menuitem'].danger {
    color: var(--cp-danger-color, #cf222e);
  }
  @media (prefers-color-scheme: dark) {
    [role='menu'] {
      background: var(--cp-card-background, #161b22);
      color: var(--cp-text-color, #e6edf3);
      border-color: var(--cp-border-color, #30363d);
    }
    [role='menuitem']:hover,
    [role='menuitem']:focus-visible {
      background: var(--cp-button-background, #21262d);
    }
    [role='menuitem'].danger {
      color: var(--cp-danger-color, #ff7b72);
    }
  }
`;

const items = (menu: HTMLElement) => [...menu.querySelectorAll<HTMLButtonElement>('[role=menuitem]')];

/** Opens the menu beside its button (set through the CSSOM: a strict CSP blocks style attributes), focused on its first item; or closes it. */
export function toggleMenu(card: HTMLElement, menu: HTMLElement, button: HTMLElement): void {
  if (menu.matches(':popover-open')) return menu.hidePopover();
  const root = card.shadowRoot!;
  const sheet = menuStyles.styleSheet!;
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  const box = button.getBoundingClientRect();
  const rtl = getComputedStyle(card).direction === 'rtl';
  menu.showPopover();
  const width = menu.offsetWidth;
  const left = rtl ? box.left : box.right - width;
  menu.style.setProperty('left', `${Math.max(8, Math.min(left, window.innerWidth - width - 8))}px`);
  const below = box.bottom + 4;
  const height = menu.offsetHeight;
  menu.style.setProperty('top', `${below + height > window.innerHeight - 8 ? Math.max(8, box.top - height - 4) : below}px`);
  items(menu)[0]?.focus();
}

/** Arrow keys, Home and End move through the items; Tab leaves the menu and closes it. */
export function onMenuKey(event: KeyboardEvent, menu: HTMLElement): void {
  const list = items(menu);
  const at = list.indexOf((menu.getRootNode() as ShadowRoot).activeElement as HTMLButtonElement);
  const go = (i: number) => list[(i + list.length) % list.length]?.focus();
  if (event.key === 'ArrowDown') go(at + 1);
  else if (event.key === 'ArrowUp') go(at - 1);
  else if (event.key === 'Home') go(0);
  else if (event.key === 'End') go(list.length - 1);
  else if (event.key === 'Tab') menu.hidePopover();
  else return;
  event.preventDefault();
}
