import { EQUIPMENT_KINDS, type EquipmentKind } from '../../protocol';

/**
 * Design mode's edits as plain data operations on a draft layout. A draft may be invalid (that is
 * what the server's error list is for), so these read the layout defensively and never validate:
 * each returns a new layout (unchanged parts shared) and leaves its input untouched.
 */

/** One equipment entry of a draft, as far as the editor needs to know it (the rest is kept). */
export interface DraftEquipment {
  id: string;
  kind: string;
  name?: string;
  zone?: string;
  position: [number, number, number];
  rotation?: number;
  props?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A draft layout: any JSON object; `equipment`, `zones`, `lines`... when it has them. */
export type DraftLayout = Readonly<Record<string, unknown>>;

/** Grid step of snapped moves, m. */
export const MOVE_SNAP_M = 0.5;
/** Step of snapped rotations, degrees. */
export const ROTATE_SNAP_DEG = 15;
/** Undo steps kept; older ones are forgotten. */
export const HISTORY_LIMIT = 100;
/** Longest equipment id the plant loader accepts. */
const ID_MAX = 40;

/** Id prefix of new equipment, per kind (the shipped plant's style: `AGV-01`, `RK-12`...). */
const ID_PREFIX: Readonly<Record<EquipmentKind, string>> = {
  'robot-arm': 'ROB',
  agv: 'AGV',
  drone: 'DR',
  conveyor: 'CONV',
  'vision-station': 'VIS',
  'base-station': '5G-C',
  'edge-server': 'MEC',
  'charging-dock': 'CHG',
  transformer: 'TX',
  rack: 'RK',
  feeder: 'FDR',
};

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isEquipment(x: unknown): x is DraftEquipment {
  return (
    isRecord(x) &&
    typeof x.id === 'string' &&
    typeof x.kind === 'string' &&
    Array.isArray(x.position) &&
    x.position.length === 3 &&
    x.position.every((v) => typeof v === 'number')
  );
}

/** The draft's equipment array as stored (entries of any shape), or an empty one. */
function rawEquipment(layout: DraftLayout): readonly unknown[] {
  return Array.isArray(layout.equipment) ? layout.equipment : [];
}

/** The equipment the editor can draw and edit (entries without an id, kind or position are skipped). */
export function equipmentOf(layout: DraftLayout): DraftEquipment[] {
  return rawEquipment(layout).filter(isEquipment);
}

/** The equipment with this id (the first, if the draft holds duplicates), or null. */
export function findEquipment(layout: DraftLayout, id: string): DraftEquipment | null {
  return equipmentOf(layout).find((e) => e.id === id) ?? null;
}

/** Rounds to the nearest multiple of `step` (no float dust: 0.1 + 0.2 stays 0.3). */
export function snapTo(value: number, step: number): number {
  return Number((Math.round(value / step) * step).toFixed(6));
}

/** Degrees in (-180, 180]. */
export function normalizeDeg(deg: number): number {
  const d = ((((deg + 180) % 360) + 360) % 360) - 180;
  return Number((d === -180 ? 180 : d).toFixed(6));
}

/** Replaces the first equipment with `id` by `change(it)`; the layout itself when none has it. */
function mapEquipment(
  layout: DraftLayout,
  id: string,
  change: (e: DraftEquipment) => DraftEquipment,
): DraftLayout {
  const list = rawEquipment(layout);
  const i = list.findIndex((e) => isEquipment(e) && e.id === id);
  if (i < 0) return layout;
  const next = list.slice();
  next[i] = change(list[i] as DraftEquipment);
  return { ...layout, equipment: next };
}

/** Moves equipment `id` to (x, z) on the floor, m (its height stays). */
export function moveEquipment(layout: DraftLayout, id: string, x: number, z: number): DraftLayout {
  if (!Number.isFinite(x) || !Number.isFinite(z)) return layout;
  return mapEquipment(layout, id, (e) => ({ ...e, position: [x, e.position[1], z] }));
}

/** Sets equipment `id`'s yaw, degrees (normalized to (-180, 180]). */
export function rotateEquipment(layout: DraftLayout, id: string, deg: number): DraftLayout {
  if (!Number.isFinite(deg)) return layout;
  return mapEquipment(layout, id, (e) => ({ ...e, rotation: normalizeDeg(deg) }));
}

/**
 * Renames equipment `id` to `next`, with the lines' flows and the drone routes that name it. The
 * new id is taken as typed: a duplicate or malformed one is the server's to report.
 */
export function renameEquipment(layout: DraftLayout, id: string, next: string): DraftLayout {
  if (next === id || !findEquipment(layout, id)) return layout;
  const out: Record<string, unknown> = { ...mapEquipment(layout, id, (e) => ({ ...e, id: next })) };
  if (Array.isArray(layout.lines))
    out.lines = layout.lines.map((l) =>
      isRecord(l) && Array.isArray(l.flow) ? { ...l, flow: l.flow.map((f) => (f === id ? next : f)) } : l,
    );
  if (Array.isArray(layout.droneRoutes))
    out.droneRoutes = layout.droneRoutes.map((r) =>
      isRecord(r) && (r.drone === id || r.dock === id)
        ? { ...r, drone: r.drone === id ? next : r.drone, dock: r.dock === id ? next : r.dock }
        : r,
    );
  return out;
}

/** Removes equipment `id` (references to it stay: the server names them). */
export function removeEquipment(layout: DraftLayout, id: string): DraftLayout {
  const list = rawEquipment(layout);
  const i = list.findIndex((e) => isEquipment(e) && e.id === id);
  if (i < 0) return layout;
  return { ...layout, equipment: [...list.slice(0, i), ...list.slice(i + 1)] };
}

/** Every id in the draft's equipment. */
function idsOf(layout: DraftLayout): Set<string> {
  return new Set(equipmentOf(layout).map((e) => e.id));
}

/** `PREFIX-01`, `PREFIX-02`...: the first that no equipment of the draft uses. */
export function freshId(layout: DraftLayout, prefix: string): string {
  const used = idsOf(layout);
  for (let n = 1; ; n++) {
    const id = `${prefix}-${String(n).padStart(2, '0')}`;
    if (!used.has(id)) return id;
  }
}

/**
 * A copy's id: the next free number in the same style (`AGV-09` → `AGV-10`, `L1-R1` → `L1-R2`), or
 * `-2`, `-3`... after an id without one; shortened to fit the 40-character limit.
 */
export function copyId(layout: DraftLayout, id: string): string {
  const used = idsOf(layout);
  const m = /^(.*)-(\d+)$/.exec(id) ?? /^(.*?)(\d+)$/.exec(id);
  const stem = m ? id.slice(0, id.length - m[2].length) : `${id}-`;
  const width = m ? m[2].length : 1;
  for (let n = m ? Number(m[2]) + 1 : 2; ; n++) {
    const tail = String(n).padStart(width, '0');
    const candidate = `${stem.slice(0, ID_MAX - tail.length)}${tail}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** The zone (id) whose floor rectangle holds (x, z), else the first zone, else none. */
export function zoneAt(layout: DraftLayout, x: number, z: number): string | undefined {
  const zones = Array.isArray(layout.zones) ? layout.zones.filter(isRecord) : [];
  const inside = zones.find((zn) => {
    const min = zn.min as number[] | undefined;
    const max = zn.max as number[] | undefined;
    return (
      Array.isArray(min) && Array.isArray(max) && x >= min[0] && x <= max[0] && z >= min[1] && z <= max[1]
    );
  });
  const zone = inside ?? zones[0];
  return typeof zone?.id === 'string' ? zone.id : undefined;
}

/** The first AGV path node of the draft (where new AGVs, racks, feeders and docks are tied). */
function firstNode(layout: DraftLayout): string {
  const paths = layout.paths;
  const nodes = isRecord(paths) && Array.isArray(paths.nodes) ? paths.nodes : [];
  const n = nodes.find((x) => isRecord(x) && typeof x.id === 'string') as { id: string } | undefined;
  return n?.id ?? 'NODE';
}

/** The props a new piece of equipment of `kind` starts with (the loader's defaults, and what it requires). */
export function defaultProps(layout: DraftLayout, kind: EquipmentKind): Record<string, unknown> {
  switch (kind) {
    case 'conveyor':
      return { length: 6, beltSpeed: 0.3, pitch: 0.6 };
    case 'agv':
      return { home: firstNode(layout), maxSpeed: 1.2, capacityKg: 1000 };
    case 'rack':
      return { node: firstNode(layout), capacity: 24 };
    case 'feeder':
      return { node: firstNode(layout) };
    case 'charging-dock':
      return { for: 'drone' };
    default:
      return {};
  }
}

/** Adds a new `kind` at (x, z) with a fresh id (named by it) in the zone under it. */
export function addEquipment(
  layout: DraftLayout,
  kind: EquipmentKind,
  x: number,
  z: number,
): { layout: DraftLayout; id: string } {
  const id = freshId(layout, ID_PREFIX[kind]);
  const e: DraftEquipment = {
    id,
    name: id,
    kind,
    zone: zoneAt(layout, x, z),
    position: [x, kind === 'base-station' ? 4 : 0, z],
    rotation: 0,
    props: defaultProps(layout, kind),
  };
  if (e.zone === undefined) delete e.zone;
  return { layout: { ...layout, equipment: [...rawEquipment(layout), e] }, id };
}

/** Copies equipment `id` (not its line membership) `offset` m further east, with a fresh id. */
export function duplicateEquipment(
  layout: DraftLayout,
  id: string,
  offset = 2,
): { layout: DraftLayout; id: string } | null {
  const src = findEquipment(layout, id);
  if (!src) return null;
  const copy: DraftEquipment = structuredClone(src);
  copy.id = copyId(layout, id);
  copy.name = typeof src.name === 'string' ? `${src.name} (2)`.slice(0, 80) : copy.id;
  delete copy.names;
  delete copy.line;
  copy.position = [src.position[0] + offset, src.position[1], src.position[2]];
  return { layout: { ...layout, equipment: [...rawEquipment(layout), copy] }, id: copy.id };
}

/** Whether `kind` is an equipment kind the plant loader knows. */
export function isKind(kind: string): kind is EquipmentKind {
  return (EQUIPMENT_KINDS as readonly string[]).includes(kind);
}

/** The equipment id an error line (`equipment[12].position: ...`) names in `layout`, or null. */
export function equipmentOfError(layout: DraftLayout, error: string): string | null {
  const m = /^equipment\[(\d+)\]/.exec(error);
  if (!m) return null;
  const e = rawEquipment(layout)[Number(m[1])];
  return isRecord(e) && typeof e.id === 'string' ? e.id : null;
}

/** An undo history of whole layouts: the past (oldest first), the present and the undone future. */
export interface History {
  readonly past: readonly DraftLayout[];
  readonly present: DraftLayout;
  readonly future: readonly DraftLayout[];
}

/** A history that starts at `layout`. */
export function startHistory(layout: DraftLayout): History {
  return { past: [], present: layout, future: [] };
}

/** Makes `layout` the present (an edit): the redo future is dropped, the past keeps at most `limit`. */
export function commit(h: History, layout: DraftLayout, limit = HISTORY_LIMIT): History {
  if (layout === h.present) return h;
  const past = [...h.past, h.present];
  return { past: past.length > limit ? past.slice(past.length - limit) : past, present: layout, future: [] };
}

/** One step back (the same history when there is nothing to undo). */
export function undo(h: History): History {
  if (h.past.length === 0) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future] };
}

/** One step forward again (the same history when nothing was undone). */
export function redo(h: History): History {
  if (h.future.length === 0) return h;
  return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1) };
}
