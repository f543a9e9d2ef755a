import type { IncomingMessage, ServerResponse } from 'node:http';
import { historyQuerySchema } from '../../protocol';
import type { AlarmBook } from '../alarms/alarmBook';
import { sendJson, sendRefusal } from './json';
import { parseQuery } from './query';

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
