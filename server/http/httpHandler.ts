import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import sirv from 'sirv';
import type { AlarmBook } from '../alarms/alarmBook';
import type { AuthService } from '../auth/types';
import type { LivePublish } from '../design/livePublish';
import type { ModelStore } from '../models/modelStore';
import type { Recordings } from '../recordings';
import type { TrainingManager } from '../training/trainingManager';
import { createApiHandler } from './apiRouter';
import type { DesignDeps } from './designRoutes';
import type { LivePlant } from './ingestRoutes';
import { sendJson } from './json';
import { applyHeaders, securityHeaders } from './securityHeaders';

export { sendJson };

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
  /**
   * The plant's alarms for the alarm API (null: none; a function: asked per request, as the live
   * plant can be replaced), and the wall clock (ms since epoch).
   */
  alarms?: AlarmBook | null | (() => AlarmBook | null);
  now?: () => number;
  /** Users and sessions: every /api route but /api/login needs a bearer token. */
  auth: AuthService;
  /** Rate of /api/* requests per user or source (default 20/s, bursts of 40). */
  apiRate?: { perS: number; burst: number };
  /** Where failures of the API are logged (never tokens or passwords). */
  logger?: Logger;
  /** Scenarios and training sessions for the training API. */
  training?: TrainingManager | null;
  /** Recordings for the replay API. */
  recordings?: Recordings | null;
  /** `GET /metrics` (Prometheus; the route checks its own bearer token); absent: not served. */
  metrics?: (req: IncomingMessage, res: ServerResponse) => void;
  /** The live plant for the ingest read API (`/api/sources`, `/api/equipment/:id`). */
  plant?: LivePlant | null;
  /** Design drafts and versions (`/api/designs`, `/api/plant/versions`); absent: those routes answer 404. */
  design?: DesignDeps | null;
  /** Uploaded plant models (`/api/models`); absent: those routes answer 404. */
  models?: ModelStore | null;
  /** Publishing to the live plant; absent: those routes answer 404. */
  publish?: LivePublish | null;
  /** Headers every response carries (securityHeaders(); default: its strictest form). */
  headers?: Readonly<Record<string, string>>;
}

/**
 * The HTTP side of the server: health, the API namespace and the client (static files with an SPA
 * fallback, or Vite in development). Socket.IO handles its own path before this runs.
 */
export function createHttpHandler(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const serveStatic = deps.clientDir ? sirv(deps.clientDir, { single: true, etag: true, gzip: false }) : null;
  const api = createApiHandler({
    auth: deps.auth,
    alarms: typeof deps.alarms === 'function' ? deps.alarms : () => (deps.alarms as AlarmBook | null) ?? null,
    now: deps.now ?? Date.now,
    rate: deps.apiRate,
    logger: deps.logger,
    training: deps.training,
    recordings: deps.recordings,
    plant: deps.plant,
    design: deps.design,
    models: deps.models,
    publish: deps.publish,
  });
  const headers = deps.headers ?? securityHeaders();
  return (req, res) => {
    // First, so that every answer below (static, API, SPA fallback, errors, 404) carries them.
    applyHeaders(res, headers);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      // A malformed URL must never take the server down.
      return sendJson(res, 400, { ok: false, code: 'INVALID', message: 'bad request' });
    }
    try {
      const method = req.method ?? 'GET';
      if (url.pathname === '/healthz') {
        if (method !== 'GET' && method !== 'HEAD')
          return sendJson(res, 405, { ok: false, code: 'INVALID', message: 'use GET' });
        return sendJson(res, 200, deps.health());
      }
      if (url.pathname === '/metrics' && deps.metrics) return deps.metrics(req, res);
      if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return api(req, res, url);
      if (method !== 'GET' && method !== 'HEAD')
        return sendJson(res, 405, { ok: false, code: 'INVALID', message: `${method} is not allowed here` });
      const notFound = () => sendJson(res, 404, { ok: false, code: 'NOT_FOUND', message: 'not found' });
      if (deps.dev) return deps.dev(req, res, notFound);
      if (serveStatic) return serveStatic(req, res, notFound);
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The client is not built. Run `npm run build` (npm start does it for you).');
    } catch (err) {
      deps.logger?.error({ err }, 'HTTP request failed');
      if (!res.headersSent) sendJson(res, 500, { ok: false, code: 'INTERNAL', message: 'internal error' });
    }
  };
}
