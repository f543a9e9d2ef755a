import { useFrame } from '@react-three/fiber';
import { useMemo } from 'react';
import { Matrix4 } from 'three';
import { signalIndex } from '../../protocol';
import { palette } from '../theme';
import { box, cylinder, merge, QUARTER, roundedBox } from './geometryKit';
import { createPart, flushPart, hideInstance, setMatrix } from './instancedPart';
import type { KindProps } from './kindProps';
import { PartMeshes } from './PartMeshes';
import { poseMatrix } from './poseMath';
import { StateTinter } from './stateTint';
import { useParts } from './useParts';

/** Props of Agvs. */
export type AgvsProps = KindProps;

const PAYLOAD = signalIndex('agv', 'payload');
/** Deck height of the chassis, m (a low-profile AGV ~0.35 m). */
const DECK_Y = 0.34;

const _m = new Matrix4();
const _pose = new Float32Array(4);

/** AGV geometries: 1.2 × 0.8 m footprint, forward = local +x. */
function agvGeometries() {
  const wheel = (x: number, z: number) =>
    cylinder(0.075, 0.075, 0.05, '#2f3337', { at: [x, 0.075, z], rot: [QUARTER, 0, 0] }, 16);
  return {
    // Shell (takes the state color).
    chassis: roundedBox(1.2, 0.22, 0.8, 0.05, '#ffffff', { at: [0, 0.23, 0] }),
    // Skirt, wheels, lidar and bumpers keep their dark tones.
    trim: merge([
      box(1.14, 0.1, 0.74, '#4a5056', { at: [0, 0.1, 0] }),
      wheel(0.38, 0.36),
      wheel(0.38, -0.36),
      wheel(-0.38, 0.36),
      wheel(-0.38, -0.36),
      box(0.04, 0.08, 0.7, '#33383d', { at: [0.61, 0.14, 0] }),
      box(0.04, 0.08, 0.7, '#33383d', { at: [-0.61, 0.14, 0] }),
      cylinder(0.05, 0.05, 0.06, '#2b2f33', { at: [0.5, DECK_Y + 0.03, 0] }, 16),
      box(0.02, 0.03, 0.5, palette.equipmentAccent, { at: [0.605, 0.27, 0] }),
    ]),
    // Pallet + wrapped load, shown only while carrying.
    cargo: merge([
      box(1.0, 0.12, 0.8, '#7c776e', { at: [0, DECK_Y + 0.06, 0] }),
      roundedBox(0.94, 0.56, 0.74, 0.03, '#a19d94', { at: [0, DECK_Y + 0.12 + 0.28, 0] }),
    ]),
  };
}

/**
 * All AGVs: chassis, trim and cargo InstancedMeshes at the interpolated pose (yaw about +y);
 * the cargo instance collapses to nothing while the payload is 0.
 */
export function Agvs({ plant, buffer, res }: AgvsProps) {
  const indices = plant.byKind.agv;
  const n = indices.length;
  const parts = useParts(
    () => {
      const g = agvGeometries();
      const s = plant.sphere;
      return {
        chassis: createPart('agv.chassis', g.chassis, res.solid, n, 'body', null, s),
        trim: createPart('agv.trim', g.trim, res.solid, n, 'trim', null, s),
        cargo: createPart('agv.cargo', g.cargo, res.solid, n, 'trim', null, s),
      };
    },
    [plant, res],
    plant.detail,
  );
  const tinter = useMemo(
    () => new StateTinter(indices, Object.values(parts), res.modelled),
    [indices, parts, res],
  );
  // Last pose and load drawn, per AGV: a parked AGV costs no matrix writes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: new parts start blank, so forget what was drawn.
  const drawn = useMemo(() => new Float32Array(n * 5).fill(Number.NaN), [n, parts]);

  let seenVersion = -1;
  useFrame(() => {
    if (n === 0) return;
    const now = performance.now();
    if (buffer.version !== seenVersion) {
      seenVersion = buffer.version;
      tinter.update(buffer.state, buffer.mark);
    }
    for (let k = 0; k < n; k++) {
      const i = indices[k];
      buffer.samplePose(i, now, _pose);
      const loaded = buffer.signal(i, PAYLOAD) > 0 ? 1 : 0;
      const o = k * 5;
      if (
        drawn[o] === _pose[0] &&
        drawn[o + 1] === _pose[1] &&
        drawn[o + 2] === _pose[2] &&
        drawn[o + 3] === _pose[3] &&
        drawn[o + 4] === loaded
      )
        continue;
      drawn[o] = _pose[0];
      drawn[o + 1] = _pose[1];
      drawn[o + 2] = _pose[2];
      drawn[o + 3] = _pose[3];
      drawn[o + 4] = loaded;
      poseMatrix(_m, _pose[0], _pose[1], _pose[2], _pose[3]);
      setMatrix(parts.chassis, k, _m);
      setMatrix(parts.trim, k, _m);
      if (loaded) setMatrix(parts.cargo, k, _m);
      else hideInstance(parts.cargo, k);
    }
    flushPart(parts.chassis);
    flushPart(parts.trim);
    flushPart(parts.cargo);
  });

  return <PartMeshes parts={parts} />;
}
