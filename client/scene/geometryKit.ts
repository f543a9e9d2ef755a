import {
  BoxGeometry,
  type BufferGeometry,
  CapsuleGeometry,
  Color,
  type ColorRepresentation,
  CylinderGeometry,
  Euler,
  Float32BufferAttribute,
  Matrix4,
  Quaternion,
  Vector3,
} from 'three';
import { RoundedBoxGeometry } from 'three/examples/jsm/geometries/RoundedBoxGeometry.js';
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js';

/**
 * Small helpers to model equipment from primitives. Every piece carries a baked vertex color, so
 * one part (one InstancedMesh, one draw call) can have several tones; all parts then share one
 * vertex-colored material. Build-time only (allocates); never call these in the frame loop.
 */

/** Geometric detail of what is being built: 'low' for huge plants (same draw calls, fewer triangles). */
export type Detail = 'high' | 'low';
let detail: Detail = 'high';

/** Runs `build` with the given detail (builders below read it; synchronous, so scoped). */
export function withDetail<T>(d: Detail, build: () => T): T {
  const before = detail;
  detail = d;
  try {
    return build();
  } finally {
    detail = before;
  }
}

const _c = new Color();
const _m = new Matrix4();
const _q = new Quaternion();
const _s = new Vector3(1, 1, 1);
const _t = new Vector3();
const _r = new Euler();

/** A primitive placed in the part's frame: position (m), optional rotation (Euler XYZ, rad). */
export interface Place {
  at?: readonly [number, number, number];
  rot?: readonly [number, number, number];
}

function finish(geo: BufferGeometry, color: ColorRepresentation, place: Place): BufferGeometry {
  // Every piece is non-indexed with position, normal and color only, so any two can be merged
  // (RoundedBoxGeometry is non-indexed, the other primitives are indexed).
  geo.deleteAttribute('uv');
  const g = geo.index ? geo.toNonIndexed() : geo;
  if (g !== geo) geo.dispose();
  if (place.rot || place.at) {
    const r = place.rot ?? [0, 0, 0];
    const a = place.at ?? [0, 0, 0];
    _q.setFromEuler(_r.set(r[0], r[1], r[2]));
    g.applyMatrix4(_m.compose(_t.set(a[0], a[1], a[2]), _q, _s));
  }
  _c.set(color);
  const n = g.getAttribute('position').count;
  const col = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    col[i * 3] = _c.r;
    col[i * 3 + 1] = _c.g;
    col[i * 3 + 2] = _c.b;
  }
  g.setAttribute('color', new Float32BufferAttribute(col, 3));
  return g;
}

/** Box of size w×h×d (m) centered at `at`. */
export function box(
  w: number,
  h: number,
  d: number,
  color: ColorRepresentation,
  place: Place = {},
): BufferGeometry {
  return finish(new BoxGeometry(w, h, d), color, place);
}

/** Box with rounded edges (radius r, m): softer silhouettes for bodies. */
export function roundedBox(
  w: number,
  h: number,
  d: number,
  r: number,
  color: ColorRepresentation,
  place: Place = {},
): BufferGeometry {
  if (detail === 'low') return finish(new BoxGeometry(w, h, d), color, place);
  return finish(new RoundedBoxGeometry(w, h, d, 2, r), color, place);
}

/** Cylinder along +y (radii top/bottom, height h, m) centered at `at`. */
export function cylinder(
  rTop: number,
  rBottom: number,
  h: number,
  color: ColorRepresentation,
  place: Place = {},
  segments = 20,
): BufferGeometry {
  const n = detail === 'low' ? Math.max(6, Math.round(segments / 3)) : segments;
  return finish(new CylinderGeometry(rTop, rBottom, h, n), color, place);
}

/** Capsule along +y: straight length `len` between the cap centers, radius r (m). */
export function capsule(
  r: number,
  len: number,
  color: ColorRepresentation,
  place: Place = {},
): BufferGeometry {
  return finish(
    detail === 'low' ? new CapsuleGeometry(r, len, 1, 6) : new CapsuleGeometry(r, len, 4, 14),
    color,
    place,
  );
}

/** Merges pieces into one geometry (disposes the pieces). */
export function merge(pieces: BufferGeometry[]): BufferGeometry {
  const g = mergeGeometries(pieces, false);
  for (const p of pieces) p.dispose();
  if (!g) throw new Error('geometryKit.merge: incompatible pieces');
  g.computeBoundingSphere();
  return g;
}

/** A quarter turn, rad (for placing pieces lying along x or z). */
export const QUARTER = Math.PI / 2;
