import { STATE_CODE as STATE_CODES } from '../../protocol';
import { dispatch, goCharge } from './agvDispatch';
import { type AgvMotion, beginRoute, moveAgv } from './agvMotion';
import type { FeederRuntime } from './conveyorLine';
import { PALLET_PCT } from './conveyorLine';
import { AGV as AGV_SLOTS, DOCK as DOCK_SLOTS, FEEDER as FEEDER_SLOTS, RACK as RACK_SLOTS } from './slots';
import { emit, type SimWorld } from './state';

// Local copies: tsx compiles imported bindings to getters, which cost in per-equipment loops.
const AGV = { ...AGV_SLOTS };
const DOCK = { ...DOCK_SLOTS };
const FEEDER = { ...FEEDER_SLOTS };
const RACK = { ...RACK_SLOTS };
const STATE_CODE = { ...STATE_CODES };

/** What an AGV is doing. */
export const MODE = {
  parked: 0,
  toRack: 1,
  loading: 2,
  toFeeder: 3,
  unloading: 4,
  toDock: 5,
  charging: 6,
  toHome: 7,
  available: 8,
  /** Sent to a node by an operator (go-to): drives there, then waits until resumed. */
  commanded: 9,
} as const;

/** Battery below which an AGV must charge, %. */
export const LOW_BATTERY = 25;
/** An idle AGV tops up below this, % (opportunity charging). */
export const TOP_UP_BELOW = 50;
/** Charging stops here, %. */
export const CHARGED = 95;
/** Fork handling time at a rack or feeder, s. */
const HANDLING_S = 10;
/** Waiting longer than this for a free route shows as blocked, s. */
const BLOCKED_AFTER_S = 4;
/** Battery drain, %/s: driving empty, extra at full payload, standing (compressed time scale:
 * a charge lasts tens of minutes so charging is seen often). */
const DRAIN_DRIVE = 0.06;
const DRAIN_LOAD = 0.04;
const DRAIN_IDLE = 0.012;
/** Constant-current charge rate to 80 %, %/s, tapering to CV_END_RATE at 100 %; dock power at CC, kW. */
const CC_RATE = 0.45;
const CV_END_RATE = 0.12;
const CC_POWER_KW = 12;

/** Live state of one AGV. */
export interface AgvRuntime extends AgvMotion {
  readonly eq: number;
  readonly home: number;
  readonly comp: number;
  readonly capacityKg: number;
  mode: number;
  /** Target node of the route being requested, -1 when none is pending. */
  target: number;
  /** Time waiting for a free route, s, and countdown to the next search, s. */
  waitS: number;
  retryS: number;
  /** Handling / decision timer, s. */
  timerS: number;
  /** Claimed rack, feeder and dock slots, -1 none. */
  rack: number;
  feeder: number;
  dock: number;
  payload: number;
  /** A low-battery warning was given for the current discharge. */
  lowWarned: boolean;
  /** Paused by an operator: brakes like a safety stop, keeps its reservations, takes no work. */
  paused: boolean;
  /** Node an operator sent it to (go-to, or the dock of a commanded charge), -1 none. */
  goal: number;
}

/** A pallet rack with its pick-up node. */
export interface RackRuntime {
  readonly eq: number;
  readonly node: number;
  readonly comp: number;
  readonly capacity: number;
  claimedBy: number;
  /** Goods-in replenishment time, s (0 = none scheduled). */
  restockAtS: number;
}

/** An AGV charging dock with its node. */
export interface DockRuntime {
  readonly eq: number;
  readonly node: number;
  readonly comp: number;
  claimedBy: number;
}

/** All AGVs and the intralogistics they serve. */
export interface AgvFleet {
  readonly agvs: AgvRuntime[];
  readonly racks: RackRuntime[];
  readonly docks: DockRuntime[];
  readonly feeders: FeederRuntime[];
  /** Per path node: slot of the AGV holding its zone, -1 free. */
  readonly holder: Int32Array;
  /** Scratch: per rack, route length rack -> feeder during a dispatch, m. */
  readonly rackCost: Float64Array;
  /** Slots of AGVs, racks and docks per path-network component (a scaled plant has many). */
  readonly byComp: readonly { agvs: number[]; racks: number[]; docks: number[] }[];
}

