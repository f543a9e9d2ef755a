import { STATE_CODE as STATE_CODES } from '../../protocol';
import { type EnText, enText } from '../../protocol/textEn';
import { ARM_TRIP_C } from './robotArm';
import { ARM as ARM_SLOTS, VIS as VIS_SLOTS } from './slots';
import { emit, emitText, type SimWorld } from './state';
import type { World } from './types';

// Local copies: tsx compiles imported bindings to getters, which cost in per-equipment loops.
const ARM = { ...ARM_SLOTS };
const VIS = { ...VIS_SLOTS };
const STATE_CODE = { ...STATE_CODES };

/** Fault kinds the plant suffers by itself (drawn at random). */
export type RandomFaultKind = 'jam' | 'overheat' | 'defocus' | 'obstacle' | 'maintenance' | 'commloss';
/**
 * Every fault kind that stops equipment: the random ones, and those only a training scenario
 * injects (scriptedFaults.ts): a failed bearing, a broken-down AGV, drives tripped by a power dip.
 */
/** Why an operator may not reset a scripted fault yet (codes whose only param is `equipment`). */
export type ResetNote =
  | 'cmd.refused.resetVoltageLow'
  | 'cmd.refused.resetBearingFailed'
  | 'cmd.refused.resetBrokeDown';

export type FaultKind = RandomFaultKind | 'bearing' | 'breakdown' | 'power-dip';

/** Occurrence per item per hour (kept low: a fault every few minutes in the default plant). */
const RATE_PER_H: Record<RandomFaultKind, number> = {
  jam: 0.5,
  overheat: 0.25,
  defocus: 0.8,
  obstacle: 1, // only drawn while driving (~30 % of the time)
  maintenance: 0.1,
  commloss: 0.3, // a transformer's monitoring relay drops off the network
};
/** Repair time ranges, s. */
const REPAIR_S: Record<RandomFaultKind, readonly [number, number]> = {
  jam: [60, 150],
  overheat: [120, 240],
  defocus: [45, 120],
  obstacle: [15, 45],
  maintenance: [300, 540],
  commloss: [40, 120],
};
/** Extra steady-state rise of a joint with a dragging brake, K (trips after ~2 min). */
const OVERHEAT_EXTRA_K = 100;
/** A tripped joint may restart once below this, °C. */
const RESTART_BELOW_C = 60;

/** One fault or maintenance in progress. */
export interface ActiveFault {
  readonly eq: number;
  readonly kind: FaultKind;
  /** Earliest recovery time, s (Infinity: only a reset or a scenario clears it). */
  readyAtS: number;
  /** Injected by a training scenario: its events are marked simulated. */
  simulated?: true;
  /** An operator reset is refused before this sim time, s, saying `resetNote` (scripted faults). */
  resetFromS?: number;
  resetNote?: ResetNote;
}

/** Fault scheduling: a Poisson process over all candidates, and the faults in progress. */
export interface FaultState {
  /** Candidate equipment per kind (equipment indices). */
  readonly candidates: Record<RandomFaultKind, Int32Array>;
  /** Total fault rate, 1/s. */
  readonly ratePerS: number;
  nextAtS: number;
  readonly active: ActiveFault[];
  /** Arms heating up toward a trip (arm slots). */
  readonly heating: number[];
  /** The start-of-run maintenance still has to be announced. */
  announce: number;
}

/** Builds the schedule; puts one robot in planned maintenance at start when faults are on. */
export function createFaults(w: SimWorld): FaultState {
  const kinds = w.layout.equipment.map((e) => e.kind);
  const pick = (k: string) => Int32Array.from(kinds.flatMap((x, i) => (x === k ? [i] : [])));
  const candidates: Record<RandomFaultKind, Int32Array> = {
    jam: pick('conveyor'),
    overheat: pick('robot-arm'),
    defocus: pick('vision-station'),
    obstacle: pick('agv'),
    maintenance: pick('robot-arm'),
    commloss: pick('transformer'),
  };
  let perH = 0;
  for (const k of Object.keys(RATE_PER_H) as RandomFaultKind[]) perH += candidates[k].length * RATE_PER_H[k];
  const f: FaultState = {
    candidates,
    ratePerS: perH / 3600,
    nextAtS: 0,
    active: [],
    heating: [],
    announce: -1,
  };
  f.nextAtS = f.ratePerS > 0 ? w.rng.exponential(1 / f.ratePerS) : Number.POSITIVE_INFINITY;
  // So the maintenance state is visible from the start: the last line's second robot (L3-R2).
  const lineArms = w.arms.filter((a) => a.line === w.lines.length - 1);
  const chosen = lineArms[1] ?? lineArms[0];
  if (chosen && w.options.faults) {
    w.maint[chosen.eq] = 1;
    f.active.push({ eq: chosen.eq, kind: 'maintenance', readyAtS: 480 });
    f.announce = chosen.eq;
  }
  return f;
}

