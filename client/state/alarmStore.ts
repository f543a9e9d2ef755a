import { create } from 'zustand';
import type { Alarm, AlarmTransition } from '../../protocol';

export interface AlarmStore {
  /** Alarms that are not `normal`, by id (server-authoritative; replaced on snapshot, patched per transition). */
  alarms: ReadonlyMap<string, Alarm>;
  /** Sequence number of the newest transition applied. */
  seq: number;
}

/** Alarm facts for React (alarm transitions are low-rate, so they may drive renders directly). */
export const useAlarmStore = create<AlarmStore>(() => ({ alarms: new Map(), seq: 0 }));

/** States in which an alarm is "active" for the counters: still standing or awaiting an ack. */
const COUNTED_ACTIVE = new Set(['unacknowledged', 'acknowledged']);

/** Whether an alarm counts as active: its condition is true, or it is (un)acknowledged. */
export function isActiveAlarm(a: Alarm): boolean {
  return a.active || COUNTED_ACTIVE.has(a.state);
}

/**
 * Counts for `window.__twin.stats().alarms`: `active` = alarms whose condition is true (`active`)
 * or whose state is unacknowledged/acknowledged; `unacknowledged` = unacknowledged or
 * rtn-unacknowledged (both wait for an operator).
 */
export function alarmCounts(alarms: ReadonlyMap<string, Alarm>): { active: number; unacknowledged: number } {
  let active = 0;
  let unacknowledged = 0;
  for (const a of alarms.values()) {
    if (isActiveAlarm(a)) active++;
    if (a.state === 'unacknowledged' || a.state === 'rtn-unacknowledged') unacknowledged++;
  }
  return { active, unacknowledged };
}

/**
 * Store updates at most this often while transitions stream in, ms: a lone alarm shows at once
 * (leading edge), a flood is batched to one React commit per second beside the HUD tick.
 */
export const ALARM_FLUSH_MS = 1000;
/** While a catch-up is stuck (resync refused or lost), ask again after this long, ms. */
const RETRY_MS = 3000;

/** What the alarm sync needs from the connection (injected, so tests need no socket). */
export interface AlarmSyncDeps {
  /** Asks the server for the transitions after `seq` (`alarm:since`). Must not reject. */
  since: (
    seq: number,
  ) => Promise<{ ok: true; transitions: AlarmTransition[] } | { ok: false; code: string; message: string }>;
  /** Asks the server for a fresh snapshot (`plant:resync`). */
  resync: (reason: string) => void;
  /** Store to write (defaults to useAlarmStore). */
  store?: typeof useAlarmStore;
  /** Delayed call (defaults to setTimeout); tests pass a manual scheduler. */
  schedule?: (fn: () => void, ms: number) => void;
  now?: () => number;
}

/** Keeps the alarm store in step with the server: snapshots, ordered transitions, catch-up. */
export interface AlarmSync {
  /** A snapshot replaces every alarm and the sequence number. */
  onSnapshot(alarms: readonly Alarm[], alarmSeq: number): void;
  /** One `alarm:changed`: applied in seq order, duplicates ignored, gaps fetched with `alarm:since`. */
  onTransition(t: AlarmTransition): void;
  /** Writes pending changes to the store now (tests; the timer does it otherwise). */
  flush(): void;
  /** Whether a catch-up (since or resync) is in progress. */
  readonly catchingUp: boolean;
}

/**
 * Creates the alarm synchronizer. Transitions are applied to a working copy in sequence order and
 * written to the store in batches (at most every ALARM_FLUSH_MS), so a flood of 100 alarms in
 * 10 s costs a handful of renders and the list stays complete.
 */
export function createAlarmSync(deps: AlarmSyncDeps): AlarmSync {
  const store = deps.store ?? useAlarmStore;
  const schedule = deps.schedule ?? ((fn, ms) => void setTimeout(fn, ms));
  const now = deps.now ?? (() => Date.now());
  let synced = false;
  /** Working copy; `dirty` when it differs from the store. */
  let work = new Map(store.getState().alarms);
  let seq = store.getState().seq;
  let dirty = false;
  let flushScheduled = false;
  let lastFlush = Number.NEGATIVE_INFINITY;
  /** Transitions that arrived ahead of a gap, by seq. */
  const ahead = new Map<number, AlarmTransition>();
  /** 'since' while an alarm:since is in flight, 'resync' while waiting for a snapshot. */
  let catchUp: null | 'since' | 'resync' = null;
  let catchUpAt = 0;
  /** Bumped by each snapshot, so a late `since` answer from before it is dropped. */
  let epoch = 0;

  function apply(t: AlarmTransition): void {
    if (t.alarm.state === 'normal') work.delete(t.alarmId);
    else work.set(t.alarmId, t.alarm);
    seq = t.seq;
    dirty = true;
  }

  function drain(): void {
    for (let next = ahead.get(seq + 1); next; next = ahead.get(seq + 1)) {
      ahead.delete(next.seq);
      apply(next);
    }
    for (const s of ahead.keys()) if (s <= seq) ahead.delete(s);
  }

  function flush(): void {
    flushScheduled = false;
    if (!dirty) return;
    dirty = false;
    lastFlush = now();
    store.setState({ alarms: work, seq });
    work = new Map(work);
  }

  function requestFlush(): void {
    if (!dirty || flushScheduled) return;
    flushScheduled = true;
    schedule(flush, Math.max(0, lastFlush + ALARM_FLUSH_MS - now()));
  }

  function startResync(reason: string): void {
    catchUp = 'resync';
    catchUpAt = now();
    deps.resync(reason);
  }

  function startSince(): void {
    catchUp = 'since';
    catchUpAt = now();
    const from = seq;
    const myEpoch = epoch;
    void deps.since(from).then((result) => {
      if (myEpoch !== epoch || catchUp !== 'since') return;
      if (!result.ok) {
        startResync(`alarm catch-up refused (${result.code}: ${result.message})`);
        return;
      }
      catchUp = null;
      for (const t of result.transitions) if (t.seq === seq + 1) apply(t);
      drain();
      // Still a hole (the answer did not reach what arrived ahead): take a snapshot.
      if (ahead.size > 0) startResync(`alarm transitions ${seq + 1}.. missing after catch-up`);
      requestFlush();
    });
  }

  return {
    onSnapshot(alarms, alarmSeq) {
      epoch++;
      synced = true;
      catchUp = null;
      work = new Map();
      for (const a of alarms) if (a.state !== 'normal') work.set(a.id, a);
      seq = alarmSeq;
      dirty = true;
      drain();
      if (ahead.size > 0) startSince();
      // A snapshot is rare and replaces everything: show it at once.
      flush();
    },
    onTransition(t) {
      if (t.seq <= seq || ahead.has(t.seq)) return; // duplicate or old: never applied twice
      if (!synced) {
        ahead.set(t.seq, t); // the snapshot decides what these mean
        return;
      }
      if (t.seq === seq + 1 && catchUp === null) {
        apply(t);
        drain();
        requestFlush();
        return;
      }
      ahead.set(t.seq, t);
      if (catchUp === null) startSince();
      else if (catchUp === 'resync' && now() - catchUpAt > RETRY_MS)
        startResync('alarm resync still pending');
    },
    flush,
    get catchingUp() {
      return catchUp !== null;
    },
  };
}
