import { describe, expect, it } from 'vitest';
import { create } from 'zustand';
import { type AlarmStore, alarmCounts, createAlarmSync } from '../../client/state/alarmStore';
import type { Alarm, AlarmState, AlarmTransition } from '../../protocol';

function alarm(id: string, state: AlarmState, seq: number, extra: Partial<Alarm> = {}): Alarm {
  return {
    id,
    ruleId: id.split('@')[0],
    equipmentId: id.split('@')[1] ?? 'RA-01',
    priority: 'high',
    state,
    active: state === 'unacknowledged' || state === 'acknowledged',
    message: 'Joint over-temperature',
    value: 90,
    limit: 85,
    raisedAt: 1000,
    raisedSimS: 1,
    seq,
    ...extra,
  };
}

function tr(seq: number, id: string, from: AlarmState, to: AlarmState): AlarmTransition {
  return {
    seq,
    at: 1000 + seq,
    alarmId: id,
    equipmentId: id.split('@')[1],
    from,
    to,
    alarm: alarm(id, to, seq),
  };
}

type SinceResult =
  | { ok: true; transitions: AlarmTransition[] }
  | { ok: false; code: string; message: string };

function setup(sinceAnswer?: (seq: number) => SinceResult) {
  const store = create<AlarmStore>(() => ({ alarms: new Map(), seq: 0 }));
  const sinceCalls: number[] = [];
  const resyncs: string[] = [];
  const timers: (() => void)[] = [];
  let clock = 0;
  const sync = createAlarmSync({
    store,
    since: (seq) => {
      sinceCalls.push(seq);
      return Promise.resolve(sinceAnswer ? sinceAnswer(seq) : { ok: true as const, transitions: [] });
    },
    resync: (r) => resyncs.push(r),
    schedule: (fn) => timers.push(fn),
    now: () => clock,
  });
  const runTimers = () => {
    while (timers.length) timers.shift()?.();
  };
  const advance = (ms: number) => {
    clock += ms;
  };
  return { store, sync, sinceCalls, resyncs, runTimers, advance };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('alarm store sync', () => {
  it('takes the alarms and sequence number of a snapshot, then applies transitions in order', () => {
    const { store, sync, runTimers } = setup();
    sync.onSnapshot([alarm('hot@RA-01', 'unacknowledged', 4)], 4);
    expect(store.getState().seq).toBe(4);
    expect(store.getState().alarms.get('hot@RA-01')?.state).toBe('unacknowledged');
    sync.onTransition(tr(5, 'hot@RA-01', 'unacknowledged', 'acknowledged'));
    sync.onTransition(tr(6, 'batt@AGV-01', 'normal', 'unacknowledged'));
    runTimers();
    expect(store.getState().seq).toBe(6);
    expect(store.getState().alarms.get('hot@RA-01')?.state).toBe('acknowledged');
    expect(store.getState().alarms.size).toBe(2);
  });

  it('removes an alarm whose transition ends in normal', () => {
    const { store, sync, runTimers } = setup();
    sync.onSnapshot([alarm('hot@RA-01', 'acknowledged', 1)], 1);
    sync.onTransition(tr(2, 'hot@RA-01', 'acknowledged', 'normal'));
    runTimers();
    expect(store.getState().alarms.size).toBe(0);
  });

  it('never applies a sequence number twice', () => {
    const { store, sync, runTimers } = setup();
    sync.onSnapshot([], 0);
    const t = tr(1, 'hot@RA-01', 'normal', 'unacknowledged');
    sync.onTransition(t);
    sync.onTransition(tr(2, 'hot@RA-01', 'unacknowledged', 'acknowledged'));
    sync.onTransition(t); // a late duplicate must not put the alarm back to unacknowledged
    runTimers();
    expect(store.getState().alarms.get('hot@RA-01')?.state).toBe('acknowledged');
    expect(store.getState().seq).toBe(2);
  });

  it('ignores transitions the snapshot already contains', () => {
    const { store, sync, runTimers, sinceCalls } = setup();
    sync.onSnapshot([alarm('hot@RA-01', 'acknowledged', 7)], 7);
    sync.onTransition(tr(6, 'hot@RA-01', 'normal', 'unacknowledged'));
    runTimers();
    expect(store.getState().alarms.get('hot@RA-01')?.state).toBe('acknowledged');
    expect(sinceCalls).toEqual([]);
  });

  it('asks alarm:since with the last applied seq on a gap and applies what it returns, in order', async () => {
    const { store, sync, runTimers, sinceCalls } = setup(() => ({
      ok: true,
      transitions: [
        tr(3, 'a@RA-01', 'normal', 'unacknowledged'),
        tr(4, 'b@RA-02', 'normal', 'unacknowledged'),
      ],
    }));
    sync.onSnapshot([], 2);
    sync.onTransition(tr(5, 'a@RA-01', 'unacknowledged', 'acknowledged'));
    expect(sinceCalls).toEqual([2]);
    expect(sync.catchingUp).toBe(true);
    await settle();
    runTimers();
    expect(store.getState().seq).toBe(5);
    expect(store.getState().alarms.get('a@RA-01')?.state).toBe('acknowledged');
    expect(store.getState().alarms.get('b@RA-02')?.state).toBe('unacknowledged');
    expect(sync.catchingUp).toBe(false);
  });

  it('asks for a fresh snapshot when alarm:since answers CONFLICT', async () => {
    const { sync, resyncs } = setup(() => ({ ok: false, code: 'CONFLICT', message: 'too old' }));
    sync.onSnapshot([], 2);
    sync.onTransition(tr(9, 'a@RA-01', 'normal', 'unacknowledged'));
    await settle();
    expect(resyncs).toHaveLength(1);
    expect(resyncs[0]).toMatch(/CONFLICT/);
  });

  it('applies transitions that arrived during a resync once the snapshot comes', async () => {
    const { store, sync, runTimers } = setup(() => ({ ok: false, code: 'CONFLICT', message: 'too old' }));
    sync.onSnapshot([], 2);
    sync.onTransition(tr(9, 'a@RA-01', 'normal', 'unacknowledged'));
    await settle();
    sync.onTransition(tr(10, 'a@RA-01', 'unacknowledged', 'acknowledged'));
    sync.onSnapshot([alarm('a@RA-01', 'unacknowledged', 9)], 9);
    runTimers();
    expect(store.getState().seq).toBe(10);
    expect(store.getState().alarms.get('a@RA-01')?.state).toBe('acknowledged');
  });

  it('batches a flood into few store updates and keeps every alarm', () => {
    const { store, sync, runTimers } = setup();
    sync.onSnapshot([], 0);
    let updates = 0;
    store.subscribe(() => updates++);
    for (let i = 1; i <= 100; i++) sync.onTransition(tr(i, `r${i}@RA-01`, 'normal', 'unacknowledged'));
    runTimers();
    expect(updates).toBe(1);
    expect(store.getState().alarms.size).toBe(100);
  });

  it('counts active and unacknowledged alarms for the diagnostics', () => {
    const m = new Map<string, Alarm>([
      ['a', alarm('a@X', 'unacknowledged', 1)],
      ['b', alarm('b@X', 'acknowledged', 2)],
      ['c', alarm('c@X', 'rtn-unacknowledged', 3)],
      ['d', alarm('d@X', 'shelved', 4, { active: true })],
      ['e', alarm('e@X', 'out-of-service', 5, { active: false })],
    ]);
    expect(alarmCounts(m)).toEqual({ active: 3, unacknowledged: 2 });
  });
});
