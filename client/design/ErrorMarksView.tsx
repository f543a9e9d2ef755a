import { useEffect, useMemo } from 'react';
import { BufferGeometry, Float32BufferAttribute, LineBasicMaterial, MeshBasicMaterial } from 'three';
import { FlatBuilder } from '../scene/flatBuilder';
import { priorityColor } from '../theme';
import { useDesignStore } from './designStore';
import { floorBox } from './edits/autoZone';
import { errorTarget } from './edits/errorTargets';
import { entryOf } from './edits/zoneLineEdits';
import { type Footprint, footprintOf } from './footprint';
import { type DraftLayout, equipmentOf } from './layoutEdits';

/** For tests: the zones, lines and drone routes drawn red for the server's errors (ids). */
export const errorMarksProbe = { zones: [] as string[], lines: [] as string[], routes: [] as string[] };

/** Props of ErrorMarksView. */
export type ErrorMarksViewProps = { layout: DraftLayout };

/** Width of a zone's red edge, m; the room around a line member's red box, m. */
const EDGE_W = 0.5;
const PAD = 0.25;
const _f: Footprint = { sx: 1, sy: 1, sz: 1 };

/** The 12 edges of the box [x0, x1] × [y0, y1] × [z0, z1] as segment pairs, appended to `out`. */
function boxEdges(out: number[], x0: number, y0: number, z0: number, x1: number, y1: number, z1: number) {
  const c = [
    [x0, z0],
    [x1, z0],
    [x1, z1],
    [x0, z1],
  ];
  for (let i = 0; i < 4; i++) {
    const [a, b] = [c[i], c[(i + 1) % 4]];
    out.push(a[0], y0, a[1], b[0], y0, b[1], a[0], y1, a[1], b[0], y1, b[1], a[0], y0, a[1], a[0], y1, a[1]);
  }
}

/**
 * The server's problems with zones and lines, in the view: a red edge round each zone an error
 * names, and a red box round every member of a line an error names (equipment's own errors paint
 * its box red already). Built only when the errors or the layout change; nothing runs per frame.
 */
export function ErrorMarksView({ layout }: ErrorMarksViewProps) {
  const errors = useDesignStore((s) => s.errors);
  const saved = useDesignStore((s) => s.saved);
  const { zones, zoneAt, lines } = useMemo(() => {
    // Errors are of the saved layout: their indices are read in it.
    const z = new Set<string>();
    const at = new Set<number>();
    const l = new Set<string>();
    for (const e of errors) {
      const t = errorTarget(saved ?? layout, e.text);
      if (t?.kind === 'zones') {
        z.add(t.id);
        // By index: a duplicate id (a likely error) would find the other zone.
        at.add(Number(/^zones\[(\d+)\]/.exec(e.text)?.[1]));
      }
      if (t?.kind === 'lines') l.add(t.id);
    }
    return { zones: [...z], zoneAt: [...at], lines: [...l] };
  }, [errors, saved, layout]);

  const zoneGeometry = useMemo(() => {
    const f = new FlatBuilder();
    const list = (saved ?? layout).zones;
    for (const i of zoneAt) {
      const z = Array.isArray(list) ? (list[i] as { min?: unknown; max?: unknown } | undefined) : undefined;
      const [min, max] = [z?.min, z?.max] as [number[] | undefined, number[] | undefined];
      if (!Array.isArray(min) || !Array.isArray(max) || ![...min, ...max].every(Number.isFinite)) continue;
      f.outline(min[0], min[1], max[0], max[1], EDGE_W, 0.04, priorityColor.critical);
    }
    return f.empty ? null : f.build();
  }, [zoneAt, saved, layout]);

  const memberGeometry = useMemo(() => {
    const flows = new Set(
      lines.flatMap((id) => {
        const flow = entryOf(layout, 'lines', id)?.flow;
        return Array.isArray(flow) ? flow.filter((x): x is string => typeof x === 'string') : [];
      }),
    );
    const pts: number[] = [];
    for (const e of equipmentOf(layout)) {
      if (!flows.has(e.id)) continue;
      const [x0, z0, x1, z1] = floorBox(e);
      const y0 = Math.max(0, e.kind === 'base-station' ? 0 : e.position[1]);
      boxEdges(pts, x0 - PAD, y0, z0 - PAD, x1 + PAD, y0 + footprintOf(e, _f).sy + PAD, z1 + PAD);
    }
    if (pts.length === 0) return null;
    const g = new BufferGeometry();
    g.setAttribute('position', new Float32BufferAttribute(pts, 3));
    g.computeBoundingSphere();
    return g;
  }, [lines, layout]);

  const mats = useMemo(
    () => ({
      zone: new MeshBasicMaterial({ vertexColors: true, depthWrite: false }),
      member: new LineBasicMaterial({ color: priorityColor.critical }),
    }),
    [],
  );
  useEffect(() => () => zoneGeometry?.dispose(), [zoneGeometry]);
  useEffect(() => () => memberGeometry?.dispose(), [memberGeometry]);
  useEffect(
    () => () => {
      mats.zone.dispose();
      mats.member.dispose();
    },
    [mats],
  );
  useEffect(() => {
    errorMarksProbe.zones = zoneGeometry ? zones : [];
    errorMarksProbe.lines = memberGeometry ? lines : [];
    return () => {
      errorMarksProbe.zones = [];
      errorMarksProbe.lines = [];
    };
  }, [zones, lines, zoneGeometry, memberGeometry]);

  return (
    <>
      {zoneGeometry && <mesh geometry={zoneGeometry} material={mats.zone} renderOrder={-5} />}
      {memberGeometry && <lineSegments geometry={memberGeometry} material={mats.member} renderOrder={9} />}
    </>
  );
}
