/**
 * What changed between two plant layouts: equipment added, removed, moved (position or yaw) and
 * changed (any other field, named by its dotted path); the same for zones, lines, drone routes and
 * viewpoints; AGV path nodes added, removed and moved, and aisles (edges) added and removed.
 *
 * Works on any JSON, not only valid layouts: a draft being edited may be invalid, and its diff
 * must still show. Entries are matched by `id`; an entry without a string id is not compared, and
 * of two entries with the same id the first counts (the loader reports the duplicate).
 */

/** Smallest move shown, m (below it a float round trip, not an edit). */
export const MOVE_EPSILON_M = 0.001;
/** Smallest turn shown, degrees. */
export const TURN_EPSILON_DEG = 0.01;
/** Most changed paths listed per entry (a replaced props object can name many). */
export const MAX_CHANGED_PATHS = 20;

export interface EntryRef {
  id: string;
  /** Equipment kind or zone kind, where the entry has one. */
  kind?: string;
}

export interface MovedEquipment {
  id: string;
  kind?: string;
  /** Position before and after [x, y, z], m. */
  from: [number, number, number];
  to: [number, number, number];
  /** Distance on the floor (x, z), m. */
  distanceM: number;
  /** Yaw before and after, degrees. */
  rotationFrom: number;
  rotationTo: number;
}

/** Equipment removed, with where it stood (so a ghost can be drawn without the before layout). */
export interface RemovedEquipment extends EntryRef {
  /** Position [x, y, z], m, and yaw, degrees, as it stood. */
  position: [number, number, number];
  rotation: number;
  /** Its props as they were (footprints depend on some: a conveyor's length). */
  props?: Record<string, unknown>;
}

export interface ChangedEntry {
  id: string;
  kind?: string;
  /** Dotted paths of the fields that differ (`props.speed`, `zone`), at most MAX_CHANGED_PATHS. */
  fields: string[];
}

export interface CollectionDiff {
  added: EntryRef[];
  removed: EntryRef[];
  changed: ChangedEntry[];
}

export interface LayoutDiff {
  /** Top-level fields that differ (name, names, site, siteNames). */
  plant: string[];
  equipment: Omit<CollectionDiff, 'removed'> & { removed: RemovedEquipment[]; moved: MovedEquipment[] };
  zones: CollectionDiff;
  lines: CollectionDiff;
  droneRoutes: CollectionDiff;
  viewpoints: CollectionDiff;
  paths: {
    nodesAdded: string[];
    nodesRemoved: string[];
    /** Nodes whose floor position changed: [x, z] before and after, m. */
    nodesMoved: { id: string; from: [number, number]; to: [number, number] }[];
    /** Two-way aisles as [a, b] with a < b. */
    edgesAdded: [string, string][];
    edgesRemoved: [string, string][];
  };
  /** Number of differences listed above (0: the layouts are the same). */
  total: number;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Entries of a list by id (first occurrence wins), in list order. */
function byId(list: unknown): Map<string, Obj> {
  const m = new Map<string, Obj>();
  for (const e of arr(list)) if (isObj(e) && typeof e.id === 'string' && !m.has(e.id)) m.set(e.id, e);
  return m;
}

function ref(e: Obj): EntryRef {
  return typeof e.kind === 'string' ? { id: e.id as string, kind: e.kind } : { id: e.id as string };
}

/** Dotted paths where `a` and `b` differ; arrays and scalars compare whole. */
function differingPaths(
  a: unknown,
  b: unknown,
  prefix: string,
  skip: ReadonlySet<string>,
  out: string[],
): void {
  if (out.length >= MAX_CHANGED_PATHS) return;
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) {
      const p = prefix ? `${prefix}.${k}` : k;
      if (!skip.has(p)) differingPaths(a[k], b[k], p, skip, out);
    }
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(prefix || '(whole)');
}

function collection(a: unknown, b: unknown, skip: ReadonlySet<string> = new Set(['id'])): CollectionDiff {
  const before = byId(a);
  const after = byId(b);
  const d: CollectionDiff = { added: [], removed: [], changed: [] };
  for (const [id, e] of after) if (!before.has(id)) d.added.push(ref(e));
  for (const [id, e] of before) {
    const now = after.get(id);
    if (!now) {
      d.removed.push(ref(e));
      continue;
    }
    const fields: string[] = [];
    differingPaths(e, now, '', skip, fields);
    if (fields.length) d.changed.push({ ...ref(now), fields });
  }
  return d;
}

const vec3 = (v: unknown): [number, number, number] => {
  const a = arr(v);
  return [num(a[0]), num(a[1]), num(a[2])];
};
const vec2 = (v: unknown): [number, number] => {
  const a = arr(v);
  return [num(a[0]), num(a[1])];
};

