import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { LOCALES, type Locale, type Role } from '../../../protocol';
import type { AsyncAuthStore, AuthOps, SessionRow, UserRow } from '../api/authApi';
import { pgAuditLog } from './pgAuditLog';
import { type Queryable, requireCurrentSchema, sql, transaction } from './pgQuery';

/** Expired or revoked sessions are kept this long (for the record), then dropped at open, ms. */
const SESSION_KEEP_MS = 30 * 24 * 3600 * 1000;
/**
 * Advisory lock key of auth transactions ("PTAUTHTX" in ASCII): they run one after another, as
 * SQLite's BEGIN IMMEDIATE makes them, so "not the last admin" checked inside stays true.
 */
const AUTH_TX_LOCK = 0x5054415554485458n;

interface SessionSql {
  sid: string;
  user: string;
  role: Role;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  revoke_reason: string | null;
}
const toSession = (r: SessionSql): SessionRow => ({
  sid: r.sid,
  user: r.user,
  role: r.role,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  revokeReason: r.revoke_reason,
});

/** A stored locale, or null when none (or one this version does not know) is stored. */
const asLocale = (v: string | null): Locale | null =>
  v !== null && (LOCALES as readonly string[]).includes(v) ? (v as Locale) : null;

/**
 * The auth statements over a pool or a transaction's connection. Names compare through the
 * `nocase` collation of the columns (case-insensitive, as SQLite's NOCASE for the ASCII names
 * allowed); lists sort by lower(name) in byte order, as NOCASE sorts. A looked-up name or sid with
 * U+0000 (which PostgreSQL text refuses) is looked up as U+FFFD: not found, rather than an error.
 */
function pgAuthOps(q: Queryable): AuthOps {
  const changed = async (text: string, values: unknown[]) => (await sql(q, text, values)).rowCount;
  return {
    audit: pgAuditLog(q),
    async userCount() {
      return (await sql<{ n: number }>(q, 'SELECT COUNT(*) AS n FROM users')).rows[0].n;
    },
    async getUser(name) {
      const r = await sql<{
        name: string;
        role: Role;
        hash: string;
        created_at: number;
        updated_at: number;
        locale: string | null;
      }>(q, 'SELECT name, role, hash, created_at, updated_at, locale FROM users WHERE name = $1', [name]);
      const u = r.rows[0];
      return u
        ? {
            name: u.name,
            role: u.role,
            hash: u.hash,
            createdAt: u.created_at,
            updatedAt: u.updated_at,
            locale: asLocale(u.locale),
          }
        : null;
    },
    async listUsers() {
      const r = await sql<{ name: string; role: Role; created_at: number; updated_at: number }>(
        q,
        'SELECT name, role, created_at, updated_at FROM users ORDER BY lower(name) COLLATE "C"',
      );
      return r.rows.map((u) => ({
        name: u.name,
        role: u.role,
        createdAt: u.created_at,
        updatedAt: u.updated_at,
      }));
    },
    insertUser: async (u: UserRow) =>
      (await changed(
        'INSERT INTO users (name, role, hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
        [u.name, u.role, u.hash, u.createdAt, u.updatedAt],
      )) === 1,
    deleteUser: (name) => changed('DELETE FROM users WHERE name = $1', [name]),
    setHash: (name, hash, at) =>
      changed('UPDATE users SET hash = $1, updated_at = $2 WHERE name = $3', [hash, at, name]),
    setRole: (name, role, at) =>
      changed('UPDATE users SET role = $1, updated_at = $2 WHERE name = $3', [role, at, name]),
    setLocale: (name, locale) => changed('UPDATE users SET locale = $1 WHERE name = $2', [locale, name]),
    async countRole(role) {
      return (await sql<{ n: number }>(q, 'SELECT COUNT(*) AS n FROM users WHERE role = $1', [role])).rows[0]
        .n;
    },
    async insertSession(s) {
      await sql(
        q,
        'INSERT INTO sessions (sid, "user", role, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
        [s.sid, s.user, s.role, s.createdAt, s.expiresAt],
      );
    },
    async getSession(sid) {
      const r = await sql<SessionSql>(q, 'SELECT * FROM sessions WHERE sid = $1', [sid]);
      return r.rows[0] ? toSession(r.rows[0]) : null;
    },
    async liveSessions(nowMs) {
      const r = await sql<SessionSql>(
        q,
        'SELECT * FROM sessions WHERE revoked_at IS NULL AND expires_at > $1',
        [nowMs],
      );
      return r.rows.map(toSession);
    },
    revokeSession: async (sid, reason, at) =>
      (await changed(
        'UPDATE sessions SET revoked_at = $1, revoke_reason = $2 WHERE sid = $3 AND revoked_at IS NULL',
        [at, reason, sid],
      )) === 1,
    revokeUserSessions: (user, reason, at) =>
      changed(
        'UPDATE sessions SET revoked_at = $1, revoke_reason = $2 WHERE "user" = $3 AND revoked_at IS NULL',
        [at, reason, user],
      ),
  };
}

/**
 * Opens the auth store on a migrated PostgreSQL database (see `npm run db -- migrate`): makes the
 * token key if no node has yet (the first insert wins; every node reads the same one) and drops
 * sessions that ended over 30 days before `nowMs`. The pool stays the caller's: close() leaves it.
 * Rejects when the database is unreachable, its schema not current (see requireCurrentSchema) or
 * its token key damaged.
 */
export async function openPgAuthStore(pool: Pool, nowMs: number): Promise<AsyncAuthStore> {
  await requireCurrentSchema(pool);
  await sql(pool, 'INSERT INTO auth_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
    'tokenSecret',
    randomBytes(32).toString('base64'),
  ]);
  const r = await sql<{ value: string }>(pool, 'SELECT value FROM auth_meta WHERE key = $1', ['tokenSecret']);
  const secret = Buffer.from(r.rows[0]?.value ?? '', 'base64');
  if (secret.length < 32) throw new Error('the token key in the database is damaged (auth_meta.tokenSecret)');
  await sql(pool, 'DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1', [nowMs - SESSION_KEEP_MS]);
  return {
    ...pgAuthOps(pool),
    secret,
    tx: (fn) => transaction(pool, (client) => fn(pgAuthOps(client)), AUTH_TX_LOCK),
    close: async () => {},
  };
}
