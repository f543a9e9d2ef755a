import { TRAINING_CODE_ALPHABET, TRAINING_CODE_LENGTH } from '../../protocol';

/**
 * A join code as typed or read from a link: upper-cased, spaces and dashes dropped; null when it
 * cannot be a code (wrong length or a character not in TRAINING_CODE_ALPHABET).
 */
export function normalizeJoinCode(raw: string): string | null {
  const code = raw.replace(/[\s-]+/g, '').toUpperCase();
  if (code.length !== TRAINING_CODE_LENGTH) return null;
  for (const ch of code) if (!TRAINING_CODE_ALPHABET.includes(ch)) return null;
  return code;
}

/** The join code of a `/train/CODE` path as written (null for `/train` or another path). */
export function codeFromPath(pathname: string): string | null {
  const m = /^\/train\/([^/]+)\/*$/.exec(pathname);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]).toUpperCase();
  } catch {
    return null;
  }
}

/** The trainee link for a code on this origin. */
export function joinLink(origin: string, code: string): string {
  return `${origin.replace(/\/+$/, '')}/train/${encodeURIComponent(code)}`;
}

/** The session a trainer console re-opens after a reload (`/trainer?session=ID`). */
export function sessionFromSearch(search: string): string | null {
  const s = new URLSearchParams(search).get('session');
  return s && /^[A-Za-z0-9]{1,64}$/.test(s) ? s : null;
}
