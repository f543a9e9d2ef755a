import { useLocaleStore } from './localeStore';
import { type Locale, type MessageKey, translate } from './messages';

/** A translator: `t('kpi.oee')`, `t('kpi.latency', { value })`. */
export type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

/** The current locale and a translator bound to it; re-renders when the user switches language. */
export function useT(): { locale: Locale; t: Translate } {
  const locale = useLocaleStore((s) => s.locale);
  return { locale, t: (key, params) => translate(locale, key, params) };
}
