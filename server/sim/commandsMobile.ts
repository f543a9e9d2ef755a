import { goCharge } from './agvDispatch';
import { type AgvRuntime, leaveDock, MODE, requestRoute } from './agvFleet';
import { truncateRoute } from './agvMotion';
import { accepted, type CommandAction, type CommandResult, refused } from './commandTypes';
import { DRONE_MODE, launchDrone } from './drone';
import { search } from './pathGraph';
import { DRONE, FEEDER } from './slots';
import { emit, type SimWorld } from './state';

/** A commanded patrol needs at least this battery, %: a patrol drains ~0.2-0.3 %/s for minutes. */
export const LAUNCH_MIN_BATTERY = 60;

/**
 * pause / resume / go-to / dock of an AGV. go-to and dock drop its current task cleanly (rack and
 * feeder claims go back to dispatch, a dock is freed), cut a route in progress at the next node it
 * can stop at, and drive on along the graph with the normal node reservations. After a go-to the
 * AGV waits at the node (MODE.commanded) until resumed; resume hands it back to dispatch. After a
 * dock it charges to CHARGED before dispatch may call it away.
 */
export function agvCommand(
  w: SimWorld,
  eq: number,
  action: CommandAction,
  params: Record<string, unknown> | undefined,
): CommandResult {
  const agv = w.fleet.agvs.find((a) => a.eq === eq);
  const id = w.equipment[eq].id;
  if (!agv) return refused('CONFLICT', 'cmd.refused.notOnPaths', { equipment: id });
  switch (action) {
    case 'pause':
      if (agv.paused) return accepted('cmd.agv.alreadyPaused', { equipment: id });
      agv.paused = true;
      emit(w, 'state', 'info', eq, 'event.agv.paused', { equipment: id });
      return accepted('cmd.agv.paused', { equipment: id });
    case 'resume': {
      const holding = agv.mode === MODE.commanded && !agv.moving && agv.target < 0;
      if (!agv.paused && !holding)
        return refused('CONFLICT', 'cmd.refused.notPausedOrHolding', { equipment: id });
      agv.paused = false;
      if (holding) releaseHold(w, agv);
      emit(w, 'state', 'info', eq, 'event.agv.resumed', { equipment: id });
      return accepted('cmd.agv.resumed', { equipment: id });
    }
    case 'go-to': {
      const name = params?.node;
      const node = typeof name === 'string' ? w.graph.index.get(name) : undefined;
      if (node === undefined) return refused('INVALID', 'cmd.refused.unknownNode', { node: String(name) });
      if (w.graph.comp[node] !== agv.comp)
        return refused('INVALID', 'cmd.refused.unreachable', { node: String(name), equipment: id });
      if (w.faulted[eq]) return refused('CONFLICT', 'cmd.refused.safetyStop', { equipment: id });
      redirect(w, agv);
      agv.mode = MODE.commanded;
      agv.goal = node;
      requestRoute(agv, node);
      emit(w, 'state', 'info', eq, 'event.agv.sentTo', { equipment: id, node: String(name) });
      return accepted('cmd.agv.drivingTo', { equipment: id, node: String(name) });
    }
    case 'dock': {
      if (w.faulted[eq]) return refused('CONFLICT', 'cmd.refused.safetyStop', { equipment: id });
      if (agv.mode === MODE.charging || agv.mode === MODE.toDock) {
        const dock = w.equipment[w.fleet.docks[agv.dock].eq].id;
        const code =
          agv.mode === MODE.charging ? 'cmd.refused.alreadyCharging' : 'cmd.refused.alreadyGoingToDock';
        return refused('CONFLICT', code, { equipment: id, dock });
      }
      if (!hasFreeDock(w, agv)) return refused('CONFLICT', 'cmd.refused.noFreeDock', { equipment: id });
      redirect(w, agv);
      goCharge(w, agv);
      // Charged full before dispatch may take it again (a commanded charge is not called off).
      agv.goal = w.fleet.docks[agv.dock].node;
      const dock = w.equipment[w.fleet.docks[agv.dock].eq].id;
      emit(w, 'state', 'info', eq, 'event.agv.sentToCharge', { equipment: id, dock });
      return accepted('cmd.agv.goingToDock', { equipment: id, dock });
    }
    default:
      return refused('INVALID', 'cmd.refused.notAgvCommand', { action });
  }
}

