import type { Matrix4 } from 'three';
import type { PlantIndex } from './plantIndex';

/**
 * Writes translate(x, y, z) · rotateY(yaw) · scale(sx, sy, sz) into `out` directly (no
 * allocation, no trigonometry beyond one sin/cos): the pose of everything on the plant floor.
 */
export function poseMatrix(
  out: Matrix4,
  x: number,
  y: number,
  z: number,
  yaw: number,
  sx = 1,
  sy = 1,
  sz = 1,
): Matrix4 {
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  const e = out.elements;
  e[0] = c * sx;
  e[1] = 0;
  e[2] = -s * sx;
  e[3] = 0;
  e[4] = 0;
  e[5] = sy;
  e[6] = 0;
  e[7] = 0;
  e[8] = s * sz;
  e[9] = 0;
  e[10] = c * sz;
  e[11] = 0;
  e[12] = x;
  e[13] = y;
  e[14] = z;
  e[15] = 1;
  return out;
}

/** The layout pose of equipment i (static equipment never moves): translate · rotateY · scale. */
export function layoutPoseMatrix(
  out: Matrix4,
  plant: PlantIndex,
  i: number,
  sx = 1,
  sy = 1,
  sz = 1,
): Matrix4 {
  const p = plant.layout.equipment[i].position;
  return poseMatrix(out, p[0], p[1], p[2], plant.yaw[i], sx, sy, sz);
}

/**
 * World position of a point given in an equipment's local frame (lx, ly, lz) for the pose
 * [x, y, z, yaw]; writes into out[0..2].
 */
export function localToWorld(
  pose: ArrayLike<number>,
  lx: number,
  ly: number,
  lz: number,
  out: Float32Array | number[],
): void {
  const c = Math.cos(pose[3]);
  const s = Math.sin(pose[3]);
  out[0] = pose[0] + c * lx + s * lz;
  out[1] = pose[1] + ly;
  out[2] = pose[2] - s * lx + c * lz;
}

const _pose = new Float32Array(4);

/** Anything that can give an equipment's current pose (the twin buffer). */
export interface PoseSource {
  samplePose(index: number, nowMs: number, out: Float32Array | number[]): void;
}

/**
 * World center of equipment i's box at `nowMs` (interpolated pose for moving equipment), into
 * out[0..2]; returns the yaw (rad).
 */
export function equipmentCenter(
  plant: PlantIndex,
  poses: PoseSource,
  i: number,
  nowMs: number,
  out: Float32Array | number[],
): number {
  poses.samplePose(i, nowMs, _pose);
  const o = i * 6;
  localToWorld(_pose, plant.extent[o], plant.extent[o + 1], plant.extent[o + 2], out);
  return _pose[3];
}

/**
 * A conveyor's frame at the start of its belt. The layout gives the belt's centre and the belt
 * runs along local +x, so the start is half a length back along the yawed x axis.
 */
export function beltStartMatrix(out: Matrix4, plant: PlantIndex, i: number, sx = 1, sy = 1, sz = 1): Matrix4 {
  const e = plant.layout.equipment[i];
  const half = e.kind === 'conveyor' ? e.props.length / 2 : 0;
  const yaw = plant.yaw[i];
  // Local +x maps to (cos yaw, 0, -sin yaw) for a rotation about +y.
  const x = e.position[0] - Math.cos(yaw) * half;
  const z = e.position[2] + Math.sin(yaw) * half;
  return poseMatrix(out, x, e.position[1], z, yaw, sx, sy, sz);
}
