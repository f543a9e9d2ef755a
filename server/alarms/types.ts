import type { Alarm } from '../../protocol';
import type { AlarmLife } from './lifecycle';

/** One alarm as the server keeps and stores it: what clients see, and what its lifecycle needs. */
export interface AlarmRecord {
  alarm: Alarm;
  life: AlarmLife;
  /** Sim time of the last acknowledgement, s (for re-alarm); null when not acknowledged. */
  ackedSimS: number | null;
}
