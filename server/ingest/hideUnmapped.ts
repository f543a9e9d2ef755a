import { type Layout, type LayoutResult, parseLayout, type SourcesFile } from '../../protocol';
import { mappingsOf } from './sourcesFile';

/**
 * `unmapped: hide`: the plant without the equipment no source maps, built before the world so
 * nothing of it exists for users (not in the snapshot, the frames, the API or the alarms) and no
 * client has to honour a list. Lines keep their fed members (a line with none goes); drone
 * routes whose drone or pad is hidden go; zones, aisles and viewpoints stay (they are the floor).
 * The result is validated again like a plant file, so a plant it cannot express is refused with
 * its reasons instead of started half-built.
 */
export function hideUnmapped(
  layout: Layout,
  file: SourcesFile,
): (LayoutResult & { ok: true; hidden: string[] }) | (LayoutResult & { ok: false }) {
  const fed = new Set(file.sources.flatMap((s) => mappingsOf(s).map((m) => m.equipment)));
  const hidden = layout.equipment.filter((e) => !fed.has(e.id)).map((e) => e.id);
  const lines = layout.lines
    .map((l) => ({ ...l, flow: l.flow.filter((id) => fed.has(id)) }))
    .filter((l) => l.flow.length > 0);
  const lineIds = new Set(lines.map((l) => l.id));
  const equipment = layout.equipment
    .filter((e) => fed.has(e.id))
    .map((e) => {
      if (e.line === undefined || lineIds.has(e.line)) return e;
      const { line: _gone, ...rest } = e;
      return rest;
    });
  const droneRoutes = layout.droneRoutes.filter((r) => fed.has(r.drone) && fed.has(r.dock));
  const r = parseLayout({ ...layout, equipment, lines, droneRoutes });
  if (!r.ok) return { ok: false, errors: r.errors.map((e) => `with the unmapped equipment hidden, ${e}`) };
  return { ok: true, layout: r.layout, hidden };
}
