import type { AckResult, Alarm, AlarmStats, AlarmTransition, ErrorCode } from '../../protocol';
import type { TwinSocket } from './connectTwin';

/** How long an alarm request waits for the server's answer, ms. */
export const ALARM_REQUEST_TIMEOUT_MS = 5000;

/** Refusals the client adds to the server's: no answer in time, or no connection. */
export type ClientRefusal = { ok: false; code: ErrorCode | 'TIMEOUT' | 'OFFLINE'; message: string };
/** The answer of an alarm request: the server's AckResult, or a client-side refusal. Never rejects. */
export type ActionResult<T extends object = object> = AckResult<T> | ClientRefusal;

let socket: TwinSocket | null = null;

/** Called by connectTwin: alarm requests go through this socket (null when closed). */
export function setAlarmSocket(s: TwinSocket | null): void {
  socket = s;
}

function request<T extends object>(
  send: (s: TwinSocket, done: (err: Error | null, result: AckResult<T>) => void) => void,
  what: string,
): Promise<ActionResult<T>> {
  return new Promise((resolve) => {
    if (!socket?.connected) {
      resolve({ ok: false, code: 'OFFLINE', message: `Cannot ${what}: not connected to the server` });
      return;
    }
    send(socket, (err, result) => {
      if (err)
        resolve({ ok: false, code: 'TIMEOUT', message: `Cannot ${what}: the server did not answer in time` });
      else if (!result || typeof result !== 'object')
        resolve({ ok: false, code: 'INTERNAL', message: `Cannot ${what}: unexpected answer` });
      else resolve(result);
    });
  });
}

/** Acknowledges alarms (`alarm:ack`). */
export function ackAlarms(ids: string[]): Promise<ActionResult<{ acknowledged: string[] }>> {
  return request(
    (s, done) => s.timeout(ALARM_REQUEST_TIMEOUT_MS).emit('alarm:ack', { ids }, done),
    ids.length === 1 ? 'acknowledge the alarm' : `acknowledge ${ids.length} alarms`,
  );
}

/** Shelves one alarm for `minutes` with a reason (`alarm:shelve`). */
export function shelveAlarm(
  id: string,
  minutes: number,
  reason: string,
): Promise<ActionResult<{ alarm: Alarm }>> {
  return request(
    (s, done) => s.timeout(ALARM_REQUEST_TIMEOUT_MS).emit('alarm:shelve', { id, minutes, reason }, done),
    'shelve the alarm',
  );
}

/** Unshelves one alarm (`alarm:unshelve`). */
export function unshelveAlarm(id: string): Promise<ActionResult<{ alarm: Alarm }>> {
  return request(
    (s, done) => s.timeout(ALARM_REQUEST_TIMEOUT_MS).emit('alarm:unshelve', { id }, done),
    'unshelve the alarm',
  );
}

/** Takes one alarm out of service, or returns it to service (`alarm:out-of-service`). */
export function setAlarmOutOfService(
  id: string,
  enabled: boolean,
  reason: string,
): Promise<ActionResult<{ alarm: Alarm }>> {
  return request(
    (s, done) =>
      s.timeout(ALARM_REQUEST_TIMEOUT_MS).emit('alarm:out-of-service', { id, enabled, reason }, done),
    enabled ? 'take the alarm out of service' : 'return the alarm to service',
  );
}

/** The transitions after `seq` (`alarm:since`), for catch-up. */
export function alarmsSince(seq: number): Promise<ActionResult<{ transitions: AlarmTransition[] }>> {
  return request(
    (s, done) => s.timeout(ALARM_REQUEST_TIMEOUT_MS).emit('alarm:since', { seq }, done),
    'catch up on alarms',
  );
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** `GET /api/alarms/stats`: alarm-system health. */
export function fetchAlarmStats(): Promise<AlarmStats> {
  return getJson<AlarmStats>('/api/alarms/stats');
}

/** Query of the alarm journal. */
export interface HistoryQuery {
  from?: number;
  to?: number;
  equipment?: string;
  limit?: number;
}

/** `GET /api/alarms/history`: journal transitions, newest first. Accepts an array or `{ transitions }`. */
export async function fetchAlarmHistory(q: HistoryQuery): Promise<AlarmTransition[]> {
  const params = new URLSearchParams();
  if (q.from !== undefined) params.set('from', String(q.from));
  if (q.to !== undefined) params.set('to', String(q.to));
  if (q.equipment) params.set('equipment', q.equipment);
  if (q.limit !== undefined) params.set('limit', String(q.limit));
  const body = await getJson<AlarmTransition[] | { transitions: AlarmTransition[] }>(
    `/api/alarms/history?${params}`,
  );
  const list = Array.isArray(body) ? body : (body.transitions ?? []);
  return [...list].sort((a, b) => b.seq - a.seq);
}
