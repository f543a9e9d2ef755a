import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LOCALES, type Locale, type Role } from '../../protocol';
import type { AuditLog, UserInfo } from '../auth/types';
import { DB_FILE } from './alarmStore';
import { AUDIT_SCHEMA, createAuditLog } from './auditStore';

/** A user as stored (with the hash: never leaves the server). */
export interface UserRow {
  name: string;
  role: Role;
  hash: string;
  createdAt: number;
  updatedAt: number;
  /** The language the user chose; null (or absent on insert): never chose. */
  locale?: Locale | null;
}

/** A login session as stored. Times are ms since epoch. */
export interface SessionRow {
  sid: string;
  user: string;
  role: Role;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  revokeReason: string | null;
}

/** Why a session was revoked (kept in the row; the socket layer words its own message). */
export type RevokeReason = 'logout' | 'password' | 'removed' | 'role';

/**
 * The durable side of users, login sessions and the audit trail, in the same database file as the
 * alarms but over its own connection (the `npm run user` CLI writes to it while the server runs).
 * Each method is one statement, committed before it returns; `tx` groups a change with its audit
 * entry so that neither exists without the other.
 */
export interface AuthStore {
  /** HMAC key for tokens: 32 random bytes made once per database, so tokens survive restarts. */
  readonly secret: Buffer;
  readonly audit: AuditLog;
  /** Runs `fn` in one transaction (BEGIN IMMEDIATE: it waits for the other process's writes). */
  tx<T>(fn: () => T): T;
  /**
   * Opens a transaction by hand (BEGIN IMMEDIATE), for work with awaits between its statements
   * (the async adapter); every statement on this connection joins it until `commit` or
   * `rollback`. Throws when one is already open.
   */
  begin(): { commit(): void; rollback(): void };
  userCount(): number;
  /** The user of that name, case-insensitively, or null. */
  getUser(name: string): UserRow | null;
  listUsers(): UserInfo[];
  /** False when the name is taken (case-insensitively). */
  insertUser(u: UserRow): boolean;
  /** Number of rows changed (0: no such user). */
  deleteUser(name: string): number;
  setHash(name: string, hash: string, at: number): number;
  setRole(name: string, role: Role, at: number): number;
  /** Sets the user's language; number of rows changed (0: no such user). */
  setLocale(name: string, locale: Locale): number;
  countRole(role: Role): number;
  insertSession(s: Omit<SessionRow, 'revokedAt' | 'revokeReason'>): void;
  getSession(sid: string): SessionRow | null;
  /** Sessions neither revoked nor expired at `nowMs`. */
  liveSessions(nowMs: number): SessionRow[];
  /** Revokes one session; false when it was already revoked or does not exist. */
  revokeSession(sid: string, reason: RevokeReason, at: number): boolean;
  /** Revokes every live session of a user; the number revoked. */
  revokeUserSessions(user: string, reason: RevokeReason, at: number): number;
  /**
   * SQLite's `PRAGMA data_version`: changes whenever ANOTHER connection commits (not this one), so
   * a cache can tell cheaply that the CLI changed something.
   */
  dataVersion(): number;
  close(): void;
}

