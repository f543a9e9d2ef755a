import { randomBytes } from 'node:crypto';
import {
  isRole,
  LOCALES,
  type Locale,
  PASSWORD_MAX,
  PASSWORD_MIN,
  type Role,
  USERNAME_PATTERN,
} from '../../protocol';
import { type AuthStore, openAuthStore } from '../store/authStore';
import { LoginThrottle } from './loginThrottle';
import { hashPassword, SCRYPT_LOG_N, verifyPassword } from './passwords';
import { SessionCache } from './sessionCache';
import { signToken, verifyToken } from './tokens';
import type { AuditActor, AuthService, LoginOutcome, UserChange, Verified } from './types';

/** Default life of a login session, ms (12 h: one shift with margin). */
export const DEFAULT_SESSION_TTL_MS = 12 * 3600 * 1000;
/** The one answer to a wrong password and to an unknown user, so neither tells which it was. */
export const WRONG_LOGIN = 'wrong user name or password';
/** Most password checks in flight at once; more are refused (each one holds 32 MiB for ~0.2 s). */
const MAX_CONCURRENT_CHECKS = 16;
/** The user that a fresh database gets. */
export const FIRST_ADMIN = 'admin';

export interface AuthOptions {
  /** Directory of the database (`join(dataDir, DB_FILE)`), or ':memory:'. */
  dataDir: string;
  /** Wall clock, ms since epoch (tests drive it). */
  now?: () => number;
  /** Life of a login session, ms (default 12 h). */
  sessionTtlMs?: number;
  /** scrypt cost for new hashes, log2 N (default 15; tests lower it, >= 10). */
  scryptLogN?: number;
}

const invalid = (message: string) => ({ ok: false as const, code: 'INVALID' as const, message });

/** Checks a user name; a message, or null when it is fine. */
function checkName(name: unknown): string | null {
  if (typeof name !== 'string' || !USERNAME_PATTERN.test(name))
    return 'a user name is 1 to 32 letters, digits, ".", "_" or "-", starting with a letter or digit';
  return null;
}
/** Checks a new password; a message, or null when it is fine. */
function checkPassword(password: unknown): string | null {
  if (typeof password !== 'string' || password.length < PASSWORD_MIN || password.length > PASSWORD_MAX)
    return `a password is ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`;
  return null;
}

/**
 * Opens the users, sessions and audit trail in `dataDir` (see AuthService). Throws with a message
 * naming the directory when the database cannot be opened.
 */
