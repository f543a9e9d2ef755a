import type { DraftLayout } from '../layoutEdits';

/**
 * Edits of the AGV path network (`paths.nodes` and the two-way `paths.edges` between them) as
 * pure layout → layout functions, plus which node a server error line is about. Like the other
 * edits they never validate: a graph the loader refuses is the error list's to show.
 */

/** A path node as the editor reads it from a draft. */
export interface DraftNode {
  id: string;
  position: [number, number];
  name?: string;
  [key: string]: unknown;
}

/** Id prefix of nodes drawn in the editor (`N-01`, `N-02`...). */
const NODE_PREFIX = 'N';

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isNode(x: unknown): x is DraftNode {
  return (
    isRecord(x) &&
    typeof x.id === 'string' &&
    Array.isArray(x.position) &&
    x.position.length === 2 &&
    x.position.every((v) => typeof v === 'number' && Number.isFinite(v))
  );
}

function rawPaths(layout: DraftLayout): {
  nodes: unknown[];
  edges: unknown[];
  rest: Record<string, unknown>;
} {
  const p = isRecord(layout.paths) ? layout.paths : {};
  return {
    nodes: Array.isArray(p.nodes) ? p.nodes : [],
    edges: Array.isArray(p.edges) ? p.edges : [],
    rest: p,
  };
}

/** The draft's path nodes the editor can draw (entries without an id or [x, z] skipped). */
export function nodesOf(layout: DraftLayout): DraftNode[] {
  return rawPaths(layout).nodes.filter(isNode);
}

/** The draft's edges as [a, b] id pairs with their index in `paths.edges` (malformed ones skipped). */
export function edgesOf(layout: DraftLayout): { a: string; b: string; index: number }[] {
  const out: { a: string; b: string; index: number }[] = [];
  rawPaths(layout).edges.forEach((e, index) => {
    if (Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'string')
      out.push({ a: e[0], b: e[1], index });
  });
  return out;
}

function withPaths(layout: DraftLayout, nodes: unknown[], edges: unknown[]): DraftLayout {
  return { ...layout, paths: { ...rawPaths(layout).rest, nodes, edges } };
}

/** `N-01`, `N-02`...: the first id no node of the draft uses. */
export function freshNodeId(layout: DraftLayout): string {
  const used = new Set(nodesOf(layout).map((n) => n.id));
  for (let n = 1; ; n++) {
    const id = `${NODE_PREFIX}-${String(n).padStart(2, '0')}`;
    if (!used.has(id)) return id;
  }
}

/** Adds a node at (x, z), m, with a fresh id (creating `paths` when the draft has none). */
export function addNode(
  layout: DraftLayout,
  x: number,
  z: number,
): { layout: DraftLayout; id: string } | null {
  if (!Number.isFinite(x) || !Number.isFinite(z)) return null;
  const id = freshNodeId(layout);
  const { nodes, edges } = rawPaths(layout);
  return { layout: withPaths(layout, [...nodes, { id, position: [x, z] }], edges), id };
}

/** Moves node `id` to (x, z), m. */
export function moveNode(layout: DraftLayout, id: string, x: number, z: number): DraftLayout {
  if (!Number.isFinite(x) || !Number.isFinite(z)) return layout;
  const { nodes, edges } = rawPaths(layout);
  const i = nodes.findIndex((n) => isNode(n) && n.id === id);
  if (i < 0) return layout;
  const n = nodes[i] as DraftNode;
  if (n.position[0] === x && n.position[1] === z) return layout;
  const next = nodes.slice();
  next[i] = { ...n, position: [x, z] };
  return withPaths(layout, next, edges);
}

/** Connects nodes `a` and `b` with a two-way aisle (not a node to itself, nor twice). */
export function connectNodes(layout: DraftLayout, a: string, b: string): DraftLayout {
  if (a === b) return layout;
  const ids = new Set(nodesOf(layout).map((n) => n.id));
  if (!ids.has(a) || !ids.has(b)) return layout;
  if (edgesOf(layout).some((e) => (e.a === a && e.b === b) || (e.a === b && e.b === a))) return layout;
  const { nodes, edges } = rawPaths(layout);
  return withPaths(layout, nodes, [...edges, [a, b]]);
}

/** Removes the edge at `index` of `paths.edges`. */
export function removeEdge(layout: DraftLayout, index: number): DraftLayout {
  const { nodes, edges } = rawPaths(layout);
  if (!Number.isInteger(index) || index < 0 || index >= edges.length) return layout;
  return withPaths(layout, nodes, [...edges.slice(0, index), ...edges.slice(index + 1)]);
}

/**
 * Removes node `id` and the edges that touch it (equipment naming it keeps the name: the server
 * reports the unknown node).
 */
export function removeNode(layout: DraftLayout, id: string): DraftLayout {
  const { nodes, edges } = rawPaths(layout);
  const kept = nodes.filter((n) => !(isNode(n) && n.id === id));
  if (kept.length === nodes.length) return layout;
  return withPaths(
    layout,
    kept,
    edges.filter((e) => !(Array.isArray(e) && (e[0] === id || e[1] === id))),
  );
}

/**
 * The path node an error line is about, or null: `paths.nodes[3]...` names the node at that index,
 * `paths.edges[2]...` the edge's first node, and a stop-node error of equipment (`... AGV stop
 * node "X" ...`, `unknown path node "X"`) the node it quotes.
 */
export function nodeOfError(layout: DraftLayout, error: string): string | null {
  const at = /^paths\.nodes\[(\d+)\]/.exec(error);
  if (at) {
    const n = rawPaths(layout).nodes[Number(at[1])];
    return isRecord(n) && typeof n.id === 'string' ? n.id : null;
  }
  const stop = /^equipment\[\d+\]\.props\.(?:home|node): (?:AGV stop node|unknown path node) "([^"]+)"/.exec(
    error,
  );
  if (stop) return stop[1];
  const edge = /^paths\.edges\[(\d+)\](?:\[(\d)\])?/.exec(error);
  if (edge) {
    const e = rawPaths(layout).edges[Number(edge[1])];
    const v = Array.isArray(e) ? e[Number(edge[2] ?? 0)] : undefined;
    return typeof v === 'string' ? v : null;
  }
  return null;
}
