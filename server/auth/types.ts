import type { AuditEntry, AuditQuery, AuditResult, Locale, LoginResponse, Role } from '../../protocol';

/**
 * The contracts between the auth core (users, sessions, tokens, audit: server/auth, server/store)
 * and its callers (HTTP routes, the Socket.IO handshake and handlers, the CLI, main.ts).
 */

/** Who is asking. `sid` is null for the public showcase viewer (no login session). */
export interface Principal {
  user: string;
  role: Role;
  sid: string | null;
  /** ms since epoch; null for the public showcase viewer. */
  expiresAt: number | null;
}

/** A bearer token checked: signature, expiry, session not revoked, user still there. */
export type Verified =
  | { ok: true; principal: Principal }
  | { ok: false; code: 'UNAUTHENTICATED'; message: string };

/** Whether a login session may go on. */
export type SessionState = 'ok' | 'expired' | 'revoked';

export type LoginOutcome =
  | LoginResponse
  | {
      ok: false;
      code: 'UNAUTHENTICATED' | 'INVALID' | 'RATE_LIMITED';
      message: string;
      retryAfterMs?: number;
    };

/** What an audit entry says before its result is known. Never a token or a password. */
export interface AuditInput {
  /** Wall time, ms since epoch. */
  at: number;
  user: string;
  role: Role | null;
  source: string;
  action: string;
  target?: string | null;
  params?: Record<string, unknown> | null;
  /** The client's command id, for exactly-once replies. */
  commandId?: string | null;
}

/**
 * The audit trail, in the SQLite database (WAL, synchronous=FULL): every write is committed and
 * fsynced before it returns, so an entry written before an effect survives a kill -9.
 */
export interface AuditLog {
  /** Writes an entry with result 'pending' before the effect; returns its id. */
  begin(entry: AuditInput): number;
  /**
   * Records how a begun entry ended. `reply` is the JSON answer the client got; for commands it is
   * kept so that a retried command id is answered the same way (see `commandReply`).
   */
  finish(
    id: number,
    result: Exclude<AuditResult, 'pending'>,
    code?: string | null,
    message?: string | null,
    reply?: unknown,
  ): void;
  /** Writes an entry whose result is already known (failed login, refusal before any effect). */
  record(
    entry: AuditInput & {
      result: Exclude<AuditResult, 'pending'>;
      code?: string | null;
      message?: string | null;
    },
  ): number;
  /** Entries matching the query, newest first. */
  query(q: AuditQuery): AuditEntry[];
  /** The stored final reply of a command this user sent with this id (finished entries only), or null. */
  commandReply(user: string, commandId: string): unknown | null;
}

/** A user as listed (never the hash). */
export interface UserInfo {
  name: string;
  role: Role;
  /** ms since epoch. */
  createdAt: number;
  updatedAt: number;
}

export type UserChange =
  | { ok: true }
  | { ok: false; code: 'INVALID' | 'NOT_FOUND' | 'CONFLICT'; message: string };

/**
 * Users, login sessions and the audit trail. Passwords are hashed with scrypt (async, off the event
 * loop). Tokens are HMAC-SHA256 signed, carry a session id and an expiry; the session row can be
 * revoked (logout, password change, user removed or role changed, also from the CLI process).
 */
export interface AuthService {
  readonly audit: AuditLog;
  /** Checks the password and opens a session. Failed logins are throttled per user name and per source. */
  login(username: unknown, password: unknown, source: string): Promise<LoginOutcome>;
  /** Revokes the token's session (audited). False when the token was not a live session. */
  logout(token: unknown, source: string): boolean;
  /** Checks a bearer token. */
  verify(token: unknown): Verified;
  /**
   * Whether a session may go on. Cheap: called every 250 ms for each connected socket; sees
   * revocations made by another process (the CLI) within a second.
   */
  sessionState(sid: string): SessionState;
  listUsers(): UserInfo[];
  addUser(name: string, role: Role, password: string, by: AuditActor): Promise<UserChange>;
  removeUser(name: string, by: AuditActor): UserChange;
  setPassword(name: string, password: string, by: AuditActor): Promise<UserChange>;
  setRole(name: string, role: Role, by: AuditActor): UserChange;
  /** The language a user chose, or null (never chose, or no such user). */
  getLocale(name: string): Locale | null;
  /**
   * Sets the language a user reads the twin in (the user themself); audited as 'user:locale' when
   * it changes (setting the same one again writes nothing).
   */
  setLocale(name: string, locale: Locale, by: AuditActor): UserChange;
  /**
   * On first start (no users at all): creates `admin` with a random password and returns it, to be
   * printed once; null when users exist.
   */
  ensureFirstAdmin(): Promise<string | null>;
  close(): void;
}

/** Who made a user change (the CLI, or an admin's request), for the audit. */
export interface AuditActor {
  user: string;
  role: Role | null;
  source: string;
}
