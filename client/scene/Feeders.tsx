import { useFrame } from '@react-three/fiber';
import { useLayoutEffect, useMemo } from 'react';
import { Matrix4 } from 'three';
import { signalIndex } from '../../protocol';
import { box, merge } from './geometryKit';
import { createPart, hideInstance, setMatrix } from './instancedPart';
import type { KindProps } from './kindProps';
import { PartMeshes } from './PartMeshes';
import { layoutPoseMatrix } from './poseMath';
import { StateTinter } from './stateTint';
import { useParts } from './useParts';
import { useStaticPlacement } from './useStaticPlacement';

/** Props of Feeders. */
export type FeedersProps = KindProps;

const LEVEL = signalIndex('feeder', 'level');
/** Bin floor height and usable fill depth, m (a line-side bin on a 0.62 m stand). */
const BIN_FLOOR = 0.64;
const FILL_DEPTH = 0.5;

const _m = new Matrix4();

function feederGeometries() {
  const leg = (x: number, z: number) => box(0.05, BIN_FLOOR, 0.05, '#7d848b', { at: [x, BIN_FLOOR / 2, z] });
  const wallH = FILL_DEPTH + 0.06;
  const wallY = BIN_FLOOR + wallH / 2;
  return {
    // Stand + open bin (state color on the bin walls).
    bin: merge([
      leg(0.48, 0.33),
      leg(-0.48, 0.33),
      leg(0.48, -0.33),
      leg(-0.48, -0.33),
      box(1.0, 0.03, 0.72, '#c8ccd0', { at: [0, BIN_FLOOR - 0.015, 0] }),
      box(1.0, wallH, 0.03, '#ffffff', { at: [0, wallY, 0.345] }),
      box(1.0, wallH, 0.03, '#ffffff', { at: [0, wallY, -0.345] }),
      box(0.03, wallH, 0.66, '#ffffff', { at: [0.485, wallY, 0] }),
      box(0.03, wallH * 0.6, 0.66, '#ffffff', { at: [-0.485, BIN_FLOOR + (wallH * 0.6) / 2, 0] }),
    ]),
    // Parts heap, 1 m tall at scale 1 (scaled to the level).
    fill: merge([box(0.92, 1, 0.64, '#9c968a', { at: [0, 0.5, 0] })]),
  };
}

/** All line-side feeders: a bin on a stand whose contents rise and fall with `level` (%). */
export function Feeders({ plant, buffer, res }: FeedersProps) {
  const indices = plant.byKind.feeder;
  const n = indices.length;
  const parts = useParts(
    () => {
      const g = feederGeometries();
      return {
        bin: createPart('feeder.bin', g.bin, res.solid, n, 'body', null, plant.sphere),
        fill: createPart('feeder.fill', g.fill, res.solid, n, 'trim', null, plant.sphere),
      };
    },
    [plant, res],
    plant.detail,
  );
  const tinter = useMemo(
    () => new StateTinter(indices, Object.values(parts), res.modelled),
    [indices, parts, res],
  );
  const shown = useMemo(() => new Float32Array(n).fill(-1), [n]);
  useStaticPlacement(plant, indices, parts, ['fill']);
  // New parts start empty: redraw every heap.
  useLayoutEffect(() => {
    if (parts) shown.fill(-1);
  }, [shown, parts]);

  let seenVersion = -1;
  useFrame(() => {
    if (n === 0 || buffer.version === seenVersion) return;
    seenVersion = buffer.version;
    tinter.update(buffer.state, buffer.mark);
    for (let k = 0; k < n; k++) {
      const i = indices[k];
      // 2 % steps: the heap is a hint, not a gauge; avoids uploads for every tiny change.
      const level = Math.round(Math.min(Math.max(buffer.signal(i, LEVEL), 0), 100) / 2) * 2;
      if (level === shown[k]) continue;
      shown[k] = level;
      if (level <= 0) {
        hideInstance(parts.fill, k);
        continue;
      }
      layoutPoseMatrix(_m, plant, i, 1, (level / 100) * FILL_DEPTH, 1);
      _m.elements[13] += BIN_FLOOR;
      setMatrix(parts.fill, k, _m);
    }
    tinter.flush();
  });

  return <PartMeshes parts={parts} />;
}
