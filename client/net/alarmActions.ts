import type {
  Alarm,
  AlarmStats,
  AlarmTransition,
  HistoryQuery as ProtocolHistoryQuery,
} from '../../protocol';
import { authorizedGet } from '../auth/api';
import { type ActionResult, request } from './request';

/** How long an alarm request waits for the server's answer, ms. */
export const ALARM_REQUEST_TIMEOUT_MS = 5000;

export type { ActionResult, ClientRefusal } from './request';

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
  // The alarm API needs the login's bearer token; a 401 also ends the session on this screen.
  const res = await authorizedGet(path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** `GET /api/alarms/stats`: alarm-system health. */
export function fetchAlarmStats(): Promise<AlarmStats> {
  return getJson<AlarmStats>('/api/alarms/stats');
}

/** Query of the alarm journal (the server's query schema fills in the default limit). */
export type HistoryQuery = Partial<ProtocolHistoryQuery>;

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
