import { create } from 'zustand';
import type { Alarm } from '../../protocol';

export interface AlarmStore {
  /** Alarms that are not `normal`, by id (server-authoritative; replaced on snapshot, patched per transition). */
  alarms: ReadonlyMap<string, Alarm>;
  /** Sequence number of the newest transition applied. */
  seq: number;
}

/** Alarm facts for React (alarm transitions are low-rate, so they may drive renders directly). */
export const useAlarmStore = create<AlarmStore>(() => ({ alarms: new Map(), seq: 0 }));
