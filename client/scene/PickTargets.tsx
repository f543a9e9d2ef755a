import { type ThreeEvent, useFrame, useThree } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo } from 'react';
import { BoxGeometry, InstancedMesh, Matrix4, MeshBasicMaterial } from 'three';
import { useSelectionStore } from '../state/selectionStore';
import type { TwinBuffer } from '../state/twinBuffer';
import type { PlantIndex } from './plantIndex';
import { poseMatrix } from './poseMath';
import type { ModelMask } from './stateTint';

/** Props of PickTargets. */
export type PickTargetsProps = {
  plant: PlantIndex;
  buffer: TwinBuffer;
  /** Equipment drawn by uploaded models: their models' own pick boxes stand in for these. */
  modelled?: ModelMask;
};

const _m = new Matrix4();
const _box = new Matrix4();
const _pose = new Float32Array(4);

function writeBox(
  mesh: InstancedMesh,
  plant: PlantIndex,
  i: number,
  pose: ArrayLike<number>,
  modelled: ModelMask | undefined,
): void {
  if (modelled?.mask[i]) {
    _m.makeScale(0, 0, 0).toArray(mesh.instanceMatrix.array, i * 16); // a point: never hit
    return;
  }
  const o = i * 6;
  poseMatrix(_m, pose[0], pose[1], pose[2], pose[3]);
  // Local box: translate to its center, scale to its size.
  _box.makeScale(plant.extent[o + 3], plant.extent[o + 4], plant.extent[o + 5]);
  _box.setPosition(plant.extent[o], plant.extent[o + 1], plant.extent[o + 2]);
  _m.multiply(_box);
  _m.toArray(mesh.instanceMatrix.array, i * 16);
}

/**
 * Picking for every equipment in ONE invisible InstancedMesh of boxes (instance = equipment
 * index), so any part of a machine, and the air between a robot's links, selects it. Click
 * selects, double-click flies to it; hover shows a pointer cursor. Moving boxes follow their pose.
 */
export function PickTargets({ plant, buffer, modelled }: PickTargetsProps) {
  const canvas = useThree((s) => s.gl.domElement);
  useEffect(
    () => () => {
      canvas.style.cursor = '';
    },
    [canvas],
  );
  const mesh = useMemo(() => {
    const m = new InstancedMesh(new BoxGeometry(1, 1, 1), new MeshBasicMaterial(), Math.max(plant.count, 1));
    m.count = plant.count;
    m.visible = false; // raycast only: three's Raycaster ignores `visible`, the renderer does not draw it
    m.matrixAutoUpdate = false;
    m.frustumCulled = false;
    m.boundingSphere = plant.sphere.clone(); // fixed: mobile boxes stay inside the plant sphere
    m.name = 'pickTargets';
    return m;
  }, [plant]);
  useEffect(
    () => () => {
      mesh.geometry.dispose();
      (mesh.material as MeshBasicMaterial).dispose();
      mesh.dispose();
    },
    [mesh],
  );

  const seen = useMemo(() => ({ modelled: -1 }), []);
  const writeAll = () => {
    const now = performance.now();
    for (let i = 0; i < plant.count; i++) {
      buffer.samplePose(i, now, _pose);
      writeBox(mesh, plant, i, _pose, modelled);
    }
    mesh.instanceMatrix.needsUpdate = true;
    seen.modelled = modelled?.version ?? -1;
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: writeAll reads exactly these.
  useLayoutEffect(writeAll, [mesh, plant, buffer, modelled]);

  useFrame(() => {
    // Models came or went: their equipment's boxes step aside or come back.
    if (modelled && modelled.version !== seen.modelled) writeAll();
    // Boxes are only raycast on the CPU (never drawn), so no upload is needed, just the array.
    const now = performance.now();
    const mobile = plant.mobile;
    for (let k = 0; k < mobile.length; k++) {
      buffer.samplePose(mobile[k], now, _pose);
      writeBox(mesh, plant, mobile[k], _pose, modelled);
    }
  });

  const idOf = (e: ThreeEvent<MouseEvent>) =>
    e.instanceId !== undefined && e.instanceId < plant.count ? buffer.ids[e.instanceId] : null;

  return (
    <primitive
      object={mesh}
      onClick={(e: ThreeEvent<MouseEvent>) => {
        e.stopPropagation();
        const id = idOf(e);
        if (id) useSelectionStore.getState().select(id);
      }}
      onDoubleClick={(e: ThreeEvent<MouseEvent>) => {
        e.stopPropagation();
        const id = idOf(e);
        if (id) useSelectionStore.getState().flyToEquipment(id);
      }}
      onPointerOver={(e: ThreeEvent<PointerEvent>) => {
        e.stopPropagation();
        canvas.style.cursor = 'pointer';
      }}
      onPointerOut={() => {
        canvas.style.cursor = '';
      }}
    />
  );
}
