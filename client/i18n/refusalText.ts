import type { CodedText } from '../../protocol';
import { hasMessage, type Locale, translate } from './messages';

/** A refused request as the client sees it: a code, the server's English message, its text code. */
export interface RefusalLike {
  code?: string;
  message?: string;
  /** The exact cause as a text code, where the server gives one. */
  text?: CodedText;
}

/** Renders a server text in the reader's language (useServerText). */
type Render = (text: CodedText | undefined, fallback: string) => string;

/**
 * A refusal in the reader's language: its exact cause when the server sent it as a text code
 * (and `render` is given), else the catalog's text for its code in Chinese; in English the
 * server's message (it names the exact cause), else the catalog's text.
 */
export function refusalText(locale: Locale, r: RefusalLike, render?: Render): string {
  const key = r.code ? `error.${r.code}` : '';
  const byCode = hasMessage(key) ? translate(locale, key) : translate(locale, 'error.refused');
  if (render && r.text) return render(r.text, r.message || byCode);
  if (locale === 'en') return r.message || byCode;
  return byCode;
}
