import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import {
  type AlarmTransition,
  can,
  type ErrorCode,
  type RecordingSummary,
  type ReplayWindow,
  type Role,
} from '../protocol';
import { type RecordableSession, Recorder } from './recording/recorder';
import { openReplay, RecordingError, type Replay } from './recording/replay';
import type { TickOutput } from './session/plantSession';
import type { RecordingInfo, RecordingKind, RecordingStore } from './store/recordingStore';

/** Default retention of recordings, hours (`--retention-hours`). */
export const DEFAULT_RETENTION_HOURS = 24;
/** How often ended recordings past the retention are deleted, ms. */
const SWEEP_EVERY_MS = 10 * 60_000;
/** Replays kept open (layout parsed once) for the requests of the replay views. */
const REPLAY_CACHE = 8;

/** Recorder tuning (tests use small chunks so a live recording is replayable within a second). */
export interface RecorderTuning {
  keyframeEveryS?: number;
  chunkFrames?: number;
  flushEveryMs?: number;
}

/** How the app records (createApp's `deps.recording`). */
export interface RecordingDeps {
  /** The recordings database (opened and closed by the caller). */
  store: RecordingStore;
  /** Record the live plant (default true; `--no-record` turns it off). Training runs are always recorded. */
  live?: boolean;
  /** Recordings are kept this long after they end; the live one drops groups older than this. Default 24 h. */
  retentionHours?: number;
  tuning?: RecorderTuning;
}

/** One run being recorded. Never throws: a failing recorder is logged once and stops. */
export interface RunRecording {
  readonly id: string;
  /** Call right after `advance` (or `step`), before the output is broadcast. */
  onTick(out: TickOutput, session: RecordableSession): void;
  /** Alarm transitions users made between ticks (ack, shelve, out of service). */
  onAlarms(transitions: readonly AlarmTransition[]): void;
  /** Writes what is pending and ends the recording; resolves once committed (never rejects). */
  close(): Promise<void>;
}

/** A refusal for a recording request. */
export type RecordingRefusal = { ok: false; code: ErrorCode; message: string };

/** Whether `role` may see a recording of `kind`: the live plant for everyone, training runs for trainers. */
export function mayWatch(role: Role, kind: RecordingKind): boolean {
  return can(role, kind === 'live' ? 'plant:watch' : 'training:run');
}

/** A recording header as the API lists it. */
export function summary(info: RecordingInfo): RecordingSummary {
  return {
    id: info.id,
    kind: info.kind,
    sessionId: info.sessionId,
    scenarioId: info.scenarioId,
    seed: info.seed,
    startedAt: info.startedAt,
    endedAt: info.endedAt,
    fromSimS: info.fromSimS,
    toSimS: info.toSimS,
    bytes: info.bytes,
  };
}

/**
 * The recordings of this server: starts a recorder per recorded run (the live plant, every
 * training session run), opens replays for the API and the replay view by role, and applies the
 * retention (ended recordings older than it are deleted; the live recording drops its oldest
 * keyframe groups). Recording only reads the sessions: it never changes what clients get.
 */
export class Recordings {
  readonly store: RecordingStore;
  readonly retentionMs: number;
  private readonly open = new Map<string, Recorder>();
  private readonly closing = new Set<Promise<void>>();
  private readonly replays = new Map<string, Replay>();
  private sweepTimer: NodeJS.Timeout | null = null;
  /** Recorders whose bytes are not yet in `bytesDone` (open or closing), and their kind. */
  private readonly unsettled = new Map<Recorder, RecordingKind>();
  private readonly bytesDone: Record<RecordingKind, number> = { live: 0, training: 0 };

  constructor(
    private readonly deps: RecordingDeps,
    private readonly now: () => number,
    private readonly logger?: Logger,
  ) {
    this.store = deps.store;
    this.retentionMs = (deps.retentionHours ?? DEFAULT_RETENTION_HOURS) * 3_600_000;
  }

  /** Whether the live plant is recorded. */
  get recordsLive(): boolean {
    return this.deps.live !== false;
  }

  /**
   * Ends recordings a previous run of the server left open (it stopped without closing them) at
   * their last stored chunk, deletes those past the retention and repeats that every 10 minutes.
   */
  start(): void {
    for (const info of this.store.list()) {
      if (info.endedAt !== null || this.open.has(info.id)) continue;
      const last = this.store.chunkAt(info.id, Number.MAX_VALUE);
      this.store.end(info.id, last?.toWall ?? info.startedAt);
    }
    this.sweep();
    this.sweepTimer ??= setInterval(() => this.sweep(), SWEEP_EVERY_MS);
    this.sweepTimer.unref();
  }

