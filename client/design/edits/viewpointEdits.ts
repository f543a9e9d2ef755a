import type { DraftLayout } from '../layoutEdits';

/**
 * Edits of the draft's saved camera views (`viewpoints`: id, name, position and target, m) as
 * pure layout → layout functions.
 */

type Rec = Record<string, unknown>;
const isRecord = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);
const list = (layout: DraftLayout): unknown[] => (Array.isArray(layout.viewpoints) ? layout.viewpoints : []);
const r2 = (v: number) => Number(v.toFixed(2));

/** Adds a viewpoint from a camera position and the point it looks at, with a fresh `VP-nn` id. */
export function addViewpoint(
  layout: DraftLayout,
  name: string,
  position: readonly number[],
  target: readonly number[],
): { layout: DraftLayout; id: string } | null {
  if (position.length !== 3 || target.length !== 3 || ![...position, ...target].every(Number.isFinite))
    return null;
  const used = new Set(list(layout).map((v) => (isRecord(v) ? v.id : undefined)));
  let n = 1;
  while (used.has(`VP-${String(n).padStart(2, '0')}`)) n++;
  const id = `VP-${String(n).padStart(2, '0')}`;
  const vp = { id, name: name || id, position: position.map(r2), target: target.map(r2) };
  return { layout: { ...layout, viewpoints: [...list(layout), vp] }, id };
}

/** Renames viewpoint `id` (its display name; the id stays). */
export function renameViewpoint(layout: DraftLayout, id: string, name: string): DraftLayout {
  const l = list(layout);
  const i = l.findIndex((v) => isRecord(v) && v.id === id);
  if (i < 0 || (l[i] as Rec).name === name) return layout;
  const next = l.slice();
  next[i] = { ...(l[i] as Rec), name };
  return { ...layout, viewpoints: next };
}

/** Removes viewpoint `id`. */
export function removeViewpoint(layout: DraftLayout, id: string): DraftLayout {
  const l = list(layout);
  const kept = l.filter((v) => !(isRecord(v) && v.id === id));
  return kept.length === l.length ? layout : { ...layout, viewpoints: kept };
}

/** The draft's viewpoints the editor can list (id and name). */
export function viewpointsOf(layout: DraftLayout): { id: string; name: string }[] {
  return list(layout).flatMap((v) =>
    isRecord(v) && typeof v.id === 'string'
      ? [{ id: v.id, name: typeof v.name === 'string' ? v.name : v.id }]
      : [],
  );
}

/** Where viewpoint `id`'s camera stands and what it looks at (m), or null when it has no such pair. */
export function viewpointOf(
  layout: DraftLayout,
  id: string,
): { position: [number, number, number]; target: [number, number, number] } | null {
  const v = list(layout).find((x) => isRecord(x) && x.id === id) as Rec | undefined;
  const ok = (p: unknown): p is [number, number, number] =>
    Array.isArray(p) && p.length === 3 && p.every((n) => typeof n === 'number' && Number.isFinite(n));
  return v && ok(v.position) && ok(v.target) ? { position: v.position, target: v.target } : null;
}
