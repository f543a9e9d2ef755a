import type { CommentThread } from '../../protocol/designComments';
import { mentionsUser } from '../../protocol/designComments';
import { type Footprint, footprintOf } from './footprint';
import { type DraftLayout, equipmentOf } from './layoutEdits';

/**
 * A pin's centre above what it marks, m (half the pin's height and a little air), and the step
 * between pins stacked on one anchor, m.
 */
export const PIN_LIFT_M = 1.0;
export const PIN_STACK_M = 1.7;

/** How a pin is drawn: open, open and mentioning this user, or resolved (faint). */
export type PinState = 'open' | 'mention' | 'resolved';

/** One pin: its thread, the centre of its head (m) and how it is drawn. */
export interface Pin {
  id: string;
  x: number;
  y: number;
  z: number;
  state: PinState;
}

const _f: Footprint = { sx: 1, sy: 1, sz: 1 };

/**
 * Where each thread's pin stands: above its equipment's box (gone with the equipment) or above its
 * floor point; several on one anchor are stacked. Resolved threads only when `showResolved`.
 */
export function pinsOf(
  threads: readonly CommentThread[],
  layout: DraftLayout,
  user: string | null,
  showResolved: boolean,
): Pin[] {
  const equipment = new Map(equipmentOf(layout).map((e) => [e.id, e]));
  const stacked = new Map<string, number>();
  const out: Pin[] = [];
  for (const t of threads) {
    if (t.resolved && !showResolved) continue;
    let x: number;
    let y: number;
    let z: number;
    let key: string;
    if ('equipment' in t.anchor) {
      const e = equipment.get(t.anchor.equipment);
      if (!e) continue;
      [x, , z] = e.position;
      y = Math.max(0, e.position[1]) + footprintOf(e, _f).sy;
      key = `e:${e.id}`;
    } else {
      [x, y, z] = t.anchor.point;
      key = `p:${x},${y},${z}`;
    }
    const n = stacked.get(key) ?? 0;
    stacked.set(key, n + 1);
    const state: PinState = t.resolved ? 'resolved' : user && mentionsUser(t, user) ? 'mention' : 'open';
    out.push({ id: t.id, x, y: y + PIN_LIFT_M + n * PIN_STACK_M, z, state });
  }
  return out;
}
