import { useLocaleStore } from './localeStore';
import type { Locale } from './messages';

let fontRequested = false;

function apply(locale: Locale, bringsOwnFont: boolean): void {
  document.documentElement.lang = locale;
  // The Chinese font is fetched only once Chinese is shown (an English session loads 0 bytes of it).
  if (locale === 'zh-CN' && !bringsOwnFont && !fontRequested) {
    fontRequested = true;
    void import('./cjkFont');
  }
}

/**
 * Keeps the page's `lang` (screen readers, the CJK font stack in styles.css) and the Chinese
 * font in step with the current language. `bringsOwnFont`: the showcase imports the font itself.
 */
export function startLocaleEffects(bringsOwnFont: boolean): () => void {
  apply(useLocaleStore.getState().locale, bringsOwnFont);
  return useLocaleStore.subscribe((s, prev) => {
    if (s.locale !== prev.locale) apply(s.locale, bringsOwnFont);
  });
}
