import { type ThreeEvent, useFrame } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import {
  BoxGeometry,
  BufferGeometry,
  type InstancedBufferAttribute,
  InstancedMesh,
  type Material,
  Matrix4,
  MeshBasicMaterial,
} from 'three';
import { diagnostics } from '../../state/diagnostics';
import { useSelectionStore } from '../../state/selectionStore';
import { createPart, disposePart, type Part } from '../instancedPart';
import { advanceJoints, createJointTrack, retargetJoints } from '../jointTrack';
import type { KindProps } from '../kindProps';
import { poseMatrix } from '../poseMath';
import { patchQualityMarks } from '../qualityMaterial';
import { lodForDistance } from './modelLod';
import type { LoadedModel } from './modelRegistry';
import { jointRotation } from './modelTemplate';
import { MODEL_RGB } from './modelTint';

/** Props of ModelInstances. */
export type ModelInstancesProps = KindProps & {
  model: LoadedModel;
  /** Equipment indices this model draws (its copies). */
  indices: Int32Array;
};

// Frame-loop scratch (no allocation per frame).
const _place = new Matrix4();
const _m = new Matrix4();
const _rot = new Matrix4();
const _pose = new Float32Array(4);

/** A part sharing the template's vertex data (its own geometry object carries the per-instance mark). */
function shareGeometry(src: BufferGeometry): BufferGeometry {
  const g = new BufferGeometry();
  g.setIndex(src.index);
  for (const [name, attr] of Object.entries(src.attributes)) g.setAttribute(name, attr);
  for (const gr of src.groups) g.addGroup(gr.start, gr.count, gr.materialIndex);
  g.boundingSphere = src.boundingSphere;
  return g;
}

/**
 * Every copy of one uploaded model: per level of detail one InstancedMesh per primitive, each
 * holding all copies drawn at that level (draw calls never grow with copies). Each frame where
 * something changed (telemetry, camera, moving copies) the copies are sorted into their level's
 * meshes by camera distance, placed at their pose (lifted so the model stands on it), colored by
 * state and marked (stale, uncertain, stand-in); robot arms with mapped joints turn their segments.
 * Clicking a copy's pick boxes selects its equipment.
 */
