import type { AlarmTransition, HistoryQuery } from '../../../protocol';
import type { AlarmRecord } from '../../alarms/types';
import type { RaiseRow } from '../alarmStore';

export type { RaiseRow } from '../alarmStore';

/**
 * The durable side of alarms on either engine (SQLite: server/store/alarmStore.ts; PostgreSQL:
 * server/store/pg/pgAlarmStore.ts): the journal of every transition, the current record of each
 * alarm and the last sequence number. Same methods and meaning as the synchronous AlarmStore.
 */
export interface AsyncAlarmStore {
  /** Sequence number of the newest journaled transition (0 for a new database). */
  lastSeq(): Promise<number>;
  /** Every stored alarm record, as last committed (in no particular order). */
  loadRecords(): Promise<AlarmRecord[]>;
  /** Journals transitions and stores the records they produced, atomically. */
  commit(transitions: readonly AlarmTransition[], records: readonly AlarmRecord[]): Promise<void>;
  /** Transitions with seq > `seq`, oldest first, at most `max`. */
  since(seq: number, max: number): Promise<AlarmTransition[]>;
  /** Journal entries matching the query, newest first. */
  history(q: HistoryQuery): Promise<AlarmTransition[]>;
  /** Raises (transitions into unacknowledged from normal or return-to-normal) since `fromMs`, oldest first. */
  raises(fromMs: number): Promise<RaiseRow[]>;
  /** Ends the store (SQLite: closes the file; PostgreSQL: the pool stays its owner's to end). */
  close(): Promise<void>;
}
