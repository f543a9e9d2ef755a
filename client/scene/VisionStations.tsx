import { box, cylinder, merge } from './geometryKit';
import { createPart } from './instancedPart';
import type { KindProps } from './kindProps';
import { PartMeshes } from './PartMeshes';
import { useParts } from './useParts';
import { useStateTint } from './useStateTint';
import { useStaticPlacement } from './useStaticPlacement';

/** Props of VisionStations. */
export type VisionStationsProps = KindProps;

/** Tunnel clear height over the floor, m (belt at 0.9 m + product + camera working distance). */
const ROOF_Y = 2.0;

function visionGeometries() {
  const post = (x: number, z: number) => box(0.06, ROOF_Y, 0.06, '#ffffff', { at: [x, ROOF_Y / 2, z] });
  return {
    // Gantry posts, roof and upper side shields (state color).
    frame: merge([
      post(0.3, 0.64),
      post(-0.3, 0.64),
      post(0.3, -0.64),
      post(-0.3, -0.64),
      box(0.7, 0.07, 1.4, '#ffffff', { at: [0, ROOF_Y + 0.035, 0] }),
      box(0.62, 0.62, 0.025, '#e4e6e8', { at: [0, ROOF_Y - 0.31, 0.64] }),
      box(0.62, 0.62, 0.025, '#e4e6e8', { at: [0, ROOF_Y - 0.31, -0.64] }),
    ]),
    // Camera head on the roof, light bar under it (trim).
    head: merge([
      box(0.3, 0.2, 0.3, '#3e4449', { at: [0, ROOF_Y + 0.17, 0] }),
      cylinder(0.06, 0.06, 0.08, '#2b2f33', { at: [0.19, ROOF_Y + 0.17, 0], rot: [0, 0, Math.PI / 2] }, 16),
      box(0.5, 0.025, 1.1, '#eef0f2', { at: [0, ROOF_Y - 0.015, 0] }),
    ]),
  };
}

/** All machine-vision stations: a gantry tunnel over the belt with its camera head. */
export function VisionStations({ plant, buffer, res }: VisionStationsProps) {
  const indices = plant.byKind['vision-station'];
  const n = indices.length;
  const parts = useParts(
    () => {
      const g = visionGeometries();
      return {
        frame: createPart('vision.frame', g.frame, res.solid, n, 'body', null, plant.sphere),
        head: createPart('vision.head', g.head, res.solid, n, 'trim', null, plant.sphere),
      };
    },
    [plant, res],
    plant.detail,
  );
  useStateTint(indices, parts, buffer, res.modelled);
  useStaticPlacement(plant, indices, parts);

  return <PartMeshes parts={parts} />;
}
