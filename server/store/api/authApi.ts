import type { AuditEntry, AuditQuery, AuditResult, Locale, Role } from '../../../protocol';
import type { AuditInput, UserInfo } from '../../auth/types';
import type { RevokeReason, SessionRow, UserRow } from '../authStore';

export type { RevokeReason, SessionRow, UserRow } from '../authStore';

/**
 * The audit trail, as both engines offer it (SQLite: server/store/auditStore.ts; PostgreSQL:
 * server/store/pg/pgAuditLog.ts). Same methods and meaning as the synchronous AuditLog; each
 * promise resolves once the write is committed (or has joined the caller's transaction).
 */
export interface AsyncAuditLog {
  /** Writes an entry with result 'pending' before the effect; resolves to its id. */
  begin(entry: AuditInput): Promise<number>;
  /** Records how a begun entry ended (an entry already finished is left as it was). */
  finish(
    id: number,
    result: Exclude<AuditResult, 'pending'>,
    code?: string | null,
    message?: string | null,
    reply?: unknown,
  ): Promise<void>;
  /** Writes an entry whose result is already known; resolves to its id. */
  record(
    entry: AuditInput & {
      result: Exclude<AuditResult, 'pending'>;
      code?: string | null;
      message?: string | null;
    },
  ): Promise<number>;
  /** Entries matching the query, newest first. */
  query(q: AuditQuery): Promise<AuditEntry[]>;
  /** The stored final reply of a command this user sent with this id (finished entries only), or null. */
  commandReply(user: string, commandId: string): Promise<unknown | null>;
}

/** Users, sessions and the audit, as one transaction sees them (or outside any). */
export interface AuthOps {
  readonly audit: AsyncAuditLog;
  userCount(): Promise<number>;
  /** The user of that name, case-insensitively, or null. */
  getUser(name: string): Promise<UserRow | null>;
  /** Every user (never the hash), by name case-insensitively. */
  listUsers(): Promise<UserInfo[]>;
  /** False when the name is taken (case-insensitively). */
  insertUser(u: UserRow): Promise<boolean>;
  /** Number of rows changed (0: no such user). */
  deleteUser(name: string): Promise<number>;
  setHash(name: string, hash: string, at: number): Promise<number>;
  setRole(name: string, role: Role, at: number): Promise<number>;
  /** Sets the user's language; number of rows changed (0: no such user). */
  setLocale(name: string, locale: Locale): Promise<number>;
  countRole(role: Role): Promise<number>;
  insertSession(s: Omit<SessionRow, 'revokedAt' | 'revokeReason'>): Promise<void>;
  getSession(sid: string): Promise<SessionRow | null>;
  /** Sessions neither revoked nor expired at `nowMs`. */
  liveSessions(nowMs: number): Promise<SessionRow[]>;
  /** Revokes one session; false when it was already revoked or does not exist. */
  revokeSession(sid: string, reason: RevokeReason, at: number): Promise<boolean>;
  /** Revokes every live session of a user (named case-insensitively); the number revoked. */
  revokeUserSessions(user: string, reason: RevokeReason, at: number): Promise<number>;
}

/**
 * The durable side of users, login sessions and the audit trail, on either engine. The
 * synchronous AuthStore's `dataVersion` has no counterpart: it is SQLite's way of noticing
 * another process's commit; nodes sharing PostgreSQL tell each other over the cluster bus.
 */
export interface AsyncAuthStore extends AuthOps {
  /** HMAC key for tokens: 32 random bytes made once per database, the same for every node. */
  readonly secret: Buffer;
  /**
   * Runs `fn` in one transaction; auth transactions run one after another (SQLite: BEGIN
   * IMMEDIATE; PostgreSQL: an advisory lock), so a check made inside holds until the commit.
   * Inside, use only the `t` handed in: the store itself waits for the transaction to end.
   * A throw rolls everything back and is rethrown.
   */
  tx<T>(fn: (t: AuthOps) => Promise<T>): Promise<T>;
  /** Ends the store (SQLite: closes the file; PostgreSQL: the pool stays its owner's to end). */
  close(): Promise<void>;
}
