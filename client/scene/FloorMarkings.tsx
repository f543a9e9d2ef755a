import { useEffect, useMemo } from 'react';
import { MeshStandardMaterial } from 'three';
import { FlatBuilder } from './flatBuilder';
import type { PlantIndex } from './plantIndex';

/** Props of FloorMarkings. */
export type FloorMarkingsProps = {
  plant: PlantIndex;
};

/** AGV guide line and node marks: a shade lighter than the floor (subtle, never an alarm color). */
const PATH_COLOR = '#5d666e';
const PATH_W = 0.07; // m
const NODE_R = 0.2; // m
/** Line-side safety marking: muted warm gray instead of a loud tape yellow (ISA-101 calm). */
const LINE_COLOR = '#6f6b5a';
const LINE_W = 0.1; // m
const LINE_MARGIN = 1.1; // m of walkway kept clear around a production line

/**
 * Floor paint, one mesh: the AGV path network (guide lines + node marks) and a walkway outline
 * around every production line.
 */
export function FloorMarkings({ plant }: FloorMarkingsProps) {
  const geometry = useMemo(() => {
    const f = new FlatBuilder();
    const { layout } = plant;
    const nodes = new Map((layout.paths?.nodes ?? []).map((nd) => [nd.id, nd.position]));
    for (const [a, b] of layout.paths?.edges ?? []) {
      const p = nodes.get(a);
      const q = nodes.get(b);
      if (p && q) f.strip(p[0], p[1], q[0], q[1], PATH_W, 0, PATH_COLOR);
    }
    for (const p of nodes.values()) f.disc(p[0], p[1], NODE_R, 0, PATH_COLOR, 14);

    const byId = new Map(layout.equipment.map((e, i) => [e.id, i]));
    for (const line of layout.lines) {
      let x0 = Infinity;
      let z0 = Infinity;
      let x1 = -Infinity;
      let z1 = -Infinity;
      for (const id of line.flow) {
        const i = byId.get(id);
        if (i === undefined) continue;
        const e = layout.equipment[i];
        const o = i * 6;
        const c = Math.cos(plant.yaw[i]);
        const s = Math.sin(plant.yaw[i]);
        const cx = plant.extent[o];
        const cz = plant.extent[o + 2];
        // Footprint corners of the equipment's local box, in world x/z.
        for (const [lx, lz] of [
          [cx - plant.extent[o + 3] / 2, cz - plant.extent[o + 5] / 2],
          [cx + plant.extent[o + 3] / 2, cz + plant.extent[o + 5] / 2],
          [cx - plant.extent[o + 3] / 2, cz + plant.extent[o + 5] / 2],
          [cx + plant.extent[o + 3] / 2, cz - plant.extent[o + 5] / 2],
        ]) {
          const wx = e.position[0] + c * lx + s * lz;
          const wz = e.position[2] - s * lx + c * lz;
          x0 = Math.min(x0, wx);
          x1 = Math.max(x1, wx);
          z0 = Math.min(z0, wz);
          z1 = Math.max(z1, wz);
        }
      }
      if (x0 < x1)
        f.outline(
          x0 - LINE_MARGIN,
          z0 - LINE_MARGIN,
          x1 + LINE_MARGIN,
          z1 + LINE_MARGIN,
          LINE_W,
          0,
          LINE_COLOR,
        );
    }
    return f.empty ? null : f.build();
  }, [plant]);
  const material = useMemo(
    () => new MeshStandardMaterial({ vertexColors: true, roughness: 0.8, metalness: 0, depthWrite: false }),
    [],
  );
  useEffect(() => () => geometry?.dispose(), [geometry]);
  useEffect(() => () => material.dispose(), [material]);

  if (!geometry) return null;
  return <mesh geometry={geometry} material={material} renderOrder={-6} matrixAutoUpdate={false} />;
}
