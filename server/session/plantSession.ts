import {
  type AlarmTransition,
  type KpiUpdate,
  type Layout,
  type PlantEvent,
  type PlantSnapshot,
  PROTOCOL_VERSION,
  TICK_HZ,
} from '../../protocol';
import type { Scenario } from '../../protocol/scenario';
import type { AlarmBook } from '../alarms/alarmBook';
import { inMemoryAlarms } from '../alarms/setup';
import { type AppliedStep, applyDueSteps } from '../scenarios/applySteps';
import {
  applyCommand,
  type CommandResult,
  computeKpis,
  createWorld,
  isSimulated,
  type SimCommand,
  stepWorld,
} from '../sim';
import { SIM_DT_S, type World } from '../sim/types';
import { EventLog } from './eventLog';
import { FrameBuilder } from './frameBuilder';

/** KPIs are recomputed and pushed this often, in real seconds (HUD rate). */
const KPI_INTERVAL_S = 1;
/** After a hitch the loop catches up at most this much real time; the rest is dropped. */
const MAX_BACKLOG_REAL_S = 0.25;

/** What one tick produced, for the transport to broadcast. */
export interface TickOutput {
  /** Delta telemetry frame, or null when nothing changed. */
  frame: ArrayBuffer | null;
  events: PlantEvent[];
  /** New KPIs when due this tick. */
  kpis: KpiUpdate | null;
  /** Simulation steps taken this tick. */
  steps: number;
  /** Alarm transitions of this tick, already persisted, in sequence order. */
  alarms: AlarmTransition[];
  /** Scenario timeline steps applied this tick, in order (sessions built with a scenario). */
  scenarioSteps?: readonly AppliedStep[];
}

/** How a session is built. */
export interface SessionOptions {
  seed: number;
  speed: number;
  /** The plant's alarms; default: the default rules over an in-memory store; null: no alarms. */
  alarms?: AlarmBook | null;
  /** Wall time at start, ms since epoch (used only when `advance` is not given the time). */
  startMs?: number;
  /**
   * A training scenario: its timeline is applied as the world advances (the steps due at time 0
   * at once, see `initialSteps`), and its `randomFaults` decides whether the plant's own run.
   */
  scenario?: Pick<Scenario, 'timeline' | 'randomFaults'>;
  /** Start paused: `advance` takes no simulation step until `paused` is cleared (`step` still does). */
  paused?: boolean;
  /** Called after every simulation step, scenario steps applied (a training session samples lines). */
  onSimStep?: (world: World) => void;
  /**
   * Wall time follows the simulation: `simClockOriginMs + simTimeS × 1000` (a training session:
   * alarm timestamps, acknowledgements and shelve expiry move with sim time, and pause with it, so
   * a run is reproducible). Without it the loop's wall time is used.
   */
  simClockOriginMs?: number;
}

const NO_STEPS: readonly AppliedStep[] = Object.freeze([]);

/**
 * One running plant: its world, its time scale and the bookkeeping between the simulation and the
 * wire (sequence numbers, what was sent). It reads no clock: the loop hands it the real time that
 * passed, which it turns into fixed simulation steps.
 */
export class PlantSession {
  readonly world: World;
  private readonly frames: FrameBuilder;
  private readonly log = new EventLog();
  private accumulatorS = 0;
  private kpiDueS = 0;
  private kpis: KpiUpdate;
  private speedX: number;
  private wallMs: number;
  private pausedFlag: boolean;
  private readonly scenario: SessionOptions['scenario'];
  private readonly onSimStep: SessionOptions['onSimStep'];
  private readonly simClockOriginMs: number | undefined;
  /** Alarms raised on equipment with an injected fault: marked simulated until they return to normal. */
  private readonly simulatedAlarms = new Set<string>();
  /** The plant's alarms, or null when it runs without. */
  readonly alarms: AlarmBook | null;
  /** Scenario steps due at time 0, applied when the session was built. */
  readonly initialSteps: readonly AppliedStep[];

  constructor(
    readonly layout: Layout,
    options: SessionOptions,
  ) {
    this.scenario = options.scenario;
    this.onSimStep = options.onSimStep;
    this.pausedFlag = options.paused ?? false;
    this.world = options.scenario
      ? createWorld(layout, options.seed, { faults: options.scenario.randomFaults })
      : createWorld(layout, options.seed);
    this.initialSteps = options.scenario ? applyDueSteps(this.world, options.scenario, -1, 0) : NO_STEPS;
    this.alarms = options.alarms === undefined ? inMemoryAlarms(layout) : options.alarms;
    this.simClockOriginMs = options.simClockOriginMs;
    this.wallMs = options.simClockOriginMs ?? options.startMs ?? 0;
    this.frames = new FrameBuilder(this.world.equipment);
    this.speedX = options.speed;
    this.kpis = computeKpis(this.world);
    this.frames.delta(this.world.tick, this.world.simTimeS); // prime what counts as sent
  }

  /** Simulation time scale (1 = real time). */
  get speed(): number {
    return this.speedX;
  }

  set speed(x: number) {
    this.speedX = x;
  }

  /** Whether the simulation stands still (a training session before start or paused). */
  get paused(): boolean {
    return this.pausedFlag;
  }

  set paused(p: boolean) {
    // A pause drops the fraction of a step already accumulated: a resume starts on a clean step.
    if (p) this.accumulatorS = 0;
    this.pausedFlag = p;
  }

