import type { LocaleModule } from '@lit/localize';
import { generateMsgId } from '@lit/localize/internal/id-generation.js';

/**
 * A language's messages as plain strings, `{0}`, `{1}`... standing for the English source's
 * values in their order (so a translation can move them), turned into the @lit/localize
 * runtime's templates. `texts` are keyed by the English source text itself (the id the
 * runtime derives from a `msg()` template, so the bundle carries no ids); `ids` by the explicit
 * id of messages said from a BFF code or with plural forms (`<id>.<plural category>`).
 * This module loads with the languages, never in the English bundle.
 */
export function catalog(texts: Record<string, string>, ids: Record<string, string>): LocaleModule {
  const templates: Record<string, unknown> = {};
  for (const [english, text] of Object.entries(texts)) templates[generateMsgId(english.includes('{') ? english.split(/\{\d+\}/) : english, false)] = template(text);
  for (const [id, text] of Object.entries(ids)) templates[id] = template(text);
  return { templates } as LocaleModule;
}

function template(text: string): unknown {
  const parts = text.split(/\{(\d+)\}/);
  if (parts.length === 1) return text;
  const strings: string[] = [];
  const values: number[] = [];
  parts.forEach((part, i) => (i % 2 === 0 ? strings.push(part) : values.push(Number(part))));
  return { strTag: true, strings, values };
}
