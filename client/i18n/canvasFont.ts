import { cjkFontDefined, defineCjkFont } from './localeEffects';
import type { Locale } from './messages';

/** Latin faces of the scene's painted texts: system fonts, nothing to download. */
const LATIN_STACK = 'Inter, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/**
 * The CSS font of text painted on a canvas (3D labels) in `locale`: in Chinese the bundled
 * Noto Sans SC first, as the HUD (styles.css), so labels and panels share one face.
 * `weight` is a CSS font weight, `px` the glyph height in canvas pixels.
 */
export function canvasFont(locale: Locale, weight: number, px: number): string {
  const family = locale === 'zh-CN' ? `"Noto Sans SC", ${LATIN_STACK}` : LATIN_STACK;
  return `${weight} ${px}px ${family}`;
}

/** Longest wait for glyph files before painting anyway (a fallback face beats no label), ms. */
const FONT_WAIT_MS = 8000;

/**
 * Whether a canvas may paint `text` in `font` now: every face it would use is loaded. A canvas
 * never waits for a font (it paints with a fallback, and keeps it), so callers paint only when
 * this is true, else after `loadCanvasFont`.
 */
export function canvasFontReady(locale: Locale, font: string, text: string): boolean {
  // Before its @font-face rules exist, check() has no Noto face to wait for and says true.
  if (locale === 'zh-CN' && !cjkFontDefined()) return false;
  return typeof document === 'undefined' || !document.fonts || document.fonts.check(font, text);
}

/**
 * Loads the faces (the Chinese font's rules, then just the glyph subsets of `text`) that painting
 * `text` in `font` needs; resolves true when they are loaded, false after a failure or a timeout.
 */
export async function loadCanvasFont(locale: Locale, font: string, text: string): Promise<boolean> {
  if (typeof document === 'undefined' || !document.fonts) return false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, FONT_WAIT_MS);
  });
  try {
    const load = (async () => {
      if (locale === 'zh-CN') await defineCjkFont();
      await document.fonts.load(font, text);
    })();
    await Promise.race([load, timeout]);
  } catch {
    // A glyph file that fails to load: paint with the fallback face rather than not at all.
  } finally {
    clearTimeout(timer);
  }
  return canvasFontReady(locale, font, text);
}
