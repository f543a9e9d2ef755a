import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signToken, type TokenPayload, verifyToken } from '../../../server/auth/tokens';

const secret = randomBytes(32);
const NOW = 1_800_000_000_000;
const payload: TokenPayload = {
  sid: 'AbCdEfGhIjKlMnOpQrStUvWx',
  u: 'alice',
  r: 'operator',
  exp: NOW + 60_000,
};

/** Re-encodes a token's payload part with changes, keeping the original signature. */
function withPayload(token: string, change: Record<string, unknown>): string {
  const [part, sig] = token.split('.');
  const json = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  return `${Buffer.from(JSON.stringify({ ...json, ...change })).toString('base64url')}.${sig}`;
}

describe('bearer tokens', () => {
  it('round-trips a payload signed with the same secret', () => {
    const t = signToken(secret, payload);
    expect(t).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyToken(secret, t, NOW)).toEqual({ ok: true, payload });
  });

  it('refuses a token signed with another secret', () => {
    const t = signToken(randomBytes(32), payload);
    expect(verifyToken(secret, t, NOW)).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses a tampered payload: a promoted role, another user, a later expiry', () => {
    const t = signToken(secret, payload);
    for (const change of [{ r: 'admin' }, { u: 'mallory' }, { exp: NOW + 10 ** 9 }])
      expect(verifyToken(secret, withPayload(t, change), NOW)).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses a tampered signature, including another encoding of the same bytes', () => {
    const t = signToken(secret, payload);
    const [part, sig] = t.split('.');
    const flipped = sig[0] === 'A' ? `B${sig.slice(1)}` : `A${sig.slice(1)}`;
    expect(verifyToken(secret, `${part}.${flipped}`, NOW).ok).toBe(false);
    // The last base64url character of 32 bytes carries 2 unused bits: a different character can
    // decode to the same bytes. Only the canonical text is accepted.
    const last = sig[sig.length - 1];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const i = alphabet.indexOf(last);
    const twin = alphabet[(i & ~3) | ((i + 1) & 3)];
    const twinSig = `${sig.slice(0, -1)}${twin}`;
    expect(Buffer.from(twinSig, 'base64url').equals(Buffer.from(sig, 'base64url'))).toBe(true);
    expect(verifyToken(secret, `${part}.${twinSig}`, NOW)).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses an expired token, and one at its exact expiry', () => {
    const t = signToken(secret, payload);
    expect(verifyToken(secret, t, payload.exp - 1).ok).toBe(true);
    expect(verifyToken(secret, t, payload.exp)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyToken(secret, t, payload.exp + 1)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses anything malformed without throwing', () => {
    const t = signToken(secret, payload);
    const [part, sig] = t.split('.');
    const signed = (json: string) => {
      const p = Buffer.from(json).toString('base64url');
      return signToken(secret, payload).replace(/^[^.]+/, p); // wrong signature for it anyway
    };
    const inputs: unknown[] = [
      undefined,
      null,
      42,
      {},
      ['a', 'b'],
      '',
      '.',
      part,
      `${part}.`,
      `.${sig}`,
      `${part}.${sig}.x`,
      `${part}.${sig}=`,
      `${part} .${sig}`,
      'a'.repeat(5000),
      `${part}.${'A'.repeat(43)}`,
      signed('not json'),
      signed('{"__proto__":{"admin":true}}'),
    ];
    for (const x of inputs) {
      const r = verifyToken(secret, x, NOW);
      expect(r.ok, String(x)).toBe(false);
    }
  });

  it('refuses a correctly signed payload of the wrong shape', () => {
    // What a forger cannot make, but a bug might: the payload is still checked after the signature.
    const make = (obj: unknown) => {
      const part = Buffer.from(JSON.stringify(obj)).toString('base64url');
      return `${part}.${createHmac('sha256', secret).update(part).digest('base64url')}`;
    };
    expect(verifyToken(secret, make(payload), NOW).ok).toBe(true);
    for (const bad of [
      { ...payload, r: 'root' },
      { ...payload, u: '../etc' },
      { ...payload, exp: 'tomorrow' },
      { ...payload, extra: 1 },
      { sid: payload.sid, u: payload.u, r: payload.r },
      [payload],
      'string',
    ])
      expect(verifyToken(secret, make(bad), NOW)).toEqual({ ok: false, reason: 'malformed' });
  });
});
