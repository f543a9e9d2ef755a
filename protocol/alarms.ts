import type { CodedText } from './text';

/**
 * Alarms as they cross the wire (ISA-18.2 lifecycle). The server is authoritative: clients see
 * alarms in `plant:snapshot` and every transition as a reliable `alarm:changed` with its sequence
 * number, and ask for changes with acknowledged requests.
 */

/** ISA-18.2 priorities, most urgent first. */
export const ALARM_PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type AlarmPriority = (typeof ALARM_PRIORITIES)[number];

/**
 * Lifecycle states. `unacknowledged` and `acknowledged` are active; `rtn-unacknowledged` returned
 * to normal before anyone acknowledged it; `shelved`, `suppressed` (by design: equipment in
 * maintenance, downstream of a stopped line) and `out-of-service` (by hand) are hidden from the
 * active list but still shown as such; `normal` ends the alarm's life.
 */
export const ALARM_STATES = [
  'unacknowledged',
  'acknowledged',
  'rtn-unacknowledged',
  'shelved',
  'suppressed',
  'out-of-service',
  'normal',
] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

/** One alarm (an alarm rule firing on one piece of equipment). */
export interface Alarm {
  /** Stable id: `${ruleId}@${equipmentId}`. */
  id: string;
  ruleId: string;
  equipmentId: string;
  priority: AlarmPriority;
  state: AlarmState;
  /** Whether the alarm condition is true right now (independent of acknowledgement). */
  active: boolean;
  /** English, for logs, the audit and API users. */
  message: string;
  /**
   * The message as code `alarm.rule` with AlarmTextParams: render the rule's template
   * (`alarmTemplates[ruleId]`) in the reader's language. Absent in alarms stored before it existed.
   */
  text?: CodedText;
  /** Catalog signal key the rule watches, when it watches one. */
  signal?: string;
  /** Value that raised the alarm (latest while active) and the limit it crossed; null for state rules. */
  value: number | null;
  limit: number | null;
  unit?: string;
  /** Wall-clock time (ms since epoch) the alarm was raised, and simulation time (s). */
  raisedAt: number;
  raisedSimS: number;
  /** Sequence number of the transition that produced this version of the alarm. */
  seq: number;
  /** First alarm of a burst on its line (first-out). */
  firstOut?: boolean;
  ackedBy?: string;
  ackedAt?: number;
  /** Raised on equipment carrying a fault a training scenario or a trainer injected. */
  simulated?: true;
  /** Shelving: until when (ms since epoch), by whom, why. */
  shelvedUntil?: number;
  shelvedBy?: string;
  reason?: string;
}

/** One lifecycle transition, as journaled and as sent in `alarm:changed`. */
export interface AlarmTransition {
  seq: number;
  /** Wall-clock time, ms since epoch. */
  at: number;
  alarmId: string;
  equipmentId: string;
  from: AlarmState;
  to: AlarmState;
  /** Who acted (acknowledge, shelve, out-of-service), absent for the system. */
  user?: string;
  reason?: string;
  /** The alarm after the transition. */
  alarm: Alarm;
  /** Of an alarm raised on equipment carrying an injected (training) fault; see Alarm.simulated. */
  simulated?: true;
}

/** Alarm-system health (ISA-18.2 / EEMUA 191), `GET /api/alarms/stats` and the health panel. */
export interface AlarmStats {
  /** Alarms raised in the last 10 minutes. */
  per10Min: number;
  /** Flood: more than 10 in 10 minutes; ends below 5. */
  flood: boolean;
  /** Standing: active longer than the standing threshold; stale: unacknowledged longer than the stale one. */
  standing: number;
  stale: number;
  /** Alarm ids that raised 3 or more times within a minute recently. */
  chattering: string[];
  /** Ten most frequent alarm ids with counts, over the journal window. */
  top: { alarmId: string; count: number }[];
  active: number;
  unacknowledged: number;
}
