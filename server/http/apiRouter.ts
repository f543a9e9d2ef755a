import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AlarmBook } from '../alarms/alarmBook';
import { RateLimiter } from '../auth/rateLimiter';
import type { AuthService } from '../auth/types';
import type { LivePublish } from '../design/livePublish';
import type { ModelStore } from '../models/modelStore';
import type { Recordings } from '../recordings';
import type { TrainingManager } from '../training/trainingManager';
import { handleAlarmApi } from './alarmRoutes';
import { handleAuditApi } from './auditRoutes';
import { type ApiRequest, bearerToken, handleAuthApi, requirePrincipal } from './authRoutes';
import { type DesignDeps, handleDesignApi } from './designRoutes';
import { handleHistoryApi } from './historyRoutes';
import { handleIngestApi, type LivePlant } from './ingestRoutes';
import { sendRefusal } from './json';
import { handleModelApi } from './modelRoutes';
import { handlePublishApi } from './publishRoutes';
import { handleRecordingApi } from './recordingRoutes';
import { handleTrainingApi } from './trainingRoutes';
import { handleWhatIfApi } from './whatIfRoutes';

/** Default rate of /api/* requests per user (or per source address without a token): 20/s, bursts of 40. */
export const DEFAULT_API_RATE = { perS: 20, burst: 40 } as const;

const ALARM_PATHS = new Set(['/api/alarms', '/api/alarms/history', '/api/alarms/stats']);

export interface ApiDeps {
  auth: AuthService;
  /** The live plant's alarms now (null: none); asked per request, the live plant can be replaced. */
  alarms: () => AlarmBook | null;
  /** Wall clock, ms since epoch. */
  now: () => number;
  rate?: { perS: number; burst: number };
  logger?: Logger;
  /** Scenarios and training sessions (`/api/scenarios`, `/api/sessions`); absent: those routes are 404. */
  training?: TrainingManager | null;
  /** Recordings (`/api/recordings`); absent: those routes answer 404. */
  recordings?: Recordings | null;
  /** The live plant for `/api/sources` and `/api/equipment/:id`; absent: 404 for equipment. */
  plant?: LivePlant | null;
  /** Design drafts and versions (`/api/designs`, `/api/plant/versions`); absent: those routes answer 404. */
  design?: DesignDeps | null;
  /** Uploaded plant models (`/api/models`); absent: those routes answer 404. */
  models?: ModelStore | null;
  /** Publishing to the live plant (`/api/designs/:id/publish`, `/api/plant/...`); absent: 404. */
  publish?: LivePublish | null;
}

/**
 * Everything under /api: reads the bearer token once, rate-limits per user (per source address
 * when there is no good token), then routes. Alarm routes need any logged-in user; the audit needs
 * an admin; designs need design:edit; login needs nobody. Never throws and never rejects: a failure
 * answers 500 INTERNAL.
 */
export function createApiHandler(
  deps: ApiDeps,
): (req: IncomingMessage, res: ServerResponse, url: URL) => void {
  const rate = deps.rate ?? DEFAULT_API_RATE;
  const limiter = new RateLimiter(rate.perS, rate.burst, deps.now);
  const internal = (res: ServerResponse, err: unknown) => {
    deps.logger?.error({ err }, 'API request failed');
    if (!res.headersSent) sendRefusal(res, 500, 'INTERNAL', 'internal error');
    else res.destroy();
  };
  return (req, res, url) => {
    try {
      const token = bearerToken(req);
      const verified = token === null ? null : deps.auth.verify(token);
      const a: ApiRequest = {
        req,
        res,
        url,
        path: url.pathname.replace(/\/+$/, ''),
        source: req.socket.remoteAddress ?? 'unknown',
        token,
        verified,
        principal: verified?.ok ? verified.principal : null,
      };
      const key = a.principal ? `user:${a.principal.user.toLowerCase()}` : `source:${a.source}`;
      const allowed = limiter.take(key);
      if (!allowed.ok)
        return sendRefusal(res, 429, 'RATE_LIMITED', 'too many requests; slow down', {
          retryAfterMs: allowed.retryAfterMs,
        });
      const handled = handleAuthApi(a, deps.auth);
      if (handled instanceof Promise) {
        handled.catch((err) => internal(res, err));
        return;
      }
      if (handled || handleAuditApi(a, deps.auth) || handleIngestApi(a, deps.plant ?? null)) return;
      if (handleHistoryApi(a, deps.plant ?? null)) return;
      if (deps.training) {
        const t = handleTrainingApi(a, deps.training, deps.auth, deps.now);
        if (t instanceof Promise) {
          t.catch((err) => internal(res, err));
          return;
        }
        if (t) return;
      }
      const rec = handleRecordingApi(a, deps.recordings ?? null, deps.auth, deps.now);
      if (rec instanceof Promise) {
        rec.catch((err) => internal(res, err));
        return;
      }
      if (rec) return;
      const whatIf = handleWhatIfApi(a, deps.design ?? null, deps.auth, deps.now);
      if (whatIf instanceof Promise) {
        whatIf.catch((err) => internal(res, err));
        return;
      }
      if (whatIf) return;
      const pub = handlePublishApi(a, deps.publish ?? null, deps.auth, deps.now);
      if (pub instanceof Promise) {
        pub.catch((err) => internal(res, err));
        return;
      }
      if (pub) return;
      const design = handleDesignApi(a, deps.design ?? null, deps.auth, deps.now);
      if (design instanceof Promise) {
        design.catch((err) => internal(res, err));
        return;
      }
      if (design) return;
      const model = handleModelApi(a, deps.models ?? null, deps.auth, deps.now);
      if (model instanceof Promise) {
        model.catch((err) => internal(res, err));
        return;
      }
      if (model) return;
      if (ALARM_PATHS.has(a.path)) {
        if (requirePrincipal(a)) handleAlarmApi(req, res, url, deps.alarms(), deps.now);
        return;
      }
      sendRefusal(res, 404, 'NOT_FOUND', `no API route ${req.method ?? 'GET'} ${url.pathname}`);
    } catch (err) {
      internal(res, err);
    }
  };
}
