import type { ConnectionsPanel } from '../../../widget/connections-panel/connections-panel.ts';

/** An element's text (its shadow root's when it has one), whitespace folded. */
export const textOf = (el: Element) => (el.shadowRoot ?? el).textContent!.replace(/\s+/g, ' ');

/** A button's words (an icon's SVG text left out). */
const words = (b: Element) =>
  [...b.childNodes]
    .filter((n) => n.nodeType === Node.TEXT_NODE || (n.nodeType === Node.ELEMENT_NODE && n.nodeName.toLowerCase() !== 'svg'))
    .map((n) => n.textContent)
    .join('')
    .trim();

/** A button by its words. */
export const button = (root: ParentNode, label: string) => [...root.querySelectorAll('button')].find((b) => words(b) === label) as HTMLButtonElement | undefined;

/** The panel's account cards, in order. */
export const cards = (el: ConnectionsPanel) => [...el.shadowRoot!.querySelectorAll('cp-account-card')];
