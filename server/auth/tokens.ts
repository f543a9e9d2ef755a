import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ROLES, USERNAME_PATTERN } from '../../protocol';

/**
 * Bearer tokens: `base64url(JSON payload) + '.' + base64url(HMAC-SHA256(secret, payload part))`.
 * The signature proves the server issued it; the session id lets it be revoked before it expires
 * (the session row is checked on every use, see authService).
 */

/** What a token carries. */
export interface TokenPayload {
  /** Session id (random, base64url). */
  sid: string;
  /** User name as stored. */
  u: string;
  r: (typeof ROLES)[number];
  /** Expiry, ms since epoch. */
  exp: number;
}

export type TokenCheck =
  | { ok: true; payload: TokenPayload }
  | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

/** Longest token accepted, characters (a real one is about 150). */
export const MAX_TOKEN_CHARS = 1024;
const B64URL = /^[A-Za-z0-9_-]+$/;

const payloadSchema = z
  .object({
    sid: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
    u: z.string().regex(USERNAME_PATTERN),
    r: z.enum(ROLES),
    exp: z.number().int().positive(),
  })
  .strict();

const sign = (secret: Buffer, part: string) => createHmac('sha256', secret).update(part).digest();

/** Signs a payload into a token. */
export function signToken(secret: Buffer, payload: TokenPayload): string {
  const part = Buffer.from(
    JSON.stringify({ sid: payload.sid, u: payload.u, r: payload.r, exp: payload.exp }),
  ).toString('base64url');
  return `${part}.${sign(secret, part).toString('base64url')}`;
}

/**
 * Checks a token's shape, signature (constant time) and expiry against `nowMs`. Never throws,
 * whatever `token` is. The signature is checked before the payload is parsed, so nothing a client
 * forged is ever read.
 */
export function verifyToken(secret: Buffer, token: unknown, nowMs: number): TokenCheck {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS) return { ok: false, reason: 'malformed' };
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return { ok: false, reason: 'malformed' };
  const part = token.slice(0, dot);
  const sigText = token.slice(dot + 1);
  if (!B64URL.test(part) || !B64URL.test(sigText)) return { ok: false, reason: 'malformed' };
  // Compared as text, so the one canonical encoding of the signature is the only one accepted.
  const sig = Buffer.from(sigText);
  const expected = Buffer.from(sign(secret, part).toString('base64url'));
  if (sig.length !== expected.length || !timingSafeEqual(sig, expected))
    return { ok: false, reason: 'signature' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const p = payloadSchema.safeParse(json);
  if (!p.success) return { ok: false, reason: 'malformed' };
  if (p.data.exp <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, payload: p.data };
}
