import { html, svg, type TemplateResult } from 'lit';

// The names come from the BFF's platform catalog (plain data): one list for both sides.
import { PLATFORM_LABELS } from '../../contract/platforms.ts';

/** A platform's name as people read it; an unknown platform keeps its id. */
export function platformLabel(platform: string): string {
  return (PLATFORM_LABELS as Record<string, string>)[platform] ?? platform;
}

/** Small inline icons: no request leaves the page for them. */
const COLORS: Record<string, string> = {
  facebook: '#1877f2',
  instagram: '#d62976',
  tiktok: '#111111',
  x: '#000000',
  linkedin: '#0a66c2',
  telegram: '#229ed9',
  whatsapp: '#25d366',
};

export function platformIcon(platform: string): TemplateResult {
  const letter = platformLabel(platform).slice(0, 1);
  return html`<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" part="platform-icon">
    ${svg`<circle cx="8" cy="8" r="8" fill=${COLORS[platform] ?? '#57606a'}></circle>
    <text x="8" y="11.5" text-anchor="middle" font-size="10" font-family="system-ui, sans-serif" font-weight="700" fill="#fff">${letter}</text>`}
  </svg>`;
}
