import { type Footprint, footprintOf } from '../footprint';
import { copyId, type DraftEquipment, type DraftLayout, equipmentOf, normalizeDeg } from '../layoutEdits';

/**
 * Edits of several pieces of equipment at once (the multi-selection), copy and paste, and the
 * snap of a move to other equipment's edges and centres. Pure: each returns a new layout (or the
 * same one when nothing changes) and leaves its input untouched.
 */

/** How close (m) an edge or centre must come to another's to snap to it. */
export const NEIGHBOUR_SNAP_M = 0.3;
/**
 * Only equipment whose box comes this close (m) to a moved box counts as a neighbour: in a line
 * every few decimetres is some far piece's edge, which would leave the grid no say.
 */
export const NEIGHBOUR_REACH_M = 0.5;
/** How far east (m) a paste lands from what was copied. */
export const PASTE_OFFSET_M = 2;

const DEG = Math.PI / 180;
const round = (v: number) => Number(v.toFixed(6));

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Maps every equipment entry whose id is in `ids` (entries of other shapes are kept as they are). */
function mapMany(layout: DraftLayout, ids: ReadonlySet<string>, f: (e: DraftEquipment) => DraftEquipment) {
  if (!Array.isArray(layout.equipment) || ids.size === 0) return layout;
  const byId = new Set(equipmentOf(layout).map((e) => e.id));
  if (![...ids].some((id) => byId.has(id))) return layout;
  const equipment = layout.equipment.map((e) =>
    isRecord(e) && typeof e.id === 'string' && ids.has(e.id) && byId.has(e.id) ? f(e as DraftEquipment) : e,
  );
  return { ...layout, equipment };
}

/** Moves every equipment in `ids` by (dx, dz) m on the floor. */
export function moveMany(layout: DraftLayout, ids: readonly string[], dx: number, dz: number): DraftLayout {
  if (!Number.isFinite(dx) || !Number.isFinite(dz) || (dx === 0 && dz === 0)) return layout;
  return mapMany(layout, new Set(ids), (e) => ({
    ...e,
    position: [round(e.position[0] + dx), e.position[1], round(e.position[2] + dz)],
  }));
}

/**
 * Turns every equipment in `ids` by `deg` degrees about the vertical through (px, pz): each turns
 * in place by `deg` and its centre swings round the pivot (a rigid turn of the whole group).
 */
export function rotateMany(
  layout: DraftLayout,
  ids: readonly string[],
  px: number,
  pz: number,
  deg: number,
): DraftLayout {
  if (!Number.isFinite(deg) || deg === 0) return layout;
  const c = Math.cos(deg * DEG);
  const s = Math.sin(deg * DEG);
  return mapMany(layout, new Set(ids), (e) => {
    const [x, y, z] = e.position;
    // A yaw of +θ about +y takes (x, z) to (x cos θ + z sin θ, −x sin θ + z cos θ).
    const rx = x - px;
    const rz = z - pz;
    return {
      ...e,
      position: [round(px + rx * c + rz * s), y, round(pz - rx * s + rz * c)],
      rotation: normalizeDeg((e.rotation ?? 0) + deg),
    };
  });
}

/** Removes every equipment in `ids` (references to them stay: the server names them). */
export function removeMany(layout: DraftLayout, ids: readonly string[]): DraftLayout {
  const set = new Set(ids);
  if (!Array.isArray(layout.equipment)) return layout;
  const equipment = layout.equipment.filter(
    (e) => !(isRecord(e) && typeof e.id === 'string' && set.has(e.id)),
  );
  return equipment.length === layout.equipment.length ? layout : { ...layout, equipment };
}

/** Deep copies of the equipment in `ids`, in the draft's order (what Ctrl+C keeps). */
export function copyMany(layout: DraftLayout, ids: readonly string[]): DraftEquipment[] {
  const set = new Set(ids);
  return equipmentOf(layout)
    .filter((e) => set.has(e.id))
    .map((e) => structuredClone(e));
}

