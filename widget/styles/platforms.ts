import { html, svg, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { platformLabel } from '../i18n/messages.ts';

export { platformLabel };

/**
 * The platforms' real marks (widget/styles/platform-marks.ts) load in their own small module,
 * requested as soon as the bundle runs (in parallel with the first request to the BFF, which
 * takes longer): until then a platform shows its plain disc.
 */
let marks: Record<string, { color: string; body: TemplateResult }> | null = null;
const marksReady = import('./platform-marks.ts').then(
  (m) => void (marks = m.MARKS),
  () => undefined,
);

/** Re-renders its host once the marks have arrived (for a host that rendered before). */
export class MarksController implements ReactiveController {
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  hostConnected(): void {
    if (!marks) void marksReady.then(() => this.host.requestUpdate());
  }
}

/** A platform's mark, decorative (its name is always written beside it). */
export function platformIcon(platform: string): TemplateResult {
  const mark = marks?.[platform];
  if (!mark) {
    return html`<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" part="platform-icon">${svg`<circle cx="12" cy="12" r="12" fill="#57606a"></circle>`}</svg>`;
  }
  return html`<svg class="mark ${platform}" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false" part="platform-icon" fill="currentColor" color=${mark.color}>${mark.body}</svg>`;
}
