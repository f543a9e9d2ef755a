import type { Alarm } from '../../protocol';
import { isActiveAlarm } from '../state/alarmStore';

/** Priorities that interrupt the tour. */
const URGENT = new Set(['critical', 'high']);

/** Whether an alarm deserves the lobby screen: urgent, unacknowledged, and its condition still true. */
export function isShowworthy(a: Alarm): boolean {
  return URGENT.has(a.priority) && a.state === 'unacknowledged' && a.active;
}

/**
 * The alarm the tour should fly to next: the most urgent, then newest, showworthy alarm not shown
 * yet, or null. `shown` is pruned of alarms that have left the store, so it never grows beyond
 * the alarms currently standing.
 */
export function nextAlarmToShow(alarms: ReadonlyMap<string, Alarm>, shown: Set<string>): Alarm | null {
  for (const id of shown) if (!alarms.has(id)) shown.delete(id);
  let best: Alarm | null = null;
  for (const a of alarms.values()) {
    if (!isShowworthy(a) || shown.has(a.id)) continue;
    if (
      !best ||
      (a.priority === 'critical' && best.priority !== 'critical') ||
      (a.priority === best.priority && a.raisedAt > best.raisedAt)
    )
      best = a;
  }
  return best;
}

/** Active alarms (not shelved, suppressed or out of service) and how many of them are urgent. */
export function countActiveAlarms(alarms: ReadonlyMap<string, Alarm>): { active: number; urgent: number } {
  let active = 0;
  let urgent = 0;
  for (const a of alarms.values()) {
    const hidden = a.state === 'shelved' || a.state === 'suppressed' || a.state === 'out-of-service';
    if (hidden || !isActiveAlarm(a)) continue;
    active++;
    if (URGENT.has(a.priority)) urgent++;
  }
  return { active, urgent };
}
