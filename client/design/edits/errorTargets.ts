import type { DraftLayout } from '../layoutEdits';

/** A zone, line, viewpoint or drone route an error line is about. */
export type ErrorTarget = { kind: 'zones' | 'lines' | 'viewpoints' | 'droneRoutes'; id: string };

/**
 * The zone, line, viewpoint or drone route a server error line (`zones[2].max: ...`, `lines[0].flow[3]: ...`)
 * names, read at that index in `layout` (the layout the errors are of), or null.
 */
export function errorTarget(layout: DraftLayout, error: string): ErrorTarget | null {
  const m = /^(zones|lines|viewpoints|droneRoutes)\[(\d+)\]/.exec(error);
  if (!m) return null;
  const kind = m[1] as ErrorTarget['kind'];
  const list = layout[kind];
  const e = Array.isArray(list) ? (list[Number(m[2])] as { id?: unknown } | undefined) : undefined;
  return typeof e?.id === 'string' ? { kind, id: e.id } : null;
}
