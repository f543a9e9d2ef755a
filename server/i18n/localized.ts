import { z } from 'zod';
import type { LocalizedString, Translations } from '../../protocol/text';

/**
 * A data-file text (alarm rule message, scenario description...): a plain English string, or
 * `{ "en": ..., "zh-CN": ... }` with English required and each translation checked like the
 * English (same length and placeholder rules). Anything else is refused with one clear message.
 */
export function localizedSchema<S extends z.ZodType<string, string>>(text: S) {
  return z.union([text, z.object({ en: text, 'zh-CN': text.optional() }).strict()], {
    error: 'expected a text string or { "en": "...", "zh-CN": "..." }',
  });
}

/** The English base of a data-file text. */
export function englishOf(s: LocalizedString): string {
  return typeof s === 'string' ? s : s.en;
}

/** The translations of a data-file text (none for a plain string). */
export function translationsOf(s: LocalizedString): Translations {
  if (typeof s === 'string') return {};
  const out: { 'zh-CN'?: string } = {};
  if (s['zh-CN'] !== undefined) out['zh-CN'] = s['zh-CN'];
  return out;
}
