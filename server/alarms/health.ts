import type { Alarm, AlarmStats } from '../../protocol';

/**
 * Alarm-system health as ISA-18.2 and EEMUA 191 measure it, as pure functions of the raise
 * stream and the current alarms. Times are wall ms: these figures measure an operator's load,
 * which happens in the operator's time (at --speed 20 a plant really does load them 20x).
 */
export interface HealthOptions {
  /** Rate window, ms (ISA-18.2: alarms per 10 minutes). */
  windowMs: number;
  /** Flood starts above this many raises per window… */
  floodEnter: number;
  /** …and ends below this many. */
  floodExit: number;
  /** Chattering: this many raises of one alarm within `chatterWindowMs`… */
  chatterCount: number;
  chatterWindowMs: number;
  /** …any time in the last `chatterLookbackMs`. */
  chatterLookbackMs: number;
  /** Standing: active longer than this, ms. */
  standingMs: number;
  /** Stale: unacknowledged longer than this, ms. */
  staleMs: number;
  /** How far back the top-10 counts, ms. */
  topWindowMs: number;
}

/** EEMUA 191 / ISA-18.2 figures; standing and stale thresholds are this plant's choice. */
export const HEALTH_DEFAULTS: HealthOptions = {
  windowMs: 10 * 60_000,
  floodEnter: 10,
  floodExit: 5,
  chatterCount: 3,
  chatterWindowMs: 60_000,
  chatterLookbackMs: 10 * 60_000,
  standingMs: 30 * 60_000,
  staleMs: 10 * 60_000,
  topWindowMs: 24 * 3600_000,
};

/** One raise: an alarm annunciated (to unacknowledged from normal or return-to-normal). */
export interface Raise {
  alarmId: string;
  at: number;
}

/** Raises in (now - windowMs, now]. `times` sorted ascending. */
export function countInWindow(times: readonly number[], nowMs: number, windowMs: number): number {
  let n = 0;
  for (const t of times) if (t > nowMs - windowMs && t <= nowMs) n++;
  return n;
}

/**
 * Whether the plant is in flood at `nowMs`: replays the trailing-window count over time (each
 * raise enters the window, and leaves it windowMs later) with hysteresis: flood starts when the
 * count exceeds `floodEnter` and ends when it falls below `floodExit`. `times` sorted ascending.
 */
export function floodAt(
  times: readonly number[],
  nowMs: number,
  o: HealthOptions = HEALTH_DEFAULTS,
): boolean {
  // Events: +1 at each raise, -1 when it leaves the window; a leave sorts before a raise at the same instant.
  const events: [number, number][] = [];
  for (const t of times) {
    if (t > nowMs) break;
    events.push([t, 1]);
    if (t + o.windowMs <= nowMs) events.push([t + o.windowMs, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let count = 0;
  let flood = false;
  for (const [, d] of events) {
    count += d;
    if (!flood && count > o.floodEnter) flood = true;
    else if (flood && count < o.floodExit) flood = false;
  }
  return flood;
}

/** Alarms raised `chatterCount` or more times within any `chatterWindowMs` of the lookback. */
export function chattering(
  raises: readonly Raise[],
  nowMs: number,
  o: HealthOptions = HEALTH_DEFAULTS,
): string[] {
  const byId = new Map<string, number[]>();
  for (const r of raises) {
    if (r.at <= nowMs - o.chatterLookbackMs || r.at > nowMs) continue;
    const list = byId.get(r.alarmId) ?? [];
    list.push(r.at);
    byId.set(r.alarmId, list);
  }
  const out: string[] = [];
  for (const [id, ts] of byId) {
    ts.sort((a, b) => a - b);
    for (let i = 0; i + o.chatterCount - 1 < ts.length; i++)
      if (ts[i + o.chatterCount - 1] - ts[i] <= o.chatterWindowMs) {
        out.push(id);
        break;
      }
  }
  return out.sort();
}

/** The `n` most frequently raised alarms, most first (ties by id). */
export function topFrequent(raises: readonly Raise[], n = 10): { alarmId: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const r of raises) counts.set(r.alarmId, (counts.get(r.alarmId) ?? 0) + 1);
  return [...counts]
    .map(([alarmId, count]) => ({ alarmId, count }))
    .sort((a, b) => b.count - a.count || a.alarmId.localeCompare(b.alarmId))
    .slice(0, n);
}

/** All the health figures, from the raises (oldest first) and the current (non-normal) alarms. */
export function computeAlarmStats(
  raises: readonly Raise[],
  current: readonly Alarm[],
  nowMs: number,
  o: HealthOptions = HEALTH_DEFAULTS,
): AlarmStats {
  const times = raises.map((r) => r.at).sort((a, b) => a - b);
  const isActive = (a: Alarm) => a.state === 'unacknowledged' || a.state === 'acknowledged';
  return {
    per10Min: countInWindow(times, nowMs, o.windowMs),
    flood: floodAt(times, nowMs, o),
    standing: current.filter((a) => isActive(a) && a.active && nowMs - a.raisedAt > o.standingMs).length,
    stale: current.filter((a) => a.state === 'unacknowledged' && nowMs - a.raisedAt > o.staleMs).length,
    chattering: chattering(raises, nowMs, o),
    top: topFrequent(raises.filter((r) => r.at > nowMs - o.topWindowMs)),
    active: current.filter(isActive).length,
    unacknowledged: current.filter((a) => a.state === 'unacknowledged' || a.state === 'rtn-unacknowledged')
      .length,
  };
}
