import type { DraftLayout } from '../layoutEdits';

/** Ids of a draft's zones, lines or other id'd lists, in order (entries without an id skipped). */
export function listIds(
  layout: DraftLayout,
  key: 'zones' | 'lines' | 'droneRoutes' | 'viewpoints',
): string[] {
  const list = layout[key];
  return Array.isArray(list) ? idsIn(list) : [];
}

/** Ids of the draft's AGV path nodes, in order. */
export function nodeIds(layout: DraftLayout): string[] {
  const paths = layout.paths as { nodes?: unknown } | undefined;
  return Array.isArray(paths?.nodes) ? idsIn(paths.nodes) : [];
}

function idsIn(list: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const x of list) {
    const id = (x as { id?: unknown } | null)?.id;
    if (typeof id === 'string') out.push(id);
  }
  return out;
}
