import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signalIndex } from '../../../protocol';
import { Q } from '../../../server/ingest/liveValues';
import { openValueHistory, type ValueHistoryStore } from '../../../server/ingest/valueHistory';
import { DB_FILE, openAlarmStore } from '../../../server/store/alarmStore';
import { tempDataDir } from '../../helpers/server';

const PLANT = [
  { id: 'C1', kind: 'conveyor' as const },
  { id: 'R1', kind: 'robot-arm' as const },
];
const BELT = signalIndex('conveyor', 'beltSpeed');
const TEMP = signalIndex('conveyor', 'motorTemp');
const T0 = 1_760_000_000_000;

const open: ValueHistoryStore[] = [];
function openStore(dir: string, limits = {}) {
  const s = openValueHistory(dir, PLANT, { limits });
  open.push(s);
  return s;
}
const all = (s: ValueHistoryStore, signal = 'beltSpeed') =>
  s.query({ equipment: 'C1', signal, from: 0, to: Number.MAX_SAFE_INTEGER, limit: 10_000 });

afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

describe('value history in SQLite', () => {
  it('stores recorded values in the data directory database on flush, ordered by source time, and keeps them across a restart', () => {
    const dir = tempDataDir();
    const alarms = openAlarmStore(dir); // the same file: both tables live side by side
    const h = openStore(dir);
    h.record(0, BELT, 0.7, Q.good, T0 + 2000, T0 + 9000);
    h.record(0, BELT, 0.5, Q.uncertain, T0 + 1000, T0 + 9001);
    h.record(0, TEMP, 41.5, Q.good, T0 + 1500, T0 + 9002);
    expect(all(h)).toEqual([]); // nothing is written before the tick's flush
    expect(h.flush(T0 + 9100)).toBe(3);
    expect(all(h)).toEqual([
      { value: 0.5, quality: 'uncertain', sourceTimestamp: T0 + 1000, receivedAt: T0 + 9001 },
      { value: 0.7, quality: 'good', sourceTimestamp: T0 + 2000, receivedAt: T0 + 9000 },
    ]);
    expect(
      h.query({ equipment: 'C1', signal: 'beltSpeed', from: T0 + 1500, to: T0 + 2500, limit: 10 }),
    ).toHaveLength(1);
    expect(h.query({ equipment: 'C1', signal: 'beltSpeed', from: 0, to: T0 + 5000, limit: 1 })[0].value).toBe(
      0.5,
    );
    h.close();
    expect(alarms.lastSeq()).toBe(0);
    alarms.close();
    expect(existsSync(join(dir, DB_FILE))).toBe(true);
    const again = openStore(dir);
    expect(all(again).map((v) => v.value)).toEqual([0.5, 0.7]);
    expect(all(again, 'motorTemp').map((v) => v.value)).toEqual([41.5]);
  });

  it('keeps at most maxRows rows and none older than the retention, oldest deleted first', () => {
    const h = openStore(tempDataDir(), { maxRows: 5, retentionMs: 60_000, pruneEveryMs: 0 });
    for (let i = 0; i < 8; i++) h.record(0, BELT, i, Q.good, T0 + i, T0 + i);
    h.flush(T0 + 10);
    expect(all(h).map((v) => v.value)).toEqual([3, 4, 5, 6, 7]);
    h.record(0, BELT, 100, Q.good, T0 + 100_000, T0 + 100_000);
    h.flush(T0 + 100_000);
    expect(all(h).map((v) => v.value)).toEqual([100]);
  });

  it('drops and counts values it cannot keep: not a number, a signal the kind lacks, more than maxPending a tick', () => {
    const h = openStore(tempDataDir(), { maxPending: 3 });
    h.record(0, BELT, Number.NaN, Q.good, T0, T0);
    h.record(0, BELT, 1, Q.good, Number.POSITIVE_INFINITY, T0);
    h.record(0, 99, 1, Q.good, T0, T0);
    h.record(7, BELT, 1, Q.good, T0, T0);
    expect(h.dropped).toBe(4);
    for (let i = 0; i < 5; i++) h.record(0, BELT, i, Q.good, T0 + i, T0 + i);
    expect(h.dropped).toBe(6);
    expect(h.flush(T0 + 10)).toBe(3);
    expect(all(h).map((v) => v.value)).toEqual([0, 1, 2]);
    // After the flush there is room again.
    h.record(0, BELT, 9, Q.bad, T0 + 9, T0 + 20);
    h.flush(T0 + 20);
    expect(all(h).at(-1)).toEqual({ value: 9, quality: 'bad', sourceTimestamp: T0 + 9, receivedAt: T0 + 20 });
  });

  it('grows its pending buffer past its first size without losing values', () => {
    const h = openStore(tempDataDir());
    for (let i = 0; i < 5000; i++) h.record(1, 0, i, Q.good, T0 + i, T0 + i);
    expect(h.flush(T0 + 5000)).toBe(5000);
    const rows = h.query({ equipment: 'R1', signal: 'j1', from: 0, to: T0 + 10_000, limit: 10_000 });
    expect(rows.length).toBe(5000);
    expect(rows[4999].value).toBe(4999);
  });
});
