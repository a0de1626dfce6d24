import { configureLocalization, msg, str, type LocaleModule } from '@lit/localize';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The widget's languages: English in the source, the others loaded on demand (each one its
 * own small module next to the bundle), so the script-tag bundle carries English only.
 * The @lit/localize runtime is page-wide: every widget element on a page speaks one language
 * (the one asked for last), and re-renders when it has loaded.
 */
export const LOCALES = ['en', 'de', 'es', 'fr', 'ja', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];
const RTL: ReadonlySet<string> = new Set(['ar']);

const loaders: Record<Exclude<Locale, 'en'>, () => Promise<LocaleModule>> = {
  de: () => import('./locales/de.ts'),
  es: () => import('./locales/es.ts'),
  fr: () => import('./locales/fr.ts'),
  ja: () => import('./locales/ja.ts'),
  ar: () => import('./locales/ar.ts'),
};

const { getLocale, setLocale } = configureLocalization({
  sourceLocale: 'en',
  targetLocales: Object.keys(loaders),
  loadLocale: (locale) => loaders[locale as Exclude<Locale, 'en'>](),
});

export { msg, str };

/** The language being shown now. */
export const currentLocale = (): Locale => getLocale() as Locale;

/** The supported language closest to a BCP 47 tag (`de-AT` -> `de`); English when none is. */
export function supportedLocale(tag: string | null | undefined): Locale {
  const lower = (tag ?? '').trim().toLowerCase();
  if ((LOCALES as readonly string[]).includes(lower)) return lower as Locale;
  const language = lower.split(/[-_]/)[0] ?? '';
  return (LOCALES as readonly string[]).includes(language) ? (language as Locale) : 'en';
}

/** The nearest `lang` above an element, across shadow roots (a host may nest the widget in its own). */
export function nearestLang(el: Element): string | null {
  for (let node: Node | null = el; node; ) {
    if (node instanceof Element && node.hasAttribute('lang')) return node.getAttribute('lang');
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return null;
}

/**
 * Keeps an element's language: its `locale` property (the attribute), else the nearest
 * `lang` (watched, so a host that switches its page's language switches the widget).
 */
export class LocaleController implements ReactiveController {
  #observer: MutationObserver | null = null;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement & { locale: string }) {
    host.addController(this);
  }

  /** The language the element asked for. */
  get wanted(): Locale {
    return supportedLocale(this.host.locale || nearestLang(this.host));
  }

  hostConnected(): void {
    this.#observer = new MutationObserver(() => this.apply());
    this.#observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = null;
    this.#asked = null;
  }

  hostUpdate(): void {
    this.apply();
  }

  #asked: Locale | null = null;

  /**
   * Asks the runtime for the element's language (loading it once, on demand) when what the
   * element wants changed: two elements that want different languages take turns by their
   * last change, never back and forth.
   */
  apply(): Promise<void> {
    const wanted = this.wanted;
    if (wanted === this.#asked) return Promise.resolve();
    this.#asked = wanted;
    return wanted === currentLocale() ? Promise.resolve() : setLocale(wanted).catch(() => undefined);
  }
}

/** The `dir` and `lang` the widget's own root carries, for the language shown. */
export const direction = (): 'rtl' | 'ltr' => (RTL.has(currentLocale()) ? 'rtl' : 'ltr');

// Formatters are costly to build: one per locale and kind.
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.PluralRules | Intl.ListFormat>();
function cached<T>(key: string, make: () => T): T {
  const k = `${currentLocale()}|${key}`;
  let f = cache.get(k) as T | undefined;
  if (!f) cache.set(k, (f = make()) as never);
  return f;
}

/** A count in the language's digits. */
export const formatNumber = (n: number): string => cached('n', () => new Intl.NumberFormat(currentLocale())).format(n);

/** A date and time, e.g. "24 Nov 2026, 10:42". */
export const formatDateTime = (iso: string): string => cached('dt', () => new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' })).format(new Date(iso));

/** A date, e.g. "24 Nov 2026". */
export const formatDate = (iso: string): string => cached('d', () => new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium' })).format(new Date(iso));

/** A list, e.g. "a, b and c". */
export const formatList = (items: string[]): string => cached('l', () => new Intl.ListFormat(currentLocale(), { type: 'conjunction' })).format(items);

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** How long ago (or ahead) a moment is, e.g. "3 days ago", "in 2 hours"; under a minute: "just now". */
export function formatRelative(iso: string, now = Date.now()): string {
  const diff = new Date(iso).getTime() - now;
  const rtf = cached('r', () => new Intl.RelativeTimeFormat(currentLocale(), { numeric: 'auto' }));
  for (const [unit, ms] of UNITS) if (Math.abs(diff) >= ms) return rtf.format(Math.round(diff / ms), unit);
  return msg('just now');
}

/**
 * A message with plural forms. English gives `one` and `other`; each language's module gives
 * the forms its plural rules have (`<id>.zero`, `.one`, `.two`, `.few`, `.many`, `.other`),
 * chosen through Intl.PluralRules.
 */
/** The language's plural category for a count (`one`, `few`, `other`...). */
export const pluralCategory = (n: number): Intl.LDMLPluralRule => cached('p', () => new Intl.PluralRules(currentLocale())).select(n);

export function plural(n: number, id: string, forms: { one: ReturnType<typeof str> | string; other: ReturnType<typeof str> | string }): string {
  const category = pluralCategory(n);
  const english = category === 'one' ? forms.one : forms.other;
  return msg(english as ReturnType<typeof str>, { id: `${id}.${category}` });
}
