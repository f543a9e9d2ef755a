import { FrameError } from '../../protocol/codec';

/**
 * Columns of a recorded chunk: one field of one piece of equipment across a run of frames,
 * written as the zigzag residuals of the column's cheapest prediction (see writeColumn), as
 * byte planes (every residual's low byte, then every next byte): unchanged signals become runs of
 * zero bytes, and each column's bytes sit together, which is what brotli compresses best.
 */

// Prediction modes: last value, linear (1, `predict`'s default beyond the first value), quadratic
// extrapolation, or the step of an earlier column (crossFit).
const MODE_DELTA = 0;
const MODE_QUADRATIC = 2;
const MODE_CROSS = 3;

/** A little-endian u16 (w 2) or u32 (w 4). */
export function read(u8: Uint8Array, o: number, w: number): number {
  return w === 2
    ? u8[o] | (u8[o + 1] << 8)
    : (u8[o] | (u8[o + 1] << 8) | (u8[o + 2] << 16) | (u8[o + 3] << 24)) >>> 0;
}

/** Writes a little-endian u16 (w 2) or u32 (w 4). */
export function write(u8: Uint8Array, o: number, w: number, v: number): void {
  u8[o] = v & 0xff;
  u8[o + 1] = (v >>> 8) & 0xff;
  if (w === 4) {
    u8[o + 2] = (v >>> 16) & 0xff;
    u8[o + 3] = (v >>> 24) & 0xff;
  }
}

function wrap(v: number, w: number): number {
  return w === 2 ? v & 0xffff : v >>> 0;
}

/** Signed difference wrapped to the width, zigzagged to unsigned. */
function zig(d: number, w: number): number {
  if (w === 2) {
    const s = (d << 16) >> 16;
    return ((s << 1) ^ (s >> 15)) & 0xffff;
  }
  const s = d | 0;
  return ((s << 1) ^ (s >> 31)) >>> 0;
}

function unzig(z: number, w: number): number {
  const s = (z >>> 1) ^ -(z & 1);
  return wrap(s, w);
}

/** Prediction of the k-th value of a column from the ones before (the first from `prime`). */
function predict(mode: number, k: number, p: number, pp: number, ppp: number, w: number): number {
  if (mode === MODE_QUADRATIC && k >= 2) return wrap(3 * p - 3 * pp + ppp, w);
  if (mode !== MODE_DELTA && k >= 1) return wrap(2 * p - pp, w);
  return p;
}

/** Bits a residual needs (a cost estimate for choosing the prediction). */
function size(z: number): number {
  return 32 - Math.clz32(z);
}

/** A growable byte buffer. */
export class Out {
  buf: Uint8Array;
  pos = 0;
  constructor(initialBytes = 64 * 1024) {
    this.buf = new Uint8Array(initialBytes);
  }
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.pos + n, this.buf.length * 2));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }
  u16(v: number): void {
    this.ensure(2);
    write(this.buf, this.pos, 2, v);
    this.pos += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    write(this.buf, this.pos, 4, v);
    this.pos += 4;
  }
}

const _res = { a: new Uint32Array(1024) };
function residuals(n: number): Uint32Array {
  if (_res.a.length < n) _res.a = new Uint32Array(n * 2);
  return _res.a;
}

/**
 * Earlier columns of the same entries (an equipment's signals before this one), which a column
 * may be predicted from: mode CROSS predicts each value as the one before plus `slope`/256 times
 * the step reference column `ref` took (a vibration that follows a motor current, say).
 */
export interface Refs {
  cols: Float64Array[];
  widths: number[];
  primes: number[];
}
const NO_REFS: Refs = { cols: [], widths: [], primes: [] };
/** At most this many earlier columns are tried as a reference. */
const MAX_REFS = 16;

/** Difference wrapped to the width, as a signed integer. */
function signedStep(d: number, w: number): number {
  return w === 2 ? (d << 16) >> 16 : d | 0;
}

function crossPredict(p: number, slope: number, du: number, w: number): number {
  return wrap(p + Math.round((slope * du) / 256), w);
}

/**
 * The earlier column whose steps best explain this column's steps (highest squared correlation)
 * and the slope of that fit in 1/256, or ref -1 when none moves with this one.
 */
