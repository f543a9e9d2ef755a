import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alarm, PlantSnapshot } from '../../../protocol';
import { Recorder } from '../../../server/recording/recorder';
import { openReplay, RecordingError } from '../../../server/recording/replay';
import { PlantSession } from '../../../server/session/plantSession';
import { SIM_DT_S } from '../../../server/sim/types';
import { DB_FILE } from '../../../server/store/alarmStore';
import { openRecordingStore, type RecordingStore } from '../../../server/store/recordingStore';
import { defaultLayout, tempDataDir } from '../../helpers/server';

const layout = defaultLayout();
const dirs: string[] = [];
const stores: RecordingStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(dir: string): RecordingStore {
  const s = openRecordingStore(dir);
  stores.push(s);
  return s;
}

/**
 * Alarms by id, without `value`: a snapshot carries the latest value of an active alarm, which
 * moves between transitions; the list a connected client holds (and the replay) has the value of
 * the alarm's last transition.
 */
function byId(a: Alarm[]): Omit<Alarm, 'value'>[] {
  return [...a].sort((x, y) => x.id.localeCompare(y.id)).map(({ value: _v, ...rest }) => rest);
}

/** Runs a recorded session for `ticks` fixed steps; keeps the live snapshots at `at` ticks. */
async function recordRun(store: RecordingStore, ticks: number, at: number[], opts: { wallMs?: number } = {}) {
  const session = new PlantSession(layout, { seed: 5, speed: 1, startMs: 1_000_000 });
  let wall = 1_000_000;
  const rec = new Recorder(store, session, {
    id: 'rec-1',
    kind: 'live',
    sessionId: 'live',
    seed: 5,
    keyframeEveryS: 60, // three 200-frame chunks per group: seeks decode across chunks
    now: () => wall,
  });
  const live = new Map<number, PlantSnapshot>();
  for (let i = 1; i <= ticks; i++) {
    wall += opts.wallMs ?? 100;
    const out = session.advance(SIM_DT_S, wall);
    rec.onTick(out, session);
    if (at.includes(i)) live.set(i, session.snapshot());
  }
  await rec.close();
  return { session, live, rec };
}

