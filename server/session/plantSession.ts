import {
  type AlarmTransition,
  type KpiUpdate,
  type Layout,
  type PlantEvent,
  type PlantSnapshot,
  PROTOCOL_VERSION,
  TICK_HZ,
} from '../../protocol';
import type { AlarmBook } from '../alarms/alarmBook';
import { inMemoryAlarms } from '../alarms/setup';
import {
  applyCommand,
  type CommandResult,
  computeKpis,
  createWorld,
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
}

/** How a session is built. */
export interface SessionOptions {
  seed: number;
  speed: number;
  /** The plant's alarms; default: the default rules over an in-memory store; null: no alarms. */
  alarms?: AlarmBook | null;
  /** Wall time at start, ms since epoch (used only when `advance` is not given the time). */
  startMs?: number;
}

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
  /** The plant's alarms, or null when it runs without. */
  readonly alarms: AlarmBook | null;

  constructor(
    readonly layout: Layout,
    options: SessionOptions,
  ) {
    this.world = createWorld(layout, options.seed);
    this.alarms = options.alarms === undefined ? inMemoryAlarms(layout) : options.alarms;
    this.wallMs = options.startMs ?? 0;
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

  /** Sequence number of the newest plant event. */
  get seq(): number {
    return this.log.seq;
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
    this.accumulatorS += real * this.speedX;
    const events: PlantEvent[] = [];
    let steps = 0;
    while (this.accumulatorS >= SIM_DT_S - 1e-9) {
      this.accumulatorS -= SIM_DT_S;
      const drafts = stepWorld(this.world, SIM_DT_S);
      if (drafts.length) for (const e of this.log.append(drafts)) events.push(e);
      steps++;
    }
    this.kpiDueS += real;
    let kpis: KpiUpdate | null = null;
    if (this.kpiDueS >= KPI_INTERVAL_S) {
      this.kpiDueS -= KPI_INTERVAL_S;
      kpis = this.kpis = computeKpis(this.world);
    }
    const alarms = this.alarms
      ? this.alarms.tick(this.world.equipment, this.world.simTimeS, this.wallMs, steps > 0)
      : [];
    const frame = steps > 0 ? this.frames.delta(this.world.tick, this.world.simTimeS) : null;
    return { frame, events, kpis, steps, alarms };
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
      alarms: this.alarms?.current() ?? [],
      alarmSeq: this.alarms?.seq ?? 0,
    };
  }
}
