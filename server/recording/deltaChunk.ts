import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { FRAME_HEADER_BYTES, FRAME_MAGIC, FRAME_VERSION, FrameError } from '../../protocol/codec';
import type { EquipmentKind } from '../../protocol/kinds';
import { signalsOf } from '../../protocol/signals';
import { type FrameState, POSE_BYTES, POSE_FLAG } from './frameState';

/**
 * A recorded chunk: a run of telemetry frames as per-field deltas, compressed with node:zlib's
 * brotli. Each equipment's field across the run's frames forms a column, written as the zigzag
 * residuals of the column's best simple prediction (last value, linear or quadratic
 * extrapolation, the first value predicted from the state before the run), each column as byte
 * planes (all low bytes, then the next): unchanged signals become runs of zero bytes and a noisy
 * signal's bytes sit together with its own kind, which is what brotli's context modelling and
 * block splitting compress best. Decoding gives back the exact frame bytes.
 *
 *   stored: u8 format (3) | brotli of:
 *     u32 frames | u16 equipment
 *     per frame: u32 tick step | f64 simulation time XOR the frame before's (8 bytes)
 *     per equipment, per frame: u8 present (0/1)
 *     per equipment that appears: flags column (u8 per entry), then one column per field (pose
 *       x, y, z, yaw over its entries with a pose, then the signals): u8 prediction mode, then
 *       the residuals as byte planes of the field's width
 *
 * A chunk decodes from the state before it (its group's keyframe with the group's earlier chunks
 * folded in), which a replay has anyway since it decodes a group from its start.
 */

const FORMAT = 3;
/** The hand-written range coder's format byte (recordings from before brotli). */
const FORMAT_RANGE_CODER = 2;
/** No chunk holds more frames (a damaged header cannot make the decoder allocate without bound). */
export const MAX_CHUNK_FRAMES = 1 << 16;

/**
 * Brotli quality 5: within 2% of quality 9's size on recorded chunks at a twentieth of its time
 * (an hour of the default plant: 5.89 MB at 5, 5.77 at 9, whose encode took 40 s of CPU against
 * 0.6 s). lgwin 22 (4 MiB) holds a whole chunk (about 0.25 MB plain) so a larger window buys
 * nothing; GENERIC mode since the bytes are neither text nor a font.
 */
export const BROTLI_QUALITY = 5;
export const BROTLI_LGWIN = 22;

// Prediction modes: last value, linear (1, `predict`'s default beyond the first value), quadratic
// extrapolation, or the step of an earlier column (crossFit).
const MODE_DELTA = 0;
const MODE_QUADRATIC = 2;
const MODE_CROSS = 3;

const POSE_WIDTHS = [4, 4, 4, 2];
const POSE_OFFSETS = [1, 5, 9, 13];

/** Per layout: each equipment's signal widths in bytes. */
const WIDTHS = new WeakMap<readonly EquipmentKind[], Uint8Array[]>();
function widthsOf(kinds: readonly EquipmentKind[]): Uint8Array[] {
  let w = WIDTHS.get(kinds);
  if (!w) {
    w = kinds.map((k) => Uint8Array.from(signalsOf(k), (d) => (d.enc === 'u32' ? 4 : 2)));
    WIDTHS.set(kinds, w);
  }
  return w;
}

function read(u8: Uint8Array, o: number, w: number): number {
  return w === 2
    ? u8[o] | (u8[o + 1] << 8)
    : (u8[o] | (u8[o + 1] << 8) | (u8[o + 2] << 16) | (u8[o + 3] << 24)) >>> 0;
}