describe('recording and replay', () => {
  it('gives at any seek time the scene, alarms, events and KPIs that were live then', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const store = open(dir);
    const seeks = [1, 7, 150, 199, 200, 201, 777, 1999, 2400, 3000];
    const { live, rec } = await recordRun(store, 3000, seeks);
    expect(rec.inWorker).toBe(true);
    const replay = openReplay(store, 'rec-1');
    for (const t of seeks) {
      const snap = live.get(t)!;
      const state = replay.stateAt(snap.simTimeS);
      expect(state.tick).toBe(snap.tick);
      expect(Buffer.from(state.keyframe).equals(Buffer.from(snap.keyframe))).toBe(true);
      expect(byId(state.alarms)).toEqual(byId(snap.alarms));
      expect(state.alarmSeq).toBe(snap.alarmSeq);
      expect(state.events).toEqual(snap.events);
      expect(state.seq).toBe(snap.seq);
      expect(state.kpis).toEqual(snap.kpis);
    }
  });

  it('plays back the exact frames clients got, window by window', () => {
    const store = open(':memory:');
    const session = new PlantSession(layout, { seed: 9, speed: 1 });
    let wall = 0;
    const rec = new Recorder(store, session, {
      id: 'r',
      kind: 'training',
      sessionId: 's1',
      seed: 9,
      now: () => wall,
    });
    const sent: ArrayBuffer[] = [];
    for (let i = 0; i < 900; i++) {
      wall += 100;
      const out = session.advance(SIM_DT_S);
      if (out.frame) sent.push(out.frame);
      rec.onTick(out, session);
    }
    rec.close();
    const replay = openReplay(store, 'r');
    const got: ArrayBuffer[] = [];
    for (let t = 0; t < 95; t += 3.7) got.push(...replay.framesBetween(t, t + 3.7).frames);
    expect(got.length).toBe(sent.length);
    for (let k = 0; k < sent.length; k++) expect(Buffer.from(got[k]).equals(Buffer.from(sent[k]))).toBe(true);
  });

  it('lists alarm raises and bookmarks on the timeline', async () => {
    const store = open(':memory:');
    const { live, rec } = await recordRun(store, 6000, [6000]);
    expect(rec.inWorker).toBe(false);
    const replay = openReplay(store, 'rec-1');
    const tl = replay.timeline();
    expect(tl.ended).toBe(true);
    expect(tl.toSimS).toBeCloseTo(live.get(6000)!.simTimeS, 6);
    expect(tl.alarms.length).toBeGreaterThan(0);
    replay.addBookmark(42, 'conveyor jam starts', 'trainer1', 5);
    replay.addBookmark(10, 'start', null, 6);
    expect(replay.timeline().bookmarks.map((b) => b.label)).toEqual(['start', 'conveyor jam starts']);
  });

  it('deletes the oldest groups beyond the retention, keeping the rest replayable', () => {
    const store = open(':memory:');
    const session = new PlantSession(layout, { seed: 3, speed: 1 });
    let wall = 0;
    const rec = new Recorder(store, session, {
      id: 'live-1',
      kind: 'live',
      sessionId: 'live',
      seed: 3,
      keyframeEveryS: 10,
      chunkFrames: 50,
      retention: { maxAgeMs: 60_000 },
      now: () => wall,
    });
    for (let i = 0; i < 3000; i++) {
      wall += 100;
      rec.onTick(session.advance(SIM_DT_S), session);
    }
    rec.close();
    const info = store.get('live-1')!;
    expect(info.fromSimS).toBeGreaterThan(200);
    expect(info.fromSimS).toBeLessThan(240 + 1);
    const replay = openReplay(store, 'live-1');
    expect(replay.stateAt(info.fromSimS + 5).simTimeS).toBeGreaterThan(info.fromSimS);
    expect(replay.timeline().alarms.every((m) => m.simS >= info.fromSimS)).toBe(true);
  });

  it('survives a restart: a reopened store replays the recording', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const store = openRecordingStore(dir);
    const { live } = await recordRun(store, 500, [333]);
    store.close();
    const again = open(dir);
    const snap = live.get(333)!;
    const state = openReplay(again, 'rec-1').stateAt(snap.simTimeS);
    expect(Buffer.from(state.keyframe).equals(Buffer.from(snap.keyframe))).toBe(true);
    expect(again.list().map((r) => r.id)).toEqual(['rec-1']);
  });

  it('answers a missing recording and a damaged chunk with clear errors', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const store = open(dir);
    expect(() => openReplay(store, 'nope')).toThrow(/no recording with id nope/);
    await recordRun(store, 1400, []);
    const db = new Database(join(dir, DB_FILE));
    db.prepare("UPDATE recording_chunks SET frames = x'00112233' WHERE seq = 1").run();
    db.close();
    const replay = openReplay(store, 'rec-1');
    expect(() => replay.stateAt(25)).toThrow(RecordingError);
    expect(() => replay.stateAt(25)).toThrow(/chunk 1: frames is damaged/);
  });

  it('answers a recording stored by the range-coded version with a clear error, listing it still', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const store = open(dir);
    await recordRun(store, 700, []);
    // What the hand-written range coder stored: format byte 2, then its coded bits.
    const db = new Database(join(dir, DB_FILE));
    db.prepare("UPDATE recording_chunks SET frames = x'02c8000000c600e1f05a'").run();
    db.close();
    expect(store.list().map((r) => r.id)).toEqual(['rec-1']);
    const replay = openReplay(store, 'rec-1');
    expect(replay.timeline().ended).toBe(true);
    expect(() => replay.stateAt(30)).toThrow(RecordingError);
    expect(() => replay.stateAt(30)).toThrow(/older recording format/);
    expect(() => replay.framesBetween(0, 10)).toThrow(/older recording format/);
  });
});
