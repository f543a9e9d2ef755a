import { STATE_CODE as STATE_CODES } from '../../protocol';
import { DOCK as DOCK_SLOTS, DRONE as DRONE_SLOTS, TX as TX_SLOTS } from './slots';
import { emit, type SimWorld } from './state';

// Local copies: tsx compiles imported bindings to getters, which cost in per-equipment loops.
const DOCK = { ...DOCK_SLOTS };
const DRONE = { ...DRONE_SLOTS };
const TX = { ...TX_SLOTS };
const STATE_CODE = { ...STATE_CODES };

/** Flight phases. */
export const DRONE_MODE = { docked: 0, takeoff: 1, patrol: 2, returning: 3, landing: 4 } as const;

/** Flight envelope per environment: acceleration m/s², climb m/s, yaw rate rad/s, hover rpm, drain %/s, rest s. */
const INDOOR = { accel: 0.8, climb: 0.8, yawRate: 1.0, hoverRpm: 6200, drain: 0.2, rest: 90 };
const OUTDOOR = { accel: 2.5, climb: 2.5, yawRate: 1.5, hoverRpm: 4800, drain: 0.28, rest: 150 };
/** Pad charging rate, %/s, and charger power, kW. */
const CHARGE_RATE = 0.5;
const CHARGER_KW = 0.6;
/** Return to the pad below this battery, %; launch again at or above READY, %. */
const RETURN_BELOW = 25;
const READY = 95;
/** Hover time over an inspected transformer, s (radiometric IR capture). */
const DWELL_S = 8;
/** A transformer within this horizontal distance is under the drone, m. */
const OVER_TX_M = 5;

/** Live state of one drone and its patrol route. */
export interface DroneRuntime {
  readonly eq: number;
  /** Pad (charging-dock) equipment index and its position [x, y, z], m. */
  readonly padEq: number;
  readonly pad: Float64Array;
  /** Route waypoints, 3 per point (x, y, z), m; and per waypoint 1 = hover there. */
  readonly waypoints: Float64Array;
  readonly dwell: Uint8Array;
  readonly indoor: boolean;
  /** Cruise speed, m/s. */
  readonly cruise: number;
  /** Transformers near the route (equipment indices), for the IR reading. */
  readonly nearTx: Int32Array;
  /** Racks along the route, for the scan report. */
  readonly racksOnRoute: number;
  mode: number;
  /** Next waypoint. */
  wp: number;
  speed: number;
  dwellS: number;
  restS: number;
  /** Hottest surface seen this patrol, °C, and where (equipment index, -1 none). */
  peakC: number;
  peakEq: number;
  /** Previous altitude, m (for the climb rate). */
  prevY: number;
}

/** Advances every drone. */
export function stepDrones(w: SimWorld, dt: number): void {
  for (const d of w.drones) stepDrone(w, d, dt);
}

function stepDrone(w: SimWorld, d: DroneRuntime, dt: number): void {
  const eq = w.equipment[d.eq];
  const sig = eq.signals;
  const pose = eq.pose!;
  const env = d.indoor ? INDOOR : OUTDOOR;
  const padSig = w.equipment[d.padEq].signals;
  let battery = sig[DRONE.battery];
  if (d.mode === DRONE_MODE.docked) {
    d.restS -= dt;
    const charging = battery < 100;
    if (charging) battery = Math.min(100, battery + CHARGE_RATE * dt);
    padSig[DOCK.power] = charging ? CHARGER_KW : 0;
    padSig[DOCK.occupied] = 1;
    w.equipment[d.padEq].state = charging ? STATE_CODE.running : STATE_CODE.idle;
    if (battery >= READY && d.restS <= 0 && d.waypoints.length >= 6 && !w.faulted[d.eq]) launchDrone(w, d);
  } else {
    battery = Math.max(0, battery - (env.drain + 0.01 * d.speed) * dt);
    fly(w, d, pose, dt, env);
    if (d.mode === DRONE_MODE.patrol && battery < RETURN_BELOW) {
      d.mode = DRONE_MODE.returning;
      emit(w, 'state', 'warning', d.eq, 'event.drone.batteryLow', {
        equipment: eq.id,
        pct: Math.round(battery),
      });
    }
  }
  sig[DRONE.battery] = battery;
  sig[DRONE.speed] = d.mode === DRONE_MODE.docked ? 0 : d.speed;
  sig[DRONE.altitude] = pose[1];
  const climb = Math.abs(pose[1] - d.prevY) / dt;
  d.prevY = pose[1];
  const rpm = d.mode === DRONE_MODE.docked ? 0 : env.hoverRpm + 90 * d.speed + 500 * climb;
  sig[DRONE.rotorRpm] += (rpm - sig[DRONE.rotorRpm]) * Math.min(1, 4 * w.lags.sensor);
  sig[DRONE.surfaceTemp] += (surfaceTemp(w, d, pose) - sig[DRONE.surfaceTemp]) * w.lags.sensor;
  if (d.mode !== DRONE_MODE.docked && d.peakC < sig[DRONE.surfaceTemp] && d.nearTx.length) {
    d.peakC = sig[DRONE.surfaceTemp];
    d.peakEq = txUnder(w, d, pose);
  }
  eq.state = w.faulted[d.eq]
    ? STATE_CODE.fault
    : d.mode === DRONE_MODE.docked
      ? STATE_CODE.idle
      : STATE_CODE.running;
}

