import { type Footprint, footprintOf } from '../footprint';
import { type DraftEquipment, type DraftLayout, equipmentOf } from '../layoutEdits';

/**
 * Keeps equipment's `zone` true to where it stands: after a move, equipment whose floor box lies
 * wholly inside another zone's rectangle takes that zone (the loader lists equipment outside every
 * zone, and a stale `zone` would put it in the wrong hall's walls and counts). Pure.
 */

type Rect = { id: string; min: [number, number]; max: [number, number] };

const DEG = Math.PI / 180;
const _f: Footprint = { sx: 1, sy: 1, sz: 1 };

function rects(layout: DraftLayout): Rect[] {
  const zones = Array.isArray(layout.zones) ? layout.zones : [];
  return zones.flatMap((z) => {
    const r = z as Partial<Rect> | null;
    const ok =
      r !== null &&
      typeof r?.id === 'string' &&
      Array.isArray(r.min) &&
      Array.isArray(r.max) &&
      [...r.min, ...r.max].every((v) => typeof v === 'number' && Number.isFinite(v));
    return ok ? [r as Rect] : [];
  });
}

/** The axis-aligned floor extent of equipment `e`'s turned box: [minX, minZ, maxX, maxZ], m. */
export function floorBox(e: DraftEquipment): [number, number, number, number] {
  footprintOf(e, _f);
  const yaw = (e.rotation ?? 0) * DEG;
  const c = Math.abs(Math.cos(yaw));
  const s = Math.abs(Math.sin(yaw));
  const hx = (c * _f.sx + s * _f.sz) / 2;
  const hz = (s * _f.sx + c * _f.sz) / 2;
  const [x, , z] = e.position;
  return [x - hx, z - hz, x + hx, z + hz];
}

const holds = (r: Rect, b: readonly number[]) =>
  b[0] >= r.min[0] && b[2] <= r.max[0] && b[1] >= r.min[1] && b[3] <= r.max[1];

/**
 * The zone equipment `e` should be in: its own while its box is wholly inside it (or it is not
 * wholly inside any), else the first zone that wholly holds it.
 */
export function zoneFor(layout: DraftLayout, e: DraftEquipment): string | undefined {
  const all = rects(layout);
  const b = floorBox(e);
  const own = all.find((r) => r.id === e.zone);
  if (own && holds(own, b)) return e.zone;
  return all.find((r) => holds(r, b))?.id ?? e.zone;
}

/** Sets the `zone` of each equipment in `ids` that now stands wholly in another zone. */
export function rezone(layout: DraftLayout, ids: readonly string[]): DraftLayout {
  if (!Array.isArray(layout.equipment) || ids.length === 0) return layout;
  const want = new Map<string, string>();
  const set = new Set(ids);
  for (const e of equipmentOf(layout)) {
    if (!set.has(e.id)) continue;
    const z = zoneFor(layout, e);
    if (z !== undefined && z !== e.zone) want.set(e.id, z);
  }
  if (want.size === 0) return layout;
  const equipment = layout.equipment.map((x) => {
    const id = (x as { id?: unknown } | null)?.id;
    return typeof id === 'string' && want.has(id) ? { ...(x as object), zone: want.get(id) } : x;
  });
  return { ...layout, equipment };
}
