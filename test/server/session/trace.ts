import { createHash } from 'node:crypto';
import type { AlarmTransition, KpiUpdate, Layout } from '../../../protocol';
import type { Scenario, ScenarioLogEntry, TraineeRecord } from '../../../protocol/scenario';
import { setUpAlarms } from '../../../server/alarms/setup';
import { evaluateExpectations } from '../../../server/scenarios/expectations';
import { recordedAlarm, tickLog } from '../../../server/scenarios/tickLog';
import { FrameBuilder } from '../../../server/session/frameBuilder';
import { KPI_EVERY_STEPS, PlantSession, type TickOutput } from '../../../server/session/plantSession';
import { lineIds, linesRunningInto } from '../../../server/sim';
import { Rng } from '../../../server/sim/rng';

/** Everything a run decided, as a test compares it. */
export interface Trace {
  /** Plant events, timeline steps and alarm transitions, in order, each with its sim time. */
  log: ScenarioLogEntry[];
  /** Every KPI update the session handed out, in order. */
  kpis: KpiUpdate[];
  /** SHA-256 of the world keyframe (the wire's frame codec) at every 1 s cadence point, by step number. */
  keyframes: Map<number, string>;
  /** What a trainee's record holds (alarms with their step's sim time, line samples). */
  record: TraineeRecord;
  /** The scenario's expectations scored on `record` (empty without a scenario). */
  results: ReturnType<typeof evaluateExpectations>;
  /** Sim time the run ended, s, and its step number. */
  endS: number;
  tick: number;
}

/** How a traced run is driven. */
export interface TraceOptions {
  layout: Layout;
  seed: number;
  speed: number;
  scenario?: Scenario;
  /** Stop after this much sim time, s. */
  untilS: number;
  /**
   * 'steps': one `step()` per call; otherwise the seed of random real-time chunks of 1 to 250 ms
   * handed to `advance`.
   */
  drive: 'steps' | number;
  /** Wall time the session is told at call `i`, ms since epoch. */
  wallMs: (i: number) => number;
  /** Wall time follows sim time from this origin (a training session), ms since epoch. */
  simClockOriginMs?: number;
  /** Keyframe hash at every step, not only at cadence points. */
  everyStep?: boolean;
}

const sha = (b: ArrayBuffer) => createHash('sha256').update(new Uint8Array(b)).digest('hex');

/** Runs a session as `opts` says and collects what it decided. */
export function traceRun(opts: TraceOptions): Trace {
  const alarms = setUpAlarms(opts.layout, { dataDir: ':memory:' });
  if (!alarms.ok) throw new Error(alarms.errors.join('\n'));
  const keyframes = new Map<number, string>();
  const record: TraineeRecord = { endS: 0, alarms: [], commands: [], lines: [] };
  let frames: FrameBuilder | null = null;
  let ids: string[] = [];
  let running = new Uint8Array(0);
  let was = new Uint8Array(0);
  const session = new PlantSession(opts.layout, {
    seed: opts.seed,
    speed: opts.speed,
    alarms: alarms.book,
    scenario: opts.scenario,
    simClockOriginMs: opts.simClockOriginMs,
    onSimStep: (w) => {
      frames ??= new FrameBuilder(w.equipment);
      if (opts.everyStep || w.tick % KPI_EVERY_STEPS === 0)
        keyframes.set(w.tick, sha(frames.keyframe(w.tick, w.simTimeS)));
      linesRunningInto(w, running);
      for (let i = 0; i < ids.length; i++) {
        if (running[i] === was[i]) continue;
        was[i] = running[i];
        record.lines.push({ simS: w.simTimeS, line: ids[i], running: running[i] === 1 });
      }
    },
  });
  ids = lineIds(session.world);
  running = new Uint8Array(ids.length);
  was = new Uint8Array(ids.length).fill(2);
  session.stopAtS = opts.untilS;
  const log: ScenarioLogEntry[] = [];
  const kpis: KpiUpdate[] = [];
  const take = (out: TickOutput) => {
    for (const e of tickLog(out)) log.push(e);
    for (let k = 0; k < out.alarms.length; k++)
      record.alarms.push(recordedAlarm(out.alarms[k], out.alarmSimS[k]));
    if (out.kpis) kpis.push(out.kpis);
  };
  const rng = typeof opts.drive === 'number' ? new Rng(opts.drive) : null;
  try {
    for (let i = 0; session.world.simTimeS < opts.untilS - 1e-6; i++) {
      const now = opts.wallMs(i);
      take(rng ? session.advance(0.001 + rng.next() * 0.249, now) : session.step(now));
    }
  } finally {
    alarms.store.close();
  }
  record.endS = session.world.simTimeS;
  return {
    log,
    kpis,
    keyframes,
    record,
    results: opts.scenario ? evaluateExpectations(opts.scenario, record) : [],
    endS: session.world.simTimeS,
    tick: session.world.tick,
  };
}

/** A transition without its wall-clock stamps (`at`, `raisedAt`, `ackedAt`): what the simulation decided. */
export function simDecided(t: AlarmTransition): unknown {
  const { at: _at, alarm, ...rest } = t;
  const { raisedAt: _r, ackedAt: _a, ...a } = alarm;
  return { ...rest, alarm: a };
}

/** A log with the wall-clock stamps of its alarm transitions taken out. */
export function withoutStamps(log: readonly ScenarioLogEntry[]): unknown[] {
  return log.map((e) => (e.kind === 'alarm' ? { ...e, transition: simDecided(e.transition) } : e));
}
