import type { Layout } from '../../protocol';

/**
 * The AGV path network as compact arrays (CSR adjacency), with Dijkstra over scratch buffers so a
 * route search allocates nothing but its answer. Nodes are 2D floor points [x, z] in metres.
 */
export interface PathGraph {
  readonly ids: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  /** Node floor position, m. */
  readonly x: Float64Array;
  readonly z: Float64Array;
  /** Neighbours of node i are adj[adjStart[i] .. adjStart[i + 1]), with edge lengths in adjLen (m). */
  readonly adjStart: Int32Array;
  readonly adj: Int32Array;
  readonly adjLen: Float64Array;
  /** Connected component of each node (copies of a scaled plant are separate components). */
  readonly comp: Int32Array;
  /** Scratch for searches: distance (m), predecessor, heap, and the nodes touched last time. */
  readonly dist: Float64Array;
  readonly prev: Int32Array;
  readonly heapNode: Int32Array;
  readonly heapKey: Float64Array;
  readonly touched: Int32Array;
  touchedCount: number;
}

/** Builds the graph of a layout's `paths` (an empty graph when there is none). */
export function buildGraph(paths: Layout['paths']): PathGraph {
  const nodes = paths?.nodes ?? [];
  const n = nodes.length;
  const index = new Map<string, number>();
  const x = new Float64Array(n);
  const z = new Float64Array(n);
  nodes.forEach((p, i) => {
    index.set(p.id, i);
    x[i] = p.position[0];
    z[i] = p.position[1];
  });
  const lists: number[][] = nodes.map(() => []);
  for (const [a, b] of paths?.edges ?? []) {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined || i === j || lists[i].includes(j)) continue;
    lists[i].push(j);
    lists[j].push(i);
  }
  const adjStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) adjStart[i + 1] = adjStart[i] + lists[i].length;
  const adj = new Int32Array(adjStart[n]);
  const adjLen = new Float64Array(adjStart[n]);
  for (let i = 0; i < n; i++) {
    lists[i].forEach((j, k) => {
      adj[adjStart[i] + k] = j;
      adjLen[adjStart[i] + k] = Math.hypot(x[j] - x[i], z[j] - z[i]);
    });
  }
  const comp = new Int32Array(n).fill(-1);
  let c = 0;
  for (let s = 0; s < n; s++) {
    if (comp[s] >= 0) continue;
    const stack = [s];
    comp[s] = c;
    while (stack.length) {
      const i = stack.pop()!;
      for (let k = adjStart[i]; k < adjStart[i + 1]; k++)
        if (comp[adj[k]] < 0) {
          comp[adj[k]] = c;
          stack.push(adj[k]);
        }
    }
    c++;
  }
  const heapSize = adj.length + n + 1;
  return {
    ids: nodes.map((p) => p.id),
    index,
    x,
    z,
    adjStart,
    adj,
    adjLen,
    comp,
    dist: new Float64Array(n).fill(Number.POSITIVE_INFINITY),
    prev: new Int32Array(n).fill(-1),
    heapNode: new Int32Array(heapSize),
    heapKey: new Float64Array(heapSize),
    touched: new Int32Array(n),
    touchedCount: 0,
  };
}

/**
 * Dijkstra from `from`. Nodes whose `holder` is neither -1 nor `self` are impassable (reserved by
 * another AGV); pass holder = null to ignore reservations. Stops early once `to` is settled
 * (to = -1 explores the whole component). Results stay in g.dist / g.prev until the next search.
 */
export function search(
  g: PathGraph,
  from: number,
  to: number,
  holder: Int32Array | null,
  self: number,
): void {
  const { dist, prev, heapNode, heapKey, touched } = g;
  for (let k = 0; k < g.touchedCount; k++) {
    dist[touched[k]] = Number.POSITIVE_INFINITY;
    prev[touched[k]] = -1;
  }
  g.touchedCount = 0;
  dist[from] = 0;
  touched[g.touchedCount++] = from;
  let size = 0;
  // Binary min-heap with lazy deletion (stale entries are skipped when popped).
  const push = (node: number, key: number) => {
    let i = size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heapKey[p] <= key) break;
      heapNode[i] = heapNode[p];
      heapKey[i] = heapKey[p];
      i = p;
    }
    heapNode[i] = node;
    heapKey[i] = key;
  };
  push(from, 0);
  while (size > 0) {
    const node = heapNode[0];
    const key = heapKey[0];
    size--;
    if (size > 0) {
      const ln = heapNode[size];
      const lk = heapKey[size];
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= size) break;
        if (c + 1 < size && heapKey[c + 1] < heapKey[c]) c++;
        if (heapKey[c] >= lk) break;
        heapNode[i] = heapNode[c];
        heapKey[i] = heapKey[c];
        i = c;
      }
      heapNode[i] = ln;
      heapKey[i] = lk;
    }
    if (key > dist[node]) continue;
    if (node === to) return;
    for (let k = g.adjStart[node]; k < g.adjStart[node + 1]; k++) {
      const nb = g.adj[k];
      if (holder && holder[nb] !== -1 && holder[nb] !== self) continue;
      const d = key + g.adjLen[k];
      if (d < dist[nb]) {
        if (dist[nb] === Number.POSITIVE_INFINITY) touched[g.touchedCount++] = nb;
        dist[nb] = d;
        prev[nb] = node;
        push(nb, d);
      }
    }
  }
}

/**
 * Shortest route from `from` to `to` avoiding nodes held by others; writes the node sequence
 * (from .. to) into `out` and returns its length, or 0 when no free route exists.
 */
export function findRoute(
  g: PathGraph,
  from: number,
  to: number,
  holder: Int32Array | null,
  self: number,
  out: Int32Array,
): number {
  if (holder && holder[to] !== -1 && holder[to] !== self) return 0;
  search(g, from, to, holder, self);
  if (g.dist[to] === Number.POSITIVE_INFINITY) return 0;
  let len = 0;
  for (let v = to; v !== -1; v = g.prev[v]) len++;
  if (len > out.length) return 0;
  let i = len - 1;
  for (let v = to; v !== -1; v = g.prev[v]) out[i--] = v;
  return len;
}
