import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Recorder } from '../../../server/recording/recorder';
import { openReplay } from '../../../server/recording/replay';
import { PlantSession } from '../../../server/session/plantSession';
import { SIM_DT_S } from '../../../server/sim/types';
import { DB_FILE } from '../../../server/store/alarmStore';
import { openRecordingStore, type RecordingStore } from '../../../server/store/recordingStore';
import { runTracked } from '../../helpers/processes';
import { defaultLayout, tempDataDir } from '../../helpers/server';

const layout = defaultLayout();
const dirs: string[] = [];
const stores: RecordingStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fileStore(): { dir: string; store: RecordingStore } {
  const dir = tempDataDir();
  dirs.push(dir);
  const store = openRecordingStore(dir);
  stores.push(store);
  return { dir, store };
}

/** Chunks committed, read through a connection of its own (what another process would see). */
function committedChunks(dir: string): number {
  const db = new Database(join(dir, DB_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM recording_chunks').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('recording worker', () => {
  it('commits in a worker: flush resolves once the chunk is in the database', async () => {
    const { dir, store } = fileStore();
    const session = new PlantSession(layout, { seed: 4, speed: 1 });
    let wall = 0;
    const rec = new Recorder(store, session, {
      id: 'w',
      kind: 'training',
      sessionId: 's',
      seed: 4,
      now: () => wall,
    });
    expect(rec.inWorker).toBe(true);
    const sent: ArrayBuffer[] = [];
    for (let i = 0; i < 150; i++) {
      wall += 100;
      const out = session.advance(SIM_DT_S, wall);
      if (out.frame) sent.push(out.frame);
      rec.onTick(out, session);
    }
    expect(committedChunks(dir)).toBe(0); // 150 frames: the 200-frame chunk is still open
    await rec.flush();
    expect(committedChunks(dir)).toBe(1);
    await rec.flush(); // nothing pending: resolves at once
    for (let i = 0; i < 70; i++) {
      wall += 100;
      const out = session.advance(SIM_DT_S, wall);
      if (out.frame) sent.push(out.frame);
      rec.onTick(out, session);
    }
    rec.flushSync();
    expect(committedChunks(dir)).toBe(2);
    const bytes = rec.bytes;
    expect(bytes.frames).toBeGreaterThan(0);
    expect(bytes.kpis).toBeGreaterThan(0);
    expect(bytes.keyframes).toBeGreaterThan(0);
    expect(rec.bytesWritten).toBeCloseTo(bytes.frames + bytes.events + bytes.kpis + bytes.keyframes, 6);
    const replay = openReplay(store, 'w');
    const got = replay.framesBetween(-1, session.world.simTimeS).frames;
    expect(got.map((f) => Buffer.from(f).toString('hex'))).toEqual(
      sent.map((f) => Buffer.from(f).toString('hex')),
    );
    expect(replay.timeline().ended).toBe(false);
    await rec.close();
    await rec.close(); // idempotent
    expect(openReplay(store, 'w').timeline().ended).toBe(true);
    expect(rec.error).toBeNull();
  });

  it('closes synchronously for a shutdown, and ignores ticks after it', () => {
    const { store } = fileStore();
    const session = new PlantSession(layout, { seed: 4, speed: 1 });
    const rec = new Recorder(store, session, { id: 'c', kind: 'live', sessionId: 'live', seed: 4 });
    for (let i = 0; i < 50; i++) rec.onTick(session.advance(SIM_DT_S), session);
    rec.closeSync();
    rec.onTick(session.advance(SIM_DT_S), session);
    const info = store.get('c')!;
    expect(info.endedAt).not.toBeNull();
    expect(info.toSimS).toBeCloseTo(50 * SIM_DT_S, 6);
  });

  it('keeps what was committed when the process dies (SIGKILL)', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const child = fileURLToPath(new URL('./crashChild.ts', import.meta.url));
    // One process: node with tsx's loader for the TypeScript script (the worker it starts is compiled).
    const r = await runTracked(process.execPath, ['--import', 'tsx', child, dir], { cwd: root });
    expect(r.signal, `${r.code} ${r.signal} ${r.stderr}`).toBe('SIGKILL');
    const live = JSON.parse(readFileSync(join(dir, 'live.json'), 'utf8'));
    expect(live.inWorker).toBe(true);
    const store = openRecordingStore(dir);
    stores.push(store);
    const info = store.get('crash')!;
    expect(info.endedAt).toBeNull();
    // Everything up to the flush at tick 400 is there; the 80 ticks after it were never committed.
    expect(info.toSimS).toBeCloseTo(live.simS, 6);
    const state = openReplay(store, 'crash').stateAt(live.simS);
    expect(state.tick).toBe(live.tick);
    expect(Buffer.from(state.keyframe).toString('base64')).toBe(live.keyframe);
  });

  it('refuses a worker on an in-memory store', () => {
    const store = openRecordingStore(':memory:');
    stores.push(store);
    const session = new PlantSession(layout, { seed: 4, speed: 1 });
    expect(
      () => new Recorder(store, session, { id: 'm', kind: 'live', sessionId: 'live', seed: 4, worker: true }),
    ).toThrow(/in-memory/);
  });
});