/** Takes off from the pad on the patrol route (automatic when charged and rested, or by command). */
export function launchDrone(w: SimWorld, d: DroneRuntime): void {
  const padSig = w.equipment[d.padEq].signals;
  d.mode = DRONE_MODE.takeoff;
  d.wp = 0;
  d.peakC = -100;
  d.peakEq = -1;
  padSig[DOCK.power] = 0;
  padSig[DOCK.occupied] = 0;
  w.equipment[d.padEq].state = STATE_CODE.idle;
  const code = d.indoor ? 'event.drone.launchedIndoor' : 'event.drone.launchedOutdoor';
  emit(w, 'info', 'info', d.eq, code, { equipment: w.equipment[d.eq].id });
}

/** One step of flight in the current phase. */
function fly(w: SimWorld, d: DroneRuntime, pose: Float64Array, dt: number, env: typeof INDOOR): void {
  const wp = d.waypoints;
  if (d.mode === DRONE_MODE.takeoff) {
    d.speed = 0;
    pose[1] = Math.min(wp[1], pose[1] + env.climb * dt);
    if (pose[1] >= wp[1]) d.mode = DRONE_MODE.patrol;
    return;
  }
  if (d.mode === DRONE_MODE.landing) {
    d.speed = 0;
    pose[1] = Math.max(d.pad[1], pose[1] - env.climb * 0.6 * dt);
    if (pose[1] <= d.pad[1]) land(w, d, env);
    return;
  }
  if (d.dwellS > 0) {
    d.dwellS -= dt;
    d.speed = 0;
    return;
  }
  const returning = d.mode === DRONE_MODE.returning;
  const k = d.wp * 3;
  const tx = returning ? d.pad[0] : wp[k];
  const ty = returning ? pose[1] : wp[k + 1];
  const tz = returning ? d.pad[2] : wp[k + 2];
  const dx = tx - pose[0];
  const dy = ty - pose[1];
  const dz = tz - pose[2];
  const dist = Math.sqrt(dx * dx + dy * dy + dz * dz);
  const last = returning || d.wp === wp.length / 3 - 1;
  const pass = last || d.dwell[d.wp] ? 0 : d.cruise * 0.5;
  const vt = Math.min(d.cruise, Math.sqrt(pass * pass + 2 * env.accel * dist));
  d.speed =
    d.speed < vt ? Math.min(vt, d.speed + env.accel * dt) : Math.max(vt, d.speed - 2 * env.accel * dt);
  const stepM = Math.max(d.speed, 0.05) * dt;
  if (stepM >= dist) {
    pose[0] = tx;
    pose[1] = ty;
    pose[2] = tz;
    if (returning) d.mode = DRONE_MODE.landing;
    else {
      if (d.dwell[d.wp]) d.dwellS = DWELL_S;
      d.wp++;
      if (d.wp * 3 >= wp.length) d.mode = DRONE_MODE.returning;
    }
  } else {
    pose[0] += (dx / dist) * stepM;
    pose[1] += (dy / dist) * stepM;
    pose[2] += (dz / dist) * stepM;
  }
  if (dx * dx + dz * dz > 0.04) {
    const heading = Math.atan2(-dz, dx);
    let err = heading - pose[3];
    err = Math.atan2(Math.sin(err), Math.cos(err));
    const s = env.yawRate * dt;
    const next = pose[3] + Math.max(-s, Math.min(s, err));
    pose[3] = Math.atan2(Math.sin(next), Math.cos(next));
  }
}

function land(w: SimWorld, d: DroneRuntime, env: typeof INDOOR): void {
  d.mode = DRONE_MODE.docked;
  d.restS = env.rest;
  d.speed = 0;
  const eqs = w.equipment;
  const sig = eqs[d.eq].signals;
  const pct = Math.round(sig[DRONE.battery]);
  const pad = eqs[d.padEq].id;
  const p = { equipment: eqs[d.eq].id, pad, pct };
  if (d.indoor) emit(w, 'info', 'info', d.eq, 'event.drone.landedScan', { ...p, racks: d.racksOnRoute });
  else if (d.peakEq >= 0)
    emit(w, 'info', 'info', d.eq, 'event.drone.landedPatrolHottest', {
      ...p,
      hottest: eqs[d.peakEq].id,
      celsius: d.peakC.toFixed(1),
    });
  else emit(w, 'info', 'info', d.eq, 'event.drone.landedPatrol', p);
}

/** Transformer under the drone (equipment index) or -1. */
function txUnder(w: SimWorld, d: DroneRuntime, pose: Float64Array): number {
  for (let i = 0; i < d.nearTx.length; i++) {
    const p = w.layout.equipment[d.nearTx[i]].position;
    const dx = p[0] - pose[0];
    const dz = p[2] - pose[2];
    if (dx * dx + dz * dz < OVER_TX_M * OVER_TX_M) return d.nearTx[i];
  }
  return -1;
}

/** IR max surface temperature in view, °C: a transformer tank below, else floor or ground. */
function surfaceTemp(w: SimWorld, d: DroneRuntime, pose: Float64Array): number {
  if (d.indoor) return 23 + 0.5 * Math.sin(pose[0] * 0.3 + pose[2] * 0.2);
  const tx = d.mode === DRONE_MODE.docked ? -1 : txUnder(w, d, pose);
  // Tank top and bushings read a few kelvin above top-oil temperature.
  if (tx >= 0) return w.equipment[tx].signals[TX.oilTemp] + 4;
  return 24;
}