const EQUIPMENT_SKIP = new Set(['id', 'position', 'rotation']);

function equipmentMoves(a: unknown, b: unknown): MovedEquipment[] {
  const before = byId(a);
  const moved: MovedEquipment[] = [];
  for (const [id, now] of byId(b)) {
    const was = before.get(id);
    if (!was) continue;
    const from = vec3(was.position);
    const to = vec3(now.position);
    const rotationFrom = num(was.rotation);
    const rotationTo = num(now.rotation);
    const shift = Math.hypot(to[0] - from[0], to[1] - from[1], to[2] - from[2]);
    if (shift < MOVE_EPSILON_M && Math.abs(rotationTo - rotationFrom) < TURN_EPSILON_DEG) continue;
    const e: MovedEquipment = {
      id,
      from,
      to,
      distanceM: Math.hypot(to[0] - from[0], to[2] - from[2]),
      rotationFrom,
      rotationTo,
    };
    if (typeof now.kind === 'string') e.kind = now.kind;
    moved.push(e);
  }
  return moved;
}

const edgeKey = (e: unknown): string | null => {
  const p = arr(e);
  if (p.length !== 2 || typeof p[0] !== 'string' || typeof p[1] !== 'string') return null;
  return p[0] < p[1] ? `${p[0]}\u0000${p[1]}` : `${p[1]}\u0000${p[0]}`;
};
const edgeSet = (paths: unknown): Set<string> => {
  const s = new Set<string>();
  for (const e of arr(isObj(paths) ? paths.edges : undefined)) {
    const k = edgeKey(e);
    if (k) s.add(k);
  }
  return s;
};
const asEdge = (k: string) => k.split('\u0000') as [string, string];

function pathDiff(a: unknown, b: unknown): LayoutDiff['paths'] {
  const nodesA = byId(isObj(a) ? a.nodes : undefined);
  const nodesB = byId(isObj(b) ? b.nodes : undefined);
  const edgesA = edgeSet(a);
  const edgesB = edgeSet(b);
  const nodesMoved: LayoutDiff['paths']['nodesMoved'] = [];
  for (const [id, n] of nodesB) {
    const was = nodesA.get(id);
    if (!was) continue;
    const from = vec2(was.position);
    const to = vec2(n.position);
    if (Math.hypot(to[0] - from[0], to[1] - from[1]) >= MOVE_EPSILON_M) nodesMoved.push({ id, from, to });
  }
  return {
    nodesAdded: [...nodesB.keys()].filter((id) => !nodesA.has(id)),
    nodesRemoved: [...nodesA.keys()].filter((id) => !nodesB.has(id)),
    nodesMoved,
    edgesAdded: [...edgesB].filter((k) => !edgesA.has(k)).map(asEdge),
    edgesRemoved: [...edgesA].filter((k) => !edgesB.has(k)).map(asEdge),
  };
}

const count = (c: CollectionDiff) => c.added.length + c.removed.length + c.changed.length;

/** The differences from layout `a` (before) to layout `b` (after). */
export function diffLayouts(a: unknown, b: unknown): LayoutDiff {
  const A = isObj(a) ? a : {};
  const B = isObj(b) ? b : {};
  const plant: string[] = [];
  for (const k of ['name', 'names', 'site', 'siteNames'])
    if (JSON.stringify(A[k]) !== JSON.stringify(B[k])) plant.push(k);
  const eq = collection(A.equipment, B.equipment, EQUIPMENT_SKIP);
  const stood = byId(A.equipment);
  const equipment = {
    ...eq,
    removed: eq.removed.map((r): RemovedEquipment => {
      const was = stood.get(r.id) ?? {};
      const out: RemovedEquipment = { ...r, position: vec3(was.position), rotation: num(was.rotation) };
      if (isObj(was.props)) out.props = was.props;
      return out;
    }),
    moved: equipmentMoves(A.equipment, B.equipment),
  };
  const zones = collection(A.zones, B.zones);
  const lines = collection(A.lines, B.lines);
  const droneRoutes = collection(A.droneRoutes, B.droneRoutes);
  const viewpoints = collection(A.viewpoints, B.viewpoints);
  const paths = pathDiff(A.paths, B.paths);
  const total =
    plant.length +
    count(equipment) +
    equipment.moved.length +
    count(zones) +
    count(lines) +
    count(droneRoutes) +
    count(viewpoints) +
    paths.nodesAdded.length +
    paths.nodesRemoved.length +
    paths.nodesMoved.length +
    paths.edgesAdded.length +
    paths.edgesRemoved.length;
  return { plant, equipment, zones, lines, droneRoutes, viewpoints, paths, total };
}
