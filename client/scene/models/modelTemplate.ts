import {
  type BufferGeometry,
  type Material,
  Matrix4,
  type Mesh,
  type Object3D,
  PropertyBinding,
} from 'three';
import { ROBOT_JOINTS, type RobotJoint } from '../../../protocol';

/**
 * One level of a model ready for instancing: its mesh primitives, each with the matrix that puts
 * it in its segment's frame. A robot arm with mapped joints is split into segments: every mesh
 * belongs to its nearest joint ancestor (j1..j6, index 0..5) or to the base (-1), which never turns.
 */
export interface ModelLodTemplate {
  readonly pieces: readonly ModelPiece[];
  /** Joints found in this level (false: drawn rigid, as authored). */
  readonly articulated: boolean;
  /** Per joint (0..5): its nearest joint ancestor, or -1 (the model root). */
  readonly jointParent: Int8Array;
  /** Per joint: its rest transform in its parent joint's frame (or the root's). */
  readonly jointRest: readonly Matrix4[];
  /** Joints in an order where every parent comes before its children. */
  readonly jointOrder: Int8Array;
}

/** One mesh primitive of a model level. */
export interface ModelPiece {
  readonly geometry: BufferGeometry;
  readonly material: Material;
  /** -1: the base (model root frame); 0..5: joint j1..j6's frame. */
  readonly segment: number;
  /** The primitive's transform in its segment's frame. */
  readonly matrix: Matrix4;
}

const _inv = new Matrix4();

/** The node names three's GLTFLoader gives (it sanitizes names: spaces become `_`, `.:/[]` go). */
export function loaderNodeName(name: string): string {
  return PropertyBinding.sanitizeNodeName(name);
}

/** The nearest ancestor of `o` (itself included) among `joints`, as an index, or -1. */
function jointOf(o: Object3D | null, joints: readonly (Object3D | null)[], stop: Object3D): number {
  for (let n = o; n && n !== stop; n = n.parent) {
    const j = joints.indexOf(n);
    if (j >= 0) return j;
  }
  return -1;
}

/**
 * Splits a loaded scene (`root`, e.g. a GLTF's scene) into instancing pieces. `joints` maps j1..j6
 * to node names (as uploaded); when all six are found the meshes are split by joint, otherwise the
 * model is rigid (`articulated` false).
 */
export function buildLodTemplate(
  root: Object3D,
  joints: Partial<Record<RobotJoint, string>> | null,
): ModelLodTemplate {
  root.updateMatrixWorld(true);
  const rootInv = new Matrix4().copy(root.matrixWorld).invert();
  const nodes = ROBOT_JOINTS.map((j) => {
    const name = joints?.[j];
    return name ? (root.getObjectByName(loaderNodeName(name)) ?? null) : null;
  });
  const articulated = nodes.every((n) => n !== null);
  const used: readonly (Object3D | null)[] = articulated ? nodes : [];
  // Frames, model-root relative: the root's and each joint's world matrix.
  const frameOf = (j: number) =>
    j < 0 ? new Matrix4() : new Matrix4().multiplyMatrices(rootInv, (used[j] as Object3D).matrixWorld);
  const jointParent = new Int8Array(6).fill(-1);
  const jointRest: Matrix4[] = [];
  const depth = new Int32Array(6);
  for (let j = 0; j < 6; j++) {
    if (!articulated) {
      jointRest.push(new Matrix4());
      continue;
    }
    const node = used[j] as Object3D;
    const p = jointOf(node.parent, used, root);
    jointParent[j] = p;
    jointRest.push(_inv.copy(frameOf(p)).invert().multiply(frameOf(j)).clone());
    for (let n = node.parent; n && n !== root; n = n.parent) depth[j]++;
  }
  const jointOrder = Int8Array.from([0, 1, 2, 3, 4, 5].sort((a, b) => depth[a] - depth[b]));
  const pieces: ModelPiece[] = [];
  root.traverse((o) => {
    const mesh = o as Mesh;
    if (!mesh.isMesh) return;
    const segment = jointOf(mesh, used, root);
    const inSegment = _inv.copy(frameOf(segment)).invert();
    const world = new Matrix4().multiplyMatrices(rootInv, mesh.matrixWorld);
    const material = Array.isArray(mesh.material) ? mesh.material[0] : mesh.material;
    pieces.push({ geometry: mesh.geometry, material, segment, matrix: inSegment.multiply(world).clone() });
  });
  return { pieces, articulated, jointParent, jointRest, jointOrder };
}

/**
 * Turns joint j (0..5) by `q` rad in its own node frame, written into `out`, following the
 * built-in arm: j1, j4 and j6 turn about the node's +y (yaw, rolls along the link), j2, j3 and j5
 * about its +z by -q (positive pitch leans the link toward the node's +x).
 */
export function jointRotation(out: Matrix4, j: number, q: number): Matrix4 {
  return j === 0 || j === 3 || j === 5 ? out.makeRotationY(q) : out.makeRotationZ(-q);
}
