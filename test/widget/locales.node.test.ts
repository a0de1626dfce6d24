import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMsgId } from '@lit/localize/internal/id-generation.js';
import { codeMessages } from '../../widget/i18n/locales/codes.en.ts';
import { LOCALES } from '../../widget/i18n/i18n.ts';
import { EVENT_TEXTS } from '../../contract/events.ts';

/**
 * Every language has every message: each English text of a msg() in the widget's source, each
 * plural form its plural rules need, each message said from a BFF code; with the same values.
 */

const widget = fileURLToPath(new URL('../../widget/', import.meta.url));
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? (f === 'locales' ? [] : sources(p)) : p.endsWith('.ts') ? [p] : [];
  });

/** The English of each msg(): a string, or a str`` template with its values as {0}, {1}... */
function englishTexts(): Map<string, string> {
  const texts = new Map<string, string>();
  for (const file of sources(widget)) {
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/msg\(\s*(?:'((?:\\.|[^'])*)'|str`((?:\\.|[^`])*)`)\s*\)/g)) {
      const english = m[1] !== undefined ? m[1].replace(/\\'/g, "'") : (() => {
        let i = 0;
        return m[2]!.replace(/\$\{(?:[^{}]|\{[^}]*\})*\}/g, () => `{${i++}}`);
      })();
      texts.set(english, path.relative(widget, file));
    }
  }
  return texts;
}

/** The explicit plural ids of plural(n, 'id', ...) calls, with the values of their English. */
function pluralIds(): Map<string, number> {
  const ids = new Map<string, number>();
  for (const file of sources(widget)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/plural\(\s*[^,]+?,\s*'([^']+)',\s*\{\s*one:\s*str`([^`]*)`/g)) ids.set(m[1]!, (m[2]!.match(/\$\{/g) ?? []).length);
  }
  return ids;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
const idOf = (english: string) => generateMsgId(english.includes('{') ? english.split(/\{\d+\}/) : english, false);

describe('the languages', () => {
  const texts = englishTexts();
  const plurals = pluralIds();

  it('finds the widget\'s messages', () => {
    assert.ok(texts.size > 100, `${texts.size} messages`);
    assert.ok(plurals.has('attention'));
  });

  for (const locale of LOCALES.filter((l) => l !== 'en')) {
    it(`${locale} has every message, plural form and code, with the same values`, async () => {
      const { templates } = (await import(`../../widget/i18n/locales/${locale}.ts`)) as { templates: Record<string, string | { strings: string[]; values: number[] }> };
      const valuesOf = (t: string | { values: number[] } | undefined) => (t === undefined ? null : typeof t === 'string' ? placeholders(t) : t.values.map(String).sort().join(','));
      const missing: string[] = [];
      for (const [english, file] of texts) {
        const t = templates[idOf(english)];
        if (!t) missing.push(`${file}: ${english}`);
        else assert.equal(valuesOf(t), placeholders(english), `values of "${english}"`);
      }
      assert.deepEqual(missing, [], `${locale} lacks these`);
      const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      for (const [id, values] of plurals) {
        for (const c of categories) {
          const t = templates[`${id}.${c}`];
          assert.ok(t, `${locale} lacks ${id}.${c}`);
          assert.ok((valuesOf(t)?.split(',').filter(Boolean).length ?? 0) <= values, `${id}.${c} has no value the English lacks`);
        }
      }
      for (const [id, english] of Object.entries(codeMessages)) {
        if (id.startsWith('event.token_expiring.')) continue;
        const t = templates[id];
        assert.ok(typeof t === 'string', `${locale} lacks ${id}`);
        assert.equal(placeholders(t), placeholders(english), `values of ${id}`);
      }
      for (const c of categories) assert.ok(templates[`event.token_expiring.${c}`], `${locale} lacks event.token_expiring.${c}`);
    });
  }

  it('keeps the English reference of the BFF\'s events word for word (the seed\'s toast texts)', () => {
    for (const [type, text] of Object.entries(EVENT_TEXTS)) {
      if (type === 'token_expiring') {
        assert.equal(codeMessages['event.token_expiring.other'], text({ name: '{name}', days: '{days}' as unknown as number }).replace('{days} days', '{days} days'), type);
        continue;
      }
      assert.equal(codeMessages[`event.${type}`], text({ name: '{name}' }), type);
    }
  });
});
