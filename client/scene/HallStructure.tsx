import { useLayoutEffect, useMemo } from 'react';
import { Matrix4 } from 'three';
import { palette } from '../theme';
import { box, merge } from './geometryKit';
import { createPart, flushPart, setMatrix } from './instancedPart';
import type { PlantIndex } from './plantIndex';
import { poseMatrix } from './poseMath';
import type { SceneResources } from './sceneResources';
import { useParts } from './useParts';

/** Props of HallStructure. */
export type HallStructureProps = {
  plant: PlantIndex;
  res: SceneResources;
};

const WALL_H = 0.8; // m: a hint of the hall, low enough to never hide equipment
const WALL_T = 0.2; // m
const COLUMN = 0.4; // m square column
/**
 * Columns are drawn as pilasters, not to the roof: full-height columns cage the view from every
 * elevated viewpoint; a rhythm of short posts reads as "hall wall" without hiding anything.
 */
const PILASTER_H = 1.6; // m
const COLUMN_SPACING = 12; // m, typical hall grid
const DOOR_W = 3.6; // m opening where an AGV aisle crosses a wall

type Seg = [number, number, number, number];

/** Parameters t (0..1 along a→b) where the AGV path network crosses segment a→b. */
function crossings(seg: Seg, paths: Seg[]): number[] {
  const [ax, az, bx, bz] = seg;
  const out: number[] = [];
  for (const [px, pz, qx, qz] of paths) {
    const rx = bx - ax;
    const rz = bz - az;
    const sx = qx - px;
    const sz = qz - pz;
    const den = rx * sz - rz * sx;
    if (Math.abs(den) < 1e-9) continue;
    const t = ((px - ax) * sz - (pz - az) * sx) / den;
    const u = ((px - ax) * rz - (pz - az) * rx) / den;
    if (t >= 0 && t <= 1 && u >= 0 && u <= 1) out.push(t);
  }
  return out.sort((a, b) => a - b);
}

/** Wall pieces along a→b with door gaps (m along the segment). */
function wallPieces(seg: Seg, paths: Seg[]): Seg[] {
  const len = Math.hypot(seg[2] - seg[0], seg[3] - seg[1]);
  const cuts = crossings(seg, paths).map((t) => t * len);
  const pieces: Seg[] = [];
  let from = 0;
  for (const c of [...cuts, len + DOOR_W / 2]) {
    const to = Math.min(c - DOOR_W / 2, len);
    if (to - from > 0.3) {
      const f = from / len;
      const g = to / len;
      pieces.push([
        seg[0] + (seg[2] - seg[0]) * f,
        seg[1] + (seg[3] - seg[1]) * f,
        seg[0] + (seg[2] - seg[0]) * g,
        seg[1] + (seg[3] - seg[1]) * g,
      ]);
    }
    from = Math.max(from, c + DOOR_W / 2);
  }
  return pieces;
}

/**
 * Hall hints: a low perimeter wall (open where AGV aisles pass) and steel columns to the hall's
 * height, for every roofed zone. Two InstancedMeshes written once.
 */
export function HallStructure({ plant, res }: HallStructureProps) {
  const plan = useMemo(() => {
    const { layout } = plant;
    const nodes = new Map((layout.paths?.nodes ?? []).map((n) => [n.id, n.position]));
    const paths: Seg[] = [];
    for (const [a, b] of layout.paths?.edges ?? []) {
      const p = nodes.get(a);
      const q = nodes.get(b);
      if (p && q) paths.push([p[0], p[1], q[0], q[1]]);
    }
    const walls: Seg[] = [];
    const columns: [number, number, number][] = [];
    for (const z of layout.zones) {
      if (z.kind === 'outdoor' || z.height <= 0) continue;
      // Inset by half a wall so neighbouring zones' walls stand side by side, never coincide.
      const x0 = z.min[0] + WALL_T / 2;
      const z0 = z.min[1] + WALL_T / 2;
      const x1 = z.max[0] - WALL_T / 2;
      const z1 = z.max[1] - WALL_T / 2;
      const edges: Seg[] = [
        [x0, z0, x1, z0],
        [x1, z0, x1, z1],
        [x1, z1, x0, z1],
        [x0, z1, x0, z0],
      ];
      for (const e of edges) {
        walls.push(...wallPieces(e, paths));
        const len = Math.hypot(e[2] - e[0], e[3] - e[1]);
        const count = Math.max(1, Math.ceil(len / COLUMN_SPACING));
        for (let c = 0; c < count; c++)
          columns.push([e[0] + ((e[2] - e[0]) * c) / count, e[1] + ((e[3] - e[1]) * c) / count, PILASTER_H]);
      }
    }
    return { walls, columns };
  }, [plant]);

  const parts = useParts(
    () => ({
      walls: createPart(
        'hall.walls',
        merge([box(1, 1, 1, '#66707a', { at: [0, 0.5, 0] })]),
        res.solid,
        plan.walls.length,
        'none',
        null,
        plant.sphere,
      ),
      columns: createPart(
        'hall.columns',
        merge([box(COLUMN, 1, COLUMN, palette.wall, { at: [0, 0.5, 0] })]),
        res.solid,
        plan.columns.length,
        'none',
        null,
        plant.sphere,
      ),
    }),
    [plan, res, plant],
    plant.detail,
  );

  useLayoutEffect(() => {
    const m = new Matrix4();
    plan.walls.forEach(([ax, az, bx, bz], k) => {
      const len = Math.hypot(bx - ax, bz - az);
      // Unit box stretched along its local x, yawed onto the segment.
      poseMatrix(
        m,
        (ax + bx) / 2,
        0,
        (az + bz) / 2,
        Math.atan2(-(bz - az), bx - ax),
        len + WALL_T,
        WALL_H,
        WALL_T,
      );
      setMatrix(parts.walls, k, m);
    });
    plan.columns.forEach(([x, z, h], k) => {
      setMatrix(parts.columns, k, poseMatrix(m, x, 0, z, 0, 1, h, 1));
    });
    flushPart(parts.walls);
    flushPart(parts.columns);
  }, [plan, parts]);

  return (
    <>
      <primitive object={parts.walls.mesh} />
      <primitive object={parts.columns.mesh} />
    </>
  );
}
