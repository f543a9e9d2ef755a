import {
  type AlarmTransition,
  type KpiUpdate,
  type LateValue,
  type Layout,
  type PlantEvent,
  type PlantSnapshot,
  PROTOCOL_VERSION,
  TICK_HZ,
} from '../../protocol';
import type { Scenario } from '../../protocol/scenario';
import type { AlarmBook } from '../alarms/alarmBook';
import { inMemoryAlarms } from '../alarms/setup';
import type { DeviceCommand, DeviceCommandResult } from '../ingest/adapter';
import type { CommandRoute } from '../ingest/deviceCommands';
import { planCommand, type RoutedResult, runDevicePlan } from '../ingest/deviceCommandsRoute';
import { type AppliedStep, applyDueSteps } from '../scenarios/applySteps';
import {
  applyCommand,
  type CommandResult,
  computeKpis,
  createWorld,
  isSimulated,
  type PlantEventDraft,
  type SimCommand,
  stepWorld,
} from '../sim';
import { refused } from '../sim/commandTypes';
import { SIM_DT_S, type World } from '../sim/types';
import { EventLog } from './eventLog';
import { FrameBuilder } from './frameBuilder';

/** KPIs are computed every this many simulation steps: every 1 s of simulation time. */
export const KPI_EVERY_STEPS = Math.round(1 / SIM_DT_S);
/** After a hitch the loop catches up at most this much real time; the rest is dropped. */
const MAX_BACKLOG_REAL_S = 0.25;
/**
 * A tick may take its step this much real time early (s); the time is paid back from the next
 * tick's share, so steps never drift from real time. Timers fire a little early or late (Node
 * rounds a delay to whole ms): without this slack a tick of 99.4 ms took no step and the next one
 * two, so a frame went missing and telemetry waited 200 ms instead of 100 several times a minute.
 */
const STEP_EARLY_S = 0.02;
/** Least real time between two KPI updates on the wire, s (HUD rate, whatever the speed). */
const KPI_WIRE_INTERVAL_S = 1;

/** What one tick produced, for the transport to broadcast. */
export interface TickOutput {
  /** Delta telemetry frame, or null when nothing changed. */
  frame: ArrayBuffer | null;
  events: PlantEvent[];
  /**
   * The latest KPIs computed this tick (they are computed every KPI_EVERY_STEPS steps of
   * simulation time, so their content does not depend on how steps were grouped), or null.
   */
  kpis: KpiUpdate | null;
  /**
   * The KPIs to send to clients now: the newest computed, at most about once a real second
   * (KPI_WIRE_INTERVAL_S), so the HUD redraws at human rate also at 50x. Pacing only; what is
   * recorded and scored is `kpis`.
   */
  wireKpis: KpiUpdate | null;
  /** Simulation steps taken this tick. */
  steps: number;
  /** Alarm transitions of this tick (evaluated after every step), already persisted, in sequence order. */
  alarms: AlarmTransition[];
  /** Sim time of the step that made each transition in `alarms`, s (same order and length). */
  alarmSimS: number[];
  /**
   * Where each step's items end, three numbers per step: the lengths of `events`,
   * `scenarioSteps` and `alarms` after it (see tickLog for the order of one tick's items).
   */
  stepMarks: number[];
  /** Scenario timeline steps applied this tick, in order (sessions built with a scenario). */
  scenarioSteps?: AppliedStep[];
  /** Historical and late values of real equipment received before this tick (recorded, never drawn). */
  late?: LateValue[];
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
  /**
   * Called after every simulation step, once its scenario steps were applied and its alarms
   * evaluated (a training session samples lines).
   */
  onSimStep?: (world: World) => void;
  /**
   * Wall time follows the simulation: `simClockOriginMs + simTimeS × 1000` (a training session:
   * alarm timestamps, acknowledgements and shelve expiry move with sim time, and pause with it, so
   * a run is reproducible). Without it the loop's wall time is used.
   */
  simClockOriginMs?: number;
  /**
   * Carry on another plant's event log (the live plant rebuilt on a published layout): numbering
   * continues after `seq`, and `recent` stays in snapshots.
   */
  events?: { seq: number; recent: readonly PlantEvent[] };
}

/**
 * Something that owns part of the world's equipment (ingest of a real plant): it applies what
 * arrived before a tick's steps, and after every step puts its equipment back and drops the
 * simulation's events about it.
 */
export interface StepOverlay {
  /** Before the tick's steps, with the loop's wall time (ms since epoch). */
  beforeTick?(nowMs: number): void;
  /** After each step, before alarms: restore owned equipment; returns the events to keep. */
  afterStep(world: World, drafts: PlantEventDraft[]): PlantEventDraft[];
  /**
   * Values of real equipment that arrived during `beforeTick` but must not reach the scene
   * (historical, or older than the one shown): they go to the recording with this tick.
   */
  takeLate?(): LateValue[];
  /** Whether operator commands to this equipment must be refused (the simulation does not run it). */
  owns(equipmentId: string): boolean;
  /** How a command to this equipment index is carried out; without it owned equipment is read-only. */
  commandRoute?(eq: number): CommandRoute;
  /** Sends an operator command to real equipment whose route is 'device'; never rejects. */
  command?(cmd: DeviceCommand): Promise<DeviceCommandResult>;
}

