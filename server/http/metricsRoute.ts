import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AuthService } from '../auth/types';
import type { AppMetrics } from '../metrics/appMetrics';
import { bearerToken } from './authRoutes';
import { sendRefusal } from './json';

/** What `GET /metrics` needs. */
export interface MetricsRouteDeps {
  metrics: AppMetrics;
  auth: AuthService;
  /** `--metrics-token`: a scraper's static bearer token (null: only admins' session tokens). */
  token: string | null;
  logger?: Logger;
}

/** SHA-256 of a token: equal-length digests for a constant-time comparison of any two tokens. */
const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * `GET /metrics`: the Prometheus text exposition, for `Authorization: Bearer TOKEN` where TOKEN is
 * the metrics token (compared in constant time) or a logged-in admin's session token. No token or
 * a wrong one: 401; a session of another role: 403. Not rate-limited and never counted as a
 * failed login (nothing is logged in); the token is never logged.
 */
export function createMetricsRoute(
  deps: MetricsRouteDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  const expected = deps.token ? digest(deps.token) : null;
  return (req, res) => {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD')
      return sendRefusal(res, 405, 'INVALID', 'use GET', { headers: { allow: 'GET' } });
    const token = bearerToken(req);
    if (token === null)
      return sendRefusal(
        res,
        401,
        'UNAUTHENTICATED',
        'send Authorization: Bearer TOKEN (the metrics token or an admin session)',
      );
    if (!(expected && timingSafeEqual(digest(token), expected))) {
      const v = deps.auth.verify(token);
      if (!v.ok)
        return sendRefusal(
          res,
          401,
          'UNAUTHENTICATED',
          'the token is not the metrics token nor a live session',
        );
      if (v.principal.role !== 'admin')
        return sendRefusal(res, 403, 'FORBIDDEN', `the ${v.principal.role} role may not read the metrics`);
    }
    deps.metrics.exposition().then(
      ({ contentType, body }) => {
        res.writeHead(200, {
          'content-type': contentType,
          'content-length': Buffer.byteLength(body),
          'cache-control': 'no-store',
        });
        res.end(method === 'HEAD' ? undefined : body);
      },
      (err) => {
        deps.logger?.error({ err }, 'collecting metrics failed');
        if (!res.headersSent) sendRefusal(res, 500, 'INTERNAL', 'internal error');
      },
    );
  };
}
