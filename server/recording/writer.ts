import type { Alarm, AlarmTransition } from '../../protocol/alarms';
import type { KpiUpdate, PlantEvent } from '../../protocol/events';
import type { EquipmentKind } from '../../protocol/kinds';
import type { AlarmMark, RecordingStore, Retention } from '../store/recordingStore';
import { encodeChunk } from './chunkCodec';
import { FrameState } from './frameState';
import { ItemEncoder, type RecordedItem, type RecordedState, type StoredItem } from './items';
import { pack, packJson } from './pack';

/** Events kept in a group's state (as many as a live snapshot carries). */
export const RECORDED_RECENT_EVENTS = 100;

/** Where a recording starts: the session's state when the recorder was made. */
export interface WriterStart {
  kinds: EquipmentKind[];
  /** Full frame of the scene at the start. */
  keyframe: ArrayBuffer;
  alarms: Alarm[];
  alarmSeq: number;
  kpis: KpiUpdate | null;
  events: PlantEvent[];
  seq: number;
}

export interface WriterOptions {
  id: string;
  keyframeEveryS: number;
  retention?: Retention;
}

/**
 * One chunk's worth of what the loop saw, as the recorder hands it over: the frames' bytes
 * back to back (`ends[k]` is where frame k ends), the items, and the chunk's extent.
 */
export interface Batch {
  frames: Uint8Array;
  ends: Uint32Array;
  items: RecordedItem[];
  fromTick: number;
  toTick: number;
  fromSimS: number;
  toSimS: number;
  fromWall: number;
  toWall: number;
}

/** Compressed bytes written, by part. */
export interface RecordedBytes {
  frames: number;
  /** Plant events and alarm transitions (their share of the items blob, by JSON length). */
  events: number;
  /** KPI updates (their share of the items blob, by JSON length). */
  kpis: number;
  /** Group keyframes and group states (alarms, KPIs, recent events at a group start). */
  keyframes: number;
}

/** Applies one transition to a map of the alarms that are not normal (as a client's list does). */
export function foldAlarm(alarms: Map<string, Alarm>, t: AlarmTransition): void {
  if (t.to === 'normal') alarms.delete(t.alarmId);
  else alarms.set(t.alarmId, t.alarm);
}

/** Whether a transition raises an alarm (a mark on the timeline). */
function raises(t: AlarmTransition): boolean {
  return t.to === 'unacknowledged' && (t.from === 'normal' || t.from === 'rtn-unacknowledged');
}

/**
 * The encoding half of a recording: folds batches into the scene and alarm/KPI/event state,
 * encodes them (chunkCodec: delta columns, brotli) and stores each as one chunk in one transaction; every
 * `keyframeEveryS` a chunk starts a group with a keyframe and the state. Runs in the recording
 * worker (or in the loop's thread for an in-memory store); it owns its store connection's writes.
 */
export class RecordingWriter {
  private readonly state: FrameState;
  private readonly alarms = new Map<string, Alarm>();
  private alarmSeq: number;
  private kpis: KpiUpdate | null;
  private recent: PlantEvent[];
  private eventSeq: number;
  private seq = 0;
  private lastGroupSimS = Number.NEGATIVE_INFINITY;
  private readonly items: ItemEncoder;
  readonly bytes: RecordedBytes = { frames: 0, events: 0, kpis: 0, keyframes: 0 };

  constructor(
    private readonly store: RecordingStore,
    private readonly options: WriterOptions,
    start: WriterStart,
  ) {
    this.state = new FrameState(start.kinds);
    this.state.apply(new Uint8Array(start.keyframe), false);
    for (const a of start.alarms) this.alarms.set(a.id, a);
    this.alarmSeq = start.alarmSeq;
    this.kpis = start.kpis;
    this.recent = start.events.slice(-RECORDED_RECENT_EVENTS);
    this.eventSeq = start.seq;
    this.items = new ItemEncoder(this.kpis);
  }

  /** Encodes and stores one batch as the next chunk. */
  write(b: Batch): void {
    if (b.ends.length === 0 && b.items.length === 0) return;
    const group = b.fromSimS - this.lastGroupSimS >= this.options.keyframeEveryS - 1e-9;
    let keyframe: Buffer | null = null;
    let state: Buffer | null = null;
    if (group) {
      this.lastGroupSimS = b.fromSimS;
      const st: RecordedState = {
        alarms: [...this.alarms.values()],
        alarmSeq: this.alarmSeq,
        kpis: this.kpis,
        events: this.recent.slice(-RECORDED_RECENT_EVENTS),
        seq: this.eventSeq,
      };
      keyframe = pack(new Uint8Array(this.state.keyframe()));
      state = packJson(st);
      this.items.reset(this.kpis);
    }
    const views: Uint8Array[] = [];
    let at = 0;
    for (const end of b.ends) {
      views.push(b.frames.subarray(at, end));
      at = end;
    }
    const frames = Buffer.from(encodeChunk(views, this.state));
    const stored: StoredItem[] = [];
    const marks: AlarmMark[] = [];
    let kpiJson = 0;
    let otherJson = 0;
    for (const item of b.items) {
      const s = this.items.encode(item);
      stored.push(s);
      const len = JSON.stringify(s).length;
      if (item.k === 'k') {
        kpiJson += len;
        this.kpis = item.kpis;
      } else {
        otherJson += len;
        if (item.k === 'e') {
          this.recent.push(item.event);
          if (this.recent.length > RECORDED_RECENT_EVENTS * 2) this.recent.splice(0, RECORDED_RECENT_EVENTS);
          this.eventSeq = item.event.seq;
        } else if (item.k === 'a') {
          const t = item.transition;
          foldAlarm(this.alarms, t);
          this.alarmSeq = Math.max(this.alarmSeq, t.seq);
          if (raises(t)) marks.push({ simS: item.simS, alarmId: t.alarmId, priority: t.alarm.priority });
        }
      }
    }
    const events = packJson(stored);
    this.store.appendChunk(
      this.options.id,
      {
        seq: this.seq++,
        fromTick: b.fromTick,
        toTick: b.toTick,
        fromSimS: b.fromSimS,
        toSimS: b.toSimS,
        fromWall: b.fromWall,
        toWall: b.toWall,
        keyframe,
        state,
        frames,
        events,
      },
      marks,
    );
    this.bytes.frames += frames.length;
    const json = kpiJson + otherJson;
    if (json > 0) {
      this.bytes.kpis += (events.length * kpiJson) / json;
      this.bytes.events += (events.length * otherJson) / json;
    } else this.bytes.events += events.length;
    this.bytes.keyframes += (keyframe?.length ?? 0) + (state?.length ?? 0);
    if (group && this.options.retention) this.store.trim(this.options.id, this.options.retention, b.toWall);
  }

  /** Marks the recording ended. */
  end(endedAt: number): void {
    this.store.end(this.options.id, endedAt);
  }
}
