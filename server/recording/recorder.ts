import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AlarmTransition } from '../../protocol/alarms';
import type { PlantSnapshot } from '../../protocol/events';
import type { Layout } from '../../protocol/layout';
import { ROOT, SERVER_DIST } from '../paths';
import type { TickOutput } from '../session/plantSession';
import type { RecordingKind, RecordingStore, Retention } from '../store/recordingStore';
import type { RecordedItem } from './items';
import type { RecordWorkerData, RecordWorkerMessage, RecordWorkerReply } from './recordWorker';
import {
  type Batch,
  type RecordedBytes,
  RecordingWriter,
  type WriterOptions,
  type WriterStart,
} from './writer';

export type { RecordedItem, RecordedState } from './items';
export { foldAlarm, RECORDED_RECENT_EVENTS, type RecordedBytes } from './writer';

/** What a recorder reads from the session it records (PlantSession, a training session). */
export interface RecordableSession {
  readonly layout: Layout;
  readonly world: { readonly tick: number; readonly simTimeS: number };
  snapshot(): PlantSnapshot;
}

export interface RecorderOptions {
  /** Recording id (unique in the store). */
  id: string;
  kind: RecordingKind;
  sessionId: string;
  scenarioId?: string | null;
  seed: number;
  /** A keyframe (and alarm/KPI/event state) at least this often, simulation s. Default 120. */
  keyframeEveryS?: number;
  /** A chunk is written once it holds this many frames... Default 200 (20 s at 10 Hz). */
  chunkFrames?: number;
  /** ...or once this much wall time passed since it opened, ms. Default 20 000. */
  flushEveryMs?: number;
  /** Oldest groups beyond this are deleted (live plant); none by default. */
  retention?: Retention;
  /** Wall clock, ms since epoch (default Date.now). */
  now?: () => number;
  /**
   * Encode and write in a worker thread with its own database connection (default: whenever the
   * store is a file; an in-memory store can only be written from this thread).
   */
  worker?: boolean;
}

/** How long a synchronous flush waits for the worker before giving up, ms. */
const SYNC_WAIT_MS = 30_000;

/** The compiled worker (`npm run build`): beside main.js in the bundle; from dist/server when running the sources. */
const WORKER_FILE = join(SERVER_DIST, 'recordWorker.js');

/**
 * Throws a clear error when the compiled recording worker is missing. The worker is always the
 * bundle's JavaScript, also under tsx or vitest: no TypeScript loader inside worker threads.
 * Running from the sources, it also warns (once) when the bundle is older than them.
 */
export function assertRecordWorker(): void {
  if (!existsSync(WORKER_FILE))
    throw new Error(`The recording worker ${WORKER_FILE} is missing: run \`npm run build\` first`);
  if (!staleChecked && import.meta.url.endsWith('.ts')) {
    staleChecked = true;
    const built = statSync(WORKER_FILE).mtimeMs;
    if (['server', 'protocol'].some((d) => newestMtime(join(ROOT, d)) > built))
      console.warn(
        `${WORKER_FILE} is older than the sources: run \`npm run build\` to record with the current code`,
      );
  }
}
let staleChecked = false;

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Records one session: every delta frame exactly as clients got it, every event, alarm
 * transition and KPI update with its tick, simulation time and wall time. The loop's thread only
 * copies each tick's frame bytes into the open batch and keeps the items; once a batch holds
 * `chunkFrames` frames (or `flushEveryMs` passed) it is handed, transferred, to a worker that
 * encodes it (chunkCodec), compresses it and stores it as one chunk in one transaction (see
 * RecordingWriter). It only reads the session (one `snapshot()` at start) and never changes what
 * clients get. Not thread-safe; call from the loop.
 *
 * `flush`/`close` resolve once the worker committed everything handed over so far; `flushSync`/
 * `closeSync` block until then (for a shutdown, or a replay in the same thread right after).
 */
