import type { ThreeEvent } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo } from 'react';
import { BoxGeometry, Color, type InstancedMesh, Matrix4, MeshStandardMaterial } from 'three';
import { poseMatrix } from '../scene/poseMath';
import { priorityColor } from '../theme';
import { type Footprint, footprintOf, KIND_COLOR } from './footprint';
import type { DraftEquipment } from './layoutEdits';

const DEG = Math.PI / 180;

/** What the equipment boxes share with the gizmo: the mesh, and which instance is which equipment. */
export interface EquipmentLink {
  mesh: InstancedMesh | null;
  list: readonly DraftEquipment[];
  index: Map<string, number>;
  /** Equipment drawn by an uploaded model: its box is a flat plate of its footprint under the model. */
  flat?: ReadonlySet<string>;
}

/** Height of the footprint plate under an uploaded model, m: it takes clicks without hiding the model. */
const PLATE_H = 0.06;

/** Props of DesignEquipment. */
export type DesignEquipmentProps = {
  equipment: readonly DraftEquipment[];
  /** Equipment the server's errors name: drawn red. */
  errorIds: ReadonlySet<string>;
  link: EquipmentLink;
  /** A click on equipment; `add` with Shift, Ctrl or Cmd held (adds to the selection). */
  onPick: (id: string, add: boolean) => void;
  /** Equipment drawn by uploaded models (flat plates instead of boxes). */
  flat?: ReadonlySet<string>;
};

const _m = new Matrix4();
const _c = new Color();
const _f: Footprint = { sx: 1, sy: 1, sz: 1 };
const ERROR_COLOR = new Color(priorityColor.critical);

/**
 * Writes equipment `e`'s box (from the floor up, or from its mounting height for drones) at (x, z)
 * and yaw (rad) into instance `i`; a flat plate when `flat` (an uploaded model draws it).
 */
export function placeBox(
  mesh: InstancedMesh,
  i: number,
  e: DraftEquipment,
  x: number,
  z: number,
  yaw: number,
  flat = false,
) {
  footprintOf(e, _f);
  if (flat) _f.sy = PLATE_H;
  const y0 = e.kind === 'base-station' ? 0 : Math.max(0, e.position[1]);
  mesh.setMatrixAt(i, poseMatrix(_m, x, y0 + _f.sy / 2, z, yaw, _f.sx, _f.sy, _f.sz));
  mesh.instanceMatrix.needsUpdate = true;
  // Raycasting tests the (cached) bounds first: they must follow the moved box.
  mesh.boundingSphere = null;
  mesh.boundingBox = null;
}

/**
 * Every equipment of the draft as a box of its footprint in one instanced mesh (one draw call at any
 * plant size), picked by instance id. Rewritten only when the layout changes (edits are rare).
 */
export function DesignEquipment({ equipment, errorIds, link, onPick, flat }: DesignEquipmentProps) {
  const geometry = useMemo(() => new BoxGeometry(1, 1, 1), []);
  const material = useMemo(() => new MeshStandardMaterial({ roughness: 0.7, metalness: 0.05 }), []);
  // Grows in powers of two: adding equipment rarely remounts the mesh.
  const capacity = 2 ** Math.ceil(Math.log2(Math.max(16, equipment.length)));
  useEffect(() => () => geometry.dispose(), [geometry]);
  useEffect(() => () => material.dispose(), [material]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new capacity is a new mesh to fill.
  useLayoutEffect(() => {
    const mesh = link.mesh;
    link.list = equipment;
    link.flat = flat;
    link.index = new Map(equipment.map((e, i) => [e.id, i]));
    if (!mesh) return;
    equipment.forEach((e, i) => {
      placeBox(mesh, i, e, e.position[0], e.position[2], (e.rotation ?? 0) * DEG, link.flat?.has(e.id));
      mesh.setColorAt(i, errorIds.has(e.id) ? ERROR_COLOR : _c.set(KIND_COLOR[e.kind] ?? KIND_COLOR.agv));
    });
    mesh.count = equipment.length;
    if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true;
  }, [equipment, errorIds, link, capacity, flat]);

  const onClick = (ev: ThreeEvent<MouseEvent>) => {
    // A drag of the view is not a click on what was under the pointer.
    if (ev.delta > 4 || ev.instanceId === undefined) return;
    ev.stopPropagation();
    const e = link.list[ev.instanceId];
    if (e) onPick(e.id, ev.shiftKey || ev.ctrlKey || ev.metaKey);
  };

  return (
    <instancedMesh
      key={capacity}
      ref={(m) => {
        link.mesh = m;
      }}
      args={[geometry, material, capacity]}
      frustumCulled={false}
      onClick={onClick}
    />
  );
}