/** Asks for a route to `target`; the AGV searches this step and then once a second until granted. */
export function requestRoute(agv: AgvRuntime, target: number): void {
  agv.target = target;
  agv.retryS = 0;
  agv.waitS = 0;
}

/** Advances the fleet: dispatching, routes, driving, handling, charging, racks. */
export function stepFleet(w: SimWorld, dt: number): void {
  const f = w.fleet;
  if (w.tick % 10 === 0) {
    dispatch(w);
    restockRacks(w);
  }
  for (const agv of f.agvs) stepAgv(w, agv, dt);
}

function stepAgv(w: SimWorld, agv: AgvRuntime, dt: number): void {
  const eq = w.equipment[agv.eq];
  const sig = eq.signals;
  const faulted = w.faulted[agv.eq] === 1;
  if (agv.moving) {
    // A pending target here means a command cut the route short: drive on from that node instead.
    const halted = faulted || agv.paused;
    if (moveAgv(w.graph, w.fleet.holder, agv, eq.pose!, dt, halted) && agv.target < 0) arrive(w, agv);
  } else if (agv.paused) {
    agv.speed = 0;
  } else if (agv.target >= 0) {
    agv.waitS += dt;
    agv.retryS -= dt;
    if (agv.retryS <= 0) {
      if (beginRoute(w.graph, w.fleet.holder, agv, agv.target)) {
        agv.target = -1;
        agv.waitS = 0;
        if (!agv.moving) arrive(w, agv);
      } else agv.retryS = 1;
    }
  } else decide(w, agv, dt);
  let battery = sig[AGV.battery];
  if (agv.mode === MODE.charging) {
    const rate = battery < 80 ? CC_RATE : CC_RATE - ((CC_RATE - CV_END_RATE) * (battery - 80)) / 20;
    battery = Math.min(100, battery + rate * dt);
    w.equipment[w.fleet.docks[agv.dock].eq].signals[DOCK.power] = (CC_POWER_KW * rate) / CC_RATE;
  } else {
    const drain = agv.speed > 0.02 ? DRAIN_DRIVE + (DRAIN_LOAD * agv.payload) / agv.capacityKg : DRAIN_IDLE;
    battery = Math.max(0, battery - drain * dt);
  }
  sig[AGV.battery] = battery;
  sig[AGV.speed] = agv.speed;
  sig[AGV.payload] = agv.payload;
  eq.state = faulted
    ? STATE_CODE.fault
    : agv.paused
      ? STATE_CODE.idle
      : agv.target >= 0 && agv.waitS > BLOCKED_AFTER_S
        ? STATE_CODE.blocked
        : agv.moving || agv.mode === MODE.loading || agv.mode === MODE.unloading
          ? STATE_CODE.running
          : STATE_CODE.idle;
}

/** The AGV reached the end of its route. */
function arrive(w: SimWorld, agv: AgvRuntime): void {
  switch (agv.mode) {
    case MODE.toRack:
      agv.mode = MODE.loading;
      agv.timerS = HANDLING_S;
      break;
    case MODE.toFeeder:
      agv.mode = MODE.unloading;
      agv.timerS = HANDLING_S;
      break;
    case MODE.toDock:
      agv.mode = MODE.charging;
      w.equipment[w.fleet.docks[agv.dock].eq].signals[DOCK.occupied] = 1;
      w.equipment[w.fleet.docks[agv.dock].eq].state = STATE_CODE.running;
      break;
    case MODE.toHome:
      agv.mode = MODE.parked;
      break;
  }
}

