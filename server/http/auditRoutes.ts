import { auditQuerySchema, can } from '../../protocol';
import type { AuthService } from '../auth/types';
import { type ApiRequest, requirePrincipal } from './authRoutes';
import { sendJson, sendRefusal } from './json';
import { parseQuery } from './query';

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