/**
 * Adds copies of `items` `offset` m east of where they were, each with a fresh id in its own style
 * (`AGV-09` → `AGV-10`) and no line membership (a line's flow names its own equipment).
 */
export function pasteEquipment(
  layout: DraftLayout,
  items: readonly DraftEquipment[],
  offset = PASTE_OFFSET_M,
): { layout: DraftLayout; ids: string[] } {
  if (items.length === 0) return { layout, ids: [] };
  const list: unknown[] = Array.isArray(layout.equipment) ? layout.equipment.slice() : [];
  const ids: string[] = [];
  for (const item of items) {
    const copy: DraftEquipment = structuredClone(item);
    copy.id = copyId({ equipment: list }, item.id);
    delete copy.line;
    copy.position = [round(item.position[0] + offset), item.position[1], item.position[2]];
    list.push(copy);
    ids.push(copy.id);
  }
  return { layout: { ...layout, equipment: list }, ids };
}

const _f: Footprint = { sx: 1, sy: 1, sz: 1 };

/** The lines (x or z, m) a piece of equipment offers to snap to: its two edges and its centre. */
function snapLines(e: DraftEquipment, axis: 0 | 2, shift: number): [number, number, number] {
  footprintOf(e, _f);
  const yaw = (e.rotation ?? 0) * DEG;
  const c = Math.abs(Math.cos(yaw));
  const s = Math.abs(Math.sin(yaw));
  // Half the axis-aligned extent of the turned box.
  const half = axis === 0 ? (c * _f.sx + s * _f.sz) / 2 : (s * _f.sx + c * _f.sz) / 2;
  const mid = e.position[axis] + shift;
  return [mid - half, mid, mid + half];
}

/** Whether `o`'s box comes within NEIGHBOUR_REACH_M of `m`'s moved by (dx, dz), on both axes. */
function near(m: DraftEquipment, dx: number, dz: number, o: DraftEquipment): boolean {
  const [mx0, , mx1] = snapLines(m, 0, dx);
  const [mz0, , mz1] = snapLines(m, 2, dz);
  const [ox0, , ox1] = snapLines(o, 0, 0);
  const [oz0, , oz1] = snapLines(o, 2, 0);
  const gapX = Math.max(ox0 - mx1, mx0 - ox1, 0);
  const gapZ = Math.max(oz0 - mz1, mz0 - oz1, 0);
  return gapX <= NEIGHBOUR_REACH_M && gapZ <= NEIGHBOUR_REACH_M;
}

/**
 * The move (dx, dz) of the equipment `ids`, adjusted so that an edge or centre of one of them
 * lands on an edge or centre of neighbouring equipment (boxes within NEIGHBOUR_REACH_M) where one
 * is within `tol` m (per axis, nearest wins); an axis with none nearby keeps its move. `axes` limits which axes may snap.
 */
export function snapToNeighbours(
  layout: DraftLayout,
  ids: readonly string[],
  dx: number,
  dz: number,
  axes: { x: boolean; z: boolean } = { x: true, z: true },
  tol = NEIGHBOUR_SNAP_M,
): { dx: number; dz: number } {
  const set = new Set(ids);
  const all = equipmentOf(layout);
  const moving = all.filter((e) => set.has(e.id));
  const still = all.filter((e) => !set.has(e.id));
  const best = (axis: 0 | 2, d: number): number => {
    let shift = 0;
    let gap = tol + 1e-9;
    for (const m of moving) {
      const mine = snapLines(m, axis, d);
      for (const o of still) {
        if (!near(m, dx, dz, o)) continue;
        const theirs = snapLines(o, axis, 0);
        for (const a of mine)
          for (const b of theirs)
            if (Math.abs(b - a) < gap) {
              gap = Math.abs(b - a);
              shift = b - a;
            }
      }
    }
    return round(d + shift);
  };
  return { dx: axes.x ? best(0, dx) : dx, dz: axes.z ? best(2, dz) : dz };
}