export class Recorder {
  readonly id: string;
  private readonly chunkFrames: number;
  private readonly flushEveryMs: number;
  private readonly now: () => number;
  private lastTick: number;
  private lastSimS: number;
  private lastWall: number;
  private fromTick: number;
  private fromSimS: number;
  private fromWall: number;
  private buf: Uint8Array<ArrayBuffer>;
  private used = 0;
  private ends: Uint32Array<ArrayBuffer>;
  private count = 0;
  private items: RecordedItem[] = [];
  private closed = false;
  // In this thread (in-memory store):
  private readonly writer: RecordingWriter | null = null;
  // In a worker:
  private readonly worker: Worker | null = null;
  private readonly done: Int32Array | null = null;
  private readonly sharedBytes: Float64Array | null = null;
  private sent = 0;
  private waiters: { target: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  private failure: Error | null = null;
  private ended = false;
  /** Batch buffers the worker gave back, to fill again (no allocation per batch). */
  private pool: { frames: ArrayBuffer; ends: ArrayBuffer }[] = [];

  constructor(store: RecordingStore, session: RecordableSession, options: RecorderOptions) {
    this.id = options.id;
    const keyframeEveryS = options.keyframeEveryS ?? 120;
    this.chunkFrames = Math.max(1, options.chunkFrames ?? 200);
    this.flushEveryMs = options.flushEveryMs ?? 20_000;
    this.now = options.now ?? Date.now;
    const snap = session.snapshot();
    this.lastTick = this.fromTick = snap.tick;
    this.lastSimS = this.fromSimS = snap.simTimeS;
    this.lastWall = this.fromWall = this.now();
    store.create({
      id: options.id,
      kind: options.kind,
      sessionId: options.sessionId,
      scenarioId: options.scenarioId ?? null,
      seed: options.seed,
      startedAt: this.lastWall,
      layout: snap.plant,
    });
    const start: WriterStart = {
      kinds: snap.plant.equipment.map((e) => e.kind),
      keyframe: snap.keyframe.slice(0),
      alarms: snap.alarms,
      alarmSeq: snap.alarmSeq,
      kpis: snap.kpis,
      events: snap.events,
      seq: snap.seq,
    };
    const writerOptions: WriterOptions = { id: options.id, keyframeEveryS, retention: options.retention };
    this.buf = new Uint8Array(64 * 1024);
    this.ends = new Uint32Array(this.chunkFrames);
    const useWorker = options.worker ?? store.dataDir !== ':memory:';
    if (useWorker && store.dataDir === ':memory:')
      throw new Error('an in-memory recording store cannot be written from a worker');
    if (!useWorker) {
      this.writer = new RecordingWriter(store, writerOptions, start);
      return;
    }
    const shared = new SharedArrayBuffer(8 + 5 * 8);
    this.done = new Int32Array(shared, 0, 2);
    this.sharedBytes = new Float64Array(shared, 8, 5);
    const workerData: RecordWorkerData = { dataDir: store.dataDir, options: writerOptions, start, shared };
    assertRecordWorker();
    const worker = new Worker(WORKER_FILE, { workerData, transferList: [start.keyframe] });
    worker.on('message', (m: RecordWorkerReply) => {
      if (m.error && !this.failure) this.failure = new Error(`recording ${this.id}: ${m.error}`);
      if (m.frames && m.ends && this.pool.length < 4) this.pool.push({ frames: m.frames, ends: m.ends });
      this.settle();
    });
    worker.on('error', (err) => {
      this.failure ??= err instanceof Error ? err : new Error(String(err));
      this.settle();
    });
    worker.on('exit', (code) => {
      if (!this.ended) this.failure ??= new Error(`recording ${this.id}: worker exited (${code})`);
      this.settle();
    });
    worker.unref();
    this.worker = worker;
  }

  /**
   * Records what one `advance` produced; call right after it (the session's world gives the tick
   * and simulation time). Cheap: it copies the frame's bytes and keeps references to the items.
   */
  onTick(out: TickOutput, session: RecordableSession): void {
    if (this.closed) return;
    const tick = session.world.tick;
    const simS = session.world.simTimeS;
    const wall = this.now();
    this.lastTick = tick;
    this.lastSimS = simS;
    this.lastWall = wall;
    const frame = out.frame;
    if (frame) {
      const n = frame.byteLength;
      if (this.used + n > this.buf.length) this.grow(this.used + n);
      this.buf.set(new Uint8Array(frame), this.used);
      this.used += n;
      this.ends[this.count++] = this.used;
    }
    const items = this.items;
    for (const event of out.events) items.push({ k: 'e', tick, simS, wall, event });
    for (const transition of out.alarms) items.push({ k: 'a', tick, simS, wall, transition });
    // What clients were sent (computed on sim time, paced to the HUD): a replay shows what they saw.
    if (out.wireKpis) items.push({ k: 'k', tick, simS, wall, kpis: out.wireKpis });
    if (out.late) items.push({ k: 'h', tick, simS, wall, values: out.late });
    if (this.count >= this.chunkFrames || wall - this.fromWall >= this.flushEveryMs) this.handOver();
  }

  /**
   * Records alarm transitions that happened between ticks (acknowledge, shelve, out of service),
   * at the session's current simulation time.
   */
  onAlarms(transitions: readonly AlarmTransition[]): void {
    if (this.closed) return;
    const wall = this.now();
    for (const transition of transitions)
      this.items.push({ k: 'a', tick: this.lastTick, simS: this.lastSimS, wall, transition });
  }

  /** Hands the open chunk over (if it holds anything); resolves once it is committed. */
  flush(): Promise<void> {
    this.handOver();
    return this.whenDone();
  }

  /** As `flush`, blocking this thread until the chunk is committed. */
  flushSync(): void {
    this.handOver();
    this.waitSync();
  }

  /** Writes what is pending and marks the recording ended; resolves once committed. Idempotent. */
  close(): Promise<void> {
    this.finish();
    return this.whenDone().finally(() => this.stopWorker());
  }

  /** As `close`, blocking this thread until the worker committed. */
  closeSync(): void {
    this.finish();
    try {
      this.waitSync();
    } finally {
      this.stopWorker();
    }
  }

  /** Compressed bytes committed so far, by part. */
  get bytes(): RecordedBytes {
    if (this.writer) return { ...this.writer.bytes };
    const b = this.sharedBytes!;
    return { frames: b[0], events: b[1], kpis: b[2], keyframes: b[3] };
  }

  /** Compressed bytes committed so far. */
  get bytesWritten(): number {
    const b = this.bytes;
    return b.frames + b.events + b.kpis + b.keyframes;
  }

  /** Time the worker spent encoding and writing so far, ms (0 without a worker). */
  get workerBusyMs(): number {
    return this.sharedBytes ? this.sharedBytes[4] : 0;
  }

  /** Whether a worker thread encodes and writes (false: this thread, an in-memory store). */
  get inWorker(): boolean {
    return this.worker !== null;
  }

  /** Why the worker failed, if it did (chunks after the failure are not stored). */
  get error(): Error | null {
    return this.failure;
  }

  private finish(): void {
    if (this.closed) return;
    this.handOver();
    this.closed = true;
    const at = this.now();
    if (this.writer) this.writer.end(at);
    else this.post({ t: 'end', at }, []);
  }

  private grow(need: number): void {
    const next = new Uint8Array(Math.max(need, this.buf.length * 2));
    next.set(this.buf.subarray(0, this.used));
    this.buf = next;
  }

  /** Hands the open batch to the writer and opens the next. */
  private handOver(): void {
    if (this.closed || (this.count === 0 && this.items.length === 0)) return;
    const batch: Batch = {
      frames: this.buf.subarray(0, this.used),
      ends: this.ends.subarray(0, this.count),
      items: this.items,
      fromTick: this.fromTick,
      toTick: this.lastTick,
      fromSimS: this.fromSimS,
      toSimS: this.lastSimS,
      fromWall: this.fromWall,
      toWall: this.lastWall,
    };
    if (this.writer) this.writer.write(batch);
    else {
      this.post({ t: 'batch', batch }, [this.buf.buffer, this.ends.buffer]);
      // The buffers went to the worker; the next batch fills ones it gave back, or fresh ones of
      // the size this one needed.
      const want = this.used + (this.used >> 2);
      const back = this.pool.pop();
      this.buf =
        back && back.frames.byteLength >= want
          ? new Uint8Array(back.frames)
          : new Uint8Array(Math.max(64 * 1024, want));
      this.ends =
        back && back.ends.byteLength >= this.chunkFrames * 4
          ? new Uint32Array(back.ends)
          : new Uint32Array(this.chunkFrames);
    }
    this.used = 0;
    this.count = 0;
    this.items = [];
    this.fromTick = this.lastTick;
    this.fromSimS = this.lastSimS;
    this.fromWall = this.lastWall;
  }

  private post(m: RecordWorkerMessage, transfer: ArrayBuffer[]): void {
    if (m.t === 'end') this.ended = true;
    this.sent++;
    this.worker!.postMessage(m, transfer);
  }

  private committed(): number {
    return this.done ? Atomics.load(this.done, 0) : this.sent;
  }

  private whenDone(): Promise<void> {
    if (!this.worker) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    const target = this.sent;
    if (this.committed() >= target) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ target, resolve, reject });
      this.worker!.ref(); // keep the process up until the worker answers
    });
  }

  private settle(): void {
    const n = this.committed();
    const failure = this.failure;
    this.waiters = this.waiters.filter((w) => {
      if (failure) w.reject(failure);
      else if (n >= w.target) w.resolve();
      else return true;
      return false;
    });
    if (this.waiters.length === 0) this.worker?.unref();
  }

  private waitSync(): void {
    if (!this.worker) return;
    if (this.failure) throw this.failure;
    const done = this.done!;
    const target = this.sent;
    const deadline = Date.now() + SYNC_WAIT_MS;
    for (;;) {
      const n = Atomics.load(done, 0);
      if (n >= target) break;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`recording ${this.id}: the worker did not commit within ${SYNC_WAIT_MS} ms`);
      Atomics.wait(done, 0, n, left);
    }
    if (Atomics.load(done, 1))
      throw this.failure ?? new Error(`recording ${this.id}: the worker failed to store a chunk`);
  }

  private stopWorker(): void {
    const w = this.worker;
    if (!w) return;
    this.ended = true;
    void w.terminate();
  }
}