/** Draws new faults, trips overheating joints, and recovers repaired equipment. */
export function stepFaults(w: SimWorld): void {
  const f = w.faults;
  if (f.announce >= 0) {
    emit(w, 'state', 'info', f.announce, 'event.maintenance.gearbox', {
      equipment: w.equipment[f.announce].id,
    });
    f.announce = -1;
  }
  if (w.options.faults) {
    while (w.simTimeS >= f.nextAtS) {
      f.nextAtS += w.rng.exponential(1 / f.ratePerS);
      drawFault(w);
    }
  }
  for (let i = f.heating.length - 1; i >= 0; i--) {
    const arm = w.arms[f.heating[i]];
    const sig = w.equipment[arm.eq].signals;
    const t = sig[ARM.jointTemp + arm.heatJoint];
    if (t < ARM_TRIP_C || w.faulted[arm.eq] || w.maint[arm.eq]) continue;
    w.faulted[arm.eq] = 1;
    arm.heatExtraK = 0;
    f.heating.splice(i, 1);
    f.active.push({ eq: arm.eq, kind: 'overheat', readyAtS: w.simTimeS + w.rng.range(...REPAIR_S.overheat) });
    emit(w, 'fault', 'fault', arm.eq, 'event.fault.overheat', {
      equipment: w.equipment[arm.eq].id,
      joint: arm.heatJoint + 1,
      celsius: t.toFixed(1),
    });
  }
  for (let i = f.active.length - 1; i >= 0; i--) {
    const a = f.active[i];
    if (w.simTimeS < a.readyAtS || !canRecover(w, a)) continue;
    f.active.splice(i, 1);
    recover(w, a);
  }
}

/** Starts a fault of `kind` on equipment `eq` if it can happen now; returns whether it did. */
export function startFault(w: SimWorld, eq: number, kind: RandomFaultKind): boolean {
  if (w.faulted[eq] || w.maint[eq]) return false;
  const e = w.equipment[eq];
  const id = e.id;
  const repair = w.simTimeS + w.rng.range(...REPAIR_S[kind]);
  if (kind === 'commloss') {
    if (w.offline[eq]) return false;
    w.offline[eq] = 1;
    w.faults.active.push({ eq, kind, readyAtS: repair });
    emit(w, 'state', 'warning', eq, 'event.fault.offline', { equipment: id });
    return true;
  }
  if (kind === 'maintenance') {
    w.maint[eq] = 1;
    w.faults.active.push({ eq, kind, readyAtS: repair });
    emit(w, 'state', 'info', eq, 'event.maintenance.gripper', { equipment: id });
    return true;
  }
  if (kind === 'overheat') {
    const slot = w.armOf[eq];
    if (slot < 0 || w.arms[slot].heatJoint >= 0 || e.state !== STATE_CODE.running) return false;
    w.arms[slot].heatJoint = 1 + w.rng.int(2); // J2 or J3: the joints that carry the arm
    w.arms[slot].heatExtraK = OVERHEAT_EXTRA_K;
    w.faults.heating.push(slot);
    return true;
  }
  if (e.state !== STATE_CODE.running) return false;
  let msg: EnText;
  if (kind === 'jam') {
    const current = 12 + w.rng.range(0, 4);
    msg = enText('event.fault.jam', { equipment: id, amps: current.toFixed(1) });
  } else if (kind === 'defocus') {
    const focus = w.rng.range(58, 72);
    const slot = w.lines.findIndex((l) => l.vision?.eq === eq);
    if (slot >= 0) w.lines[slot].vision!.defocus = focus;
    e.signals[VIS.focus] = focus;
    msg = enText('event.fault.defocus', { equipment: id, focus: focus.toFixed(0) });
  } else {
    const agv = w.fleet.agvs.find((a) => a.eq === eq);
    if (!agv?.moving) return false;
    msg = enText('event.fault.obstacle', { equipment: id, node: w.graph.ids[agv.node] });
  }
  w.faulted[eq] = 1;
  w.faults.active.push({ eq, kind, readyAtS: repair });
  emitText(w, 'fault', 'fault', eq, msg);
  return true;
}

const KIND_FAULT: Partial<Record<string, RandomFaultKind>> = {
  conveyor: 'jam',
  'robot-arm': 'overheat',
  'vision-station': 'defocus',
  agv: 'obstacle',
  transformer: 'commloss',
};

/**
 * Starts the typical fault of equipment `id` now (trainer scenarios): conveyor jam, robot joint
 * overheating (trips when hot), camera defocus, AGV obstacle stop, transformer monitoring link
 * loss (offline). Returns false when that
 * equipment cannot fault now (unknown id, other kind, not running, already faulted).
 */
export function injectFault(world: World, id: string): boolean {
  const w = world as SimWorld;
  const eq = w.indexById.get(id);
  const kind = eq === undefined ? undefined : KIND_FAULT[w.equipment[eq].kind];
  return eq !== undefined && kind !== undefined && startFault(w, eq, kind);
}

