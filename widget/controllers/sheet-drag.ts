/** How far (px) a bottom sheet must be dragged down before letting go closes it. */
export const SHEET_CLOSE_DISTANCE = 96;

/**
 * Drag a bottom sheet down by its handle: the sheet follows the finger (through the CSSOM,
 * never a style attribute) and closes when let go far enough down; otherwise it springs back.
 * Returns the handle's pointer listeners.
 */
export function sheetDrag(sheet: () => HTMLElement | null, close: () => void) {
  let startY: number | null = null;
  let dy = 0;
  const move = (y: number) => {
    dy = Math.max(0, y - (startY ?? y));
    sheet()?.style.setProperty('transform', dy ? `translateY(${dy}px)` : '');
  };
  return {
    pointerdown: (e: PointerEvent) => {
      startY = e.clientY;
      dy = 0;
      (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
    },
    pointermove: (e: PointerEvent) => {
      if (startY !== null) move(e.clientY);
    },
    pointerup: () => {
      const far = dy >= SHEET_CLOSE_DISTANCE;
      startY = null;
      sheet()?.style.removeProperty('transform');
      if (far) close();
      dy = 0;
    },
    pointercancel: () => {
      startY = null;
      dy = 0;
      sheet()?.style.removeProperty('transform');
    },
  };
}

/** Whether a click on a modal dialog landed on its backdrop (outside the dialog's box). */
export function onBackdrop(event: MouseEvent, dialog: HTMLDialogElement): boolean {
  if (event.target !== dialog) return false;
  const r = dialog.getBoundingClientRect();
  return event.clientX < r.left || event.clientX > r.right || event.clientY < r.top || event.clientY > r.bottom;
}
