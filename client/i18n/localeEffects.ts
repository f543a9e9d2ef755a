import { useLocaleStore } from './localeStore';
import type { Locale } from './messages';

let cjkFaces: Promise<unknown> | null = null;
let cjkFacesDefined = false;

/**
 * Defines the bundled Noto Sans SC faces (its @font-face rules, a chunk of its own) once; later
 * calls return the same promise. Called only when Chinese is shown, so an English session fetches
 * 0 bytes of it. The glyph files themselves load per unicode-range subset when text needs them.
 */
export function defineCjkFont(): Promise<unknown> {
  cjkFaces ??= import('./cjkFont').then(() => {
    cjkFacesDefined = true;
  });
  return cjkFaces;
}

/** Whether the Noto Sans SC @font-face rules are in the page (see defineCjkFont). */
export function cjkFontDefined(): boolean {
  return cjkFacesDefined;
}

function apply(locale: Locale, bringsOwnFont: boolean): void {
  document.documentElement.lang = locale;
  if (locale === 'zh-CN' && !bringsOwnFont) void defineCjkFont();
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
