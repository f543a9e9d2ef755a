import type { Camera } from 'three';
import { Vector3 } from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import { type Footprint, footprintOf } from './footprint';
import { type DraftLayout, equipmentOf } from './layoutEdits';

/**
 * What the design screen's HUD asks of its 3D view, outside React: where the view is centred (new
 * equipment goes there) and, for tests, where a piece of equipment is on screen.
 */
export const designView = {
  /** The orbit target on the floor, m (set by the canvas while it is mounted). */
  centre: { x: 0, z: 0 },
  camera: null as Camera | null,
  canvas: null as HTMLCanvasElement | null,
  /** The orbit controls (set by the canvas while it is mounted): a viewpoint's "Go to" moves them. */
  controls: null as OrbitControlsImpl | null,
};

/** Moves the design camera to stand at `position` looking at `target` (m); false without a view. */
export function goToView(position: readonly number[], target: readonly number[]): boolean {
  const { camera, controls } = designView;
  if (!camera || !controls) return false;
  camera.position.set(position[0], position[1], position[2]);
  controls.target.set(target[0], target[1], target[2]);
  // Turns the camera to the target; a move tells the controls' listeners (the orbit centre, presence).
  controls.update();
  return true;
}

const _v = new Vector3();
const _f: Footprint = { sx: 1, sy: 1, sz: 1 };

/** A world point (m) in page pixels (CSS), or null when it is not in the view. */
export function screenPoint(x: number, y: number, z: number): { x: number; y: number } | null {
  const { camera, canvas } = designView;
  if (!camera || !canvas) return null;
  _v.set(x, y, z).project(camera);
  if (_v.z > 1 || Math.abs(_v.x) > 1 || Math.abs(_v.y) > 1) return null;
  const r = canvas.getBoundingClientRect();
  return { x: r.left + ((_v.x + 1) / 2) * r.width, y: r.top + ((1 - _v.y) / 2) * r.height };
}

/**
 * A point high on equipment `id`'s box (where a click finds it above lower neighbours) in page
 * pixels (CSS), or null when it is not in the view.
 */
export function screenPositionOf(layout: DraftLayout, id: string): { x: number; y: number } | null {
  const e = equipmentOf(layout).find((x) => x.id === id);
  return e ? screenPoint(e.position[0], footprintOf(e, _f).sy * 0.8, e.position[2]) : null;
}

/** Zone rectangles' bounds of a draft, m (a 40 m square about the origin when it has none). */
export function draftBounds(layout: DraftLayout): { minX: number; maxX: number; minZ: number; maxZ: number } {
  let [minX, maxX, minZ, maxZ] = [Infinity, -Infinity, Infinity, -Infinity];
  const zones = Array.isArray(layout.zones) ? layout.zones : [];
  for (const z of zones as { min?: unknown; max?: unknown }[]) {
    if (!Array.isArray(z?.min) || !Array.isArray(z.max)) continue;
    minX = Math.min(minX, Number(z.min[0]));
    minZ = Math.min(minZ, Number(z.min[1]));
    maxX = Math.max(maxX, Number(z.max[0]));
    maxZ = Math.max(maxZ, Number(z.max[1]));
  }
  for (const e of equipmentOf(layout)) {
    minX = Math.min(minX, e.position[0]);
    maxX = Math.max(maxX, e.position[0]);
    minZ = Math.min(minZ, e.position[2]);
    maxZ = Math.max(maxZ, e.position[2]);
  }
  if (!Number.isFinite(minX + maxX + minZ + maxZ)) return { minX: -20, maxX: 20, minZ: -20, maxZ: 20 };
  return { minX, maxX, minZ, maxZ };
}
