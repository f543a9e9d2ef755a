import { type AlarmStore, openAlarmStore } from '../alarmStore';
import type { AsyncAlarmStore } from '../api/alarmApi';

/** The SQLite alarm store behind the async interface: each call is the synchronous one, resolved. */
export function asyncAlarmStore(store: AlarmStore): AsyncAlarmStore {
  const run = async <T>(fn: () => T): Promise<T> => fn();
  return {
    lastSeq: () => run(() => store.lastSeq()),
    loadRecords: () => run(() => store.loadRecords()),
    commit: (transitions, records) => run(() => store.commit(transitions, records)),
    since: (seq, max) => run(() => store.since(seq, max)),
    history: (q) => run(() => store.history(q)),
    raises: (fromMs) => run(() => store.raises(fromMs)),
    close: () => run(() => store.close()),
  };
}

/** Opens the SQLite alarm store (see openAlarmStore) behind the async interface. */
export function openSqliteAlarmStore(dataDir: string): AsyncAlarmStore {
  return asyncAlarmStore(openAlarmStore(dataDir));
}
