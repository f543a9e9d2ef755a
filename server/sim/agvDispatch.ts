import { type AgvRuntime, leaveDock, MODE, requestRoute } from './agvFleet';
import { search } from './pathGraph';
import { AGV, FEEDER, RACK } from './slots';
import type { SimWorld } from './state';

/** A feeder at or below this level asks for a pallet, %. */
export const REQUEST_LEVEL = 45;
/** An AGV takes a delivery only with at least this much battery, %. */
const MIN_TASK_BATTERY = 30;
/** A charging AGV may be called away once it has this much, %. */
const CALL_OFF_CHARGER = 50;
/** Metres of extra route worth one % of battery: fuller AGVs get the work, so it rotates. */
const BATTERY_WEIGHT = 2;

/**
 * Assigns deliveries: for each feeder that needs a pallet and has none coming, the nearest free
 * AGV (by route length) fetches one from the rack that makes the shortest trip AGV -> rack ->
 * feeder. Runs once a second; route searches happen only when a task is created.
 */
export function dispatch(w: SimWorld): void {
  const f = w.fleet;
  const g = w.graph;
  const eqs = w.equipment;
  for (let fi = 0; fi < f.feeders.length; fi++) {
    const feeder = f.feeders[fi];
    if (feeder.claimedBy >= 0 || feeder.node < 0) continue;
    if (eqs[feeder.eq].signals[FEEDER.level] > REQUEST_LEVEL) continue;
    const mine = f.byComp[g.comp[feeder.node]];
    let best: AgvRuntime | null = null;
    let searched = false;
    for (const a of mine.agvs) {
      const agv = f.agvs[a];
      if (!available(w, agv)) continue;
      if (!searched) {
        search(g, feeder.node, -1, null, -1);
        searched = true;
      }
      if (!best || preference(w, agv) < preference(w, best)) best = agv;
    }
    if (!best || g.dist[best.node] === Number.POSITIVE_INFINITY) continue;
    for (const r of mine.racks) f.rackCost[r] = g.dist[f.racks[r].node];
    search(g, best.node, -1, null, -1);
    let rackSlot = -1;
    let cost = Number.POSITIVE_INFINITY;
    for (const r of mine.racks) {
      const rack = f.racks[r];
      if (rack.claimedBy >= 0 || eqs[rack.eq].signals[RACK.stock] < 1) continue;
      const c = f.rackCost[r] + g.dist[rack.node];
      if (c < cost) {
        cost = c;
        rackSlot = r;
      }
    }
    if (rackSlot < 0) continue;
    leaveDock(w, best);
    feeder.claimedBy = best.slot;
    f.racks[rackSlot].claimedBy = best.slot;
    best.feeder = fi;
    best.rack = rackSlot;
    best.mode = MODE.toRack;
    requestRoute(best, f.racks[rackSlot].node);
  }
}

/** Preference for a delivery: route length to the feeder, m, plus BATTERY_WEIGHT m per % missing. */
function preference(w: SimWorld, agv: AgvRuntime): number {
  return w.graph.dist[agv.node] + BATTERY_WEIGHT * (100 - w.equipment[agv.eq].signals[AGV.battery]);
}

/** Whether an AGV can take a delivery now. */
function available(w: SimWorld, agv: AgvRuntime): boolean {
  // An operator's go-to or dock (goal set) is not interrupted by dispatch.
  if (agv.moving || agv.target >= 0 || agv.paused || agv.goal >= 0 || w.faulted[agv.eq]) return false;
  const battery = w.equipment[agv.eq].signals[AGV.battery];
  if (agv.mode === MODE.charging) return battery >= CALL_OFF_CHARGER;
  return (agv.mode === MODE.parked || agv.mode === MODE.available) && battery >= MIN_TASK_BATTERY;
}

/** Sends the AGV to the nearest free charger of its network; false when all are taken. */
export function goCharge(w: SimWorld, agv: AgvRuntime): boolean {
  const f = w.fleet;
  const g = w.graph;
  let best = -1;
  let first = true;
  for (const d of f.byComp[agv.comp].docks) {
    const dock = f.docks[d];
    if (dock.claimedBy >= 0) continue;
    if (first) {
      search(g, agv.node, -1, null, -1);
      first = false;
    }
    if (best < 0 || g.dist[dock.node] < g.dist[f.docks[best].node]) best = d;
  }
  if (best < 0 || g.dist[f.docks[best].node] === Number.POSITIVE_INFINITY) return false;
  f.docks[best].claimedBy = agv.slot;
  agv.dock = best;
  agv.mode = MODE.toDock;
  requestRoute(agv, f.docks[best].node);
  return true;
}
