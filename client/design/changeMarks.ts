import type { LayoutDiff } from '../../protocol/layoutDiff';
import { type DraftEquipment, type DraftLayout, equipmentOf } from './layoutEdits';

/**
 * The draft's differences from a baseline as marks in the 3D view: equipment added (green), moved
 * (amber, with a ghost where it was), changed (blue) and removed (a red ghost where it was). Pure.
 */

/** How a mark is drawn. */
export type MarkTone = 'added' | 'moved' | 'changed' | 'removed';

/** One box to draw: equipment `e` as it stands (or stood, for ghosts) and how. */
export interface ChangeMark {
  tone: MarkTone;
  /** A ghost: where it was (moved or removed), drawn faint. */
  ghost: boolean;
  e: DraftEquipment;
}

/** All marks, and the lines from an old to a new position [x0, z0, x1, z1]. */
export interface ChangeMarks {
  boxes: ChangeMark[];
  lines: [number, number, number, number][];
}

/**
 * Marks for `diff` over the draft `layout` (the after side). Ghosts stand where the diff says the
 * equipment stood; `baseline` (the before layout), when known, gives the rest of the entry.
 */
export function changeMarks(
  diff: LayoutDiff,
  layout: DraftLayout,
  baseline: DraftLayout | null,
): ChangeMarks {
  const now = new Map(equipmentOf(layout).map((e) => [e.id, e]));
  const before = new Map(baseline ? equipmentOf(baseline).map((e) => [e.id, e]) : []);
  const boxes: ChangeMark[] = [];
  const lines: ChangeMarks['lines'] = [];
  for (const a of diff.equipment.added) {
    const e = now.get(a.id);
    if (e) boxes.push({ tone: 'added', ghost: false, e });
  }
  const moved = new Set<string>();
  for (const m of diff.equipment.moved) {
    const e = now.get(m.id);
    if (!e) continue;
    moved.add(m.id);
    boxes.push({ tone: 'moved', ghost: false, e });
    // The ghost: the equipment as it is, at its old pose.
    const was = before.get(m.id) ?? e;
    boxes.push({
      tone: 'moved',
      ghost: true,
      e: { ...was, position: [m.from[0], m.from[1], m.from[2]], rotation: m.rotationFrom },
    });
    if (m.distanceM > 0) lines.push([m.from[0], m.from[2], m.to[0], m.to[2]]);
  }
  for (const c of diff.equipment.changed) {
    const e = now.get(c.id);
    // Moved and changed: the move's amber says more.
    if (e && !moved.has(c.id)) boxes.push({ tone: 'changed', ghost: false, e });
  }
  for (const r of diff.equipment.removed) {
    // The diff says where it stood; the before layout, when known, adds the rest (name, zone...).
    const was: DraftEquipment = before.get(r.id) ?? {
      id: r.id,
      kind: r.kind ?? '',
      position: r.position,
      rotation: r.rotation,
      ...(r.props ? { props: r.props } : {}),
    };
    boxes.push({ tone: 'removed', ghost: true, e: was });
  }
  return { boxes, lines };
}

/** Ids of the equipment a diff names, in the order the panel lists them (for tests and focus). */
export function diffEquipmentIds(diff: LayoutDiff): string[] {
  const e = diff.equipment;
  return [...e.added, ...e.removed, ...e.moved, ...e.changed].map((x) => x.id);
}
