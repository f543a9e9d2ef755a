import { createContext, useContext } from 'react';
import { type Locale, type MessageKey, translate } from './messages';

/** The showcase's locale, provided once at its root. */
export const LocaleContext = createContext<Locale>('en');

/** Translator bound to the current locale: `t('kpi.oee')`, `t('kpi.latency', { value })`. */
export function useT(): {
  locale: Locale;
  t: (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;
} {
  const locale = useContext(LocaleContext);
  return { locale, t: (key, params) => translate(locale, key, params) };
}
