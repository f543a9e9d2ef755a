import { ALARM_PRIORITIES, type Alarm, type AlarmPriority, type AlarmState } from '../../../protocol';

/** How the list is ordered: priority first (then newest), or newest first. */
export type AlarmSort = 'priority' | 'time';

/** State groups offered by the state filter. */
export type StateFilter = 'all' | 'unacked' | 'active' | 'shelved' | 'suppressed' | 'out-of-service';

/** The list's filters; an empty set means "any". */
export interface AlarmFilter {
  priorities: ReadonlySet<AlarmPriority>;
  zone: string | null;
  kind: string | null;
  state: StateFilter;
}

export const NO_FILTER: AlarmFilter = { priorities: new Set(), zone: null, kind: null, state: 'all' };

/** Where an alarm's equipment stands (from the layout). */
export interface EquipmentPlace {
  zone: string;
  kind: string;
  name: string;
}

const PRIORITY_RANK: Readonly<Record<AlarmPriority, number>> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
};

/** Whether the alarm waits for an operator's acknowledgement. */
export function isUnacked(state: AlarmState): boolean {
  return state === 'unacknowledged' || state === 'rtn-unacknowledged';
}

/** Whether the alarm is hidden from the active list by design or by hand (shown muted). */
export function isSuppressedLike(state: AlarmState): boolean {
  return state === 'shelved' || state === 'suppressed' || state === 'out-of-service';
}

function stateMatches(state: AlarmState, f: StateFilter): boolean {
  switch (f) {
    case 'all':
      return true;
    case 'unacked':
      return isUnacked(state);
    case 'active':
      return state === 'unacknowledged' || state === 'acknowledged' || state === 'rtn-unacknowledged';
    default:
      return state === f;
  }
}

/** The alarms that pass the filter (equipment unknown to the layout pass zone/kind filters only when those are unset). */
export function filterAlarms(
  alarms: Iterable<Alarm>,
  f: AlarmFilter,
  placeOf: (equipmentId: string) => EquipmentPlace | undefined,
): Alarm[] {
  const out: Alarm[] = [];
  for (const a of alarms) {
    if (f.priorities.size > 0 && !f.priorities.has(a.priority)) continue;
    if (!stateMatches(a.state, f.state)) continue;
    if (f.zone !== null || f.kind !== null) {
      const p = placeOf(a.equipmentId);
      if (!p || (f.zone !== null && p.zone !== f.zone) || (f.kind !== null && p.kind !== f.kind)) continue;
    }
    out.push(a);
  }
  return out;
}

/**
 * Sorts in place. By priority: most urgent first, suppressed/shelved/out-of-service after the
 * active ones, newest first within a priority. By time: newest first. Ties by id (stable view).
 */
export function sortAlarms(list: Alarm[], sort: AlarmSort): Alarm[] {
  return list.sort((a, b) => {
    if (sort === 'priority') {
      const muted = Number(isSuppressedLike(a.state)) - Number(isSuppressedLike(b.state));
      if (muted !== 0) return muted;
      const p = PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority];
      if (p !== 0) return p;
    }
    return b.raisedAt - a.raisedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
}

/** The banner's alarm: the newest of the highest-priority unacknowledged alarms, or null. */
export function bannerAlarm(alarms: Iterable<Alarm>): Alarm | null {
  let best: Alarm | null = null;
  for (const a of alarms) {
    if (!isUnacked(a.state)) continue;
    if (
      !best ||
      PRIORITY_RANK[a.priority] < PRIORITY_RANK[best.priority] ||
      (a.priority === best.priority && a.raisedAt > best.raisedAt)
    )
      best = a;
  }
  return best;
}

/** Highest priority among the alarms (for a marker), or null when none. */
export function highestPriority(list: Iterable<Alarm>): AlarmPriority | null {
  let best: AlarmPriority | null = null;
  for (const a of list)
    if (best === null || PRIORITY_RANK[a.priority] < PRIORITY_RANK[best]) best = a.priority;
  return best;
}

/** Value vs limit, with unit: "92.4 / 85 °C"; "–" for state rules. */
export function formatValueLimit(a: Pick<Alarm, 'value' | 'limit' | 'unit'>): string {
  if (a.value === null && a.limit === null) return '–';
  const fmt = (v: number | null) =>
    v === null ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 0 : 1);
  const unit = a.unit ? ` ${a.unit}` : '';
  return `${fmt(a.value)} / ${fmt(a.limit)}${unit}`;
}

/** Wall-clock time of day, HH:MM:SS (24 h). */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export { ALARM_PRIORITIES };

/**
 * Ids between `anchor` and `target` in the visible order (both included), for shift-click
 * selection; just `target` when the anchor is not visible.
 */
export function rangeIds(order: readonly string[], anchor: string | null, target: string): string[] {
  const b = order.indexOf(target);
  const a = anchor === null ? -1 : order.indexOf(anchor);
  if (a < 0 || b < 0) return [target];
  return order.slice(Math.min(a, b), Math.max(a, b) + 1);
}
