import type { AuditLog, AuthService, LoginOutcome } from '../auth/types';
import type { AppMetrics, FailedLoginReason } from './appMetrics';

const REASONS: Record<string, FailedLoginReason> = {
  UNAUTHENTICATED: 'wrong_credentials',
  RATE_LIMITED: 'throttled',
  INVALID: 'malformed',
};

/**
 * The audit trail as the request handlers and API routes see it, counting each finished entry in
 * the commands metric: an entry begun is counted when it is finished (with the action it began
 * with), one written already finished at once. Entries the auth core writes itself (logins, user
 * changes) go to its own audit log, not through here.
 */
export function meteredAudit(audit: AuditLog, metrics: AppMetrics): AuditLog {
  // Begun, not yet finished: id -> action (an entry is finished within its request).
  const open = new Map<number, string>();
  return {
    begin(entry) {
      const id = audit.begin(entry);
      open.set(id, entry.action);
      return id;
    },
    finish(id, result, code, message, reply) {
      audit.finish(id, result, code, message, reply);
      const action = open.get(id);
      if (action === undefined) return;
      open.delete(id);
      metrics.request(action, result, code);
    },
    record(entry) {
      const id = audit.record(entry);
      metrics.request(entry.action, entry.result, entry.code);
      return id;
    },
    query: (q) => audit.query(q),
    commandReply: (user, commandId) => audit.commandReply(user, commandId),
  };
}

/**
 * The auth service with its audit metered (see meteredAudit) and refused logins counted by reason.
 * Everything else is the service's own (a Proxy, so members added to AuthService pass through).
 */
export function meteredAuth(auth: AuthService, metrics: AppMetrics): AuthService {
  const audit = meteredAudit(auth.audit, metrics);
  const login = async (username: unknown, password: unknown, source: string): Promise<LoginOutcome> => {
    const r = await auth.login(username, password, source);
    if (!r.ok) metrics.failedLogin(REASONS[r.code] ?? 'malformed');
    return r;
  };
  return new Proxy(auth, {
    get(target, key) {
      if (key === 'audit') return audit;
      if (key === 'login') return login;
      const v = Reflect.get(target, key, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
