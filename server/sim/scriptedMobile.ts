import type { ScenarioFault } from '../../protocol/scenario';
import { requestRoute } from './agvFleet';
import { truncateRoute } from './agvMotion';
import { DRONE_MODE } from './drone';
import {
  done,
  emitSimulated,
  notDone,
  type ScenarioActionResult,
  type ScriptedFault,
  type ScriptedState,
  track,
} from './scriptedFaults';
import { DRONE as DRONE_SLOTS } from './slots';
import type { SimWorld } from './state';

// Local copies: tsx compiles imported bindings to getters, which cost in per-equipment loops.
const DRONE = { ...DRONE_SLOTS };

/** Scripted faults of mobile equipment: an AGV breaking down in an aisle, a drone battery draining fast. */

/** An AGV breaks down only while it really drives (not creeping onto a node), m/s. */
const BREAKDOWN_MIN_SPEED = 0.2;

type Of<K extends ScriptedFault['kind']> = Extract<ScriptedFault, { kind: K }>;
type FaultOf<K extends ScenarioFault['kind']> = Extract<ScenarioFault, { kind: K }>;

/** Arms an AGV breakdown: it happens the next time the AGV drives (past `atNode` when given). */
export function injectBreakdown(
  w: SimWorld,
  s: ScriptedState,
  eq: number,
  f: FaultOf<'agv-breakdown'>,
): ScenarioActionResult {
  const agv = w.fleet.agvs.find((a) => a.eq === eq);
  if (!agv) return notDone('scenario.refused.notAgvOnPaths', { equipment: f.equipment });
  if (w.faulted[eq]) return notDone('scenario.refused.alreadyFaulted', { equipment: f.equipment });
  let atNode = -1;
  if (f.atNode !== undefined) {
    atNode = w.graph.index.get(f.atNode) ?? -1;
    if (atNode < 0) return notDone('scenario.refused.unknownNode', { node: f.atNode });
  }
  track(s, {
    kind: 'agv-breakdown',
    target: f.equipment,
    eq,
    sinceS: w.simTimeS,
    phase: 'armed',
    agv,
    atNode,
  });
  return f.atNode
    ? done('scenario.breakdownArmedAt', { equipment: f.equipment, node: f.atNode })
    : done('scenario.breakdownArmed', { equipment: f.equipment });
}

/**
 * The breakdown strikes while the AGV drives: it safety-brakes where it is and keeps the node zones
 * around it reserved (the one it left and the next), so the aisle is blocked; reservations further
 * along its route are released. Other AGVs route around it or wait. It has no operator reset: a
 * scenario clear (towed, repaired) ends it.
 */
export function stepBreakdown(w: SimWorld, f: Of<'agv-breakdown'>): void {
  if (f.phase !== 'armed') return;
  const agv = f.agv;
  if (!agv.moving || agv.speed < BREAKDOWN_MIN_SPEED || w.faulted[f.eq]) return;
  if (f.atNode >= 0 && agv.node !== f.atNode) return;
  f.phase = 'tripped';
  // Cut the route at the next node; once repaired it drives on from there to where it was going.
  const dest = agv.route[agv.routeLen - 1];
  truncateRoute(w.graph, w.fleet.holder, agv);
  if (agv.route[agv.routeLen - 1] !== dest) requestRoute(agv, dest);
  w.faulted[f.eq] = 1;
  w.faults.active.push({
    eq: f.eq,
    kind: 'breakdown',
    readyAtS: Number.POSITIVE_INFINITY,
    simulated: true,
    resetFromS: Number.POSITIVE_INFINITY,
    resetNote: 'cmd.refused.resetBrokeDown',
  });
  const near = w.graph.ids[agv.node];
  emitSimulated(w, 'fault', 'fault', f.eq, 'event.scripted.breakdown', { equipment: f.target, node: near });
}

/** A drone battery that drains fast in flight (a failing cell): the drone must return early. */
export function injectDroneBattery(
  w: SimWorld,
  s: ScriptedState,
  eq: number,
  f: FaultOf<'drone-battery'>,
): ScenarioActionResult {
  const drone = w.drones.find((d) => d.eq === eq);
  if (!drone) return notDone('scenario.refused.notPatrolDrone', { equipment: f.equipment });
  track(s, {
    kind: 'drone-battery',
    target: f.equipment,
    eq,
    sinceS: w.simTimeS,
    phase: 'active',
    drone,
    drainPerS: f.drainPctPerMin / 60,
  });
  return done('scenario.batteryDraining', { equipment: f.equipment, rate: f.drainPctPerMin });
}

/** Extra drain while airborne; the drone's own low-battery logic then forces the return (25 %). */
export function stepDroneBattery(w: SimWorld, f: Of<'drone-battery'>, dt: number): void {
  if (f.drone.mode === DRONE_MODE.docked) return;
  const sig = w.equipment[f.eq].signals;
  sig[DRONE.battery] = Math.max(0, sig[DRONE.battery] - f.drainPerS * dt);
}