export function ModelInstances({ plant, buffer, res, model, indices }: ModelInstancesProps) {
  const n = indices.length;
  const built = useMemo(() => {
    const materials = new Map<Material, Material>();
    const own = (m: Material) => {
      let c = materials.get(m);
      if (!c) {
        c = res.patch(patchQualityMarks(m.clone(), res.px));
        materials.set(m, c);
      }
      return c;
    };
    const lods = model.lods.map((l, level) =>
      l.pieces.map((p, k) =>
        createPart(
          `model.${model.summary.id}.${level}.${k}`,
          shareGeometry(p.geometry),
          own(p.material),
          n,
          'none',
          null,
          plant.sphere,
        ),
      ),
    );
    const boxes = model.summary.pick.length ? model.summary.pick : [model.summary.bounds];
    const boxMatrices = boxes.map((b) =>
      new Matrix4()
        .makeScale(
          Math.max(b.max[0] - b.min[0], 0.05),
          Math.max(b.max[1] - b.min[1], 0.05),
          Math.max(b.max[2] - b.min[2], 0.05),
        )
        .setPosition((b.min[0] + b.max[0]) / 2, (b.min[1] + b.max[1]) / 2, (b.min[2] + b.max[2]) / 2),
    );
    const pick = new InstancedMesh(
      new BoxGeometry(1, 1, 1),
      new MeshBasicMaterial(),
      Math.max(n * boxes.length, 1),
    );
    pick.count = n * boxes.length;
    pick.visible = false; // raycast only
    pick.matrixAutoUpdate = false;
    pick.frustumCulled = false;
    pick.boundingSphere = plant.sphere.clone();
    pick.name = `model.${model.summary.id}.pick`;
    return {
      lods,
      materials: [...materials.values()],
      pick,
      boxMatrices,
      /** The model stands on its pose: its lowest point (bounds.min.y) at the pose's height. */
      lift: new Matrix4().makeTranslation(0, -model.summary.bounds.min[1], 0),
      lodOf: new Int8Array(n).fill(-1),
      counts: new Int32Array(model.lods.length),
      track: createJointTrack(n),
      posed: Array.from({ length: 6 }, () => new Matrix4()),
      camera: new Float64Array(3).fill(Number.NaN),
      seen: { version: -1, pin: -2 as number | null },
    };
  }, [model, n, plant, res]);

  useEffect(() => {
    const counts = built.counts;
    diagnostics.modelLods.set(model.summary.id, counts);
    return () => {
      if (diagnostics.modelLods.get(model.summary.id) === counts)
        diagnostics.modelLods.delete(model.summary.id);
      for (const l of built.lods) for (const p of l) disposePart(p);
      for (const m of built.materials) m.dispose();
      built.pick.geometry.dispose();
      (built.pick.material as Material).dispose();
      built.pick.dispose();
    };
  }, [built, model]);

  useFrame(({ camera }) => {
    if (n === 0) return;
    const now = performance.now();
    const b = built;
    const articulated = model.lods[0].articulated;
    let dirty = false;
    if (buffer.version !== b.seen.version) {
      b.seen.version = buffer.version;
      if (articulated) retargetJoints(buffer.signals, indices, b.track, now);
      dirty = true;
    }
    const cp = camera.position;
    if (cp.x !== b.camera[0] || cp.y !== b.camera[1] || cp.z !== b.camera[2]) {
      b.camera[0] = cp.x;
      b.camera[1] = cp.y;
      b.camera[2] = cp.z;
      dirty = true;
    }
    const pin = diagnostics.modelLodPin;
    if (pin !== b.seen.pin) {
      b.seen.pin = pin;
      dirty = true;
    }
    for (let k = 0; k < n && !dirty; k++)
      if (plant.isMobile[indices[k]] || (articulated && b.track.moving[k])) dirty = true;
    if (!dirty) return;

    const levels = b.lods.length;
    b.counts.fill(0);
    const pickArray = b.pick.instanceMatrix.array;
    const boxes = b.boxMatrices.length;
    for (let k = 0; k < n; k++) {
      const i = indices[k];
      if (plant.isMobile[i]) buffer.samplePose(i, now, _pose);
      else {
        const p = plant.layout.equipment[i].position;
        _pose[0] = p[0];
        _pose[1] = p[1];
        _pose[2] = p[2];
        _pose[3] = plant.yaw[i];
      }
      const d = Math.hypot(_pose[0] - cp.x, _pose[1] - cp.y, _pose[2] - cp.z);
      const lod =
        pin !== null ? Math.max(0, Math.min(pin, levels - 1)) : lodForDistance(d, levels, b.lodOf[k]);
      b.lodOf[k] = lod;
      const slot = b.counts[lod]++;
      poseMatrix(_place, _pose[0], _pose[1], _pose[2], _pose[3]).multiply(b.lift);
      const tmpl = model.lods[lod];
      if (tmpl.articulated) {
        advanceJoints(b.track, k, now);
        const q = b.track.shown;
        for (let o = 0; o < 6; o++) {
          const j = tmpl.jointOrder[o];
          const parent = tmpl.jointParent[j];
          b.posed[j]
            .multiplyMatrices(parent < 0 ? _place : b.posed[parent], tmpl.jointRest[j])
            .multiply(jointRotation(_rot, j, q[k * 6 + j]));
        }
      }
      const s = buffer.state[i];
      const mark = buffer.mark[i];
      const parts = b.lods[lod];
      for (let p = 0; p < parts.length; p++) {
        const piece = tmpl.pieces[p];
        const part = parts[p];
        _m.multiplyMatrices(piece.segment < 0 ? _place : b.posed[piece.segment], piece.matrix);
        _m.toArray(part.mesh.instanceMatrix.array, slot * 16);
        const color = part.mesh.instanceColor?.array;
        if (color) {
          color[slot * 3] = MODEL_RGB[s * 3];
          color[slot * 3 + 1] = MODEL_RGB[s * 3 + 1];
          color[slot * 3 + 2] = MODEL_RGB[s * 3 + 2];
        }
        part.markAttr.array[slot] = mark;
      }
      for (let x = 0; x < boxes; x++)
        _m.multiplyMatrices(_place, b.boxMatrices[x]).toArray(pickArray, (k * boxes + x) * 16);
    }
    for (let l = 0; l < levels; l++) {
      const parts = b.lods[l];
      for (let p = 0; p < parts.length; p++) upload(parts[p], b.counts[l]);
    }
  });

  const idOf = (e: ThreeEvent<MouseEvent>) => {
    const k = e.instanceId === undefined ? -1 : Math.floor(e.instanceId / built.boxMatrices.length);
    return k >= 0 && k < n ? buffer.ids[indices[k]] : null;
  };

  return (
    <>
      {built.lods.flat().map((p) => (
        <primitive key={p.mesh.uuid} object={p.mesh} />
      ))}
      <primitive
        object={built.pick}
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
          (e.nativeEvent.target as HTMLElement).style.cursor = 'pointer';
        }}
        onPointerOut={(e: ThreeEvent<PointerEvent>) => {
          (e.nativeEvent.target as HTMLElement).style.cursor = '';
        }}
      />
    </>
  );
}

/** The first `count` instances of a part are this frame's copies at its level: upload just those. */
function upload(part: Part, count: number): void {
  const mesh = part.mesh;
  mesh.count = count;
  mesh.visible = count > 0;
  if (count === 0) return;
  uploadFirst(mesh.instanceMatrix, count);
  if (mesh.instanceColor) uploadFirst(mesh.instanceColor, count);
  uploadFirst(part.markAttr, count);
}

function uploadFirst(a: InstancedBufferAttribute, count: number): void {
  a.clearUpdateRanges();
  a.addUpdateRange(0, count * a.itemSize);
  a.needsUpdate = true;
}
