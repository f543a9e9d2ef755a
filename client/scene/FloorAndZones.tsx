import { Grid } from '@react-three/drei';
import { useEffect, useMemo } from 'react';
import { MeshStandardMaterial } from 'three';
import type { ZoneSpec } from '../../protocol';
import { palette } from '../theme';
import { FlatBuilder } from './flatBuilder';
import type { PlantIndex } from './plantIndex';

/** Props of FloorAndZones. */
export type FloorAndZonesProps = {
  plant: PlantIndex;
};

const ZONE_COLOR: Record<ZoneSpec['kind'], string> = {
  hall: palette.zoneHall,
  warehouse: palette.zoneWarehouse,
  outdoor: palette.zoneOutdoor,
  utility: '#3e4349',
};
/** Grid beyond the plant bounds, m. */
const GRID_MARGIN = 6;
/** Zone edge line width, m (a painted floor line). */
const EDGE_W = 0.12;

/** Floor beyond the plant, m: far enough that the fog, not an edge, ends the world. */
function margin(plant: PlantIndex): number {
  return plant.sphere.radius * 12; // past the fog's far distance (SceneLighting)
}

/**
 * The floor: ground, zone tiles in slightly different grays with thin painted edges (one mesh),
 * and a faint 1 m / 5 m grid. Floor layers never write depth and draw first (renderOrder), so
 * coplanar layers cannot z-fight at any distance.
 */
export function FloorAndZones({ plant }: FloorAndZonesProps) {
  const b = plant.bounds;
  const m = margin(plant);
  const geometry = useMemo(() => {
    const f = new FlatBuilder();
    f.rect(b.minX - m, b.minZ - m, b.maxX + m, b.maxZ + m, 0, palette.floor);
    for (const z of plant.layout.zones) f.rect(z.min[0], z.min[1], z.max[0], z.max[1], 0, ZONE_COLOR[z.kind]);
    for (const z of plant.layout.zones)
      f.outline(z.min[0], z.min[1], z.max[0], z.max[1], EDGE_W, 0, palette.floorLine);
    return f.build();
  }, [plant, b, m]);
  const material = useMemo(
    () =>
      new MeshStandardMaterial({
        vertexColors: true,
        roughness: 0.92,
        metalness: 0,
        envMapIntensity: 0.25,
        depthWrite: false,
      }),
    [],
  );
  useEffect(() => () => geometry.dispose(), [geometry]);
  useEffect(() => () => material.dispose(), [material]);

  // The grid covers the plant only: beyond it the floor is plain and fades into the fog.
  const w = b.maxX - b.minX + 2 * GRID_MARGIN;
  const d = b.maxZ - b.minZ + 2 * GRID_MARGIN;
  const size = Math.max(b.maxX - b.minX, b.maxZ - b.minZ);
  return (
    <>
      <mesh geometry={geometry} material={material} renderOrder={-10} matrixAutoUpdate={false} />
      <Grid
        args={[w, d]}
        position={[(b.minX + b.maxX) / 2, 0.002, (b.minZ + b.maxZ) / 2]}
        cellSize={1}
        cellThickness={0.5}
        cellColor="#444b52"
        sectionSize={5}
        sectionThickness={0.9}
        sectionColor="#4b525a"
        fadeDistance={Math.max(60, size * 1.2)}
        fadeStrength={1.5}
        followCamera={false}
        infiniteGrid={false}
        renderOrder={-8}
      />
    </>
  );
}