const NO_STEPS: readonly AppliedStep[] = Object.freeze([]);
/** Two sim times this close are the same moment, s (the clock sums 0.1 s steps). */
const STOP_EPS_S = 1e-6;

/**
 * One running plant: its world, its time scale and the bookkeeping between the simulation and the
 * wire (sequence numbers, what was sent). It reads no clock: the loop hands it the real time that
 * passed, which it turns into fixed simulation steps.
 */
export class PlantSession {
  readonly world: World;
  private readonly frames: FrameBuilder;
  private readonly log: EventLog;
  private accumulatorS = 0;
  /** The KPIs clients were last sent (a snapshot carries these, so every client agrees). */
  private kpis: KpiUpdate;
  /** KPIs computed but not yet sent, and real time since KPIs were last sent (s). */
  private kpisUnsent: KpiUpdate | null = null;
  private sinceKpisSentS = KPI_WIRE_INTERVAL_S;
  /** `advance` takes no step past this sim time, s (see `stopAtS`). */
  private stopS = Number.POSITIVE_INFINITY;
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
  /** Equipment fed from outside the simulation (set once by ingest before the loop starts). */
  overlay: StepOverlay | null = null;
  /** Scenario steps due at time 0, applied when the session was built. */
  readonly initialSteps: readonly AppliedStep[];

