import type { BufferGeometry } from 'three';
import { box, cylinder, merge, QUARTER, roundedBox } from './geometryKit';
import { createPart } from './instancedPart';
import type { KindProps } from './kindProps';
import { PartMeshes } from './PartMeshes';
import { useParts } from './useParts';
import { useStateTint } from './useStateTint';
import { useStaticPlacement } from './useStaticPlacement';

/** Props of Transformers. */
export type TransformersProps = KindProps;

/** A 2.5 MVA oil transformer: tank ~2.0 × 1.7 × 1.2 m on a plinth, radiators on the long sides. */
function transformerGeometries() {
  const trim: BufferGeometry[] = [box(2.3, 0.15, 1.5, '#5d636a', { at: [0, 0.075, 0] })];
  for (let f = 0; f < 7; f++) {
    const x = -0.75 + f * 0.25;
    trim.push(box(0.05, 1.25, 0.28, '#8a9096', { at: [x, 0.95, 0.76] }));
    trim.push(box(0.05, 1.25, 0.28, '#8a9096', { at: [x, 0.95, -0.76] }));
  }
  for (let b = -1; b <= 1; b++) {
    trim.push(cylinder(0.05, 0.07, 0.42, '#6f767c', { at: [b * 0.5, 2.08, 0.2] }, 14));
    trim.push(cylinder(0.05, 0.05, 0.3, '#6f767c', { at: [b * 0.5, 2.0, -0.3] }, 14));
  }
  trim.push(cylinder(0.2, 0.2, 1.3, '#9aa0a6', { at: [-0.1, 2.2, -0.45], rot: [0, 0, QUARTER] }, 20));
  return {
    tank: merge([roundedBox(2.0, 1.72, 1.2, 0.05, '#ffffff', { at: [0, 1.01, 0] })]),
    trim: merge(trim),
  };
}

/** All transformers: tank (state color) and radiators/bushings/conservator (trim). */
export function Transformers({ plant, buffer, res }: TransformersProps) {
  const indices = plant.byKind.transformer;
  const n = indices.length;
  const parts = useParts(
    () => {
      const g = transformerGeometries();
      return {
        tank: createPart('transformer.tank', g.tank, res.solid, n, 'body', null, plant.sphere),
        trim: createPart('transformer.trim', g.trim, res.solid, n, 'trim', null, plant.sphere),
      };
    },
    [plant, res],
    plant.detail,
  );
  useStateTint(indices, parts, buffer, res.modelled);
  useStaticPlacement(plant, indices, parts);

  return <PartMeshes parts={parts} />;
}