function crossFit(vals: Float64Array, n: number, w: number, prime: number, refs: Refs): [number, number] {
  let best = -1;
  let bestR2 = 0.5; // a weaker fit does not pay for itself
  let slope = 0;
  const nRefs = Math.min(refs.cols.length, MAX_REFS);
  for (let r = 0; r < nRefs; r++) {
    const u = refs.cols[r];
    const wr = refs.widths[r];
    let suv = 0;
    let suu = 0;
    let svv = 0;
    let pu = refs.primes[r];
    let pv = prime;
    for (let k = 0; k < n; k++) {
      const du = signedStep(u[k] - pu, wr);
      const dv = signedStep(vals[k] - pv, w);
      suv += du * dv;
      suu += du * du;
      svv += dv * dv;
      pu = u[k];
      pv = vals[k];
    }
    if (suu === 0 || svv === 0) continue;
    const r2 = (suv * suv) / (suu * svv);
    if (r2 > bestR2) {
      bestR2 = r2;
      best = r;
      slope = Math.max(-32768, Math.min(32767, Math.round((suv / suu) * 256)));
    }
  }
  return slope === 0 ? [-1, 0] : [best, slope];
}

/** Residuals of `vals` under a prediction mode (CROSS: from `refs.cols[ref]` with `slope`). */
function residualsOf(
  res: Uint32Array,
  mode: number,
  vals: Float64Array,
  n: number,
  w: number,
  prime: number,
  refs: Refs,
  ref: number,
  slope: number,
): number {
  let cost = 0;
  let p = prime;
  let pp = 0;
  let ppp = 0;
  if (mode === MODE_CROSS) {
    const u = refs.cols[ref];
    const wr = refs.widths[ref];
    let pu = refs.primes[ref];
    for (let k = 0; k < n; k++) {
      const z = zig(vals[k] - crossPredict(p, slope, signedStep(u[k] - pu, wr), w), w);
      res[k] = z;
      cost += size(z);
      pu = u[k];
      p = vals[k];
    }
    return cost;
  }
  for (let k = 0; k < n; k++) {
    const v = vals[k];
    const z = zig(v - predict(mode, k, p, pp, ppp, w), w);
    res[k] = z;
    cost += size(z);
    ppp = pp;
    pp = p;
    p = v;
  }
  return cost;
}

/** Writes one column: its cheapest prediction mode, then the residuals as byte planes. */
export function writeColumn(
  sections: SectionWriter,
  section: number,
  vals: Float64Array,
  n: number,
  w: number,
  prime: number,
  refs: Refs = NO_REFS,
): void {
  const res = residuals(n);
  let best = MODE_DELTA;
  let bestCost = Number.POSITIVE_INFINITY;
  const [ref, slope] = refs.cols.length ? crossFit(vals, n, w, prime, refs) : [-1, 0];
  for (let mode = 0; mode <= MODE_CROSS; mode++) {
    if (mode === MODE_CROSS && ref < 0) break;
    const cost = residualsOf(res, mode, vals, n, w, prime, refs, ref, slope) + (mode === MODE_CROSS ? 24 : 0);
    if (cost < bestCost) {
      best = mode;
      bestCost = cost;
    }
  }
  residualsOf(res, best, vals, n, w, prime, refs, ref, slope);
  const out = sections.head(section);
  out.u8(best);
  if (best === MODE_CROSS) {
    out.u8(ref);
    out.u16(slope & 0xffff);
  }
  for (let b = 0; b < w; b++) {
    const pl = sections.plane(section, b);
    pl.ensure(n);
    const buf = pl.buf;
    let o = pl.pos;
    const shift = 8 * b;
    for (let k = 0; k < n; k++) buf[o++] = (res[k] >>> shift) & 0xff;
    pl.pos = o;
  }
}

/** A bounds-checked reader over the decompressed chunk. */
export class In {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  need(n: number): void {
    if (this.pos + n > this.buf.length) throw new FrameError('recorded chunk is cut short');
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }
  u16(): number {
    this.need(2);
    const v = read(this.buf, this.pos, 2);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = read(this.buf, this.pos, 4);
    this.pos += 4;
    return v;
  }
}

