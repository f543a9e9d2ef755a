import { useFrame } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import { BufferGeometry, InstancedMesh, type Material, Matrix4 } from 'three';
import { lodForDistance } from '../scene/models/modelLod';
import type { LoadedModel } from '../scene/models/modelRegistry';
import type { ModelLodTemplate } from '../scene/models/modelTemplate';
import { poseMatrix } from '../scene/poseMath';
import type { DraftEquipment } from './layoutEdits';

const DEG = Math.PI / 180;

/** Props of DesignModels. */
export type DesignModelsProps = {
  model: LoadedModel;
  /** The draft's equipment this model draws. */
  equipment: readonly DraftEquipment[];
};

const _place = new Matrix4();
const _m = new Matrix4();

/** Each piece's matrix in the model's frame with every joint at rest (a draft has no joint angles). */
function restMatrices(t: ModelLodTemplate): Matrix4[] {
  const frames = Array.from({ length: 6 }, () => new Matrix4());
  for (const j of t.jointOrder) {
    const p = t.jointParent[j];
    frames[j].multiplyMatrices(p < 0 ? new Matrix4() : frames[p], t.jointRest[j]);
  }
  return t.pieces.map((piece) =>
    piece.segment < 0
      ? piece.matrix.clone()
      : new Matrix4().multiplyMatrices(frames[piece.segment], piece.matrix),
  );
}

/**
 * One uploaded model over the draft's equipment it draws, as authored (joints at rest), placed like
 * the live scene places it (position, rotation, lifted onto the floor): per level one InstancedMesh
 * per piece, copies sorted into levels by camera distance. Not pickable: the footprint plate is.
 */
export function DesignModels({ model, equipment }: DesignModelsProps) {
  const n = equipment.length;
  const built = useMemo(() => {
    const lods = model.lods.map((l) => {
      const rest = restMatrices(l);
      return l.pieces.map((p, k) => {
        const g = new BufferGeometry();
        g.setIndex(p.geometry.index);
        for (const [name, attr] of Object.entries(p.geometry.attributes)) g.setAttribute(name, attr);
        const mesh = new InstancedMesh(g, p.material as Material, Math.max(n, 1));
        mesh.count = 0;
        mesh.frustumCulled = false;
        mesh.matrixAutoUpdate = false;
        return { mesh, rest: rest[k] };
      });
    });
    return {
      lods,
      lift: new Matrix4().makeTranslation(0, -model.summary.bounds.min[1], 0),
      counts: new Int32Array(model.lods.length),
      camera: new Float64Array(3).fill(Number.NaN),
      dirty: { v: true },
    };
  }, [model, n]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: moved or turned equipment is redrawn.
  useEffect(() => {
    built.dirty.v = true;
  }, [built, equipment]);
  useEffect(
    () => () => {
      for (const l of built.lods)
        for (const p of l) {
          p.mesh.geometry.dispose();
          p.mesh.dispose();
        }
    },
    [built],
  );

  useFrame(({ camera }) => {
    const cp = camera.position;
    const b = built;
    if (!b.dirty.v && cp.x === b.camera[0] && cp.y === b.camera[1] && cp.z === b.camera[2]) return;
    b.dirty.v = false;
    b.camera[0] = cp.x;
    b.camera[1] = cp.y;
    b.camera[2] = cp.z;
    b.counts.fill(0);
    for (let k = 0; k < n; k++) {
      const e = equipment[k];
      const [x, y, z] = e.position;
      const lod = lodForDistance(Math.hypot(x - cp.x, y - cp.y, z - cp.z), b.lods.length);
      const slot = b.counts[lod]++;
      poseMatrix(_place, x, y, z, (e.rotation ?? 0) * DEG).multiply(b.lift);
      for (const p of b.lods[lod])
        _m.multiplyMatrices(_place, p.rest).toArray(p.mesh.instanceMatrix.array, slot * 16);
    }
    for (let l = 0; l < b.lods.length; l++)
      for (const p of b.lods[l]) {
        p.mesh.count = b.counts[l];
        p.mesh.instanceMatrix.needsUpdate = true;
      }
  });

  return (
    <>
      {built.lods.flat().map((p) => (
        <primitive key={p.mesh.uuid} object={p.mesh} />
      ))}
    </>
  );
}
