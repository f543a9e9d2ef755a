import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashes: scrypt with N = 2^15, r = 8, p = 3, one of the OWASP Password Storage Cheat Sheet
 * settings (32 MiB of memory per hash). Always the async `crypto.scrypt`: it runs on libuv's thread
 * pool, so a login never stalls the 10 Hz loop. About 0.2 s per hash on one core of a small VM.
 *
 * Stored as `scrypt$<log2N>$<r>$<p>$<saltB64>$<hashB64>` so that a later change of cost still
 * verifies the hashes made before it.
 */

/** Default cost: log2 of N. */
export const SCRYPT_LOG_N = 15;
/** Least cost tests may ask for (2^10: about 5 ms a hash). */
export const SCRYPT_MIN_LOG_N = 10;
const SCRYPT_R = 8;
const SCRYPT_P = 3;
/** Salt and derived key lengths, bytes. */
const SALT_BYTES = 16;
const KEY_BYTES = 32;

/** Bounds of the parameters accepted from a stored hash (a damaged row must not ask for 1 TiB). */
const MAX_LOG_N = 20;
const MAX_R = 32;
const MAX_P = 16;

const HASH_PATTERN =
  /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number, keyLen: number) {
  const N = 2 ** logN;
  // scrypt needs 128 * N * r bytes; Node refuses anything above maxmem (32 MiB by default, which
  // N = 2^15, r = 8 just reaches), so allow twice that.
  const maxmem = 256 * N * r;
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLen, { N, r, p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Hashes a password with a fresh random salt. `logN` (>= 10) lowers the cost for tests only. */
export async function hashPassword(password: string, logN = SCRYPT_LOG_N): Promise<string> {
  if (!Number.isInteger(logN) || logN < SCRYPT_MIN_LOG_N || logN > MAX_LOG_N)
    throw new Error(`scrypt log2N must be a whole number from ${SCRYPT_MIN_LOG_N} to ${MAX_LOG_N}`);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, logN, SCRYPT_R, SCRYPT_P, KEY_BYTES);
  return `scrypt$${logN}$${SCRYPT_R}$${SCRYPT_P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * Whether `password` matches `stored`, using the cost stored with the hash. Never throws: a
 * malformed or out-of-bounds stored hash is simply no match.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = HASH_PATTERN.exec(stored);
  if (!m) return false;
  const [logN, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (logN < SCRYPT_MIN_LOG_N || logN > MAX_LOG_N || r < 1 || r > MAX_R || p < 1 || p > MAX_P) return false;
  const salt = Buffer.from(m[4], 'base64');
  const expected = Buffer.from(m[5], 'base64');
  if (salt.length < 8 || expected.length < 16 || expected.length > 64) return false;
  try {
    const key = await derive(password, salt, logN, r, p, expected.length);
    return timingSafeEqual(key, expected);
  } catch {
    return false;
  }
}
