import { hasMessage, type Locale, translate } from './messages';

/** A refused request as the client sees it: a code and the server's English message. */
export interface RefusalLike {
  code?: string;
  message?: string;
}

/**
 * A refusal in the reader's language: the catalog's text for its code in Chinese; in English the
 * server's message (it names the exact cause), else the catalog's text.
 */
export function refusalText(locale: Locale, r: RefusalLike): string {
  const key = r.code ? `error.${r.code}` : '';
  const byCode = hasMessage(key) ? translate(locale, key) : translate(locale, 'error.refused');
  if (locale === 'en') return r.message || byCode;
  return byCode;
}
