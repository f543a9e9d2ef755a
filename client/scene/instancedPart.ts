import {
  type BufferAttribute,
  type BufferGeometry,
  DynamicDrawUsage,
  InstancedBufferAttribute,
  InstancedMesh,
  type Material,
  type Matrix4,
  type Sphere,
} from 'three';

/**
 * One equipment part drawn for every equipment of a kind: one InstancedMesh, one draw call,
 * whatever the plant size (DESIGN principle 7).
 */
export interface Part {
  readonly mesh: InstancedMesh;
  /** 'body' takes the state color; 'trim' keeps its baked tones (dimmed when offline); 'none' is never tinted. */
  readonly tint: 'body' | 'trim' | 'none';
  /** Instances of slot k are first[k]..first[k+1]-1; null when there is exactly one per slot. */
  readonly first: Int32Array | null;
  /** Pending upload ranges (instances) of the matrices and colors. */
  readonly matrices: DirtyRange;
  readonly colors: DirtyRange;
  /**
   * Per-instance data mark (`aMark`, the twin buffer's MARK_* code as a float) read by the shared
   * equipment material to draw stale, bad, uncertain and stand-in data as such; and its pending range.
   */
  readonly markAttr: InstancedBufferAttribute;
  readonly marks: DirtyRange;
}

/**
 * Tracks the lowest and highest changed instance between uploads and hands three ONE reused
 * update range, so marking changes never allocates; a wide span becomes a full upload.
 */
export class DirtyRange {
  private lo = Number.POSITIVE_INFINITY;
  private hi = -1;
  private readonly range = { start: 0, count: 0 };

  /** Marks instance i as changed. */
  add(i: number): void {
    if (i < this.lo) this.lo = i;
    if (i > this.hi) this.hi = i;
  }

  /** Marks instances first..last (inclusive) as changed. */
  addSpan(first: number, last: number): void {
    if (first < this.lo) this.lo = first;
    if (last > this.hi) this.hi = last;
  }

  /** Schedules the marked span of `attr` for upload (if any) and resets. */
  flush(attr: BufferAttribute | InstancedBufferAttribute): void {
    if (this.hi < 0) return;
    const size = attr.itemSize;
    let start = this.lo * size;
    let end = (this.hi + 1) * size;
    this.lo = Number.POSITIVE_INFINITY;
    this.hi = -1;
    const ranges = attr.updateRanges;
    // A span not uploaded yet (mesh hidden last frame) is still ours: widen it instead of losing it.
    if (ranges.length === 1 && ranges[0] === this.range) {
      start = Math.min(start, this.range.start);
      end = Math.max(end, this.range.start + this.range.count);
    }
    if ((end - start) * 2 > attr.array.length) {
      attr.clearUpdateRanges(); // more than half changed: one full upload is cheaper than a sub-range
    } else {
      this.range.start = start;
      this.range.count = end - start;
      ranges.length = 0;
      ranges.push(this.range);
    }
    attr.needsUpdate = true;
  }
}

/**
 * Creates a part: an InstancedMesh with per-instance colors (white), fixed bounds (`sphere`, so
 * three never rescans the instances) and no automatic matrix updates (the mesh itself never moves).
 */
export function createPart(
  name: string,
  geometry: BufferGeometry,
  material: Material,
  count: number,
  tint: Part['tint'],
  first: Int32Array | null = null,
  sphere: Sphere | null = null,
): Part {
  const mesh = new InstancedMesh(geometry, material, Math.max(count, 1));
  mesh.name = name;
  mesh.count = count;
  mesh.visible = count > 0;
  mesh.instanceMatrix.setUsage(DynamicDrawUsage);
  // Exists before the first render so the program is compiled with instance colors.
  mesh.instanceColor = new InstancedBufferAttribute(new Float32Array(Math.max(count, 1) * 3).fill(1), 3);
  mesh.instanceColor.setUsage(DynamicDrawUsage);
  // Each part owns its geometry, so the per-instance mark can live on it (0: good, real).
  const markAttr = new InstancedBufferAttribute(new Float32Array(Math.max(count, 1)), 1);
  markAttr.setUsage(DynamicDrawUsage);
  geometry.setAttribute('aMark', markAttr);
  mesh.matrixAutoUpdate = false;
  // Instances move (AGVs, drones): a per-mesh frustum test on stale bounds would cull them wrongly,
  // and draw calls must not depend on the view for the diagnostics to compare plants.
  mesh.frustumCulled = false;
  if (sphere) {
    mesh.boundingSphere = sphere.clone();
    geometry.boundingSphere ?? geometry.computeBoundingSphere();
  }
  return {
    mesh,
    tint,
    first,
    matrices: new DirtyRange(),
    colors: new DirtyRange(),
    markAttr,
    marks: new DirtyRange(),
  };
}

/** Writes instance i's matrix (no allocation) and marks it for upload. */
export function setMatrix(part: Part, i: number, m: Matrix4): void {
  m.toArray(part.mesh.instanceMatrix.array, i * 16);
  part.matrices.add(i);
}

/** Hides instance i by collapsing it to a point (cheaper than remounting; DESIGN principle 8). */
export function hideInstance(part: Part, i: number): void {
  const a = part.mesh.instanceMatrix.array;
  a.fill(0, i * 16, i * 16 + 15);
  a[i * 16 + 15] = 1; // a proper point, not w = 0
  part.matrices.add(i);
}

/** Uploads what changed this frame. */
export function flushPart(part: Part): void {
  part.matrices.flush(part.mesh.instanceMatrix);
  if (part.mesh.instanceColor) part.colors.flush(part.mesh.instanceColor);
  part.marks.flush(part.markAttr);
}

/** Frees the part's GPU buffers and geometry (the material is shared and freed by its owner). */
export function disposePart(part: Part): void {
  part.mesh.geometry.dispose();
  part.mesh.dispose();
}

/** Prefix sums of per-slot instance counts: first[k]..first[k+1]-1 are slot k's instances. */
export function prefixSums(counts: ArrayLike<number>): Int32Array {
  const out = new Int32Array(counts.length + 1);
  for (let k = 0; k < counts.length; k++) out[k + 1] = out[k] + counts[k];
  return out;
}
