import type { IncomingMessage, ServerResponse } from 'node:http';
import sirv from 'sirv';
import type { AlarmBook } from '../alarms/alarmBook';
import { handleAlarmApi } from './alarmRoutes';

/** `GET /healthz` body. */
export interface Health {
  status: 'ok';
  equipment: number;
  clients: number;
  uptimeS: number;
}

/** A connect-style middleware (Vite's dev server in --dev). */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface HttpDeps {
  health: () => Health;
  /** Built client to serve (dist/client), or null. */
  clientDir: string | null;
  /** Vite middleware in development, served instead of clientDir. */
  dev?: Middleware;
  /** The plant's alarms for the alarm API (null: none), and the wall clock (ms since epoch). */
  alarms?: AlarmBook | null;
  now?: () => number;
}

/** Sends a JSON body with the given status. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/**
 * The HTTP side of the server: health, the API namespace and the client (static files with an SPA
 * fallback, or Vite in development). Socket.IO handles its own path before this runs.
 */
export function createHttpHandler(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const serveStatic = deps.clientDir ? sirv(deps.clientDir, { single: true, etag: true, gzip: false }) : null;
  return (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = req.method ?? 'GET';
      if (url.pathname === '/healthz') {
        if (method !== 'GET' && method !== 'HEAD')
          return sendJson(res, 405, { ok: false, code: 'INVALID', message: 'use GET' });
        return sendJson(res, 200, deps.health());
      }
      if (handleAlarmApi(req, res, url, deps.alarms ?? null, deps.now ?? (() => 0))) return;
      if (url.pathname === '/api' || url.pathname.startsWith('/api/'))
        return sendJson(res, 404, {
          ok: false,
          code: 'NOT_FOUND',
          message: `no API route ${method} ${url.pathname}`,
        });
      if (method !== 'GET' && method !== 'HEAD')
        return sendJson(res, 405, { ok: false, code: 'INVALID', message: `${method} is not allowed here` });
      const notFound = () => sendJson(res, 404, { ok: false, code: 'NOT_FOUND', message: 'not found' });
      if (deps.dev) return deps.dev(req, res, notFound);
      if (serveStatic) return serveStatic(req, res, notFound);
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The client is not built. Run `npm run build` (npm start does it for you).');
    } catch {
      // A malformed URL must never take the server down.
      sendJson(res, 400, { ok: false, code: 'INVALID', message: 'bad request' });
    }
  };
}
