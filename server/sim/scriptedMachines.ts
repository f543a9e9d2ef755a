import { STATE_CODE as STATE_CODES } from '../../protocol';
import type { ScenarioFault } from '../../protocol/scenario';
import { type ActiveFault, endFault, type ResetNote } from './faults';
import { ARM_TRIP_C } from './robotArm';
import { applyRejects, lineMachines } from './scenarioParams';
import {
  done,
  emitSimulated,
  notDone,
  type ScenarioActionResult,
  type ScriptedFault,
  type ScriptedState,
  track,
} from './scriptedFaults';
import { ARM as ARM_SLOTS, CONV as CONV_SLOTS, TX as TX_SLOTS } from './slots';
import { HELD, type SimWorld } from './state';

// Local copies: tsx compiles imported bindings to getters, which cost in per-equipment loops.
const ARM = { ...ARM_SLOTS };
const CONV = { ...CONV_SLOTS };
const TX = { ...TX_SLOTS };
const STATE_CODE = { ...STATE_CODES };

/**
 * Scripted faults of fixed machines: a robot joint heating at a ramp, a worn bearing, a conveyor
 * jam, a power dip on a line, a defocused camera, a transformer losing its cooling. Each has an
 * inject (checks, then changes the world), a step (after the plant's step) and, where the plant
 * must be put back, an end (scenario clear).
 */

/** Vibration a bearing adds at failure above the healthy level, mm/s RMS (well into ISO 10816-3 zone D). */
export const BEARING_EXCESS_AT_FAILURE_MM_S = 6;

type Of<K extends ScriptedFault['kind']> = Extract<ScriptedFault, { kind: K }>;
type FaultOf<K extends ScenarioFault['kind']> = Extract<ScenarioFault, { kind: K }>;

/** Marks a machine stopped by a scripted fault, through the plant's own fault bookkeeping. */
function stopMachine(
  w: SimWorld,
  eq: number,
  kind: 'overheat' | 'bearing' | 'jam' | 'power-dip',
  readyAtS = Number.POSITIVE_INFINITY,
  reset?: { fromS: number; note: ResetNote },
): void {
  w.faulted[eq] = 1;
  const a: ActiveFault = { eq, kind, readyAtS, simulated: true };
  if (reset) {
    a.resetFromS = reset.fromS;
    a.resetNote = reset.note;
  }
  w.faults.active.push(a);
}

/** A joint motor heating at a steady ramp while its servo is powered (a dragging brake, a failing fan). */
export function injectOverheat(
  w: SimWorld,
  s: ScriptedState,
  eq: number,
  f: FaultOf<'joint-overheat'>,
): ScenarioActionResult {
  const slot = w.armOf[eq];
  if (slot < 0) return notDone('scenario.refused.notRobotArm', { equipment: f.equipment });
  if (w.faulted[eq] || w.maint[eq])
    return notDone('scenario.refused.stoppedOrMaintenance', { equipment: f.equipment });
  const arm = w.arms[slot];
  if (arm.heatJoint >= 0) return notDone('scenario.refused.alreadyOverheating', { equipment: f.equipment });
  const joint = f.joint - 1;
  track(s, {
    kind: 'joint-overheat',
    target: f.equipment,
    eq,
    sinceS: w.simTimeS,
    phase: 'active',
    arm,
    joint,
    ratePerS: f.rateKPerMin / 60,
    extraK: 0,
  });
  return done('scenario.overheatStarted', {
    equipment: f.equipment,
    joint: f.joint,
    rate: f.rateKPerMin,
    limit: ARM_TRIP_C,
  });
}

/**
 * The ramp on top of the plant's thermal model: the model lags every step toward its target and
 * would pull an added offset back by `extra × lag`, so that is given back too, and the reading is
 * exactly model + extraK. Unpowered, the extra heat decays with the winding. Trips at ARM_TRIP_C.
 */
export function stepOverheat(w: SimWorld, f: Of<'joint-overheat'>, dt: number): void {
  if (f.phase === 'tripped') return;
  const eq = f.eq;
  const sig = w.equipment[eq].signals;
  const lag = w.lags.armTemp;
  const powered = w.faulted[eq] === 0 && w.maint[eq] === 0 && w.held[eq] === HELD.none;
  if (!powered) {
    f.extraK *= 1 - lag;
    return;
  }
  const before = f.extraK;
  f.extraK += f.ratePerS * dt;
  const t = ARM.jointTemp + f.joint;
  sig[t] += f.extraK - before + before * lag;
  if (sig[t] < ARM_TRIP_C) return;
  // Tripped: the plant's overheat bookkeeping takes over (reset allowed once cooled below 60 °C).
  f.phase = 'tripped';
  f.arm.heatJoint = f.joint;
  f.arm.heatExtraK = 0;
  stopMachine(w, eq, 'overheat');
  emitSimulated(w, 'fault', 'fault', eq, 'event.fault.overheat', {
    equipment: f.target,
    joint: f.joint + 1,
    celsius: sig[t].toFixed(1),
  });
}