/** Mode logic of an AGV standing still with no route pending. */
function decide(w: SimWorld, agv: AgvRuntime, dt: number): void {
  const f = w.fleet;
  const eqs = w.equipment;
  const battery = eqs[agv.eq].signals[AGV.battery];
  switch (agv.mode) {
    case MODE.loading:
      agv.timerS -= dt;
      if (agv.timerS <= 0) {
        const rack = f.racks[agv.rack];
        eqs[rack.eq].signals[RACK.stock] = Math.max(0, eqs[rack.eq].signals[RACK.stock] - 1);
        rack.claimedBy = -1;
        agv.rack = -1;
        // An SMT component pallet: reels, trays and housings, kg.
        agv.payload = Math.round(w.rng.range(280, 650));
        agv.mode = MODE.toFeeder;
        requestRoute(agv, f.feeders[agv.feeder].node);
      }
      break;
    case MODE.unloading:
      agv.timerS -= dt;
      if (agv.timerS <= 0) {
        const feeder = f.feeders[agv.feeder];
        const sig = eqs[feeder.eq].signals;
        sig[FEEDER.level] = Math.min(100, sig[FEEDER.level] + PALLET_PCT);
        sig[FEEDER.delivered] += 1;
        feeder.claimedBy = -1;
        agv.feeder = -1;
        agv.payload = 0;
        agv.mode = MODE.available;
        agv.timerS = 1.5;
        const pct = Math.round(sig[FEEDER.level]);
        emit(w, 'delivery', 'info', agv.eq, 'event.agv.delivered', {
          equipment: eqs[agv.eq].id,
          feeder: eqs[feeder.eq].id,
          pct,
        });
      }
      break;
    case MODE.available:
      if (battery < LOW_BATTERY && lowBattery(w, agv, battery)) break;
      agv.timerS -= dt;
      if (agv.timerS <= 0) {
        agv.mode = MODE.toHome;
        requestRoute(agv, agv.home);
      }
      break;
    case MODE.parked:
      // Look for a charger once a second (staggered by slot), not every tick.
      if ((w.tick + agv.slot) % 10 !== 0) break;
      if (battery < LOW_BATTERY) lowBattery(w, agv, battery);
      else if (battery < TOP_UP_BELOW) goCharge(w, agv);
      break;
    case MODE.charging:
      if (battery >= CHARGED) {
        leaveDock(w, agv);
        agv.goal = -1;
        agv.lowWarned = false;
        agv.mode = MODE.available;
        agv.timerS = 1;
      }
      break;
  }
}

/** Low battery: heads for a free charger (with a warning once per discharge). */
function lowBattery(w: SimWorld, agv: AgvRuntime, battery: number): boolean {
  const ok = goCharge(w, agv);
  if (!agv.lowWarned) {
    agv.lowWarned = true;
    const eqs = w.equipment;
    const p = { equipment: eqs[agv.eq].id, pct: Math.round(battery) };
    if (ok)
      emit(w, 'state', 'warning', agv.eq, 'event.agv.batteryLowCharging', {
        ...p,
        dock: eqs[w.fleet.docks[agv.dock].eq].id,
      });
    else emit(w, 'state', 'warning', agv.eq, 'event.agv.batteryLowWaiting', p);
  }
  return ok;
}

/** Frees the AGV's dock (it is about to drive off or is done). */
export function leaveDock(w: SimWorld, agv: AgvRuntime): void {
  if (agv.dock < 0) return;
  const dock = w.fleet.docks[agv.dock];
  const sig = w.equipment[dock.eq].signals;
  sig[DOCK.power] = 0;
  sig[DOCK.occupied] = 0;
  w.equipment[dock.eq].state = STATE_CODE.idle;
  dock.claimedBy = -1;
  agv.dock = -1;
}

/** Schedules goods-in replenishment of nearly empty racks and carries it out. */
function restockRacks(w: SimWorld): void {
  for (const rack of w.fleet.racks) {
    const eq = w.equipment[rack.eq];
    const stock = eq.signals[RACK.stock];
    eq.state = stock <= 0 ? STATE_CODE.starved : STATE_CODE.idle;
    if (rack.restockAtS === 0 && stock <= 2) rack.restockAtS = w.simTimeS + 300;
    else if (rack.restockAtS > 0 && w.simTimeS >= rack.restockAtS) {
      rack.restockAtS = 0;
      eq.signals[RACK.stock] = rack.capacity - w.rng.int(4);
      emit(w, 'info', 'info', rack.eq, 'event.rack.replenished', {
        equipment: eq.id,
        pallets: eq.signals[RACK.stock],
      });
    }
  }
}
