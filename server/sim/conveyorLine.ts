import { STATE_CODE as STATE_CODES } from '../../protocol';
import { CONV as CONV_SLOTS, FEEDER as FEEDER_SLOTS } from './slots';
import { emit, HELD, type SimWorld } from './state';
import { inspect, stepVision, type VisionRuntime } from './vision';

// Local copies: tsx compiles imported bindings to getters, which cost in per-equipment loops.
const CONV = { ...CONV_SLOTS };
const FEEDER = { ...FEEDER_SLOTS };
const STATE_CODE = { ...STATE_CODES };

/** Parts a full line-side feeder holds, in units of product (3 pallets of 120). */
export const FEEDER_UNITS = 360;
/** Feeder level one pallet adds, %. */
export const PALLET_PCT = 100 / 3;
/** Belt acceleration when starting or stopping, m/s² (soft-start drive). */
const BELT_ACCEL = 0.5;
/** Rolling throughput window: BUCKETS buckets of BUCKET_S seconds = 10 min. */
export const BUCKET_S = 10;
/** Number of buckets in the rolling throughput window. */
export const BUCKETS = 60;

/** Live state of one conveyor segment. */
export interface ConveyorRuntime {
  readonly eq: number;
  /** Nominal belt speed, m/s, and product spacing, m. */
  readonly nominal: number;
  readonly pitch: number;
  /** Actual belt speed, m/s (ramps). */
  speed: number;
  /** Units carried (fractional accumulator behind the counter). */
  carried: number;
}

/** Live state of one line-side feeder. */
export interface FeederRuntime {
  readonly eq: number;
  /** Path node where AGVs drop pallets (graph index), -1 if unknown. */
  readonly node: number;
  /** AGV slot bringing the next pallet, -1 none. */
  claimedBy: number;
}

/** Live state of one production line and its OEE accumulators. */
export interface LineRuntime {
  readonly id: string;
  readonly name: string;
  readonly targetPerHour: number;
  /** Equipment indices in material-flow order. */
  readonly flow: Int32Array;
  readonly feeder: FeederRuntime | null;
  readonly conveyors: ConveyorRuntime[];
  readonly vision: VisionRuntime | null;
  /** The line moves product this step. */
  running: boolean;
  /** Stopped only because the feeder ran empty (for the starved/resumed events). */
  starved: boolean;
  unitAcc: number;
  /** Seconds running / planned since start. */
  runTimeS: number;
  plannedS: number;
  /** Units leaving the line, and those passed by the vision station. */
  total: number;
  good: number;
  /** Units per BUCKET_S bucket, ring; bucketIdx is the one filling, bucketT its age (s). */
  readonly buckets: Float64Array;
  bucketIdx: number;
  bucketT: number;
  bucketsFull: number;
}

/** Advances every line: states along the flow, belts, units, feeders, inspection. */
export function stepLines(w: SimWorld, dt: number): void {
  for (const line of w.lines) stepLine(w, line, dt);
}

