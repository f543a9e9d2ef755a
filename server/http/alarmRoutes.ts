import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { AlarmBook } from '../alarms/alarmBook';
import { sendJson, sendRefusal } from './json';
import { limitParam, parseQuery, timeParam } from './query';

/** Most journal entries one history request returns. */
export const MAX_HISTORY = 1000;

/** `GET /api/alarms/history?from=&to=&equipment=&limit=`. */
export const historyQuerySchema = z
  .object({
    from: timeParam.optional(),
    to: timeParam.optional(),
    equipment: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, { error: 'expected an equipment id' })
      .optional(),
    limit: limitParam(MAX_HISTORY, 100),
  })
  .strict();

/**
 * The alarm API: `GET /api/alarms` (current, non-normal), `/api/alarms/history` (journal) and
 * `/api/alarms/stats` (health). Returns false when the path is not one of them. Bad queries get
 * 400 `{ ok: false, code: 'INVALID', message }`. The caller has checked the bearer token.
 */
export function handleAlarmApi(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  book: AlarmBook | null,
  now: () => number,
): boolean {
  const path = url.pathname.replace(/\/+$/, '');
  if (path !== '/api/alarms' && path !== '/api/alarms/history' && path !== '/api/alarms/stats') return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendRefusal(res, 405, 'INVALID', 'use GET');
    return true;
  }
  if (!book) {
    sendRefusal(res, 404, 'NOT_FOUND', 'this plant runs without alarms');
    return true;
  }
  if (path === '/api/alarms') sendJson(res, 200, { ok: true, seq: book.seq, alarms: book.current() });
  else if (path === '/api/alarms/stats') sendJson(res, 200, { ok: true, ...book.stats(now()) });
  else {
    const q = parseQuery(url, historyQuerySchema);
    if (!q.ok) {
      sendRefusal(res, 400, 'INVALID', q.message);
      return true;
    }
    sendJson(res, 200, { ok: true, transitions: book.history(q.data) });
  }
  return true;
}