  /** Sequence number of the newest plant event. */
  get seq(): number {
    return this.log.seq;
  }

  /** Wall time of the latest tick, ms since epoch (alarm timestamps use it). */
  get nowMs(): number {
    return this.wallMs;
  }

  /**
   * Advances by `realElapsedS` of wall time: steps the simulation in fixed steps of SIM_DT_S
   * scaled by the speed (the remainder carries over), evaluates the alarms (persisting their
   * transitions) and builds the delta frame. `nowMs` is the wall time the loop read (ms since
   * epoch), for alarm timestamps and shelve expiry; without it the session counts on from the last.
   */
  advance(realElapsedS: number, nowMs?: number): TickOutput {
    const real = Math.min(Math.max(realElapsedS, 0), MAX_BACKLOG_REAL_S);
    this.wallMs = nowMs ?? this.wallMs + Math.max(realElapsedS, 0) * 1000;
    if (!this.pausedFlag) this.accumulatorS += real * this.speedX;
    const events: PlantEvent[] = [];
    const applied: AppliedStep[] = [];
    let steps = 0;
    while (this.accumulatorS >= SIM_DT_S - 1e-9) {
      this.accumulatorS -= SIM_DT_S;
      this.simStep(events, applied);
      steps++;
    }
    this.kpiDueS += real;
    let kpis: KpiUpdate | null = null;
    if (this.kpiDueS >= KPI_INTERVAL_S) {
      this.kpiDueS -= KPI_INTERVAL_S;
      kpis = this.kpis = computeKpis(this.world);
    }
    return this.finish(events, kpis, steps, applied);
  }

  /**
   * Takes exactly one simulation step of SIM_DT_S now, paused or not (a trainer's single step),
   * evaluates the alarms and recomputes the KPIs. `nowMs` as for `advance`.
   */
  step(nowMs?: number): TickOutput {
    this.wallMs = nowMs ?? this.wallMs;
    const events: PlantEvent[] = [];
    const applied: AppliedStep[] = [];
    this.simStep(events, applied);
    this.kpis = computeKpis(this.world);
    return this.finish(events, this.kpis, 1, applied);
  }

  /** One fixed simulation step, then the scenario steps it made due. */
  private simStep(events: PlantEvent[], applied: AppliedStep[]): void {
    const fromS = this.world.simTimeS;
    const drafts = stepWorld(this.world, SIM_DT_S);
    if (drafts.length) for (const e of this.log.append(drafts)) events.push(e);
    if (this.scenario)
      for (const a of applyDueSteps(this.world, this.scenario, fromS, this.world.simTimeS)) applied.push(a);
    this.onSimStep?.(this.world);
  }

  private finish(
    events: PlantEvent[],
    kpis: KpiUpdate | null,
    steps: number,
    applied: AppliedStep[],
  ): TickOutput {
    if (this.simClockOriginMs !== undefined)
      this.wallMs = this.simClockOriginMs + Math.round(this.world.simTimeS * 1000);
    const raw = this.alarms
      ? this.alarms.tick(this.world.equipment, this.world.simTimeS, this.wallMs, steps > 0)
      : [];
    const alarms = raw.length ? this.markSimulated(raw) : raw;
    const frame = steps > 0 ? this.frames.delta(this.world.tick, this.world.simTimeS) : null;
    const out: TickOutput = { frame, events, kpis, steps, alarms };
    if (applied.length) out.scenarioSteps = applied;
    return out;
  }

  /**
   * The transitions with those of simulated alarms marked (`simulated: true`, on copies): an alarm
   * raised while its equipment carries an injected fault stays simulated until it returns to
   * normal. The live plant never has injected faults, so its transitions come back unchanged.
   */
  markSimulated(ts: AlarmTransition[]): AlarmTransition[] {
    let out: AlarmTransition[] | null = null;
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i];
      const sim =
        this.simulatedAlarms.has(t.alarmId) || (t.to !== 'normal' && isSimulated(this.world, t.equipmentId));
      if (!sim) continue;
      if (t.to === 'normal') this.simulatedAlarms.delete(t.alarmId);
      else this.simulatedAlarms.add(t.alarmId);
      out ??= ts.slice();
      out[i] = { ...t, simulated: true, alarm: { ...t.alarm, simulated: true } };
    }
    return out ?? ts;
  }

  /**
   * Applies an operator command to the world now (see applyCommand): an accepted one changes the
   * world at once and its plain-language event comes out of the next `advance`; a refused one
   * changes nothing.
   */
  command(cmd: SimCommand): CommandResult {
    return applyCommand(this.world, cmd);
  }

  /** Everything a newly connected client needs. */
  snapshot(): PlantSnapshot {
    return {
      protocol: PROTOCOL_VERSION,
      plant: this.layout,
      keyframe: this.frames.keyframe(this.world.tick, this.world.simTimeS),
      kpis: this.kpis,
      events: this.log.recent(),
      seq: this.log.seq,
      tick: this.world.tick,
      simTimeS: this.world.simTimeS,
      speed: this.speedX,
      tickHz: TICK_HZ,
      alarms: (this.alarms?.current() ?? []).map((a) =>
        this.simulatedAlarms.has(a.id) ? { ...a, simulated: true } : a,
      ),
      alarmSeq: this.alarms?.seq ?? 0,
      alarmTemplates: this.alarms?.templates ?? {},
    };
  }
}
