import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuth } from '../../../server/auth/authService';
import type { AuditActor, AuthService } from '../../../server/auth/types';

/** A cheap scrypt cost for tests (2^10: a few ms a hash). */
export const TEST_LOG_N = 10;
export const ADMIN: AuditActor = { user: 'root-test', role: 'admin', source: '127.0.0.1' };
export const T0 = 1_800_000_000_000;

/** A fresh data directory and a clock the test moves by hand. */
export function authFixture() {
  const dir = mkdtempSync(join(tmpdir(), 'plant-auth-'));
  const clock = { t: T0 };
  const services: AuthService[] = [];
  const open = (opts: { sessionTtlMs?: number } = {}) => {
    const a = openAuth({ dataDir: dir, now: () => clock.t, scryptLogN: TEST_LOG_N, ...opts });
    services.push(a);
    return a;
  };
  const closeAll = () => {
    for (const s of services) s.close();
  };
  return { dir, clock, open, closeAll };
}

/** Every byte of the database files (main, WAL), as latin1 text to search for leaked secrets. */
export function databaseBytes(dir: string): string {
  return readdirSync(dir)
    .filter((f) => f.startsWith('plant-twin.db'))
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('\n');
}
