import type { Rng } from './rng';
import type { MotionProgram } from './robotMotions';
import { HOME_POSE } from './robotMotions';
import { ARM as ARM_SLOTS } from './slots';
import type { Lags } from './state';

// Local copies: tsx compiles imported bindings to getters, which cost in per-equipment loops.
const ARM = { ...ARM_SLOTS };

/** Hall air around the arms, °C. */
export const ARM_AMBIENT_C = 24;
/** A joint motor trips (fault) above this winding temperature, °C (class F insulation, margin). */
export const ARM_TRIP_C = 85;
/** Steady-state rise per unit of joint load, K (j2/j3 carry the arm, so they run hottest). */
const GAIN_K = [14, 26, 22, 10, 10, 8];
/** Holding load of a powered joint against gravity, as a share of a full load. */
const GRAVITY = [0, 0.55, 0.4, 0, 0.1, 0];
/** Joint speed that counts as a full load, rad/s. */
const OMEGA_REF = 2;
/** Servo current while holding still, A; and per rad/s of each joint's speed, A. */
const CURRENT_HOLD_A = 2.5;
const CURRENT_PER_RADS = [2.5, 3.2, 2.8, 1, 1, 0.6];
/** Cycle-to-cycle variation of the cycle time (±, share): part position, vacuum pick-up time. */
const CYCLE_JITTER = 0.05;

/** Live state of one robot arm (beyond its signals). */
export interface ArmRuntime {
  readonly eq: number;
  readonly program: MotionProgram;
  /** Nominal cycle time, s (props.cycleS). */
  readonly nominalCycleS: number;
  /** Line slot the arm works on, -1 if free-standing (it then always cycles). */
  line: number;
  /** Time into the current cycle, s (0 = at home, not cycling). */
  phaseS: number;
  /** Duration of the current cycle, s. */
  cycleDurS: number;
  /** Segment of the motion program in progress. */
  seg: number;
  /** Fault seeding: joint with an abnormal heat source (-1 none) and its extra rise, K. */
  heatJoint: number;
  heatExtraK: number;
  /** Filtered motor current, A. */
  current: number;
}

/** A new arm at home, its motors near their running temperature (no warm-up alarms at start). */
export function createArm(eq: number, program: MotionProgram, cycleS: number, sig: Float64Array): ArmRuntime {
  for (let k = 0; k < 6; k++) {
    sig[ARM.joint + k] = HOME_POSE[k];
    sig[ARM.jointTemp + k] = ARM_AMBIENT_C + GAIN_K[k] * (GRAVITY[k] + 0.25);
  }
  sig[ARM.cycleTime] = cycleS;
  return {
    eq,
    program,
    nominalCycleS: cycleS,
    line: -1,
    phaseS: 0,
    cycleDurS: cycleS,
    seg: 0,
    heatJoint: -1,
    heatExtraK: 0,
    current: 0,
  };
}

const _omega = new Float64Array(6);

/**
 * Advances one arm by dt (s). `run`: the arm may start a new cycle (its line runs, material is
 * there); a cycle in progress is finished even when run is false. `powered` false (fault): the
 * arm freezes with brakes on. Returns true when a cycle completed in this step.
 */
export function stepArm(
  arm: ArmRuntime,
  sig: Float64Array,
  dt: number,
  run: boolean,
  powered: boolean,
  rng: Rng,
  lags: Lags,
): boolean {
  let completed = false;
  _omega.fill(0);
  if (powered && (run || arm.phaseS > 0)) {
    arm.phaseS += dt;
    if (arm.phaseS >= arm.cycleDurS) {
      completed = true;
      sig[ARM.cycles] += 1;
      sig[ARM.cycleTime] = arm.cycleDurS;
      arm.phaseS = run ? arm.phaseS - arm.cycleDurS : 0;
      arm.cycleDurS = arm.nominalCycleS * (1 + CYCLE_JITTER * (2 * rng.next() - 1));
      arm.seg = 0;
    }
    pose(arm, sig);
  }
  let effort = 0;
  for (let k = 0; k < 6; k++) {
    const w = Math.abs(_omega[k]);
    effort += CURRENT_PER_RADS[k] * w;
    const load = powered ? w / OMEGA_REF + GRAVITY[k] : 0;
    const target = ARM_AMBIENT_C + GAIN_K[k] * load + (k === arm.heatJoint ? arm.heatExtraK : 0);
    const t = ARM.jointTemp + k;
    sig[t] += (target - sig[t]) * lags.armTemp;
  }
  const currentTarget = powered ? CURRENT_HOLD_A + effort : 0;
  arm.current += (currentTarget - arm.current) * lags.armCurrent;
  sig[ARM.current] = arm.current;
  // Gearbox vibration, mm/s RMS: follows the motor current (ISO 10816-3 zone A/B when healthy); a
  // dragging brake on a heating joint adds ~1.8 mm/s, so zone C shows before the thermal trip.
  const drag = arm.heatJoint >= 0 ? 1.8 : 0;
  sig[ARM.vibration] = powered ? 0.45 + 0.04 * arm.current + drag : 0.1;
  return completed;
}

/** Writes the eased joint angles at the current phase, and their speeds into _omega (rad/s). */
function pose(arm: ArmRuntime, sig: Float64Array): void {
  const { poses, ends, count } = arm.program;
  const f = arm.phaseS / arm.cycleDurS;
  while (arm.seg < count - 1 && f > ends[arm.seg]) arm.seg++;
  const k = arm.seg;
  const start = k === 0 ? 0 : ends[k - 1];
  const span = ends[k] - start;
  const u = span > 0 ? Math.min(1, Math.max(0, (f - start) / span)) : 1;
  // Smoothstep easing: zero speed at each keyframe, as a point-to-point robot move.
  const e = u * u * (3 - 2 * u);
  const de = span > 0 ? (6 * u * (1 - u)) / (span * arm.cycleDurS) : 0;
  const from = (k === 0 ? count - 1 : k - 1) * 6;
  const to = k * 6;
  for (let j = 0; j < 6; j++) {
    const d = poses[to + j] - poses[from + j];
    sig[ARM.joint + j] = poses[from + j] + d * e;
    _omega[j] = d * de;
  }
}
