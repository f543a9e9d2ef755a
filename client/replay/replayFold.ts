import type { Alarm, KpiUpdate, PlantEvent, ReplayItem } from '../../protocol';

/** What the HUD shows besides the scene, as of the playback time: alarms, recent events, KPIs. */
export interface ReplayFacts {
  /** Alarms that are not normal, by id (as the live alarm store holds them). */
  alarms: Map<string, Alarm>;
  /** Recent events, oldest first, at most `limit`. */
  events: PlantEvent[];
  seq: number;
  alarmSeq: number;
  kpis: KpiUpdate | null;
}

/**
 * Folds recorded items (in order) onto the facts, as the live client would have received them:
 * an alarm transition to normal removes the alarm, any other sets it; events append (oldest
 * dropped beyond `limit`); a KPI update replaces the KPIs. Mutates and returns `facts`.
 */
export function foldItems(facts: ReplayFacts, items: Iterable<ReplayItem>, limit: number): ReplayFacts {
  let appended = false;
  for (const item of items) {
    if (item.k === 'a') {
      const t = item.transition;
      if (t.to === 'normal' || t.alarm.state === 'normal') facts.alarms.delete(t.alarmId);
      else facts.alarms.set(t.alarmId, t.alarm);
      facts.alarmSeq = Math.max(facts.alarmSeq, t.seq);
    } else if (item.k === 'e') {
      if (item.event.seq <= facts.seq) continue;
      facts.events.push(item.event);
      facts.seq = item.event.seq;
      appended = true;
    } else facts.kpis = item.kpis;
  }
  if (appended && facts.events.length > limit) facts.events.splice(0, facts.events.length - limit);
  return facts;
}
