import { describe, expect, it } from 'vitest';
import { hashPassword, SCRYPT_LOG_N, verifyPassword } from '../../../server/auth/passwords';

describe('password hashes', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const h = await hashPassword('correct horse battery', 10);
    expect(await verifyPassword('correct horse battery', h)).toBe(true);
    expect(await verifyPassword('correct horse batterY', h)).toBe(false);
    expect(await verifyPassword('', h)).toBe(false);
  });

  it('stores scrypt, its cost, a 16-byte salt and a 32-byte key, and salts every hash afresh', async () => {
    const a = await hashPassword('same password here', 10);
    const b = await hashPassword('same password here', 10);
    const m = /^scrypt\$10\$8\$3\$([^$]+)\$([^$]+)$/.exec(a);
    expect(m).not.toBeNull();
    expect(Buffer.from(m![1], 'base64')).toHaveLength(16);
    expect(Buffer.from(m![2], 'base64')).toHaveLength(32);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same password here');
  });

  it('uses N = 2^15, r = 8, p = 3 by default', async () => {
    expect(SCRYPT_LOG_N).toBe(15);
    const h = await hashPassword('default cost password');
    expect(h.startsWith('scrypt$15$8$3$')).toBe(true);
    expect(await verifyPassword('default cost password', h)).toBe(true);
  });

  it('verifies with the cost stored in the hash, not the current default', async () => {
    const cheap = await hashPassword('made at a lower cost', 11);
    expect(await verifyPassword('made at a lower cost', cheap)).toBe(true);
  });

  it('refuses a cost below 2^10 or above 2^20 when hashing', async () => {
    await expect(hashPassword('x'.repeat(12), 9)).rejects.toThrow(/log2N/);
    await expect(hashPassword('x'.repeat(12), 21)).rejects.toThrow(/log2N/);
  });

  it('treats malformed or out-of-bounds stored hashes as no match, without throwing', async () => {
    const h = await hashPassword('some password', 10);
    const parts = h.split('$');
    const bad = [
      '',
      'plain',
      'bcrypt$10$8$3$aaaa$bbbb',
      parts.slice(0, 5).join('$'),
      ['scrypt', '30', ...parts.slice(2)].join('$'), // would ask for 2^30 * 128 * 8 bytes
      ['scrypt', '10', '99', ...parts.slice(3)].join('$'),
      ['scrypt', '10', '8', '3', 'AA==', parts[5]].join('$'), // 1-byte salt
      ['scrypt', '10', '8', '3', parts[4], 'AAAA'].join('$'), // 3-byte key
    ];
    for (const stored of bad) expect(await verifyPassword('some password', stored)).toBe(false);
  });
});
