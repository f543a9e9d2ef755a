import { MARK_STAND_IN } from '../../protocol';

/**
 * Copies `mark` (the twin buffer's data marks) into `last` and says whether any differed: the
 * scene rebuilds its stand-in badges only then, not per frame. No allocation.
 */
export function marksChanged(mark: Uint8Array, last: Uint8Array): boolean {
  let changed = false;
  for (let i = 0; i < mark.length; i++)
    if (mark[i] !== last[i]) {
      last[i] = mark[i];
      changed = true;
    }
  return changed;
}

/**
 * Writes into `out` the indices (ascending) of the equipment whose mark says simulated stand-in,
 * and returns how many (at most `out.length`). No allocation.
 */
export function standInEquipment(mark: Uint8Array, out: Int32Array): number {
  let k = 0;
  for (let i = 0; i < mark.length && k < out.length; i++) if (mark[i] & MARK_STAND_IN) out[k++] = i;
  return k;
}
