import { LOCALES, type Locale } from './messages';

/**
 * The showcase's language: `?lang=` when it names a catalog locale (`zh-CN`, `zh`, `en`), else
 * the browser's first language that the catalog has, else English.
 */
export function pickLocale(search: string, languages: readonly string[]): Locale {
  const lang = new URLSearchParams(search).get('lang');
  const candidates = lang ? [lang, ...languages] : languages;
  for (const c of candidates) {
    const found = matchLocale(c);
    if (found) return found;
  }
  return 'en';
}

function matchLocale(tag: string): Locale | null {
  const t = tag.toLowerCase();
  const exact = LOCALES.find((l) => l.toLowerCase() === t);
  if (exact) return exact;
  // Simplified Chinese by default for any Chinese tag except the traditional scripts/regions.
  if (t.startsWith('zh') && !/hant|tw|hk|mo/.test(t)) return 'zh-CN';
  if (t.startsWith('en')) return 'en';
  return null;
}

/** Intl number formatters per locale and decimal count (costly to build, cheap to reuse). */
const formats = new Map<string, Intl.NumberFormat>();

/** A number with fixed decimals and locale grouping; an en dash when not finite. */
export function formatLocaleNumber(locale: Locale, value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return '–';
  const key = `${locale}|${decimals}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    formats.set(key, f);
  }
  return f.format(value);
}