function stepLine(w: SimWorld, line: LineRuntime, dt: number): void {
  const { flow, feeder } = line;
  const eqs = w.equipment;
  let firstFault = -1;
  // A fault or an operator hold (stop, e-stop, recalibration) stops the flow at that machine.
  for (let i = 0; i < flow.length; i++)
    if (w.faulted[flow[i]] || w.held[flow[i]]) {
      firstFault = i;
      break;
    }
  const feederEmpty = feeder !== null && eqs[feeder.eq].signals[FEEDER.level] <= 0;
  const running = firstFault < 0 && !feederEmpty;
  if (feederEmpty && firstFault < 0 && !line.starved) {
    line.starved = true;
    emit(w, 'state', 'warning', feeder.eq, 'event.line.starved', {
      line: line.id,
      feeder: eqs[feeder.eq].id,
    });
  } else if (line.starved && !feederEmpty) {
    line.starved = false;
    emit(w, 'state', 'info', feeder ? feeder.eq : -1, 'event.line.refilled', { line: line.id });
  }
  line.running = running;
  // A serial line without buffers: a stop anywhere blocks what is upstream and starves what is downstream.
  for (let i = 0; i < flow.length; i++) {
    const e = flow[i];
    let s: number;
    const held = w.held[e];
    if (w.faulted[e] || held === HELD.estop) s = STATE_CODE.fault;
    else if (w.maint[e] || held === HELD.recalibrating) s = STATE_CODE.maintenance;
    else if (held === HELD.stopped) s = STATE_CODE.idle;
    else if (firstFault >= 0) s = i > firstFault ? STATE_CODE.starved : STATE_CODE.blocked;
    else if (feederEmpty) s = STATE_CODE.starved;
    else s = STATE_CODE.running;
    eqs[e].state = s;
  }
  let rate = Number.POSITIVE_INFINITY;
  for (const c of line.conveyors) {
    stepConveyor(w, c, running, dt);
    rate = Math.min(rate, c.speed / c.pitch);
  }
  if (line.conveyors.length === 0) rate = running ? line.targetPerHour / 3600 : 0;
  line.unitAcc += rate * dt;
  let units = 0;
  while (line.unitAcc >= 1) {
    line.unitAcc -= 1;
    units++;
    line.total++;
    if (line.vision) {
      if (inspect(line.vision, eqs[line.vision.eq].signals, w.rng)) line.good++;
    } else line.good++;
    if (feeder) {
      const sig = eqs[feeder.eq].signals;
      sig[FEEDER.level] = Math.max(0, sig[FEEDER.level] - 100 / FEEDER_UNITS);
    }
  }
  if (line.vision) {
    const v = line.vision;
    const gpu = v.mec >= 0 ? w.edgeServers[v.mec].gpuLoad : 0;
    stepVision(v, eqs[v.eq].signals, running, w.simTimeS, gpu, w.lags);
  }
  line.plannedS += dt;
  if (running) line.runTimeS += dt;
  line.buckets[line.bucketIdx] += units;
  line.bucketT += dt;
  if (line.bucketT >= BUCKET_S - 1e-9) {
    line.bucketT = 0;
    line.bucketIdx = (line.bucketIdx + 1) % BUCKETS;
    line.buckets[line.bucketIdx] = 0;
    if (line.bucketsFull < BUCKETS - 1) line.bucketsFull++;
  }
}

/** Belt speed ramp, product phase, throughput, drive current and temperature of one segment. */
export function stepConveyor(w: SimWorld, c: ConveyorRuntime, run: boolean, dt: number): void {
  const target = run ? c.nominal : 0;
  const dv = BELT_ACCEL * dt;
  c.speed = c.speed < target ? Math.min(target, c.speed + dv) : Math.max(target, c.speed - dv);
  const sig = w.equipment[c.eq].signals;
  sig[CONV.beltSpeed] = c.speed;
  sig[CONV.offset] = (sig[CONV.offset] + c.speed * dt) % c.pitch;
  sig[CONV.throughput] = (c.speed / c.pitch) * 60;
  c.carried += (c.speed * dt) / c.pitch;
  sig[CONV.carried] = Math.floor(c.carried);
  // Drive current: no-load magnetising current plus belt friction growing with speed, A.
  const current = c.speed > 0 ? 1.2 + 14 * c.speed : 0;
  sig[CONV.motorCurrent] = current;
  sig[CONV.motorTemp] += (24 + 3.2 * current - sig[CONV.motorTemp]) * w.lags.convTemp;
  // Drive vibration, mm/s RMS (ISO 10816-3 zone A/B while healthy): grows with belt speed, a
  // background level when stopped; a deterministic ripple (no RNG draw) keeps it alive.
  const t = w.simTimeS + c.eq * 1.37;
  const ripple = 0.12 * Math.sin(t * 1.9) + 0.07 * Math.sin(t * 5.3);
  sig[CONV.vibration] = c.speed > 0 ? 0.8 + 1.6 * c.speed + ripple : 0.15 + 0.3 * ripple;
}
