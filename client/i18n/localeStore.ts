import { create } from 'zustand';
import { pickLocale } from './locale';
import { LOCALES, type Locale } from './messages';

/**
 * The reader's language, live: every translated component reads it, so switching it re-renders
 * the HUD once. `pinned` is true when the page was opened with `?lang=`: the URL then wins over
 * the language remembered on the server, for this page load.
 */
export interface LocaleState {
  locale: Locale;
  pinned: boolean;
  /** Sets the language (the user chose it, or the server remembered it). */
  setLocale: (locale: Locale) => void;
}

/** Whether a value names a catalog locale. */
export function isLocale(x: unknown): x is Locale {
  return typeof x === 'string' && (LOCALES as readonly string[]).includes(x);
}

function initial(): { locale: Locale; pinned: boolean } {
  if (typeof window === 'undefined') return { locale: 'en', pinned: false };
  const search = window.location.search;
  const languages = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  return { locale: pickLocale(search, languages), pinned: new URLSearchParams(search).has('lang') };
}

/** The client's current language (browser language by default, `?lang=` first). */
export const useLocaleStore = create<LocaleState>((set) => ({
  ...initial(),
  setLocale: (locale) => set({ locale }),
}));

/** The current language, for code outside React (DOM painters, toasts, exports). */
export function currentLocale(): Locale {
  return useLocaleStore.getState().locale;
}

/**
 * The language the server remembers for the user arrived (login or session answer): applied
 * unless `?lang=` pinned this page's language.
 */
export function applyRememberedLocale(locale: unknown): void {
  const s = useLocaleStore.getState();
  if (!s.pinned && isLocale(locale) && locale !== s.locale) s.setLocale(locale);
}
