import type { DraftLayout } from './layoutEdits';

/** Adds a two-way AGV aisle between path nodes `a` and `b` (the same layout when it is there already). */
export function addAisle(layout: DraftLayout, a: string, b: string): DraftLayout {
  const paths = (layout.paths ?? {}) as { nodes?: unknown; edges?: unknown };
  const edges = Array.isArray(paths.edges) ? (paths.edges as unknown[]) : [];
  const there = edges.some(
    (e) => Array.isArray(e) && ((e[0] === a && e[1] === b) || (e[0] === b && e[1] === a)),
  );
  if (there || a === b) return layout;
  return { ...layout, paths: { ...paths, edges: [...edges, [a, b]] } };
}
