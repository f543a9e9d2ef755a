import type { EquipmentSpec, Layout, Translations } from '../../protocol';

/** Space between plant copies, m (site roads). */
const GAP_M = 40;
/** Longest id the layout schema accepts. */
const MAX_ID = 40;
const MAX_NAME = 80;

/**
 * A plant of about `target` pieces of equipment made by repeating `layout` in a grid of copies
 * (offset by the plant's floor bounding box plus a road gap). Copy 0 keeps its ids; copy k's ids
 * get the prefix `G{k}.` (zero-padded, e.g. `G012.AGV-03`), and every reference (zones, lines,
 * flows, path nodes, AGV homes, rack/feeder/dock nodes, drone routes and docks) is rewritten, so
 * the result validates with parseLayout. Copy 0's viewpoints are kept, after a campus overview that comes first.
 */
export function scaleLayout(layout: Layout, target: number): Layout {
  const per = layout.equipment.length;
  const copies = Math.max(1, Math.round(target / Math.max(1, per)));
  const b = bounds(layout);
  const cols = Math.ceil(Math.sqrt(copies));
  const stepX = b.maxX - b.minX + GAP_M;
  const stepZ = b.maxZ - b.minZ + GAP_M;
  const digits = Math.max(3, String(copies - 1).length);
  const out: Layout = {
    ...layout,
    zones: [],
    lines: [],
    equipment: [],
    paths: layout.paths ? { nodes: [], edges: [] } : undefined,
    droneRoutes: [],
    viewpoints: [...layout.viewpoints],
  };
  for (let k = 0; k < copies; k++) {
    const tag = k === 0 ? '' : `G${String(k).padStart(digits, '0')}`;
    const id = (x: string) => {
      if (!tag) return x;
      const r = `${tag}.${x}`;
      if (r.length > MAX_ID) throw new Error(`scaleLayout: id "${r}" is longer than ${MAX_ID} characters`);
      return r;
    };
    const name = (x: string) => (tag ? `${x.slice(0, MAX_NAME - tag.length - 3)} (${tag})` : x);
    // Translated names get the copy's tag too, so copies differ in every language.
    const names = (n: Translations | undefined) => (n?.['zh-CN'] && tag ? { 'zh-CN': name(n['zh-CN']) } : n);
    const ox = (k % cols) * stepX;
    const oz = Math.floor(k / cols) * stepZ;
    for (const z of layout.zones)
      out.zones.push({
        ...z,
        id: id(z.id),
        name: name(z.name),
        names: names(z.names),
        min: [z.min[0] + ox, z.min[1] + oz],
        max: [z.max[0] + ox, z.max[1] + oz],
      });
    for (const l of layout.lines)
      out.lines.push({
        ...l,
        id: id(l.id),
        name: name(l.name),
        names: names(l.names),
        zone: id(l.zone),
        flow: l.flow.map(id),
      });
    for (const e of layout.equipment) {
      const props: Record<string, unknown> = { ...e.props };
      if (typeof props.home === 'string') props.home = id(props.home);
      if (typeof props.node === 'string') props.node = id(props.node);
      out.equipment.push({
        ...e,
        id: id(e.id),
        name: name(e.name),
        names: names(e.names),
        zone: id(e.zone),
        line: e.line === undefined ? undefined : id(e.line),
        position: [e.position[0] + ox, e.position[1], e.position[2] + oz],
        props,
      } as EquipmentSpec);
    }
    if (layout.paths && out.paths) {
      for (const nd of layout.paths.nodes)
        out.paths.nodes.push({ id: id(nd.id), position: [nd.position[0] + ox, nd.position[1] + oz] });
      for (const ed of layout.paths.edges) out.paths.edges.push(ed.map(id));
    }
    for (const r of layout.droneRoutes)
      out.droneRoutes.push({
        ...r,
        id: id(r.id),
        drone: id(r.drone),
        dock: id(r.dock),
        waypoints: r.waypoints.map((p) => [p[0] + ox, p[1], p[2] + oz]),
      });
  }
  if (copies > 1 && !layout.viewpoints.some((v) => v.id === 'VP-CAMPUS')) {
    const cx = b.minX + (cols * stepX - GAP_M) / 2;
    const rows = Math.ceil(copies / cols);
    const cz = b.minZ + (rows * stepZ - GAP_M) / 2;
    const span = Math.max(cols * stepX, rows * stepZ);
    // First, so clients open on the whole grid rather than on copy 0.
    out.viewpoints.unshift({
      id: 'VP-CAMPUS',
      name: `Campus overview (${copies} plants)`,
      names: { 'zh-CN': `园区总览（${copies} 座工厂）` },
      position: [cx, span * 0.6, cz + span * 0.7],
      target: [cx, 0, cz],
    });
  }
  return out;
}

/** Floor bounding box of everything in the layout, m. */
function bounds(layout: Layout): { minX: number; maxX: number; minZ: number; maxZ: number } {
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minZ = Number.POSITIVE_INFINITY;
  let maxZ = Number.NEGATIVE_INFINITY;
  const add = (x: number, z: number) => {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minZ = Math.min(minZ, z);
    maxZ = Math.max(maxZ, z);
  };
  for (const z of layout.zones) {
    add(z.min[0], z.min[1]);
    add(z.max[0], z.max[1]);
  }
  for (const e of layout.equipment) add(e.position[0], e.position[2]);
  for (const nd of layout.paths?.nodes ?? []) add(nd.position[0], nd.position[1]);
  for (const r of layout.droneRoutes) for (const p of r.waypoints) add(p[0], p[2]);
  return { minX, maxX, minZ, maxZ };
}