function drawFault(w: SimWorld): void {
  const f = w.faults;
  let x = w.rng.next() * f.ratePerS * 3600;
  for (const k of Object.keys(RATE_PER_H) as RandomFaultKind[]) {
    const c = f.candidates[k];
    x -= c.length * RATE_PER_H[k];
    if (x < 0 && c.length) {
      startFault(w, c[w.rng.int(c.length)], k);
      return;
    }
  }
}

function canRecover(w: SimWorld, a: ActiveFault): boolean {
  if (a.kind !== 'overheat') return true;
  const arm = w.arms[w.armOf[a.eq]];
  return w.equipment[a.eq].signals[ARM.jointTemp + arm.heatJoint] < RESTART_BELOW_C;
}

/** Records the recovery from fault `a`, marked simulated when a scenario injected the fault. */
function emitRecovery(w: SimWorld, a: ActiveFault, t: EnText): void {
  emitText(w, 'recovery', 'info', a.eq, t);
  if (a.simulated) w.events[w.events.length - 1].simulated = true;
}

function recover(w: SimWorld, a: ActiveFault): void {
  const e = w.equipment[a.eq];
  const id = e.id;
  if (a.kind === 'commloss') {
    w.offline[a.eq] = 0;
    emitRecovery(w, a, enText('event.recovery.online', { equipment: id }));
    return;
  }
  if (a.kind === 'maintenance') {
    w.maint[a.eq] = 0;
    emitRecovery(w, a, enText('event.recovery.maintenance', { equipment: id }));
    return;
  }
  w.faulted[a.eq] = 0;
  const p = { equipment: id };
  let msg = enText('event.recovery.generic', p);
  if (a.kind === 'jam') msg = enText('event.recovery.jam', p);
  else if (a.kind === 'overheat') {
    const arm = w.arms[w.armOf[a.eq]];
    const t = e.signals[ARM.jointTemp + arm.heatJoint];
    msg = enText('event.recovery.overheat', {
      equipment: id,
      joint: arm.heatJoint + 1,
      celsius: t.toFixed(0),
    });
    arm.heatJoint = -1;
  } else if (a.kind === 'defocus') {
    const line = w.lines.find((l) => l.vision?.eq === a.eq);
    if (line?.vision) line.vision.defocus = 0;
    msg = enText('event.recovery.defocus', p);
  } else if (a.kind === 'obstacle') msg = enText('event.recovery.obstacle', p);
  else if (a.kind === 'bearing') msg = enText('event.recovery.bearing', p);
  else if (a.kind === 'breakdown') msg = enText('event.recovery.breakdown', p);
  else if (a.kind === 'power-dip') msg = enText('event.recovery.powerDip', p);
  emitRecovery(w, a, msg);
}

/**
 * Why equipment `eq`'s fault (jam, overheat trip) cannot be reset by an operator now, or null when
 * it can: an overheated joint must first cool below RESTART_BELOW_C. Reads only.
 */
export function resetBlocker(w: SimWorld, eq: number): EnText | null {
  const a = w.faults.active.find((x) => x.eq === eq && w.faulted[x.eq] === 1);
  const equipment = w.equipment[eq].id;
  if (!a) return enText('cmd.refused.noFaultToReset', { equipment });
  if (a.resetFromS !== undefined && w.simTimeS < a.resetFromS)
    return enText(a.resetNote ?? 'cmd.refused.resetNotYet', { equipment });
  if (canRecover(w, a)) return null;
  const arm = w.arms[w.armOf[eq]];
  const t = w.equipment[eq].signals[ARM.jointTemp + arm.heatJoint];
  return enText('cmd.refused.stillHot', {
    equipment,
    joint: arm.heatJoint + 1,
    celsius: t.toFixed(0),
    limit: RESTART_BELOW_C,
  });
}

/** Clears equipment `eq`'s fault now with the usual recovery event (check resetBlocker first). */
export function resetFault(w: SimWorld, eq: number): void {
  const k = w.faults.active.findIndex((a) => a.eq === eq && w.faulted[a.eq] === 1);
  if (k < 0) return;
  const a = w.faults.active[k];
  w.faults.active.splice(k, 1);
  recover(w, a);
}

/** Drops equipment `eq`'s fault of `kind` without a recovery event (a command takes it over). */
export function dropFault(w: SimWorld, eq: number, kind: FaultKind): void {
  const k = w.faults.active.findIndex((a) => a.eq === eq && a.kind === kind);
  if (k < 0) return;
  w.faults.active.splice(k, 1);
  w.faulted[eq] = 0;
}

/** Ends equipment `eq`'s fault of `kind` now with its usual recovery event; false when it has none. */
export function endFault(w: SimWorld, eq: number, kind: FaultKind): boolean {
  const k = w.faults.active.findIndex((a) => a.eq === eq && a.kind === kind);
  if (k < 0) return false;
  const a = w.faults.active[k];
  w.faults.active.splice(k, 1);
  recover(w, a);
  return true;
}