/** A worn bearing on a robot arm's gearbox or a conveyor's drive. */
export function injectBearing(
  w: SimWorld,
  s: ScriptedState,
  eq: number,
  f: FaultOf<'bearing-wear'>,
): ScenarioActionResult {
  const kind = w.equipment[eq].kind;
  if (kind !== 'robot-arm' && kind !== 'conveyor')
    return notDone('scenario.refused.notArmOrConveyor', { equipment: f.equipment });
  let conv = null;
  if (kind === 'conveyor') {
    for (const l of w.lines) conv ??= l.conveyors.find((c) => c.eq === eq) ?? null;
    conv ??= w.looseConveyors.find((c) => c.eq === eq) ?? null;
  }
  track(s, {
    kind: 'bearing-wear',
    target: f.equipment,
    eq,
    sinceS: w.simTimeS,
    phase: 'active',
    conv,
    failAfterS: f.failAfterS,
    runS: 0,
  });
  return done('scenario.bearingWearing', { equipment: f.equipment, seconds: f.failAfterS });
}

/**
 * Wear grows only while the machine runs; the vibration it adds grows with the square of the wear
 * (spalls spread faster as they grow), so a machine passes zone C (2.8 mm/s) about halfway to
 * failure and zone D (4.5 mm/s) at about three quarters. At failure the machine stops and needs a
 * new bearing (scenario clear); an operator reset is refused.
 */
export function stepBearing(w: SimWorld, f: Of<'bearing-wear'>, dt: number): void {
  if (f.phase === 'tripped') return;
  const e = w.equipment[f.eq];
  if (e.state !== STATE_CODE.running) return;
  f.runS += dt;
  const wear = f.runS / f.failAfterS;
  const slot = f.conv ? CONV.vibration : ARM.vibration;
  // A belt's vibration scales with its speed (it ramps after a start).
  const share = f.conv ? Math.min(1, f.conv.speed / Math.max(1e-6, f.conv.nominal)) : 1;
  e.signals[slot] += BEARING_EXCESS_AT_FAILURE_MM_S * wear * wear * share;
  if (wear < 1) return;
  f.phase = 'tripped';
  const note: ResetNote = 'cmd.refused.resetBearingFailed';
  stopMachine(w, f.eq, 'bearing', Number.POSITIVE_INFINITY, { fromS: Number.POSITIVE_INFINITY, note });
  const code = f.conv ? 'event.scripted.driveBearingFailed' : 'event.scripted.gearboxBearingFailed';
  emitSimulated(w, 'fault', 'fault', f.eq, code, {
    equipment: f.target,
    vibration: e.signals[slot].toFixed(1),
  });
}

/** A conveyor jam: the belt stops at once and stays stopped until reset. */
export function injectJam(
  w: SimWorld,
  s: ScriptedState,
  eq: number,
  f: FaultOf<'conveyor-jam'>,
): ScenarioActionResult {
  if (w.equipment[eq].kind !== 'conveyor')
    return notDone('scenario.refused.notConveyor', { equipment: f.equipment });
  if (w.faulted[eq] || w.maint[eq])
    return notDone('scenario.refused.alreadyStoppedOrMaintenance', { equipment: f.equipment });
  stopMachine(w, eq, 'jam');
  track(s, { kind: 'conveyor-jam', target: f.equipment, eq, sinceS: w.simTimeS, phase: 'tripped' });
  emitSimulated(w, 'fault', 'fault', eq, 'event.scripted.jam', { equipment: f.equipment });
  return done('scenario.jammed', { equipment: f.equipment });
}

/**
 * A supply voltage dip: every robot arm and conveyor of the line trips at once (undervoltage) and
 * the line stops. With autoRestart the drives ride it out and restart when the voltage is back;
 * otherwise they stay tripped until an operator resets them (allowed once the dip is over).
 */
export function injectPowerDip(w: SimWorld, s: ScriptedState, f: FaultOf<'power-dip'>): ScenarioActionResult {
  const line = w.lines.find((l) => l.id === f.line);
  if (!line) return notDone('scenario.refused.unknownLine', { line: f.line });
  const members = lineMachines(w, line).filter((e) => w.faulted[e] === 0);
  if (members.length === 0) return notDone('scenario.refused.noRunningMachine', { line: f.line });
  const untilS = w.simTimeS + f.durationS;
  const note: ResetNote = 'cmd.refused.resetVoltageLow';
  const reset = { fromS: untilS, note };
  for (const e of members)
    stopMachine(w, e, 'power-dip', f.autoRestart ? untilS : Number.POSITIVE_INFINITY, reset);
  track(s, {
    kind: 'power-dip',
    target: f.line,
    eq: -1,
    sinceS: w.simTimeS,
    phase: 'tripped',
    line,
    members,
    untilS,
  });
  const code = f.autoRestart ? 'event.scripted.powerDipRestart' : 'event.scripted.powerDipTripped';
  emitSimulated(w, 'fault', 'fault', -1, code, {
    line: f.line,
    seconds: f.durationS,
    machines: members.length,
  });
  return done('scenario.powerDip', { line: f.line, seconds: f.durationS });
}

