import { type DraftLayout, equipmentOf } from '../layoutEdits';

/**
 * Ids of the equipment whose centre stands in the floor rectangle with corners (x0, z0) and
 * (x1, z1), m, in any order (edges included), in the draft's order.
 */
export function equipmentInArea(
  layout: DraftLayout,
  x0: number,
  z0: number,
  x1: number,
  z1: number,
): string[] {
  if (![x0, z0, x1, z1].every(Number.isFinite)) return [];
  const [ax, bx] = x0 <= x1 ? [x0, x1] : [x1, x0];
  const [az, bz] = z0 <= z1 ? [z0, z1] : [z1, z0];
  return equipmentOf(layout)
    .filter((e) => e.position[0] >= ax && e.position[0] <= bx && e.position[2] >= az && e.position[2] <= bz)
    .map((e) => e.id);
}

/** The selection after an area pick: what was selected, then what the area adds (each once). */
export function addToSelection(selection: readonly string[], picked: readonly string[]): string[] {
  const have = new Set(selection);
  return [...selection, ...picked.filter((id) => !have.has(id))];
}
