import type { DraftLayout } from '../layoutEdits';

/**
 * Edits of zones (floor rectangles) and production lines (equipment in flow order) as pure
 * layout → layout functions. Values are stored as given (the form and the server check them);
 * `undefined` removes an optional field. The layout itself comes back when nothing changes.
 */

type Rec = Record<string, unknown>;

function isRecord(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function listOf(layout: DraftLayout, key: 'zones' | 'lines'): unknown[] {
  const l = layout[key];
  return Array.isArray(l) ? l : [];
}

/** `PREFIX-01`, `PREFIX-02`...: the first id not used in `key`. */
export function freshListId(layout: DraftLayout, key: 'zones' | 'lines', prefix: string): string {
  const used = new Set(listOf(layout, key).map((x) => (isRecord(x) ? x.id : undefined)));
  for (let n = 1; ; n++) {
    const id = `${prefix}-${String(n).padStart(2, '0')}`;
    if (!used.has(id)) return id;
  }
}

/** Replaces the first entry of `key` with `id` by `change(it)` (the layout itself when none has it). */
function mapEntry(
  layout: DraftLayout,
  key: 'zones' | 'lines',
  id: string,
  change: (e: Rec) => Rec,
): DraftLayout {
  const list = listOf(layout, key);
  const i = list.findIndex((x) => isRecord(x) && x.id === id);
  if (i < 0) return layout;
  const next = list.slice();
  next[i] = change(list[i] as Rec);
  return { ...layout, [key]: next };
}

/** The entry with `id` in zones or lines, or null. */
export function entryOf(layout: DraftLayout, key: 'zones' | 'lines', id: string): Rec | null {
  return (listOf(layout, key).find((x) => isRecord(x) && x.id === id) as Rec | undefined) ?? null;
}

/** Sets (or with undefined removes) field `field` of zone/line `id`; `nameZh` is `names["zh-CN"]`. */
export function setEntryField(
  layout: DraftLayout,
  key: 'zones' | 'lines',
  id: string,
  field: string,
  value: unknown,
): DraftLayout {
  const e = entryOf(layout, key, id);
  if (!e) return layout;
  if (field === 'nameZh') {
    const names: Rec = { ...(isRecord(e.names) ? e.names : {}) };
    if (Object.is(names['zh-CN'], value)) return layout;
    if (value === undefined) delete names['zh-CN'];
    else names['zh-CN'] = value;
    return mapEntry(layout, key, id, (x) => {
      const out = { ...x, names };
      if (Object.keys(names).length === 0) delete (out as Rec).names;
      return out;
    });
  }
  if (Object.is(e[field], value)) return layout;
  return mapEntry(layout, key, id, (x) => {
    const out: Rec = { ...x, [field]: value };
    if (value === undefined) delete out[field];
    return out;
  });
}

/** Renames zone `id` to `next`, with the equipment and lines standing in it. */
export function renameZone(layout: DraftLayout, id: string, next: string): DraftLayout {
  if (id === next || !entryOf(layout, 'zones', id)) return layout;
  const out: Rec = { ...setEntryField(layout, 'zones', id, 'id', next) };
  for (const key of ['equipment', 'lines'] as const)
    if (Array.isArray(layout[key]))
      out[key] = (layout[key] as unknown[]).map((x) =>
        isRecord(x) && x.zone === id ? { ...x, zone: next } : x,
      );
  return out;
}

/** Renames line `id` to `next`, with the equipment that names it. */
export function renameLine(layout: DraftLayout, id: string, next: string): DraftLayout {
  if (id === next || !entryOf(layout, 'lines', id)) return layout;
  const out: Rec = { ...setEntryField(layout, 'lines', id, 'id', next) };
  if (Array.isArray(layout.equipment))
    out.equipment = layout.equipment.map((x) => (isRecord(x) && x.line === id ? { ...x, line: next } : x));
  return out;
}

const r2 = (v: number) => Number(v.toFixed(3));

/** A floor rectangle from two corners in any order, m, as the schema's [x, z] min and max. */
export function rectOf(ax: number, az: number, bx: number, bz: number): { min: number[]; max: number[] } {
  return {
    min: [r2(Math.min(ax, bx)), r2(Math.min(az, bz))],
    max: [r2(Math.max(ax, bx)), r2(Math.max(az, bz))],
  };
}

/** Adds a hall zone over the rectangle between two corners, m, with a fresh id (null when it has no area). */
export function addZone(
  layout: DraftLayout,
  ax: number,
  az: number,
  bx: number,
  bz: number,
): { layout: DraftLayout; id: string } | null {
  if (![ax, az, bx, bz].every(Number.isFinite) || ax === bx || az === bz) return null;
  const id = freshListId(layout, 'zones', 'ZONE');
  const zone = { id, name: id, kind: 'hall', ...rectOf(ax, az, bx, bz), height: 8 };
  return { layout: { ...layout, zones: [...listOf(layout, 'zones'), zone] }, id };
}

/**
 * Moves corner `corner` of zone `id` (0: min x min z, 1: max x min z, 2: max x max z, 3: min x
 * max z) to (x, z), m; the opposite corner stays, and the rectangle is normalized again.
 */
export function moveZoneCorner(
  layout: DraftLayout,
  id: string,
  corner: number,
  x: number,
  z: number,
): DraftLayout {
  const e = entryOf(layout, 'zones', id);
  if (!e || !Number.isFinite(x) || !Number.isFinite(z)) return layout;
  const min = e.min as number[];
  const max = e.max as number[];
  if (!Array.isArray(min) || !Array.isArray(max)) return layout;
  const opposite = [
    [max[0], max[1]],
    [min[0], max[1]],
    [min[0], min[1]],
    [max[0], min[1]],
  ][corner];
  if (!opposite || x === opposite[0] || z === opposite[1]) return layout;
  const rect = rectOf(opposite[0], opposite[1], x, z);
  if (rect.min.every((v, i) => v === min[i]) && rect.max.every((v, i) => v === max[i])) return layout;
  return mapEntry(layout, 'zones', id, (zn) => ({ ...zn, ...rect }));
}

/** Removes zone or line `id` (what stands in it or names it keeps the id: the server reports it). */
export function removeEntry(layout: DraftLayout, key: 'zones' | 'lines', id: string): DraftLayout {
  const list = listOf(layout, key);
  const kept = list.filter((x) => !(isRecord(x) && x.id === id));
  return kept.length === list.length ? layout : { ...layout, [key]: kept };
}

/** Adds an empty line in zone `zone` with a fresh id (its flow is picked next). */
export function addLine(layout: DraftLayout, zone: string | undefined): { layout: DraftLayout; id: string } {
  const id = freshListId(layout, 'lines', 'LINE');
  const line: Rec = { id, name: id, flow: [], targetPerHour: 60 };
  if (zone) line.zone = zone;
  return { layout: { ...layout, lines: [...listOf(layout, 'lines'), line] }, id };
}

function flowOf(e: Rec): unknown[] {
  return Array.isArray(e.flow) ? e.flow : [];
}

/**
 * Appends equipment `eq` to line `id`'s flow and marks the equipment as on that line (a piece
 * already in the flow stays where it is).
 */
export function appendToFlow(layout: DraftLayout, id: string, eq: string): DraftLayout {
  const line = entryOf(layout, 'lines', id);
  if (!line || flowOf(line).includes(eq)) return layout;
  const next = mapEntry(layout, 'lines', id, (l) => ({ ...l, flow: [...flowOf(l), eq] }));
  if (!Array.isArray(next.equipment)) return next;
  return {
    ...next,
    equipment: next.equipment.map((x) =>
      isRecord(x) && x.id === eq && x.line !== id ? { ...x, line: id } : x,
    ),
  };
}

/** Moves the flow's entry at `i` by `by` places (−1 earlier, +1 later). */
export function moveInFlow(layout: DraftLayout, id: string, i: number, by: number): DraftLayout {
  const line = entryOf(layout, 'lines', id);
  const flow = line ? flowOf(line) : [];
  const j = i + by;
  if (i < 0 || i >= flow.length || j < 0 || j >= flow.length || i === j) return layout;
  const next = flow.slice();
  const [item] = next.splice(i, 1);
  next.splice(j, 0, item);
  return mapEntry(layout, 'lines', id, (l) => ({ ...l, flow: next }));
}

/** Removes the flow's entry at `i` (the equipment's `line` goes too, when it names this line). */
export function removeFromFlow(layout: DraftLayout, id: string, i: number): DraftLayout {
  const line = entryOf(layout, 'lines', id);
  const flow = line ? flowOf(line) : [];
  if (i < 0 || i >= flow.length) return layout;
  const gone = flow[i];
  const next = mapEntry(layout, 'lines', id, (l) => ({
    ...l,
    flow: [...flow.slice(0, i), ...flow.slice(i + 1)],
  }));
  if (!Array.isArray(next.equipment)) return next;
  return {
    ...next,
    equipment: next.equipment.map((x) => {
      if (!(isRecord(x) && x.id === gone && x.line === id)) return x;
      const { line: _, ...rest } = x;
      return rest;
    }),
  };
}
