import { Grid } from '@react-three/drei';
import { useEffect, useMemo } from 'react';
import { MeshStandardMaterial } from 'three';
import { FlatBuilder } from '../scene/flatBuilder';
import { palette } from '../theme';
import type { DraftLayout } from './layoutEdits';

/** Props of DesignFloor. */
export type DesignFloorProps = {
  /** The zones of this layout are drawn (rebuilt only when the zones change). */
  zones: DraftLayout['zones'];
  bounds: { minX: number; maxX: number; minZ: number; maxZ: number };
};

const ZONE_COLOR: Readonly<Record<string, string>> = {
  hall: palette.zoneHall,
  warehouse: palette.zoneWarehouse,
  outdoor: palette.zoneOutdoor,
  utility: '#3e4349',
};
/** Floor and grid beyond the zones, m. */
const MARGIN = 20;

interface ZoneRect {
  kind?: unknown;
  min: [number, number];
  max: [number, number];
}

function isRect(z: unknown): z is ZoneRect {
  const r = z as ZoneRect;
  return (
    typeof r === 'object' &&
    r !== null &&
    Array.isArray(r.min) &&
    Array.isArray(r.max) &&
    [...r.min, ...r.max].every((v) => typeof v === 'number' && Number.isFinite(v))
  );
}

/**
 * The design floor: the ground, each zone's rectangle in the operator scene's grays with a painted
 * edge (one mesh, one draw call), and a 0.5 m / 5 m grid matching the move snap.
 */
export function DesignFloor({ zones, bounds: b }: DesignFloorProps) {
  const geometry = useMemo(() => {
    const f = new FlatBuilder();
    f.rect(b.minX - MARGIN, b.minZ - MARGIN, b.maxX + MARGIN, b.maxZ + MARGIN, 0, palette.floor);
    const rects = Array.isArray(zones) ? zones.filter(isRect) : [];
    for (const z of rects)
      f.rect(z.min[0], z.min[1], z.max[0], z.max[1], 0, ZONE_COLOR[String(z.kind)] ?? palette.zoneHall);
    for (const z of rects) f.outline(z.min[0], z.min[1], z.max[0], z.max[1], 0.15, 0, palette.floorLine);
    return f.build();
  }, [zones, b]);
  const material = useMemo(
    () => new MeshStandardMaterial({ vertexColors: true, roughness: 0.95, metalness: 0, depthWrite: false }),
    [],
  );
  useEffect(() => () => geometry.dispose(), [geometry]);
  useEffect(() => () => material.dispose(), [material]);
  const w = b.maxX - b.minX + 2 * MARGIN;
  const d = b.maxZ - b.minZ + 2 * MARGIN;
  return (
    <>
      <mesh geometry={geometry} material={material} renderOrder={-10} matrixAutoUpdate={false} />
      <Grid
        args={[w, d]}
        position={[(b.minX + b.maxX) / 2, 0.002, (b.minZ + b.maxZ) / 2]}
        cellSize={0.5}
        cellThickness={0.4}
        cellColor="#454c53"
        sectionSize={5}
        sectionThickness={0.9}
        sectionColor="#58606a"
        fadeDistance={Math.max(120, w * 1.5)}
        fadeStrength={1}
        followCamera={false}
        infiniteGrid={false}
        renderOrder={-8}
      />
    </>
  );
}
