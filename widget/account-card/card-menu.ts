/**
 * A card's "More actions" menu: placing it beside its button within the viewport, and the
 * keys that move through it. Loaded on demand (the panel fetches it while the page is idle).
 */

const items = (menu: HTMLElement) => [...menu.querySelectorAll<HTMLButtonElement>('[role=menuitem]')];

/** Opens the menu beside its button (set through the CSSOM: a strict CSP blocks style attributes), focused on its first item; or closes it. */
export function toggleMenu(card: HTMLElement, menu: HTMLElement, button: HTMLElement): void {
  if (menu.matches(':popover-open')) return menu.hidePopover();
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
