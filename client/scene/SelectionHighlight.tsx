import { useFrame } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo } from 'react';
import {
  BufferAttribute,
  BufferGeometry,
  LineBasicMaterial,
  LineSegments,
  Mesh,
  MeshBasicMaterial,
  PlaneGeometry,
} from 'three';
import { useSelectionStore } from '../state/selectionStore';
import type { TwinBuffer } from '../state/twinBuffer';
import { palette } from '../theme';
import type { PlantIndex } from './plantIndex';
import { poseMatrix } from './poseMath';

/** Props of SelectionHighlight. */
export type SelectionHighlightProps = {
  plant: PlantIndex;
  buffer: TwinBuffer;
};

const MARGIN = 0.18; // m between the equipment's box and its selection brackets
const FLOOR_Y = 0.02; // m, footprint above the floor paint
const _pose = new Float32Array(4);

/** Writes the 8 corner brackets (3 short segments each) of a box centered at c with size s. */
function writeBrackets(pos: Float32Array, c: ArrayLike<number>, s: ArrayLike<number>): void {
  let o = 0;
  for (let corner = 0; corner < 8; corner++) {
    const sx = corner & 1 ? 1 : -1;
    const sy = corner & 2 ? 1 : -1;
    const sz = corner & 4 ? 1 : -1;
    const x = c[0] + (sx * s[0]) / 2;
    const y = c[1] + (sy * s[1]) / 2;
    const z = c[2] + (sz * s[2]) / 2;
    for (let axis = 0; axis < 3; axis++) {
      // Bracket arm: a quarter of the edge, at most 0.6 m.
      const arm = Math.min(0.25 * s[axis], 0.6);
      pos[o++] = x;
      pos[o++] = y;
      pos[o++] = z;
      pos[o++] = x - (axis === 0 ? sx * arm : 0);
      pos[o++] = y - (axis === 1 ? sy * arm : 0);
      pos[o++] = z - (axis === 2 ? sz * arm : 0);
    }
  }
}

/**
 * The selected equipment's highlight: white corner brackets around its box (drawn over
 * everything) and a faint footprint on the floor. Two reusable objects, moved to the selected
 * pose every frame, so the highlight follows AGVs and drones.
 */
export function SelectionHighlight({ plant, buffer }: SelectionHighlightProps) {
  const selectedId = useSelectionStore((s) => s.selectedId);
  const index = selectedId === null ? -1 : (buffer.indexById.get(selectedId) ?? -1);

  const objects = useMemo(() => {
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(new Float32Array(8 * 3 * 2 * 3), 3));
    const brackets = new LineSegments(
      geometry,
      new LineBasicMaterial({
        color: palette.selection,
        depthTest: false,
        transparent: true,
        toneMapped: false,
      }),
    );
    brackets.renderOrder = 21;
    const footprint = new Mesh(
      new PlaneGeometry(1, 1).rotateX(-Math.PI / 2),
      new MeshBasicMaterial({
        color: palette.selection,
        transparent: true,
        opacity: 0.14,
        depthWrite: false,
        toneMapped: false,
      }),
    );
    footprint.renderOrder = 2;
    for (const o of [brackets, footprint]) {
      o.matrixAutoUpdate = false;
      o.frustumCulled = false;
      o.visible = false;
    }
    return { brackets, footprint };
  }, []);
  useEffect(
    () => () => {
      for (const o of [objects.brackets, objects.footprint]) {
        o.geometry.dispose();
        (o.material as LineBasicMaterial | MeshBasicMaterial).dispose();
      }
    },
    [objects],
  );

  // Bracket shape changes only with the selection.
  useLayoutEffect(() => {
    const { brackets, footprint } = objects;
    brackets.visible = footprint.visible = index >= 0;
    if (index < 0) return;
    const o = index * 6;
    const e = plant.extent;
    const size = [e[o + 3] + 2 * MARGIN, e[o + 4] + 2 * MARGIN, e[o + 5] + 2 * MARGIN];
    const attr = brackets.geometry.getAttribute('position') as BufferAttribute;
    writeBrackets(attr.array as Float32Array, [e[o], e[o + 1], e[o + 2]], size);
    attr.needsUpdate = true;
    brackets.geometry.computeBoundingSphere();
  }, [objects, index, plant]);

  useFrame(() => {
    if (index < 0) return;
    const { brackets, footprint } = objects;
    buffer.samplePose(index, performance.now(), _pose);
    poseMatrix(brackets.matrix, _pose[0], _pose[1], _pose[2], _pose[3]);
    brackets.matrixWorldNeedsUpdate = true;
    const o = index * 6;
    const e = plant.extent;
    poseMatrix(
      footprint.matrix,
      _pose[0],
      FLOOR_Y,
      _pose[2],
      _pose[3],
      e[o + 3] + 2 * MARGIN,
      1,
      e[o + 5] + 2 * MARGIN,
    );
    // Center the footprint under the box (the local box center may be off the pose origin).
    const c = Math.cos(_pose[3]);
    const s = Math.sin(_pose[3]);
    footprint.matrix.elements[12] += c * e[o] + s * e[o + 2];
    footprint.matrix.elements[14] += -s * e[o] + c * e[o + 2];
    footprint.matrixWorldNeedsUpdate = true;
  });

  return (
    <>
      <primitive object={objects.brackets} />
      <primitive object={objects.footprint} />
    </>
  );
}