/** A scripted fault that stopped machines ends once none of them is still stopped by it. */
export function stepStopped(w: SimWorld, f: ScriptedFault): boolean {
  if (f.phase !== 'tripped') return false;
  const kind = STOP_KIND[f.kind];
  if (f.kind === 'power-dip') {
    for (const e of f.members) if (hasFault(w, e, 'power-dip')) return false;
    return true;
  }
  return kind !== undefined && !hasFault(w, f.eq, kind);
}

const STOP_KIND: Partial<Record<ScriptedFault['kind'], 'overheat' | 'bearing' | 'jam' | 'breakdown'>> = {
  'joint-overheat': 'overheat',
  'bearing-wear': 'bearing',
  'conveyor-jam': 'jam',
  'agv-breakdown': 'breakdown',
};

function hasFault(w: SimWorld, eq: number, kind: string): boolean {
  const list = w.faults.active;
  for (let i = 0; i < list.length; i++) if (list[i].eq === eq && list[i].kind === kind) return true;
  return false;
}

/** Ends the stop a scripted fault caused (scenario clear), with the plant's recovery events. */
export function endStopped(w: SimWorld, f: ScriptedFault): void {
  if (f.kind === 'power-dip') {
    for (const e of f.members) endFault(w, e, 'power-dip');
    return;
  }
  const kind = STOP_KIND[f.kind];
  if (kind && f.phase === 'tripped') endFault(w, f.eq, kind);
}

/** A camera drifting out of focus: the focus score drops and good units are rejected. */
export function injectDefocus(
  w: SimWorld,
  s: ScriptedState,
  eq: number,
  f: FaultOf<'camera-defocus'>,
): ScenarioActionResult {
  const vision = w.lines.find((l) => l.vision?.eq === eq)?.vision;
  if (!vision) return notDone('scenario.refused.notVisionOfLine', { equipment: f.equipment });
  if (vision.defocus > 0 || w.faulted[eq])
    return notDone('scenario.refused.alreadyDefocused', { equipment: f.equipment });
  vision.defocus = f.focusPct;
  s.falseReject[eq] = f.falseRejectRate;
  applyRejects(w, s, vision);
  track(s, { kind: 'camera-defocus', target: f.equipment, eq, sinceS: w.simTimeS, phase: 'active', vision });
  return done('scenario.defocused', {
    equipment: f.equipment,
    focus: f.focusPct,
    rejects: (100 * f.falseRejectRate).toFixed(1),
  });
}

/** A recalibration (or a scenario clear) refocuses the camera: the false rejects stop. */
export function stepDefocus(w: SimWorld, s: ScriptedState, f: Of<'camera-defocus'>): boolean {
  if (f.vision.defocus > 0) return false;
  s.falseReject[f.eq] = 0;
  applyRejects(w, s, f.vision);
  return true;
}

/** Scenario clear of a defocus: lens cleaned and refocused. */
export function endDefocus(w: SimWorld, s: ScriptedState, f: Of<'camera-defocus'>): void {
  f.vision.defocus = 0;
  stepDefocus(w, s, f);
  emitSimulated(w, 'recovery', 'info', f.eq, 'event.recovery.defocus', { equipment: f.target });
}

/** A transformer whose cooling fails: top oil (and winding) rise by riseK over rampS. */
export function injectTransformer(
  w: SimWorld,
  s: ScriptedState,
  eq: number,
  f: FaultOf<'transformer-overheat'>,
): ScenarioActionResult {
  if (w.equipment[eq].kind !== 'transformer')
    return notDone('scenario.refused.notTransformer', { equipment: f.equipment });
  track(s, {
    kind: 'transformer-overheat',
    target: f.equipment,
    eq,
    sinceS: w.simTimeS,
    phase: 'active',
    riseK: f.riseK,
    ratePerS: f.riseK / f.rampS,
    extraK: 0,
  });
  return done('scenario.coolingFailing', { equipment: f.equipment, riseK: f.riseK, seconds: f.rampS });
}

/** The rise on top of the plant's oil model, lag-compensated as for a robot joint; none while offline. */
export function stepTransformer(w: SimWorld, f: Of<'transformer-overheat'>, dt: number): void {
  if (w.offline[f.eq]) return;
  const sig = w.equipment[f.eq].signals;
  const before = f.extraK;
  f.extraK = Math.min(f.riseK, f.extraK + f.ratePerS * dt);
  const delta = f.extraK - before + before * w.lags.oil;
  sig[TX.oilTemp] += delta;
  sig[TX.windingTemp] += delta;
}