function write(u8: Uint8Array, o: number, w: number, v: number): void {
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
class Out {
  buf = new Uint8Array(64 * 1024);
  pos = 0;
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
interface Refs {
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
function writeColumn(
  out: Out,
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
  out.u8(best);
  if (best === MODE_CROSS) {
    out.u8(ref);
    out.u16(slope & 0xffff);
  }
  out.ensure(n * w);
  const buf = out.buf;
  let o = out.pos;
  for (let b = 0; b < w; b++) {
    const shift = 8 * b;
    for (let k = 0; k < n; k++) buf[o++] = (res[k] >>> shift) & 0xff;
  }
  out.pos = o;
}

/** A bounds-checked reader over the decompressed chunk. */
class In {
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

function readColumn(
  inp: In,
  vals: Float64Array,
  n: number,
  w: number,
  prime: number,
  refs: Refs = NO_REFS,
): void {
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
  inp.need(n * w);
  const buf = inp.buf;
  const at = inp.pos;
  let p = prime;
  let pp = 0;
  let ppp = 0;
  const u = ref >= 0 ? refs.cols[ref] : null;
  const wr = ref >= 0 ? refs.widths[ref] : 0;
  let pu = ref >= 0 ? refs.primes[ref] : 0;
  for (let k = 0; k < n; k++) {
    let z = buf[at + k] | (buf[at + n + k] << 8);
    if (w === 4) z = (z | (buf[at + 2 * n + k] << 16) | (buf[at + 3 * n + k] << 24)) >>> 0;
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
  inp.pos += n * w;
}

/** Value of a field in the state's stored entry of `index`, or 0 when it has none. */
function primeOf(state: FrameState, index: number, offset: number, w: number, pose: boolean): number {
  const len = state.lengths[index];
  if (!len) return 0;
  const base = index * state.slot;
  const hasPose = (state.bytes[base] & POSE_FLAG) !== 0;
  if (pose && !hasPose) return 0;
  const o = pose ? offset : offset + (hasPose ? POSE_BYTES : 0);
  return read(state.bytes, base + o, w);
}

const f64 = new DataView(new ArrayBuffer(8));

/** Brotli options for a chunk of `bytes` plain bytes. */
function brotliOptions(bytes: number, quality: number, lgwin: number) {
  return {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: quality,
      [constants.BROTLI_PARAM_LGWIN]: lgwin,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_GENERIC,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes,
    },
  };
}

/** Brotli settings (tests and the bench try others; recordings use the defaults above). */
export interface ChunkOptions {
  quality?: number;
  lgwin?: number;
}

/**
 * Encodes frames (in order, each one as sent) against `state`, the state before the first of
 * them, and folds them into `state`. Throws FrameError for a frame whose entries are not in
 * increasing equipment order (the FrameBuilder always writes them so).
 */
export function encodeChunk(
  frames: readonly Uint8Array[],
  state: FrameState,
  options: ChunkOptions = {},
): Uint8Array {
  const nEq = state.kinds.length;
  const widths = widthsOf(state.kinds);
  const nFrames = frames.length;
  if (nFrames > MAX_CHUNK_FRAMES) throw new FrameError(`a chunk holds at most ${MAX_CHUNK_FRAMES} frames`);
  // Where each entry sits, grouped by equipment (counting sort).
  let total = 0;
  for (const f of frames) total += f[2] | (f[3] << 8);
  const entFrame = new Int32Array(total);
  const entOffset = new Int32Array(total);
  const entIndex = new Int32Array(total);
  const counts = new Int32Array(nEq + 1);
  const presence = new Uint8Array(nEq * nFrames);
  let e = 0;
  for (let fi = 0; fi < nFrames; fi++) {
    const f = frames[fi];
    const count = f[2] | (f[3] << 8);
    let o = FRAME_HEADER_BYTES;
    let last = -1;
    for (let k = 0; k < count; k++) {
      const index = f[o] | (f[o + 1] << 8);
      if (index <= last || index >= nEq) throw new FrameError('frame entries are not in equipment order');
      last = index;
      entFrame[e] = fi;
      entOffset[e] = o + 2;
      entIndex[e] = index;
      counts[index + 1]++;
      presence[index * nFrames + fi] = 1;
      e++;
      o += 2 + state.entryLength(index, f[o + 2]);
    }
  }
  for (let i = 0; i < nEq; i++) counts[i + 1] += counts[i];
  const order = new Int32Array(total);
  const fill = counts.slice(0, nEq);
  for (let k = 0; k < total; k++) order[fill[entIndex[k]]++] = k;

  const out = new Out();
  out.u32(nFrames);
  out.u16(nEq);
  let prevTick = state.tick;
  f64.setFloat64(0, state.simTimeS, true);
  let lo = f64.getUint32(0, true);
  let hi = f64.getUint32(4, true);
  for (const f of frames) {
    const tick = read(f, 4, 4);
    out.u32((tick - prevTick) >>> 0);
    prevTick = tick;
    const tlo = read(f, 8, 4);
    const thi = read(f, 12, 4);
    out.u32((tlo ^ lo) >>> 0);
    out.u32((thi ^ hi) >>> 0);
    lo = tlo;
    hi = thi;
  }
  out.ensure(presence.length);
  out.buf.set(presence, out.pos);
  out.pos += presence.length;

  let vals = new Float64Array(256);
  for (let i = 0; i < nEq; i++) {
    const from = counts[i];
    const n = counts[i + 1] - from;
    if (n === 0) continue;
    if (vals.length < n) vals = new Float64Array(n * 2);
    out.ensure(n);
    let withPose = 0;
    for (let k = 0; k < n; k++) {
      const ent = order[from + k];
      const flags = frames[entFrame[ent]][entOffset[ent]];
      out.buf[out.pos++] = flags;
      if (flags & POSE_FLAG) withPose++;
    }
    if (withPose)
      for (let p = 0; p < 4; p++) {
        let c = 0;
        for (let k = 0; k < n; k++) {
          const ent = order[from + k];
          const f = frames[entFrame[ent]];
          const o = entOffset[ent];
          if (f[o] & POSE_FLAG) vals[c++] = read(f, o + POSE_OFFSETS[p], POSE_WIDTHS[p]);
        }
        const w = POSE_WIDTHS[p];
        writeColumn(out, vals, c, w, primeOf(state, i, POSE_OFFSETS[p], w, true));
      }
    const sig = widths[i];
    const refs: Refs = { cols: [], widths: [], primes: [] };
    let so = 1;
    for (let s = 0; s < sig.length; s++) {
      const w = sig[s];
      const col = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const ent = order[from + k];
        const f = frames[entFrame[ent]];
        const o = entOffset[ent];
        col[k] = read(f, o + so + (f[o] & POSE_FLAG ? POSE_BYTES : 0), w);
      }
      const prime = primeOf(state, i, so, w, false);
      writeColumn(out, col, n, w, prime, refs);
      refs.cols.push(col);
      refs.widths.push(w);
      refs.primes.push(prime);
      so += w;
    }
  }
  for (const f of frames) state.apply(f, false);
  const plain = out.buf.subarray(0, out.pos);
  const packed = brotliCompressSync(
    plain,
    brotliOptions(plain.length, options.quality ?? BROTLI_QUALITY, options.lgwin ?? BROTLI_LGWIN),
  );
  const stored = new Uint8Array(1 + packed.length);
  stored[0] = FORMAT;
  stored.set(packed, 1);
  return stored;
}

/** The most plain bytes a chunk of `frames` frames can hold, for the decompressor's limit. */
function maxPlainBytes(state: FrameState): number {
  const perFrame = 12 + state.kinds.length * (1 + state.slot + 1);
  return 6 + MAX_CHUNK_FRAMES * perFrame;
}

/**
 * Decodes what encodeChunk wrote, against `state` (as it was when encoding), folding the frames
 * into it. Returns the frames, byte for byte as sent. Throws FrameError on anything malformed,
 * a chunk of an older recording format included.
 */
export function decodeChunk(src: Uint8Array, state: FrameState): ArrayBuffer[] {
  const nEq = state.kinds.length;
  const widths = widthsOf(state.kinds);
  if (src.length > 0 && src[0] === FORMAT_RANGE_CODER)
    throw new FrameError(
      'recorded chunk is in an older recording format (range coder) that this version does not read',
    );
  if (src.length < 2 || src[0] !== FORMAT) throw new FrameError('recorded chunk: unknown format');
  let plain: Uint8Array;
  try {
    plain = brotliDecompressSync(src.subarray(1), { maxOutputLength: maxPlainBytes(state) });
  } catch (err) {
    throw new FrameError(`recorded chunk does not decompress (${err instanceof Error ? err.message : err})`);
  }
  const inp = new In(plain);
  const nFrames = inp.u32();
  if (nFrames > MAX_CHUNK_FRAMES) throw new FrameError(`recorded chunk: ${nFrames} frames is too many`);
  if (inp.u16() !== nEq) throw new FrameError('recorded chunk: equipment count differs from the layout');
  const ticks = new Float64Array(nFrames);
  const times = new Uint32Array(nFrames * 2);
  let tick = state.tick;
  f64.setFloat64(0, state.simTimeS, true);
  let lo = f64.getUint32(0, true);
  let hi = f64.getUint32(4, true);
  for (let fi = 0; fi < nFrames; fi++) {
    tick = ticks[fi] = (tick + inp.u32()) >>> 0;
    lo = times[fi * 2] = (inp.u32() ^ lo) >>> 0;
    hi = times[fi * 2 + 1] = (inp.u32() ^ hi) >>> 0;
  }
  inp.need(nEq * nFrames);
  const presence = plain.subarray(inp.pos, inp.pos + nEq * nFrames);
  inp.pos += nEq * nFrames;
  const countOf = new Int32Array(nEq);
  for (let i = 0; i < nEq; i++)
    for (let fi = 0; fi < nFrames; fi++) {
      const b = presence[i * nFrames + fi];
      if (b > 1) throw new FrameError('recorded chunk: bad presence byte');
      countOf[i] += b;
    }

  const flagCols: (Uint8Array | null)[] = new Array(nEq).fill(null);
  const poseCols: (Float64Array[] | null)[] = new Array(nEq).fill(null);
  const sigCols: (Float64Array[] | null)[] = new Array(nEq).fill(null);
  for (let i = 0; i < nEq; i++) {
    const n = countOf[i];
    if (!n) continue;
    inp.need(n);
    const flags = plain.slice(inp.pos, inp.pos + n);
    inp.pos += n;
    flagCols[i] = flags;
    let withPose = 0;
    for (const fl of flags) if (fl & POSE_FLAG) withPose++;
    if (withPose) {
      const cols: Float64Array[] = [];
      for (let p = 0; p < 4; p++) {
        const col = new Float64Array(withPose);
        const w = POSE_WIDTHS[p];
        readColumn(inp, col, withPose, w, primeOf(state, i, POSE_OFFSETS[p], w, true));
        cols.push(col);
      }
      poseCols[i] = cols;
    }
    const sig = widths[i];
    const cols: Float64Array[] = [];
    const refs: Refs = { cols, widths: [], primes: [] };
    let so = 1;
    for (let s = 0; s < sig.length; s++) {
      const col = new Float64Array(n);
      const prime = primeOf(state, i, so, sig[s], false);
      readColumn(inp, col, n, sig[s], prime, refs);
      cols.push(col);
      refs.widths.push(sig[s]);
      refs.primes.push(prime);
      so += sig[s];
    }
    sigCols[i] = cols;
  }
  if (inp.pos !== plain.length)
    throw new FrameError(`recorded chunk has ${plain.length - inp.pos} trailing bytes`);

  const cursor = new Int32Array(nEq);
  const poseCursor = new Int32Array(nEq);
  const out: ArrayBuffer[] = [];
  for (let fi = 0; fi < nFrames; fi++) {
    let size = FRAME_HEADER_BYTES;
    let count = 0;
    for (let i = 0; i < nEq; i++)
      if (presence[i * nFrames + fi]) {
        size += 2 + state.entryLength(i, flagCols[i]![cursor[i]]);
        count++;
      }
    const buf = new ArrayBuffer(size);
    const u8 = new Uint8Array(buf);
    u8[0] = FRAME_MAGIC;
    u8[1] = FRAME_VERSION;
    write(u8, 2, 2, count);
    write(u8, 4, 4, ticks[fi]);
    write(u8, 8, 4, times[fi * 2]);
    write(u8, 12, 4, times[fi * 2 + 1]);
    let o = FRAME_HEADER_BYTES;
    for (let i = 0; i < nEq; i++) {
      if (!presence[i * nFrames + fi]) continue;
      const c = cursor[i]++;
      const flags = flagCols[i]![c];
      write(u8, o, 2, i);
      u8[o + 2] = flags;
      o += 3;
      if (flags & POSE_FLAG) {
        const pc = poseCursor[i]++;
        const cols = poseCols[i]!;
        for (let p = 0; p < 4; p++) {
          write(u8, o, POSE_WIDTHS[p], cols[p][pc]);
          o += POSE_WIDTHS[p];
        }
      }
      const sig = widths[i];
      const cols = sigCols[i]!;
      for (let s = 0; s < sig.length; s++) {
        write(u8, o, sig[s], cols[s][c]);
        o += sig[s];
      }
    }
    state.apply(u8, true);
    out.push(buf);
  }
  return out;
}