  /** Deletes ended recordings that ended longer than the retention ago; returns how many. */
  sweep(): number {
    let removed = 0;
    try {
      const cutoff = this.now() - this.retentionMs;
      for (const info of this.store.list()) {
        if (this.open.has(info.id) || info.endedAt === null || info.endedAt >= cutoff) continue;
        this.store.remove(info.id);
        this.replays.delete(info.id);
        removed++;
      }
    } catch (err) {
      this.logger?.error({ err }, 'recording retention sweep failed');
    }
    return removed;
  }

  /** Starts recording a run; null (logged) when the recorder cannot start. */
  record(
    session: RecordableSession,
    meta: { kind: RecordingKind; sessionId: string; scenarioId?: string | null; seed: number },
  ): RunRecording | null {
    const id = `${meta.kind === 'live' ? 'live' : 'trn'}-${randomBytes(8).toString('hex')}`;
    let rec: Recorder;
    try {
      rec = new Recorder(this.store, session, {
        id,
        ...meta,
        ...this.deps.tuning,
        retention: meta.kind === 'live' ? { maxAgeMs: this.retentionMs } : undefined,
        now: this.now,
      });
    } catch (err) {
      this.logger?.error({ err, session: meta.sessionId }, 'could not start a recording');
      return null;
    }
    this.open.set(id, rec);
    this.unsettled.set(rec, meta.kind);
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      this.logger?.error({ err, recording: id }, 'recording failed; this run is no longer recorded');
      void stop();
    };
    const stop = (): Promise<void> => {
      if (!this.open.has(id)) return Promise.resolve();
      this.open.delete(id);
      const p = rec
        .close()
        .catch((err) => {
          if (!failed) this.logger?.error({ err, recording: id }, 'could not close a recording');
        })
        .finally(() => {
          this.closing.delete(p);
          this.settle(rec);
        });
      this.closing.add(p);
      return p;
    };
    return {
      id,
      onTick: (out, s) => {
        if (failed) return;
        try {
          if (rec.error) throw rec.error;
          rec.onTick(out, s);
        } catch (err) {
          fail(err);
        }
      },
      onAlarms: (ts) => {
        if (failed || ts.length === 0) return;
        try {
          rec.onAlarms(ts);
        } catch (err) {
          fail(err);
        }
      },
      close: stop,
    };
  }

  /** The recordings `role` may see, newest first. */
  list(role: Role): RecordingSummary[] {
    return this.store
      .list()
      .filter((r) => mayWatch(role, r.kind))
      .map(summary);
  }

  /** Opens a recording for `role`: NOT_FOUND for an unknown id, FORBIDDEN for a training run below trainer. */
  replay(id: string, role: Role): { ok: true; replay: Replay } | RecordingRefusal {
    let r = this.replays.get(id);
    if (!r) {
      try {
        r = openReplay(this.store, id);
      } catch (err) {
        return refusalOf(err);
      }
      if (this.replays.size >= REPLAY_CACHE) this.replays.delete(this.replays.keys().next().value!);
      this.replays.set(id, r);
    }
    if (!mayWatch(role, r.info.kind))
      return { ok: false, code: 'FORBIDDEN', message: `the ${role} role may not replay training sessions` };
    return { ok: true, replay: r };
  }

  /** Frames and items with fromS < simulation time <= toS. */
  window(replay: Replay, fromS: number, toS: number): ReplayWindow {
    return replay.framesBetween(fromS, toS);
  }

  /** Whether the recording is still being recorded by this server. */
  isOpen(id: string): boolean {
    return this.open.has(id);
  }

  /** Compressed bytes committed so far by every recording this server made, by kind (a running total). */
  bytesWritten(): Record<RecordingKind, number> {
    const total = { ...this.bytesDone };
    for (const [rec, kind] of this.unsettled) total[kind] += rec.bytesWritten;
    return total;
  }

  /** A closed recorder's bytes move into the total (it is no longer held). */
  private settle(rec: Recorder): void {
    const kind = this.unsettled.get(rec);
    if (kind === undefined) return;
    this.unsettled.delete(rec);
    this.bytesDone[kind] += rec.bytesWritten;
  }

  /** Closes every open recording (committing what is pending) and stops the sweep. */
  async close(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    const closes = [...this.open.values()].map((rec) =>
      rec
        .close()
        .catch((err) => this.logger?.error({ err, recording: rec.id }, 'could not close a recording'))
        .finally(() => this.settle(rec)),
    );
    this.open.clear();
    await Promise.all([...closes, ...this.closing]);
  }
}

/** A RecordingError as a refusal (anything else is thrown on: the pipeline answers INTERNAL). */
export function refusalOf(err: unknown): RecordingRefusal {
  if (!(err instanceof RecordingError)) throw err;
  const code: ErrorCode =
    err.code === 'NOT_FOUND' ? 'NOT_FOUND' : err.code === 'EMPTY' ? 'CONFLICT' : 'INTERNAL';
  return { ok: false, code, message: err.message };
}