/** Waits this long for the other process's write lock before failing, ms. */
const BUSY_TIMEOUT_MS = 5000;
/** Expired or revoked sessions are kept this long (for the record), then dropped at open, ms. */
const SESSION_KEEP_MS = 30 * 24 * 3600 * 1000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS auth_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  role TEXT NOT NULL,
  hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  sid TEXT PRIMARY KEY,
  user TEXT NOT NULL COLLATE NOCASE,
  role TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  revoke_reason TEXT
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user);
CREATE INDEX IF NOT EXISTS sessions_expires ON sessions (expires_at);
${AUDIT_SCHEMA}
`;

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
 * Migration: `users.locale` (the language a user chose; NULL: not chosen) for databases made
 * before it existed. The CLI and the server may both open an old file at once: the loser of the
 * race sees the column already there.
 */
function addLocaleColumn(db: Database.Database): void {
  const has = () =>
    db
      .prepare<[], { name: string }>('PRAGMA table_info(users)')
      .all()
      .some((c) => c.name === 'locale');
  if (has()) return;
  try {
    db.exec('ALTER TABLE users ADD COLUMN locale TEXT');
  } catch (err) {
    if (!has()) throw err;
  }
}

/**
 * Opens (creating if needed) the auth tables in `join(dataDir, DB_FILE)`, or an in-memory database
 * for ':memory:'. WAL, synchronous=FULL, busy_timeout so the CLI and the server can both write.
 * Throws when the directory or database cannot be opened.
 */
export function openAuthStore(dataDir: string, nowMs: number): AuthStore {
  let db: Database.Database;
  if (dataDir === ':memory:') db = new Database(':memory:');
  else {
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, DB_FILE);
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    db.pragma('journal_mode = WAL');
    // The file holds password hashes and the token key: owner only (best effort; the -wal and -shm
    // files take the main file's mode).
    try {
      chmodSync(file, 0o600);
    } catch {}
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('synchronous = FULL');
    db.exec(SCHEMA);
    addLocaleColumn(db);
  } catch (err) {
    db.close();
    throw err;
  }

  // The secret: whichever process inserts first wins; everyone reads the same one.
  db.prepare('INSERT OR IGNORE INTO auth_meta (key, value) VALUES (?, ?)').run(
    'tokenSecret',
    randomBytes(32).toString('base64'),
  );
  const secretText = db
    .prepare<[string], { value: string }>('SELECT value FROM auth_meta WHERE key = ?')
    .get('tokenSecret')?.value;
  const secret = Buffer.from(secretText ?? '', 'base64');
  if (secret.length < 32) {
    db.close();
    throw new Error('the token key in the database is damaged (auth_meta.tokenSecret)');
  }
  db.prepare('DELETE FROM sessions WHERE expires_at < ? OR revoked_at < ?').run(
    nowMs - SESSION_KEEP_MS,
    nowMs - SESSION_KEEP_MS,
  );

  const q = {
    count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM users'),
    countRole: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM users WHERE role = ?'),
    get: db.prepare<
      [string],
      {
        name: string;
        role: Role;
        hash: string;
        created_at: number;
        updated_at: number;
        locale: string | null;
      }
    >('SELECT * FROM users WHERE name = ?'),
    list: db.prepare<[], { name: string; role: Role; created_at: number; updated_at: number }>(
      'SELECT name, role, created_at, updated_at FROM users ORDER BY name',
    ),
    insert: db.prepare(
      'INSERT OR IGNORE INTO users (name, role, hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    ),
    del: db.prepare('DELETE FROM users WHERE name = ?'),
    setHash: db.prepare('UPDATE users SET hash = ?, updated_at = ? WHERE name = ?'),
    setRole: db.prepare('UPDATE users SET role = ?, updated_at = ? WHERE name = ?'),
    setLocale: db.prepare('UPDATE users SET locale = ? WHERE name = ?'),
    insertSession: db.prepare(
      'INSERT INTO sessions (sid, user, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    ),
    getSession: db.prepare<[string], SessionSql>('SELECT * FROM sessions WHERE sid = ?'),
    live: db.prepare<[number], SessionSql>(
      'SELECT * FROM sessions WHERE revoked_at IS NULL AND expires_at > ?',
    ),
    revoke: db.prepare(
      'UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE sid = ? AND revoked_at IS NULL',
    ),
    revokeUser: db.prepare(
      'UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE user = ? AND revoked_at IS NULL',
    ),
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
  };

  return {
    secret,
    audit: createAuditLog(db),
    tx: (fn) => db.transaction(fn).immediate(),
    begin() {
      db.exec('BEGIN IMMEDIATE');
      return {
        commit: () => db.exec('COMMIT'),
        // SQLite may have rolled back already (some errors end the transaction themselves).
        rollback: () => {
          if (db.inTransaction) db.exec('ROLLBACK');
        },
      };
    },
    userCount: () => q.count.get()?.n ?? 0,
    getUser(name) {
      const r = q.get.get(name);
      return r
        ? {
            name: r.name,
            role: r.role,
            hash: r.hash,
            createdAt: r.created_at,
            updatedAt: r.updated_at,
            locale: asLocale(r.locale),
          }
        : null;
    },
    listUsers: () =>
      q.list
        .all()
        .map((r) => ({ name: r.name, role: r.role, createdAt: r.created_at, updatedAt: r.updated_at })),
    insertUser: (u) => q.insert.run(u.name, u.role, u.hash, u.createdAt, u.updatedAt).changes === 1,
    deleteUser: (name) => q.del.run(name).changes,
    setHash: (name, hash, at) => q.setHash.run(hash, at, name).changes,
    setRole: (name, role, at) => q.setRole.run(role, at, name).changes,
    setLocale: (name, locale) => q.setLocale.run(locale, name).changes,
    countRole: (role) => q.countRole.get(role)?.n ?? 0,
    insertSession(s) {
      q.insertSession.run(s.sid, s.user, s.role, s.createdAt, s.expiresAt);
    },
    getSession(sid) {
      const r = q.getSession.get(sid);
      return r ? toSession(r) : null;
    },
    liveSessions: (nowMs) => q.live.all(nowMs).map(toSession),
    revokeSession: (sid, reason, at) => q.revoke.run(at, reason, sid).changes === 1,
    revokeUserSessions: (user, reason, at) => q.revokeUser.run(at, reason, user).changes,
    dataVersion: () => Number(q.dataVersion.get()),
    close() {
      if (db.open) db.close();
    },
  };
}
