import {
  BufferGeometry,
  Color,
  type ColorRepresentation,
  Float32BufferAttribute,
  Uint32BufferAttribute,
} from 'three';

/**
 * Accumulates flat, upward-facing floor shapes (rectangles, strips, discs) with per-vertex colors
 * into ONE geometry: the whole floor layer is one draw call whatever the plant size.
 */
export class FlatBuilder {
  private readonly pos: number[] = [];
  private readonly col: number[] = [];
  private readonly idx: number[] = [];
  private readonly c = new Color();

  /** Axis-aligned rectangle [x0, x1] × [z0, z1] at height y. */
  rect(x0: number, z0: number, x1: number, z1: number, y: number, color: ColorRepresentation): this {
    return this.quad(x0, z0, x1, z0, x1, z1, x0, z1, y, color);
  }

  /** A straight strip of `width` (m) from (x0, z0) to (x1, z1). */
  strip(
    x0: number,
    z0: number,
    x1: number,
    z1: number,
    width: number,
    y: number,
    color: ColorRepresentation,
  ): this {
    const len = Math.hypot(x1 - x0, z1 - z0);
    if (len < 1e-6) return this;
    const nx = (-(z1 - z0) / len) * (width / 2);
    const nz = ((x1 - x0) / len) * (width / 2);
    return this.quad(x0 + nx, z0 + nz, x0 - nx, z0 - nz, x1 - nx, z1 - nz, x1 + nx, z1 + nz, y, color);
  }

  /** Disc of radius r centered at (x, z). */
  disc(x: number, z: number, r: number, y: number, color: ColorRepresentation, segments = 16): this {
    const base = this.pos.length / 3;
    this.vertex(x, y, z, color);
    for (let s = 0; s < segments; s++) {
      const a = (s / segments) * Math.PI * 2;
      this.vertex(x + Math.cos(a) * r, y, z + Math.sin(a) * r, color);
    }
    for (let s = 0; s < segments; s++) this.idx.push(base, base + 1 + ((s + 1) % segments), base + 1 + s);
    return this;
  }

  /** Outline of an axis-aligned rectangle drawn as strips of `width` (m). */
  outline(
    x0: number,
    z0: number,
    x1: number,
    z1: number,
    width: number,
    y: number,
    color: ColorRepresentation,
  ): this {
    const h = width / 2;
    this.strip(x0 - h, z0, x1 + h, z0, width, y, color);
    this.strip(x0 - h, z1, x1 + h, z1, width, y, color);
    this.strip(x0, z0 + h, x0, z1 - h, width, y, color);
    this.strip(x1, z0 + h, x1, z1 - h, width, y, color);
    return this;
  }

  /** Whether nothing was added. */
  get empty(): boolean {
    return this.idx.length === 0;
  }

  /** The finished geometry (position, normal up, color). */
  build(): BufferGeometry {
    const g = new BufferGeometry();
    const n = this.pos.length / 3;
    const normals = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) normals[i * 3 + 1] = 1;
    g.setAttribute('position', new Float32BufferAttribute(this.pos, 3));
    g.setAttribute('normal', new Float32BufferAttribute(normals, 3));
    g.setAttribute('color', new Float32BufferAttribute(this.col, 3));
    g.setIndex(new Uint32BufferAttribute(this.idx, 1));
    g.computeBoundingSphere();
    return g;
  }

  private quad(
    ax: number,
    az: number,
    bx: number,
    bz: number,
    cx: number,
    cz: number,
    dx: number,
    dz: number,
    y: number,
    color: ColorRepresentation,
  ): this {
    const base = this.pos.length / 3;
    this.vertex(ax, y, az, color);
    this.vertex(bx, y, bz, color);
    this.vertex(cx, y, cz, color);
    this.vertex(dx, y, dz, color);
    // Wind counter-clockwise seen from above (+y) whatever the input order.
    const cross = (bx - ax) * (dz - az) - (bz - az) * (dx - ax);
    if (cross < 0) this.idx.push(base, base + 1, base + 2, base, base + 2, base + 3);
    else this.idx.push(base, base + 2, base + 1, base, base + 3, base + 2);
    return this;
  }

  private vertex(x: number, y: number, z: number, color: ColorRepresentation): void {
    this.c.set(color);
    this.pos.push(x, y, z);
    this.col.push(this.c.r, this.c.g, this.c.b);
  }
}
