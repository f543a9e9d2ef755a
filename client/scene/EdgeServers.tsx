import type { BufferGeometry } from 'three';
import { box, merge, roundedBox } from './geometryKit';
import { createPart } from './instancedPart';
import type { KindProps } from './kindProps';
import { PartMeshes } from './PartMeshes';
import { useParts } from './useParts';
import { useStateTint } from './useStateTint';
import { useStaticPlacement } from './useStaticPlacement';

/** Props of EdgeServers. */
export type EdgeServersProps = KindProps;

/** A 42U rack cabinet, 0.6 × 2.0 × 1.0 m, front door facing local +x. */
function edgeGeometries() {
  const front: BufferGeometry[] = [box(0.02, 1.86, 0.54, '#3b4045', { at: [0.5, 1.0, 0] })];
  // Server faces behind the perforated door, and a status light row (neutral; alarms use color).
  for (let u = 0; u < 8; u++) front.push(box(0.01, 0.12, 0.46, '#4c5258', { at: [0.512, 0.3 + u * 0.2, 0] }));
  front.push(box(0.012, 0.02, 0.3, '#d7dadd', { at: [0.515, 1.85, 0] }));
  return {
    cabinet: merge([roundedBox(1.0, 2.0, 0.6, 0.02, '#ffffff', { at: [0, 1.0, 0] })]),
    front: merge(front),
  };
}

/** All edge servers: cabinet (state color) and front door (trim). */
export function EdgeServers({ plant, buffer, res }: EdgeServersProps) {
  const indices = plant.byKind['edge-server'];
  const n = indices.length;
  const parts = useParts(
    () => {
      const g = edgeGeometries();
      return {
        cabinet: createPart('edge.cabinet', g.cabinet, res.solid, n, 'body', null, plant.sphere),
        front: createPart('edge.front', g.front, res.solid, n, 'trim', null, plant.sphere),
      };
    },
    [plant, res],
    plant.detail,
  );
  useStateTint(indices, parts, buffer, res.modelled);
  useStaticPlacement(plant, indices, parts);

  return <PartMeshes parts={parts} />;
}
