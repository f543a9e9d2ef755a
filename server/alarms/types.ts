import type { Alarm } from '../../protocol';
import type { AlarmLife } from './lifecycle';

/** One alarm as the server keeps and stores it: what clients see, and what its lifecycle needs. */
export interface AlarmRecord {
  alarm: Alarm;
  life: AlarmLife;
  /** Sim time of the last acknowledgement, s (for re-alarm); null when not acknowledged. */
  ackedSimS: number | null;
}

/**
 * The quality of what rules read, for plants fed by real sources (set by the ingest; null for a
 * simulated plant). `qualityOf(eq, sig)` answers a QUALITIES code (0 good, 1 uncertain, 2 bad,
 * 3 stale) for signal index `sig` of equipment `eq`, or for its machine state when `sig` is
 * STATE_INPUT (-1). Called in the evaluation loop: it must not allocate.
 */
export interface InputQuality {
  qualityOf(eq: number, sig: number): number;
}

/** Whether a quality code keeps rules from judging the value: bad (2) or stale (3). */
export const isUnusable = (q: number): boolean => q === 2 || q === 3;
