import { randomUUID } from 'node:crypto';
import type { PathGraph } from '../../sim/pathGraph';
import { type DeviceCommand, type DeviceCommandResult, waitForEffect } from '../adapter';
import type { AgvView } from './agvView';
import type { VdaAction, VdaHeader, VdaTopic } from './messages';
import { buildOrder, instantActions, nearestDockNode, nearestNode, routeBetween } from './orders';

/** What sending a command needs of the observer. */
export interface DeviceCommandRunner {
  readonly agvs: readonly AgvView[];
  readonly graph: PathGraph;
  readonly dockNodes: readonly number[];
  readonly connected: boolean;
  readonly source: { majorVersion: string };
  /** How long to wait for the AGV to show the effect, ms (default DEVICE_CONFIRM_TIMEOUT_MS). */
  readonly confirmTimeoutMs?: number;
  topicOf(agv: AgvView, topic: VdaTopic): string;
  publish(topic: string, message: unknown): Promise<void>;
}

const refused = (detail: string): DeviceCommandResult => ({ status: 'refused', detail });

/**
 * An operator's command to a real AGV: pause / resume as instantActions (startPause /
 * stopPause), go-to as an order along the plant's paths to the node, dock as an order to the
 * nearest charging dock ending in startCharging. Confirmed by a later `state`: paused true / false
 * (or the action FINISHED; FAILED is a refusal with the AGV's reason), or the order's id reported.
 * Never throws.
 */
export async function runCommand(r: DeviceCommandRunner, cmd: DeviceCommand): Promise<DeviceCommandResult> {
  try {
    const agv = r.agvs.find((a) => a.equipment === cmd.equipmentId);
    if (!agv) return refused(`${cmd.equipmentId} is not an AGV of this VDA 5050 source`);
    switch (cmd.action) {
      case 'pause':
      case 'resume':
        if (!r.connected) return refused('not connected to the broker');
        if (!agv.online) return refused(`${agv.equipment} reported itself offline`);
        return await pauseOrResume(r, agv, cmd.action === 'pause');
      case 'go-to': {
        const to = cmd.node === undefined ? undefined : r.graph.index.get(cmd.node);
        if (to === undefined) return refused(`no path node "${String(cmd.node).slice(0, 64)}"`);
        return await sendOrder(r, agv, to, []);
      }
      case 'dock':
        return await sendOrder(r, agv, -1, []);
      default:
        return refused(`${cmd.action} is not a VDA 5050 AGV command (pause, resume, go-to, dock)`);
    }
  } catch (err) {
    return refused(`could not send: ${(err as Error).message.slice(0, 200)}`);
  }
}

/** The header of the next message of `topic` to this AGV (headerId counts per AGV and topic). */
function header(r: DeviceCommandRunner, agv: AgvView, topic: 'instantActions' | 'order'): VdaHeader {
  return {
    headerId: agv.nextHeaderId[topic]++,
    timestamp: new Date().toISOString(),
    // Answer in the version the AGV speaks (2.0.0, 2.1.0); before it said anything, the major's .0.0.
    version: agv.version ?? `${r.source.majorVersion.slice(1)}.0.0`,
    manufacturer: agv.manufacturer,
    serialNumber: agv.serialNumber,
  };
}

async function pauseOrResume(
  r: DeviceCommandRunner,
  agv: AgvView,
  pause: boolean,
): Promise<DeviceCommandResult> {
  const actionType = pause ? 'startPause' : 'stopPause';
  const actionId = randomUUID();
  const seq = agv.stateSeq;
  await r.publish(
    r.topicOf(agv, 'instantActions'),
    instantActions(header(r, agv, 'instantActions'), actionType, actionId),
  );
  let failed: string | null = null;
  const seen = await waitForEffect(() => {
    if (agv.stateSeq === seq) return false;
    const a = agv.actions.get(actionId);
    if (a?.status === 'FAILED') {
      failed = a.resultDescription || 'no reason given';
      return true;
    }
    return a?.status === 'FINISHED' || agv.paused === pause;
  }, r.confirmTimeoutMs);
  if (failed !== null) return refused(`${agv.equipment} refused ${actionType}: ${failed}`);
  return seen
    ? { status: 'confirmed', detail: `${agv.equipment} reports ${pause ? 'paused' : 'not paused'}` }
    : {
        status: 'unconfirmed',
        detail: `${actionType} sent to ${agv.equipment}; no state showed it in time`,
      };
}

/**
 * An order from the node nearest the AGV to `to` (-1: the nearest charging dock, ending in
 * startCharging), confirmed once a state reports its orderId.
 */
async function sendOrder(
  r: DeviceCommandRunner,
  agv: AgvView,
  to: number,
  lastActions: VdaAction[],
): Promise<DeviceCommandResult> {
  if (!r.connected) return refused('not connected to the broker');
  if (!agv.online) return refused(`${agv.equipment} reported itself offline`);
  if (!agv.poseKnown)
    return refused(`${agv.equipment} has not reported an initialized position on map ${agv.map.mapId}`);
  const g = r.graph;
  const from = nearestNode(g, agv.x, agv.z);
  if (from < 0) return refused('the plant has no paths');
  let target = to;
  if (target < 0) {
    target = nearestDockNode(g, from, r.dockNodes);
    if (target < 0) return refused(`no charging dock reachable from ${g.ids[from]}`);
    lastActions.push({ actionType: 'startCharging', actionId: randomUUID(), blockingType: 'HARD' });
  }
  const route = routeBetween(g, from, target);
  if (!route) return refused(`no path from ${g.ids[from]} to ${g.ids[target]}`);
  const orderId = randomUUID();
  const seq = agv.stateSeq;
  const order = buildOrder(g, route, agv.map, header(r, agv, 'order'), orderId, lastActions);
  await r.publish(r.topicOf(agv, 'order'), order);
  const seen = await waitForEffect(() => agv.stateSeq !== seq && agv.orderId === orderId, r.confirmTimeoutMs);
  const what = to < 0 ? `to dock node ${g.ids[target]}` : `to ${g.ids[target]}`;
  return seen
    ? { status: 'confirmed', detail: `${agv.equipment} took the order ${what}` }
    : {
        status: 'unconfirmed',
        detail: `order ${what} sent to ${agv.equipment}; no state reported it in time`,
      };
}
