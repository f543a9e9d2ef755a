import type { AuditLog } from '../../auth/types';
import type { AsyncAuditLog, AsyncAuthStore, AuthOps } from '../api/authApi';
import { type AuthStore, openAuthStore } from '../authStore';
import { SerialGate } from './serialGate';

/** The sync audit's methods as promises, each run through `via` (the gate, or directly in a tx). */
function asyncAudit(audit: AuditLog, via: <T>(fn: () => T) => Promise<T>): AsyncAuditLog {
  return {
    begin: (e) => via(() => audit.begin(e)),
    finish: (id, result, code, message, reply) => via(() => audit.finish(id, result, code, message, reply)),
    record: (e) => via(() => audit.record(e)),
    query: (q) => via(() => audit.query(q)),
    commandReply: (user, commandId) => via(() => audit.commandReply(user, commandId)),
  };
}

function asyncOps(s: AuthStore, via: <T>(fn: () => T) => Promise<T>): AuthOps {
  return {
    audit: asyncAudit(s.audit, via),
    userCount: () => via(() => s.userCount()),
    getUser: (name) => via(() => s.getUser(name)),
    listUsers: () => via(() => s.listUsers()),
    insertUser: (u) => via(() => s.insertUser(u)),
    deleteUser: (name) => via(() => s.deleteUser(name)),
    setHash: (name, hash, at) => via(() => s.setHash(name, hash, at)),
    setRole: (name, role, at) => via(() => s.setRole(name, role, at)),
    setLocale: (name, locale) => via(() => s.setLocale(name, locale)),
    countRole: (role) => via(() => s.countRole(role)),
    insertSession: (x) => via(() => s.insertSession(x)),
    getSession: (sid) => via(() => s.getSession(sid)),
    liveSessions: (nowMs) => via(() => s.liveSessions(nowMs)),
    revokeSession: (sid, reason, at) => via(() => s.revokeSession(sid, reason, at)),
    revokeUserSessions: (user, reason, at) => via(() => s.revokeUserSessions(user, reason, at)),
  };
}

/**
 * The SQLite auth store behind the async interface: the same synchronous store, its calls
 * queued one after another so that an open transaction (which may await between statements)
 * has the connection to itself. The transaction holds SQLite's write lock across its awaits: keep
 * them short (hash a password before, not inside). Another connection to the same file in the
 * same process that writes meanwhile blocks the event loop for up to the busy timeout and fails.
 */
export function asyncAuthStore(store: AuthStore): AsyncAuthStore {
  const gate = new SerialGate();
  const queued = <T>(fn: () => T) => gate.run(fn);
  const direct = async <T>(fn: () => T) => fn();
  const inTx = asyncOps(store, direct);
  return {
    ...asyncOps(store, queued),
    secret: store.secret,
    tx: (fn) =>
      gate.run(async () => {
        const t = store.begin();
        try {
          const result = await fn(inTx);
          t.commit();
          return result;
        } catch (e) {
          t.rollback();
          throw e;
        }
      }),
    close: () => gate.run(() => store.close()),
  };
}

/** Opens the SQLite auth store (see openAuthStore) behind the async interface. */
export function openSqliteAuthStore(dataDir: string, nowMs: number): AsyncAuthStore {
  return asyncAuthStore(openAuthStore(dataDir, nowMs));
}
