import type { Layout } from '../../../protocol';
import { findRoute, type PathGraph, search } from '../../sim/pathGraph';
import {
  type MapTransform,
  plantToVda,
  type VdaAction,
  type VdaEdge,
  type VdaHeader,
  type VdaInstantActions,
  type VdaNode,
  type VdaOrder,
} from './messages';

/**
 * The messages the twin sends to a real AGV: `instantActions` (pause, resume) and `order`s built
 * from the plant's path graph (go-to, dock). Pure: ids and headers come from the caller.
 */

/** A map transform with the id of the AGV's map (every node position names it). */
export interface AgvMap extends MapTransform {
  mapId: string;
}

/** The graph node nearest to plant (x, z), m; -1 for an empty graph. */
export function nearestNode(g: PathGraph, x: number, z: number): number {
  let best = -1;
  let bestD = Number.POSITIVE_INFINITY;
  for (let i = 0; i < g.ids.length; i++) {
    const d = (g.x[i] - x) ** 2 + (g.z[i] - z) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/** Shortest route from..to as node indexes (both included), or null when none exists. */
export function routeBetween(g: PathGraph, from: number, to: number): number[] | null {
  const out = new Int32Array(g.ids.length);
  const n = findRoute(g, from, to, null, -1, out);
  return n > 0 ? Array.from(out.subarray(0, n)) : null;
}

/** Graph nodes of the plant's AGV charging docks (as the simulation's docks: `props.node`). */
export function agvDockNodes(layout: Layout, g: PathGraph): number[] {
  const out: number[] = [];
  for (const e of layout.equipment) {
    if (e.kind !== 'charging-dock' || e.props.for !== 'agv' || !e.props.node) continue;
    const node = g.index.get(e.props.node);
    if (node !== undefined) out.push(node);
  }
  return out;
}

/**
 * The dock node nearest to `from` along the paths (the simulation's rule, without its claims: a
 * real fleet manager or the AGV itself arbitrates a taken dock), or -1 when none is reachable.
 */
export function nearestDockNode(g: PathGraph, from: number, docks: readonly number[]): number {
  if (docks.length === 0) return -1;
  search(g, from, -1, null, -1);
  let best = -1;
  for (const d of docks)
    if (g.dist[d] < Number.POSITIVE_INFINITY && (best < 0 || g.dist[d] < g.dist[best])) best = d;
  return best;
}

/**
 * An order along `route` (node indexes): nodes at even sequence ids with their position on the
 * AGV's map, edges at odd ones, everything released (the twin does not hold a horizon back).
 * `lastActions` go on the final node (e.g. startCharging at a dock).
 */
export function buildOrder(
  g: PathGraph,
  route: readonly number[],
  map: AgvMap,
  header: VdaHeader,
  orderId: string,
  lastActions: VdaAction[] = [],
): VdaOrder {
  const nodes: VdaNode[] = route.map((n, i) => {
    const [x, y] = plantToVda(map, g.x[n], g.z[n], 0);
    return {
      nodeId: g.ids[n],
      sequenceId: 2 * i,
      released: true,
      // No theta: the twin's paths do not constrain the heading at a node.
      nodePosition: { x, y, mapId: map.mapId },
      actions: i === route.length - 1 ? lastActions : [],
    };
  });
  const edges: VdaEdge[] = [];
  for (let i = 1; i < route.length; i++) {
    const a = g.ids[route[i - 1]];
    const b = g.ids[route[i]];
    edges.push({
      edgeId: `${a}--${b}`,
      sequenceId: 2 * i - 1,
      released: true,
      startNodeId: a,
      endNodeId: b,
      actions: [],
    });
  }
  return { ...header, orderId, orderUpdateId: 0, nodes, edges };
}

/** One instant action (startPause, stopPause), HARD: the AGV stops everything else for it. */
export function instantActions(header: VdaHeader, actionType: string, actionId: string): VdaInstantActions {
  return { ...header, actions: [{ actionType, actionId, blockingType: 'HARD' }] };
}
