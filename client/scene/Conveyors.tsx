import { useLayoutEffect, useMemo } from 'react';
import { Matrix4 } from 'three';
import { ConveyorProducts } from './ConveyorProducts';
import { box, cylinder, merge, QUARTER } from './geometryKit';
import { createPart, flushPart, prefixSums, setMatrix } from './instancedPart';
import type { KindProps } from './kindProps';
import { PartMeshes } from './PartMeshes';
import { BELT_TOP } from './plantIndex';
import { beltStartMatrix } from './poseMath';
import { useParts } from './useParts';
import { useStateTint } from './useStateTint';

/** Props of Conveyors. */
export type ConveyorsProps = KindProps;

/** Leg pairs are spaced at most this far apart, m. */
const LEG_SPACING = 2.0;

const _m = new Matrix4();
const _l = new Matrix4();

function lengthOf(plant: KindProps['plant'], i: number): number {
  const e = plant.layout.equipment[i];
  return e.kind === 'conveyor' ? e.props.length : 1;
}

function legCount(length: number): number {
  return Math.max(2, Math.ceil(length / LEG_SPACING) + 1);
}

/** Conveyor geometries; rails and belt are 1 m long along +x and stretched to each belt's length. */
function conveyorGeometries() {
  return {
    rails: merge([
      box(1, 0.12, 0.05, '#ffffff', { at: [0.5, BELT_TOP - 0.02, 0.4] }),
      box(1, 0.12, 0.05, '#ffffff', { at: [0.5, BELT_TOP - 0.02, -0.4] }),
    ]),
    belt: merge([
      box(1, 0.03, 0.75, '#3b4045', { at: [0.5, BELT_TOP - 0.015, 0] }),
      box(1, 0.1, 0.7, '#5d636a', { at: [0.5, BELT_TOP - 0.09, 0] }),
    ]),
    legs: merge([
      box(0.05, BELT_TOP - 0.14, 0.05, '#6c7379', { at: [0, (BELT_TOP - 0.14) / 2, 0.34] }),
      box(0.05, BELT_TOP - 0.14, 0.05, '#6c7379', { at: [0, (BELT_TOP - 0.14) / 2, -0.34] }),
      box(0.04, 0.04, 0.68, '#6c7379', { at: [0, 0.22, 0] }),
      box(0.12, 0.015, 0.12, '#4d5359', { at: [0, 0.0075, 0.34] }),
      box(0.12, 0.015, 0.12, '#4d5359', { at: [0, 0.0075, -0.34] }),
    ]),
    // Drive motor + gearbox hung under the discharge end, on the -z side.
    drive: merge([
      box(0.22, 0.22, 0.16, '#5d636a', { at: [0, 0, 0] }),
      cylinder(0.085, 0.085, 0.26, '#4a5056', { at: [0, 0, -0.2], rot: [QUARTER, 0, 0] }, 18),
    ]),
  };
}

/**
 * All conveyors: rails (state color), belt, legs and drive as four InstancedMeshes written once
 * (conveyors never move), plus the moving products (ConveyorProducts).
 */
export function Conveyors({ plant, buffer, res }: ConveyorsProps) {
  const indices = plant.byKind.conveyor;
  const n = indices.length;
  const legFirst = useMemo(
    () => prefixSums(Array.from(indices, (i) => legCount(lengthOf(plant, i)))),
    [plant, indices],
  );
  const parts = useParts(
    () => {
      const g = conveyorGeometries();
      const s = plant.sphere;
      return {
        rails: createPart('conveyor.rails', g.rails, res.solid, n, 'body', null, s),
        belt: createPart('conveyor.belt', g.belt, res.solid, n, 'trim', null, s),
        legs: createPart('conveyor.legs', g.legs, res.solid, legFirst[n], 'trim', legFirst, s),
        drive: createPart('conveyor.drive', g.drive, res.solid, n, 'trim', null, s),
      };
    },
    [plant, res, legFirst],
    plant.detail,
  );
  useStateTint(indices, parts, buffer, res.modelled);

  useLayoutEffect(() => {
    for (let k = 0; k < n; k++) {
      const i = indices[k];
      const len = lengthOf(plant, i);
      setMatrix(parts.rails, k, beltStartMatrix(_m, plant, i, len, 1, 1));
      setMatrix(parts.belt, k, _m);
      beltStartMatrix(_m, plant, i);
      const legs = legFirst[k + 1] - legFirst[k];
      for (let j = 0; j < legs; j++) {
        const x = 0.12 + (j * (len - 0.24)) / (legs - 1);
        setMatrix(parts.legs, legFirst[k] + j, _l.multiplyMatrices(_m, _l.makeTranslation(x, 0, 0)));
      }
      setMatrix(
        parts.drive,
        k,
        _l.multiplyMatrices(_m, _l.makeTranslation(Math.max(len - 0.3, 0.15), 0.62, -0.3)),
      );
    }
    for (const p of Object.values(parts)) flushPart(p);
  }, [plant, parts, indices, n, legFirst]);

  return (
    <>
      <PartMeshes parts={parts} />
      <ConveyorProducts plant={plant} buffer={buffer} res={res} />
    </>
  );
}