/** Drops the AGV's task and route so a command can give it a new destination. */
function redirect(w: SimWorld, agv: AgvRuntime): void {
  const f = w.fleet;
  if (agv.rack >= 0) f.racks[agv.rack].claimedBy = -1;
  if (agv.feeder >= 0) f.feeders[agv.feeder].claimedBy = -1;
  agv.rack = -1;
  agv.feeder = -1;
  leaveDock(w, agv);
  agv.timerS = 0;
  agv.goal = -1;
  agv.paused = false;
  truncateRoute(w.graph, f.holder, agv);
}

/** Back to automatic work: a pallet still aboard goes to the emptiest unclaimed feeder. */
function releaseHold(w: SimWorld, agv: AgvRuntime): void {
  const f = w.fleet;
  agv.goal = -1;
  agv.mode = MODE.available;
  agv.timerS = 1;
  if (agv.payload <= 0) return;
  let best = -1;
  for (let i = 0; i < f.feeders.length; i++) {
    const fd = f.feeders[i];
    if (fd.claimedBy >= 0 || fd.node < 0 || w.graph.comp[fd.node] !== agv.comp) continue;
    const level = w.equipment[fd.eq].signals[FEEDER.level];
    if (best < 0 || level < w.equipment[f.feeders[best].eq].signals[FEEDER.level]) best = i;
  }
  if (best < 0) return;
  f.feeders[best].claimedBy = agv.slot;
  agv.feeder = best;
  agv.mode = MODE.toFeeder;
  requestRoute(agv, f.feeders[best].node);
}

/** Whether a free charging dock is reachable in the AGV's network (reads only). */
function hasFreeDock(w: SimWorld, agv: AgvRuntime): boolean {
  if (agv.comp < 0) return false;
  const f = w.fleet;
  search(w.graph, agv.node, -1, null, -1);
  return f.byComp[agv.comp].docks.some(
    (d) => f.docks[d].claimedBy < 0 && w.graph.dist[f.docks[d].node] < Number.POSITIVE_INFINITY,
  );
}

/** launch-patrol / return-to-dock of a drone. */
export function droneCommand(w: SimWorld, eq: number, action: CommandAction): CommandResult {
  const d = w.drones.find((x) => x.eq === eq);
  const id = w.equipment[eq].id;
  if (!d) return refused('CONFLICT', 'cmd.refused.noPatrolRoute', { equipment: id });
  if (action === 'launch-patrol') {
    if (d.mode !== DRONE_MODE.docked)
      return refused('CONFLICT', 'cmd.refused.alreadyFlying', { equipment: id });
    if (w.faulted[eq]) return refused('CONFLICT', 'cmd.refused.droneFaulted', { equipment: id });
    if (d.waypoints.length < 6) return refused('CONFLICT', 'cmd.refused.noPatrolRoute', { equipment: id });
    const battery = w.equipment[eq].signals[DRONE.battery];
    if (battery < LAUNCH_MIN_BATTERY) {
      return refused('CONFLICT', 'cmd.refused.batteryTooLow', {
        equipment: id,
        pct: Math.round(battery),
        minPct: LAUNCH_MIN_BATTERY,
      });
    }
    emit(w, 'state', 'info', eq, 'event.drone.launchedByCommand', { equipment: id });
    launchDrone(w, d);
    return accepted('cmd.drone.launching', { equipment: id });
  }
  if (action === 'return-to-dock') {
    if (d.mode === DRONE_MODE.docked)
      return refused('CONFLICT', 'cmd.refused.alreadyOnPad', { equipment: id });
    if (d.mode === DRONE_MODE.returning || d.mode === DRONE_MODE.landing) {
      return refused('CONFLICT', 'cmd.refused.alreadyReturning', { equipment: id });
    }
    d.mode = DRONE_MODE.returning;
    d.dwellS = 0;
    emit(w, 'state', 'info', eq, 'event.drone.recalled', { equipment: id, pad: w.equipment[d.padEq].id });
    return accepted('cmd.drone.returning', { equipment: id });
  }
  return refused('INVALID', 'cmd.refused.notDroneCommand', { action });
}
