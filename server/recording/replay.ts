import type { Alarm } from '../../protocol/alarms';
import type { KpiUpdate, PlantEvent } from '../../protocol/events';
import type { LateValue } from '../../protocol/valueHistory';
import type { AlarmMark, Bookmark, ChunkRow, RecordingInfo, RecordingStore } from '../store/recordingStore';
import { decodeChunk } from './chunkCodec';
import { FrameState, frameHeader } from './frameState';
import { ItemDecoder, type RecordedItem, type RecordedState, type StoredItem } from './items';
import { unpack, unpackJson } from './pack';
import { foldAlarm, RECORDED_RECENT_EVENTS } from './writer';

/** Why a recording cannot be replayed. */
export type RecordingErrorCode = 'NOT_FOUND' | 'EMPTY' | 'CORRUPT';

/** A recording that is missing, empty or damaged; the message says which and where. */
export class RecordingError extends Error {
  override name = 'RecordingError';
  constructor(
    readonly code: RecordingErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The scene, alarms, KPIs and events as they were live at one instant. */
export interface ReplayState {
  tick: number;
  simTimeS: number;
  /** A full telemetry frame (same codec as `telemetry:frame`; apply like a snapshot's keyframe). */
  keyframe: ArrayBuffer;
  /** The most recent plant events, oldest first, and the newest sequence number. */
  events: PlantEvent[];
  seq: number;
  /** Alarms that were not normal, and the newest alarm transition's sequence number. */
  alarms: Alarm[];
  alarmSeq: number;
  kpis: KpiUpdate | null;
}

/** Frames and items in a time window, in order, for playback at any rate. */
export interface ReplayWindow {
  /** Delta frames with fromS < simulation time <= toS, byte for byte as sent live. */
  frames: ArrayBuffer[];
  /** Events, alarm transitions and KPI updates in the same window. */
  items: ReplayItem[];
}

/** What a replay window carries besides frames (late values stay on the server: `lateBetween`). */
export type ReplayItem = Exclude<RecordedItem, { k: 'h' }>;

/** Which late values `lateBetween` gives. */
export interface LateQuery {
  fromS: number;
  toS: number;
  equipment?: string;
  signal?: string;
  limit: number;
}

export interface Timeline {
  fromSimS: number;
  toSimS: number;
  durationS: number;
  /** Alarm raises (for "jump to next alarm"), by simulation time. */
  alarms: AlarmMark[];
  bookmarks: Bookmark[];
  ended: boolean;
}

const EPS = 1e-9;

function corrupt(id: string, seq: number, what: string, err: unknown): RecordingError {
  const why = err instanceof Error ? err.message : String(err);
  return new RecordingError('CORRUPT', `recording ${id}: chunk ${seq}: ${what} is damaged (${why})`);
}

/** A read-only view of one recording. Decodes with protocol/codec.ts through FrameState. */
export class Replay {
  readonly kinds;

  constructor(
    private readonly store: RecordingStore,
    readonly info: RecordingInfo,
  ) {
    this.kinds = info.layout.equipment.map((e) => e.kind);
  }

  /** The state at `simS` (clamped to the recording): keyframe with every delta up to it folded in. */
  stateAt(simS: number): ReplayState {
    const run = this.group(simS);
    const st = this.startState(run[0]);
    const frames = st.frames;
    const alarms = new Map(st.meta.alarms.map((a) => [a.id, a]));
    const recent = st.meta.events.slice();
    let seq = st.meta.seq;
    let alarmSeq = st.meta.alarmSeq;
    let kpis = st.meta.kpis;
    const items = new ItemDecoder(kpis);
    for (let k = 0; k < run.length; k++) {
      const row = run[k];
      const last = k === run.length - 1;
      if (!last) this.decodeFrames(row, frames);
      else {
        const scratch = new FrameState(this.kinds);
        scratch.copyFrom(frames);
        for (const f of this.decodeFrames(row, scratch)) {
          if (frameHeader(f).simTimeS > simS + EPS) break;
          frames.apply(f, false);
        }
      }
      for (const item of this.items(row, items)) {
        if (item.simS > simS + EPS) break;
        if (item.k === 'e') {
          recent.push(item.event);
          seq = item.event.seq;
        } else if (item.k === 'a') {
          foldAlarm(alarms, item.transition);
          alarmSeq = Math.max(alarmSeq, item.transition.seq);
        } else if (item.k === 'k') kpis = item.kpis;
      }
    }
    return {
      tick: frames.tick,
      simTimeS: frames.simTimeS,
      keyframe: frames.keyframe(),
      events: recent.slice(-RECORDED_RECENT_EVENTS),
      seq,
      alarms: [...alarms.values()],
      alarmSeq,
      kpis,
    };
  }

  /** Frames and items with fromS < simulation time <= toS. */
  framesBetween(fromS: number, toS: number): ReplayWindow {
    const out: ReplayWindow = { frames: [], items: [] };
    if (!(toS > fromS)) return out;
    const run = this.group(fromS, toS);
    const st = this.startState(run[0]);
    const items = new ItemDecoder(st.meta.kpis);
    for (let k = 0; k < run.length; k++) {
      const row = run[k];
      if (row.toSimS <= fromS + EPS) {
        this.decodeFrames(row, st.frames);
        this.items(row, items);
        continue;
      }
      for (const f of this.decodeFrames(row, st.frames)) {
        const t = frameHeader(f).simTimeS;
        if (t > fromS + EPS && t <= toS + EPS) out.frames.push(f);
      }
      for (const item of this.items(row, items))
        if (item.k !== 'h' && item.simS > fromS + EPS && item.simS <= toS + EPS) out.items.push(item);
    }
    return out;
  }

  /**
   * The historical and late values of real equipment recorded with fromS < sim time <= toS, in
   * arrival order, at most `limit` (truncated: more matched). They never reached the scene; this is
   * where a replay keeps them.
   */
  lateBetween(q: LateQuery): { values: (LateValue & { simS: number })[]; truncated: boolean } {
    const values: (LateValue & { simS: number })[] = [];
    if (!(q.toS > q.fromS)) return { values, truncated: false };
    const id = this.info.id;
    const start = this.store.groupStartAt(id, q.fromS);
    if (start === null) return { values, truncated: false };
    for (const row of this.store.chunks(id, start, q.toS)) {
      if (row.toSimS <= q.fromS + EPS) continue;
      let stored: StoredItem[];
      try {
        stored = unpackJson<StoredItem[]>(row.events);
      } catch (err) {
        throw corrupt(id, row.seq, 'events', err);
      }
      for (const item of stored) {
        if (item.k !== 'h' || item.simS <= q.fromS + EPS || item.simS > q.toS + EPS) continue;
        for (const v of item.values) {
          if (q.equipment !== undefined && v.equipment !== q.equipment) continue;
          if (q.signal !== undefined && v.signal !== q.signal) continue;
          if (values.length === q.limit) return { values, truncated: true };
          values.push({ ...v, simS: item.simS });
        }
      }
    }
    return { values, truncated: false };
  }

  /** Duration, alarm raises and bookmarks. */
  timeline(): Timeline {
    const info = this.store.get(this.info.id) ?? this.info;
    return {
      fromSimS: info.fromSimS,
      toSimS: info.toSimS,
      durationS: info.toSimS - info.fromSimS,
      alarms: this.store.marks(this.info.id),
      bookmarks: this.store.bookmarks(this.info.id),
      ended: info.endedAt !== null,
    };
  }

  /** Adds a bookmark at `simS`. */
  addBookmark(simS: number, label: string, user?: string | null, nowMs = Date.now()): Bookmark {
    return this.store.addBookmark(this.info.id, simS, label, nowMs, user);
  }

  /** The chunks from the group start at or before `fromS` up to the one holding `toS`. */
  private group(fromS: number, toS = fromS): ChunkRow[] {
    const id = this.info.id;
    const start = this.store.groupStartAt(id, fromS);
    if (start === null) throw new RecordingError('EMPTY', `recording ${id} has no keyframe yet`);
    const run = this.store.chunks(id, start, toS);
    if (run.length === 0 || !run[0].keyframe)
      throw new RecordingError('CORRUPT', `recording ${id}: chunk ${start} should start a group`);
    for (let k = 1; k < run.length; k++)
      if (run[k].seq !== run[k - 1].seq + 1)
        throw new RecordingError('CORRUPT', `recording ${id}: chunk ${run[k - 1].seq + 1} is missing`);
    return run;
  }

  /** The scene and state at a group start. */
  private startState(row: ChunkRow): { frames: FrameState; meta: RecordedState } {
    const frames = new FrameState(this.kinds);
    try {
      frames.apply(unpack(row.keyframe!), true);
    } catch (err) {
      throw corrupt(this.info.id, row.seq, 'keyframe', err);
    }
    let meta: RecordedState;
    try {
      meta = unpackJson<RecordedState>(row.state!);
    } catch (err) {
      throw corrupt(this.info.id, row.seq, 'state', err);
    }
    return { frames, meta };
  }

  /** Decodes a chunk's frames against `state` (the scene before it), folding them into it. */
  private decodeFrames(row: ChunkRow, state: FrameState): ArrayBuffer[] {
    try {
      return decodeChunk(row.frames, state);
    } catch (err) {
      throw corrupt(this.info.id, row.seq, 'frames', err);
    }
  }

  /** The chunk's items, every one of them through `decoder` (KPI changes need the ones before). */
  private items(row: ChunkRow, decoder: ItemDecoder): RecordedItem[] {
    try {
      return unpackJson<StoredItem[]>(row.events).map((s) => decoder.decode(s));
    } catch (err) {
      throw corrupt(this.info.id, row.seq, 'events', err);
    }
  }
}

/** Opens a recording for replay; throws RecordingError NOT_FOUND for an unknown id. */
export function openReplay(store: RecordingStore, id: string): Replay {
  const info = store.get(id);
  if (!info) throw new RecordingError('NOT_FOUND', `no recording with id ${id}`);
  return new Replay(store, info);
}