export function openAuth(opts: AuthOptions): AuthService {
  const now = opts.now ?? Date.now;
  const ttl = opts.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
  if (!(ttl > 0)) throw new Error('sessionTtlMs must be positive');
  const logN = opts.scryptLogN ?? SCRYPT_LOG_N;
  let store: AuthStore;
  try {
    store = openAuthStore(opts.dataDir, now());
  } catch (err) {
    throw new Error(`cannot open the user database in ${opts.dataDir}: ${(err as Error).message}`);
  }
  const audit = store.audit;
  const cache = new SessionCache(store, now);
  const throttle = new LoginThrottle();
  let checking = 0;
  // A hash of nothing anyone knows, at the same cost, checked for unknown users so that the time a
  // refusal takes does not tell whether the user exists.
  let dummy: Promise<string> | null = null;
  const dummyHash = () => {
    dummy ??= hashPassword(randomBytes(16).toString('base64'), logN);
    return dummy;
  };

  /** A refused user change, audited (bad input is answered INVALID without an entry: nothing was named). */
  const refuse = (
    action: string,
    target: string,
    by: AuditActor,
    code: 'NOT_FOUND' | 'CONFLICT',
    message: string,
  ): UserChange => {
    audit.record({ at: now(), ...by, action, target, result: 'refused', code, message });
    return { ok: false, code, message };
  };

  async function login(username: unknown, password: unknown, source: string): Promise<LoginOutcome> {
    const failed = (user: string, role: Role | null, code: string, message: string) =>
      audit.record({
        at: now(),
        user,
        role,
        source,
        action: 'login-failed',
        result: 'refused',
        code,
        message,
      });
    const shape =
      typeof username !== 'string' || typeof password !== 'string'
        ? 'expected { username, password } as strings'
        : (checkName(username) ??
          (password.length === 0 || password.length > PASSWORD_MAX
            ? `a password is at most ${PASSWORD_MAX} characters`
            : null));
    if (shape !== null || typeof username !== 'string' || typeof password !== 'string') {
      failed('-', null, 'INVALID', 'malformed login');
      return invalid(shape ?? 'malformed login');
    }
    const waitMs = throttle.check(username, source, now());
    const known = store.getUser(username);
    if (waitMs > 0) {
      // Refused without looking at the password: guessing on stays pointless.
      const message = `too many failed logins; try again in ${Math.ceil(waitMs / 1000)} s`;
      failed(known ? known.name : '-', known?.role ?? null, 'RATE_LIMITED', message);
      return { ok: false, code: 'RATE_LIMITED', message, retryAfterMs: waitMs };
    }
    if (checking >= MAX_CONCURRENT_CHECKS) {
      const message = 'the server is busy checking passwords; try again in a moment';
      failed(known ? known.name : '-', known?.role ?? null, 'RATE_LIMITED', message);
      return { ok: false, code: 'RATE_LIMITED', message, retryAfterMs: 1000 };
    }
    checking++;
    throttle.begin(username, source, now());
    let ok = false;
    try {
      ok = await verifyPassword(password, known ? known.hash : await dummyHash());
    } finally {
      checking--;
      throttle.end(username, source, now(), ok && known !== null);
    }
    // Read again: the user may have been removed or changed while scrypt ran.
    const user = ok ? store.getUser(username) : null;
    if (!user || !ok || (known && user.hash !== known.hash)) {
      failed(known ? known.name : '-', known?.role ?? null, 'UNAUTHENTICATED', WRONG_LOGIN);
      return { ok: false, code: 'UNAUTHENTICATED', message: WRONG_LOGIN };
    }
    const at = now();
    const sid = randomBytes(18).toString('base64url');
    const expiresAt = at + ttl;
    store.tx(() => {
      store.insertSession({ sid, user: user.name, role: user.role, createdAt: at, expiresAt });
      audit.record({ at, user: user.name, role: user.role, source, action: 'login', result: 'ok' });
    });
    cache.add(sid, expiresAt);
    const token = signToken(store.secret, { sid, u: user.name, r: user.role, exp: expiresAt });
    return { ok: true, token, user: user.name, role: user.role, expiresAt, locale: user.locale ?? null };
  }

  function verify(token: unknown): Verified {
    const t = verifyToken(store.secret, token, now());
    if (!t.ok)
      return {
        ok: false,
        code: 'UNAUTHENTICATED',
        message: t.reason === 'expired' ? 'the session has expired; log in again' : 'invalid token',
      };
    const p = t.payload;
    // The row, not the cache: a revocation by the CLI counts from the moment it commits.
    const s = store.getSession(p.sid);
    if (!s || s.revokedAt !== null || s.user !== p.u || s.role !== p.r)
      return { ok: false, code: 'UNAUTHENTICATED', message: 'the session has ended; log in again' };
    const user = store.getUser(p.u);
    if (!user || user.role !== p.r)
      return { ok: false, code: 'UNAUTHENTICATED', message: 'the session has ended; log in again' };
    return { ok: true, principal: { user: user.name, role: user.role, sid: p.sid, expiresAt: p.exp } };
  }

  function logout(token: unknown, source: string): boolean {
    const v = verify(token);
    if (!v.ok || v.principal.sid === null) return false;
    const { user, role, sid } = v.principal;
    const at = now();
    const done = store.tx(() => {
      if (!store.revokeSession(sid, 'logout', at)) return false;
      audit.record({ at, user, role, source, action: 'logout', result: 'ok' });
      return true;
    });
    cache.invalidate();
    return done;
  }

  async function addUser(name: string, role: Role, password: string, by: AuditActor): Promise<UserChange> {
    const bad =
      checkName(name) ?? (isRole(role) ? null : `a role is one of viewer, operator, trainer, admin`);
    if (bad) return invalid(bad);
    const badPw = checkPassword(password);
    if (badPw) return invalid(badPw);
    if (store.getUser(name)) return refuse('user:add', name, by, 'CONFLICT', `user "${name}" already exists`);
    const hash = await hashPassword(password, logN);
    const at = now();
    const added = store.tx(() => {
      if (!store.insertUser({ name, role, hash, createdAt: at, updatedAt: at })) return false;
      audit.record({ at, ...by, action: 'user:add', target: name, params: { role }, result: 'ok' });
      return true;
    });
    return added ? { ok: true } : refuse('user:add', name, by, 'CONFLICT', `user "${name}" already exists`);
  }

  function removeUser(name: string, by: AuditActor): UserChange {
    const bad = checkName(name);
    if (bad) return invalid(bad);
    const at = now();
    const r = store.tx((): UserChange | string => {
      const u = store.getUser(name);
      if (!u) return `no user "${name}"`;
      if (u.role === 'admin' && store.countRole('admin') === 1)
        return {
          ok: false,
          code: 'CONFLICT',
          message: `"${u.name}" is the last admin; add another admin first`,
        };
      store.deleteUser(u.name);
      store.revokeUserSessions(u.name, 'removed', at);
      audit.record({
        at,
        ...by,
        action: 'user:remove',
        target: u.name,
        params: { role: u.role },
        result: 'ok',
      });
      return { ok: true };
    });
    cache.invalidate();
    if (typeof r === 'string') return refuse('user:remove', name, by, 'NOT_FOUND', r);
    if (!r.ok) return refuse('user:remove', name, by, 'CONFLICT', r.message);
    return r;
  }

  async function setPassword(name: string, password: string, by: AuditActor): Promise<UserChange> {
    const bad = checkName(name) ?? checkPassword(password);
    if (bad) return invalid(bad);
    if (!store.getUser(name)) return refuse('user:passwd', name, by, 'NOT_FOUND', `no user "${name}"`);
    const hash = await hashPassword(password, logN);
    const at = now();
    const target = store.tx(() => {
      const u = store.getUser(name);
      if (!u) return null;
      store.setHash(u.name, hash, at);
      store.revokeUserSessions(u.name, 'password', at);
      audit.record({ at, ...by, action: 'user:passwd', target: u.name, result: 'ok' });
      return u.name;
    });
    cache.invalidate();
    return target ? { ok: true } : refuse('user:passwd', name, by, 'NOT_FOUND', `no user "${name}"`);
  }

  function setRole(name: string, role: Role, by: AuditActor): UserChange {
    const bad =
      checkName(name) ?? (isRole(role) ? null : `a role is one of viewer, operator, trainer, admin`);
    if (bad) return invalid(bad);
    const at = now();
    const r = store.tx((): UserChange | string => {
      const u = store.getUser(name);
      if (!u) return `no user "${name}"`;
      if (u.role === role) return { ok: true };
      if (u.role === 'admin' && store.countRole('admin') === 1)
        return {
          ok: false,
          code: 'CONFLICT',
          message: `"${u.name}" is the last admin; add another admin first`,
        };
      store.setRole(u.name, role, at);
      store.revokeUserSessions(u.name, 'role', at);
      audit.record({
        at,
        ...by,
        action: 'user:role',
        target: u.name,
        params: { from: u.role, to: role },
        result: 'ok',
      });
      return { ok: true };
    });
    cache.invalidate();
    if (typeof r === 'string') return refuse('user:role', name, by, 'NOT_FOUND', r);
    if (!r.ok) return refuse('user:role', name, by, 'CONFLICT', r.message);
    return r;
  }

  function setLocale(name: string, locale: Locale, by: AuditActor): UserChange {
    if (!(LOCALES as readonly string[]).includes(locale))
      return invalid(`a locale is one of: ${LOCALES.join(', ')}`);
    const at = now();
    const r = store.tx((): UserChange | null => {
      const u = store.getUser(name);
      if (!u) return null;
      if (u.locale === locale) return { ok: true };
      store.setLocale(u.name, locale);
      audit.record({
        at,
        ...by,
        action: 'user:locale',
        target: u.name,
        params: { from: u.locale ?? null, to: locale },
        result: 'ok',
      });
      return { ok: true };
    });
    return r ?? refuse('user:locale', name, by, 'NOT_FOUND', `no user "${name}"`);
  }

  return {
    audit,
    login,
    logout,
    verify,
    sessionState: (sid) => cache.state(sid),
    listUsers: () => store.listUsers(),
    addUser,
    removeUser,
    setPassword,
    setRole,
    getLocale: (name) => store.getUser(name)?.locale ?? null,
    setLocale,
    async ensureFirstAdmin() {
      if (store.userCount() > 0) return null;
      // 18 random bytes: 24 characters of base64url, 144 bits.
      const password = randomBytes(18).toString('base64url');
      const r = await addUser(FIRST_ADMIN, 'admin', password, {
        user: 'server',
        role: null,
        source: 'server',
      });
      // CONFLICT: another process created the first user meanwhile; it printed its own password.
      return r.ok ? password : null;
    },
    close: () => store.close(),
  };
}