/** Reads what writeColumn wrote into `vals` (`n` values), with the same prime and refs. */
export function readColumn(
  sections: SectionReader,
  section: number,
  vals: Float64Array,
  n: number,
  w: number,
  prime: number,
  refs: Refs = NO_REFS,
): void {
  const inp = sections.head(section);
  const mode = inp.u8();
  if (mode > MODE_CROSS) throw new FrameError(`recorded chunk: bad column mode ${mode}`);
  let ref = -1;
  let slope = 0;
  if (mode === MODE_CROSS) {
    ref = inp.u8();
    if (ref >= Math.min(refs.cols.length, MAX_REFS))
      throw new FrameError('recorded chunk: bad reference column');
    slope = (inp.u16() << 16) >> 16;
  }
  const planes: Uint8Array[] = [];
  const at: number[] = [];
  for (let b = 0; b < w; b++) {
    const pl = sections.plane(section, b);
    pl.need(n);
    planes.push(pl.buf);
    at.push(pl.pos);
    pl.pos += n;
  }
  const [b0, b1, b2, b3] = planes;
  const [a0, a1, a2, a3] = at;
  let p = prime;
  let pp = 0;
  let ppp = 0;
  const u = ref >= 0 ? refs.cols[ref] : null;
  const wr = ref >= 0 ? refs.widths[ref] : 0;
  let pu = ref >= 0 ? refs.primes[ref] : 0;
  for (let k = 0; k < n; k++) {
    let z = b0[a0 + k] | (b1[a1 + k] << 8);
    if (w === 4) z = (z | (b2[a2 + k] << 16) | (b3[a3 + k] << 24)) >>> 0;
    let guess: number;
    if (u) {
      guess = crossPredict(p, slope, signedStep(u[k] - pu, wr), w);
      pu = u[k];
    } else guess = predict(mode, k, p, pp, ppp, w);
    const v = wrap(guess + unzig(z, w), w);
    vals[k] = v;
    ppp = pp;
    pp = p;
    p = v;
  }
}

/** Byte planes of a field (u32: 4); a section's stream 0 holds its headers, 1..4 its planes. */
const STREAMS = 5;

/**
 * The sections of a chunk being written: section 0 holds the flags, every other one a field of
 * one kind (see chunkCodec), each as a head stream (column headers) and up to 4 byte-plane
 * streams. `finish` appends them to `out` plane-major (every head, then every first plane...),
 * each stream's length first, so that streams of bytes that look alike sit together.
 */
export class SectionWriter {
  private readonly outs: Out[];
  constructor(readonly count: number) {
    this.outs = Array.from({ length: count * STREAMS }, () => new Out(256));
  }
  head(section: number): Out {
    return this.outs[section * STREAMS];
  }
  plane(section: number, byte: number): Out {
    return this.outs[section * STREAMS + 1 + byte];
  }
  finish(out: Out): void {
    for (let s = 0; s < STREAMS; s++)
      for (let c = 0; c < this.count; c++) out.u32(this.outs[c * STREAMS + s].pos);
    for (let s = 0; s < STREAMS; s++)
      for (let c = 0; c < this.count; c++) {
        const x = this.outs[c * STREAMS + s];
        out.ensure(x.pos);
        out.buf.set(x.buf.subarray(0, x.pos), out.pos);
        out.pos += x.pos;
      }
  }
}

/** Reads back what a SectionWriter wrote, from the reader's position to the end of its buffer. */
export class SectionReader {
  private readonly ins: In[];
  constructor(
    from: In,
    readonly count: number,
  ) {
    const lengths: number[] = [];
    for (let k = 0; k < count * STREAMS; k++) lengths.push(from.u32());
    this.ins = new Array(count * STREAMS);
    let k = 0;
    for (let s = 0; s < STREAMS; s++)
      for (let c = 0; c < count; c++) {
        const len = lengths[k++];
        from.need(len);
        this.ins[c * STREAMS + s] = new In(from.buf.subarray(from.pos, from.pos + len));
        from.pos += len;
      }
    if (from.pos !== from.buf.length)
      throw new FrameError(`recorded chunk has ${from.buf.length - from.pos} trailing bytes`);
  }
  head(section: number): In {
    return this.ins[section * STREAMS];
  }
  plane(section: number, byte: number): In {
    return this.ins[section * STREAMS + 1 + byte];
  }
  /** Throws unless every stream was read to its end. */
  end(): void {
    for (const x of this.ins)
      if (x.pos !== x.buf.length) throw new FrameError('recorded chunk: a section has bytes left over');
  }
}