  constructor(
    readonly layout: Layout,
    options: SessionOptions,
  ) {
    this.scenario = options.scenario;
    this.onSimStep = options.onSimStep;
    this.pausedFlag = options.paused ?? false;
    this.log = new EventLog(options.events);
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
   * Sim time `advance` stops at, s (default: never): the steps that would pass it are not taken
   * and the accumulated time is dropped (a training session ends exactly at its duration,
   * whatever the speed). `step` is not bound by it.
   */
  get stopAtS(): number {
    return this.stopS;
  }

  set stopAtS(s: number) {
    this.stopS = s;
  }

  /**
   * Advances by `realElapsedS` of wall time: steps the simulation in fixed steps of SIM_DT_S
   * scaled by the speed (the remainder carries over). After every step it applies the scenario
   * steps due and evaluates the alarms (persisting their transitions) at that step's sim time;
   * every KPI_EVERY_STEPS steps it computes the KPIs. So what happens depends on simulation time
   * only, never on how many steps one tick groups. Then it builds the delta frame. `nowMs` is the
   * wall time the loop read (ms since epoch), a stamp for alarm transitions and the clock of
   * shelve expiry; without it the session counts on from the last. Sessions with
   * `simClockOriginMs` stamp each step with the wall time derived from its sim time instead.
   */
  advance(realElapsedS: number, nowMs?: number): TickOutput {
    const real = Math.min(Math.max(realElapsedS, 0), MAX_BACKLOG_REAL_S);
    this.wallMs = nowMs ?? this.wallMs + Math.max(realElapsedS, 0) * 1000;
    this.overlay?.beforeTick?.(this.wallMs);
    const late = this.overlay?.takeLate?.();
    if (!this.pausedFlag) this.accumulatorS += real * this.speedX;
    let n = 0;
    while (this.accumulatorS >= SIM_DT_S - STEP_EARLY_S) {
      this.accumulatorS -= SIM_DT_S;
      n++;
    }
    n = this.stepsBeforeStop(n);
    const out = this.emptyOutput();
    for (let i = 1; i <= n; i++) this.simStep(out, n - i);
    if (n === 0) this.evaluateIdle(out);
    if (late?.length) out.late = late;
    this.paceKpis(out, real);
    return this.finish(out);
  }

  /**
   * Takes exactly one simulation step of SIM_DT_S now, paused or not (a trainer's single step),
   * exactly as `advance` takes each of its steps. `nowMs` as for `advance`.
   */
  step(nowMs?: number): TickOutput {
    this.wallMs = nowMs ?? this.wallMs;
    const out = this.emptyOutput();
    this.simStep(out, 0);
    // A trainer's single step shows its KPIs at once (it is a human-rate action already).
    this.paceKpis(out, KPI_WIRE_INTERVAL_S);
    return this.finish(out);
  }

  /** How many of `planned` steps fit before `stopAtS` (the sum as stepWorld adds it, so exact). */
  private stepsBeforeStop(planned: number): number {
    if (this.stopS === Number.POSITIVE_INFINITY) return planned;
    let t = this.world.simTimeS;
    let n = 0;
    while (n < planned && t < this.stopS - STOP_EPS_S) {
      t += SIM_DT_S;
      n++;
    }
    if (n < planned) this.accumulatorS = 0;
    return n;
  }

  private emptyOutput(): TickOutput {
    return {
      frame: null,
      events: [],
      kpis: null,
      wireKpis: null,
      steps: 0,
      alarms: [],
      alarmSimS: [],
      stepMarks: [],
    };
  }

  /** Holds the newest KPIs back until KPI_WIRE_INTERVAL_S of real time passed since the last sent. */
  private paceKpis(out: TickOutput, realS: number): void {
    if (out.kpis) this.kpisUnsent = out.kpis;
    this.sinceKpisSentS += realS;
    if (!this.kpisUnsent || this.sinceKpisSentS < KPI_WIRE_INTERVAL_S - 1e-9) return;
    out.wireKpis = this.kpis = this.kpisUnsent;
    this.kpisUnsent = null;
    this.sinceKpisSentS = 0;
  }

  /**
   * One fixed simulation step, then the scenario steps it made due, the alarms at its sim time and
   * the KPIs at a cadence point. `stepsLeft`: steps still to come this tick; KPIs of a cadence
   * point that a later one of the same tick supersedes are not computed (only the latest is sent).
   */
  private simStep(out: TickOutput, stepsLeft: number): void {
    const w = this.world;
    const fromS = w.simTimeS;
    const stepped = stepWorld(w, SIM_DT_S);
    const drafts = this.overlay ? this.overlay.afterStep(w, stepped) : stepped;
    if (drafts.length) for (const e of this.log.append(drafts)) out.events.push(e);
    const due = this.scenario ? applyDueSteps(w, this.scenario, fromS, w.simTimeS) : NO_STEPS;
    if (due.length) {
      out.scenarioSteps ??= [];
      for (const a of due) out.scenarioSteps.push(a);
    }
    if (this.simClockOriginMs !== undefined)
      this.wallMs = this.simClockOriginMs + Math.round(w.simTimeS * 1000);
    if (this.alarms) {
      const raw = this.alarms.tick(w.equipment, w.simTimeS, this.wallMs, true);
      if (raw.length)
        for (const t of this.markSimulated(raw)) {
          out.alarms.push(t);
          out.alarmSimS.push(w.simTimeS);
        }
    }
    if (w.tick % KPI_EVERY_STEPS === 0 && stepsLeft < KPI_EVERY_STEPS) out.kpis = computeKpis(w);
    out.steps++;
    out.stepMarks.push(out.events.length, out.scenarioSteps?.length ?? 0, out.alarms.length);
    this.onSimStep?.(w);
  }

  /** A tick without a step: only what runs on wall time (shelve expiry) can change. */
  private evaluateIdle(out: TickOutput): void {
    if (!this.alarms) return;
    const raw = this.alarms.tick(this.world.equipment, this.world.simTimeS, this.wallMs, false);
    for (const t of raw.length ? this.markSimulated(raw) : raw) {
      out.alarms.push(t);
      out.alarmSimS.push(this.world.simTimeS);
    }
  }

  private finish(out: TickOutput): TickOutput {
    if (out.steps > 0) out.frame = this.frames.delta(this.world.tick, this.world.simTimeS);
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
    const plan = planCommand(this.world, this.overlay, cmd?.equipmentId);
    if (plan.to === 'refused') return plan.result;
    // Real equipment is commanded through commandDevice only; here it is as read-only as ever.
    if (plan.to === 'device' && plan.line === null)
      return refused('CONFLICT', 'cmd.refused.readOnlySource', { equipment: String(cmd.equipmentId) });
    return applyCommand(this.world, cmd);
  }

  /**
   * Whether a command to this equipment or line goes to real equipment (`commandDevice`) rather
   * than to `command`: it, or a machine of the line, is fed by a source that takes commands, and
   * none of the line is read-only.
   */
  goesToDevice(equipmentId: string): boolean {
    return planCommand(this.world, this.overlay, equipmentId).to === 'device';
  }

  /**
   * Carries out a command to real equipment: the simulated machines of a line now (as `command`),
   * the devices through the overlay; settles with what the devices did (`confirmed`), or the
   * refusal. Anything that does not go to a device is answered as `command` answers it.
   */
  commandDevice(cmd: SimCommand, commandId: string): Promise<RoutedResult> {
    const overlay = this.overlay;
    const plan = planCommand(this.world, overlay, cmd?.equipmentId);
    if (plan.to !== 'device' || !overlay) return Promise.resolve(this.command(cmd));
    return runDevicePlan(this.world, overlay, plan, cmd, commandId, () => applyCommand(this.world, cmd));
  }

  /**
   * Numbers and logs events that happened outside a simulation step (the live plant announcing
   * its new layout); returns them for broadcasting. Snapshots carry them from now on.
   */
  announce(drafts: readonly PlantEventDraft[]): PlantEvent[] {
    return this.log.append(drafts);
  }

  /** Recent events, oldest first (a copy), and the newest's sequence number. */
  events(): { seq: number; recent: PlantEvent[] } {
    return { seq: this.log.seq, recent: this.log.recent() };
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
