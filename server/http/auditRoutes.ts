import { z } from 'zod';
import { can } from '../../protocol';
import type { AuthService } from '../auth/types';
import { type ApiRequest, requirePrincipal } from './authRoutes';
import { sendJson, sendRefusal } from './json';
import { limitParam, parseQuery, timeParam } from './query';

/** Most audit entries one request returns. */
export const MAX_AUDIT = 1000;

/** `GET /api/audit?user=&action=&equipment=&from=&to=&limit=`. */
export const auditQuerySchema = z
  .object({
    /** A user name, or '-' (failed logins of unknown names), 'cli', 'server'. */
    user: z
      .string()
      .regex(/^(-|[A-Za-z0-9][A-Za-z0-9._-]{0,31})$/, { error: 'expected a user name' })
      .optional(),
    /** Exact, or a prefix when it ends with '*' ('command:*'). */
    action: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9:._-]{0,63}\*?$/, {
        error: "expected an action such as 'login', or a prefix ending in '*' such as 'command:*'",
      })
      .optional(),
    /** What was acted on: equipment, line, alarm or user (printable text). */
    equipment: z
      .string()
      .regex(/^[^\p{Cc}]{1,200}$/u, { error: 'expected an equipment id' })
      .optional(),
    from: timeParam.optional(),
    to: timeParam.optional(),
    limit: limitParam(MAX_AUDIT, 200),
  })
  .strict();

/** `GET /api/audit` for admins (401 without a good token, 403 for other roles). False for other paths. */
export function handleAuditApi(a: ApiRequest, auth: AuthService): boolean {
  if (a.path !== '/api/audit') return false;
  const m = a.req.method ?? 'GET';
  if (m !== 'GET' && m !== 'HEAD') {
    sendRefusal(a.res, 405, 'INVALID', 'use GET', { headers: { allow: 'GET' } });
    return true;
  }
  const p = requirePrincipal(a);
  if (!p) return true;
  if (!can(p.role, 'audit:read')) {
    sendRefusal(a.res, 403, 'FORBIDDEN', 'the audit trail is for admins');
    return true;
  }
  const q = parseQuery(a.url, auditQuerySchema);
  if (!q.ok) {
    sendRefusal(a.res, 400, 'INVALID', q.message);
    return true;
  }
  sendJson(a.res, 200, { ok: true, entries: auth.audit.query(q.data) });
  return true;
}
