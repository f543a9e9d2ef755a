import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { formatPath } from '../../protocol';
import type { AlarmBook } from '../alarms/alarmBook';

/** Most journal entries one history request returns. */
export const MAX_HISTORY = 1000;

/** A time in the query: ms since epoch, or an ISO 8601 date. */
const time = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    const ms = /^\d{1,16}$/.test(s) ? Number(s) : Date.parse(s);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'expected ms since epoch or an ISO 8601 date' });
      return z.NEVER;
    }
    return ms;
  });

/** `GET /api/alarms/history?from=&to=&equipment=&limit=`. */
export const historyQuerySchema = z
  .object({
    from: time.optional(),
    to: time.optional(),
    equipment: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, { error: 'expected an equipment id' })
      .optional(),
    limit: z
      .string()
      .regex(/^\d{1,5}$/, { error: `expected a whole number from 1 to ${MAX_HISTORY}` })
      .transform(Number)
      .pipe(
        z
          .number()
          .min(1, { error: 'expected at least 1' })
          .max(MAX_HISTORY, { error: `expected at most ${MAX_HISTORY}` }),
      )
      .default(100),
  })
  .strict();

const send = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
};

/**
 * The alarm API: `GET /api/alarms` (current, non-normal), `/api/alarms/history` (journal) and
 * `/api/alarms/stats` (health). Returns false when the path is not one of them. Bad queries get
 * 400 `{ ok: false, code: 'INVALID', message }`.
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
    send(res, 405, { ok: false, code: 'INVALID', message: 'use GET' });
    return true;
  }
  if (!book) {
    send(res, 404, { ok: false, code: 'NOT_FOUND', message: 'this plant runs without alarms' });
    return true;
  }
  if (path === '/api/alarms') send(res, 200, { ok: true, seq: book.seq, alarms: book.current() });
  else if (path === '/api/alarms/stats') send(res, 200, { ok: true, ...book.stats(now()) });
  else {
    const raw: Record<string, string> = {};
    for (const [k, v] of url.searchParams) {
      if (k in raw) {
        send(res, 400, { ok: false, code: 'INVALID', message: `${k}: given more than once` });
        return true;
      }
      raw[k] = v;
    }
    const q = historyQuerySchema.safeParse(raw);
    if (!q.success) {
      const i = q.error.issues[0];
      send(res, 400, { ok: false, code: 'INVALID', message: `${formatPath(i.path)}: ${i.message}` });
      return true;
    }
    send(res, 200, { ok: true, transitions: book.history(q.data) });
  }
  return true;
}
