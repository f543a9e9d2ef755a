import { useLayoutEffect } from 'react';
import { Matrix4 } from 'three';
import { box, merge } from './geometryKit';
import { createPart, flushPart, hideInstance, setMatrix } from './instancedPart';
import type { KindProps } from './kindProps';
import { PartMeshes } from './PartMeshes';
import { layoutPoseMatrix } from './poseMath';
import { useParts } from './useParts';
import { useStateTint } from './useStateTint';

/** Props of ChargingDocks. */
export type ChargingDocksProps = KindProps;

/** Floor plate sizes, m: an AGV bay (1.4 × 1.0) and a drone pad (1.7 × 1.7). */
const AGV_PLATE: readonly [number, number] = [1.4, 1.0];
const DRONE_PAD: readonly [number, number] = [1.7, 1.7];

const _m = new Matrix4();

function isDronePad(plant: KindProps['plant'], i: number): boolean {
  const e = plant.layout.equipment[i];
  return e.kind === 'charging-dock' && e.props.for === 'drone';
}

function dockGeometries() {
  return {
    // 1 × 1 m plate with contact strips, stretched per dock type (trim).
    plate: merge([
      box(1, 0.04, 1, '#50565c', { at: [0, 0.02, 0] }),
      box(0.92, 0.006, 0.04, '#8d949a', { at: [0, 0.043, 0.18] }),
      box(0.92, 0.006, 0.04, '#8d949a', { at: [0, 0.043, -0.18] }),
    ]),
    // Charger cabinet at the back of an AGV bay (state color).
    post: merge([
      box(0.28, 1.0, 0.5, '#ffffff', { at: [-0.62, 0.5, 0] }),
      box(0.02, 0.16, 0.26, '#3a3f44', { at: [-0.475, 0.78, 0] }),
      box(0.08, 0.06, 0.3, '#5d636a', { at: [-0.45, 0.22, 0] }),
    ]),
  };
}

/** All charging docks: AGV bays (plate + charger cabinet) and drone pads (plate only). */
export function ChargingDocks({ plant, buffer, res }: ChargingDocksProps) {
  const indices = plant.byKind['charging-dock'];
  const n = indices.length;
  const parts = useParts(
    () => {
      const g = dockGeometries();
      return {
        plate: createPart('dock.plate', g.plate, res.solid, n, 'trim', null, plant.sphere),
        post: createPart('dock.post', g.post, res.solid, n, 'body', null, plant.sphere),
      };
    },
    [plant, res],
    plant.detail,
  );
  useStateTint(indices, parts, buffer, res.modelled);

  useLayoutEffect(() => {
    for (let k = 0; k < n; k++) {
      const i = indices[k];
      const drone = isDronePad(plant, i);
      const [w, d] = drone ? DRONE_PAD : AGV_PLATE;
      setMatrix(parts.plate, k, layoutPoseMatrix(_m, plant, i, w, 1, d));
      if (drone) hideInstance(parts.post, k);
      else setMatrix(parts.post, k, layoutPoseMatrix(_m, plant, i));
    }
    flushPart(parts.plate);
    flushPart(parts.post);
  }, [plant, parts, indices, n]);

  return <PartMeshes parts={parts} />;
}
