import { FRAME_HEADER_BYTES, FRAME_MAGIC, FRAME_VERSION, FrameError } from '../../protocol/codec';
import type { EquipmentKind } from '../../protocol/kinds';
import { signalsOf } from '../../protocol/signals';
import { type FrameState, POSE_BYTES, POSE_FLAG } from './frameState';
import { bitLength, PROB_INIT, probs, RangeDecoder, RangeEncoder, ValueModel } from './rangeCoder';

/**
 * A lossless columnar encoding of a run of telemetry frames, entropy-coded with an adaptive
 * binary range coder (rangeCoder.ts). The same equipment's same field across the run's frames
 * forms a column, coded as the zigzag residual of a prediction: from the column's own previous
 * values (last value, linear, quadratic or cubic extrapolation), or from the step an earlier
 * column of the same equipment took times a fitted slope (a vibration that follows a motor
 * current), whichever costs least. Unchanged signals become runs of zeros that cost a fraction of
 * a bit each; noisy ones cost about their noise. The first value of each column is predicted from
 * the state at the start of the run, so a run costs no more at its start than in its middle.
 * Decoding gives back the exact frame bytes.
 *
 *   raw:   u8 format (2) | u32 frames | u16 equipment
 *   coded: per frame: tick (second difference) | simulation time (XOR of its f64 with the
 *          linear prediction from the two before, as two 32-bit halves)
 *          per frame, per equipment: present or not (context: present in the frame before)
 *          per equipment that appears: its flags bytes (same as the one before, or the byte),
 *          then one column per field (pose x, y, z, yaw over its entries with a pose, then the
 *          signals): 3-bit prediction mode [4-bit reference column, 16-bit slope], residuals
 *
 * The models (ChunkModels) carry over from chunk to chunk within a keyframe group and start fresh
 * at each group: a chunk decodes from the state before it and the models its group's earlier
 * chunks left, which a replay has anyway since it decodes a group from its start.
 */

const FORMAT_CODED = 2;
const HEADER = 7;
/** No chunk holds more frames (a damaged header cannot make the decoder allocate without bound). */
export const MAX_CHUNK_FRAMES = 1 << 16;

const MODE_DELTA = 0;
const MODE_LINEAR = 1;
const MODE_QUADRATIC = 2;
const MODE_CUBIC = 3;
const MODE_CROSS = 4;

const POSE_WIDTHS = [4, 4, 4, 2];
const POSE_OFFSETS = [1, 5, 9, 13];

// Value model classes: the frame header's, the pose's, then one per (kind, signal).
const C_TICK = 0;
const C_TIME_HI = 1;
const C_TIME_LO = 2;
const C_POSE = 3; // x, y, z: 3, 4, 5
const C_YAW = 6;
const C_SIGNALS = 7;

/** Per layout: each equipment's signal widths and the value class of each of its signals. */
interface Layout {
  signals: Uint8Array[];
  classes: Uint16Array[];
  nClasses: number;
}

const LAYOUTS = new WeakMap<readonly EquipmentKind[], Layout>();
function layoutOf(kinds: readonly EquipmentKind[]): Layout {
  let l = LAYOUTS.get(kinds);
  if (!l) {
    const kindBase = new Map<EquipmentKind, number>();
    let next = C_SIGNALS;
    for (const k of kinds)
      if (!kindBase.has(k)) {
        kindBase.set(k, next);
        next += signalsOf(k).length;
      }
    l = {
      signals: kinds.map((k) => Uint8Array.from(signalsOf(k), (d) => (d.enc === 'u32' ? 4 : 2))),
      classes: kinds.map((k) => Uint16Array.from(signalsOf(k), (_d, s) => kindBase.get(k)! + s)),
      nClasses: next,
    };
    LAYOUTS.set(kinds, l);
  }
  return l;
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
  return w === 2 ? s & 0xffff : s >>> 0;
}

function wrap(v: number, w: number): number {
  return w === 2 ? v & 0xffff : v >>> 0;
}

/** Prediction of the next value from the last four (the k-th of the column). */
function predict(
  mode: number,
  k: number,
  p: number,
  pp: number,
  ppp: number,
  pppp: number,
  w: number,
): number {
  if (mode === MODE_DELTA || k === 0) return p;
  if (mode === MODE_LINEAR || k === 1) return wrap(2 * p - pp, w);
  if (mode === MODE_QUADRATIC || k === 2) return wrap(3 * p - 3 * pp + ppp, w);
  return wrap(4 * p - 6 * pp + 4 * ppp - pppp, w);
}

/**
 * The adaptive models a run of chunks is coded with. A recording keeps one per group: fresh at the
 * group's first chunk, carried on through its next ones (so each chunk codes with what the ones
 * before it learned); the decoder must decode the group's chunks in order with its own copy.
 */
export class ChunkModels {
  readonly values: ValueModel;
  readonly mode: Uint16Array;
  readonly ref: Uint16Array;
  readonly present: Uint16Array;
  readonly flagSame: Uint16Array;
  readonly flagByte = probs(256);
  constructor(readonly kinds: readonly EquipmentKind[]) {
    const nClasses = layoutOf(kinds).nClasses;
    this.values = new ValueModel(nClasses);
    this.mode = probs(nClasses * 8);
    this.ref = probs(nClasses * 16);
    this.present = probs(kinds.length * 2);
    this.flagSame = probs(kinds.length);
  }

  /** Back to the fresh state (a group start). */
  reset(): void {
    this.values.reset();
    for (const p of [this.mode, this.ref, this.present, this.flagSame, this.flagByte]) p.fill(PROB_INIT);
  }
}
type Models = ChunkModels;

const f64 = new DataView(new ArrayBuffer(8));
/** Low and high 32 bits of a double's IEEE bits XOR another's. */
function xorHalves(a: number, b: number): [number, number] {
  f64.setFloat64(0, a, true);
  const alo = f64.getUint32(0, true);
  const ahi = f64.getUint32(4, true);
  f64.setFloat64(0, b, true);
  return [(alo ^ f64.getUint32(0, true)) >>> 0, (ahi ^ f64.getUint32(4, true)) >>> 0];
}
/** Undoes xorHalves into `bits` (low, high words at `at`); returns the double. */
function fromHalvesXor(lo: number, hi: number, b: number, bits: Uint32Array, at: number): number {
  f64.setFloat64(0, b, true);
  bits[at] = (lo ^ f64.getUint32(0, true)) >>> 0;
  bits[at + 1] = (hi ^ f64.getUint32(4, true)) >>> 0;
  f64.setUint32(0, bits[at], true);
  f64.setUint32(4, bits[at + 1], true);
  return f64.getFloat64(0, true);
}

/** Prediction of a frame's simulation time from the two before (exact IEEE arithmetic). */
function predictTime(k: number, p: number, pp: number): number {
  return k === 0 ? p : p + (p - pp);
}

const _vals = { a: new Float64Array(1024) };
function scratch(n: number): Float64Array {
  if (_vals.a.length < n) _vals.a = new Float64Array(n * 2);
  return _vals.a;
}

const _cost = new Float64Array(4);

/**
 * Columns of the same entries coded before this one (an equipment's earlier signals), which a
 * column may be predicted from: mode CROSS predicts each value as the one before plus `num`/256
 * times the step of reference column `ref` (a vibration that follows a motor current, say).
 */
interface Refs {
  cols: Float64Array[];
  widths: number[];
  primes: number[];
}
const NO_REFS: Refs = { cols: [], widths: [], primes: [] };
/** At most this many earlier columns are tried as a reference (4 bits). */
const MAX_REFS = 16;

/** Difference wrapped to the width, as a signed integer. */
function signedStep(d: number, w: number): number {
  return w === 2 ? (d << 16) >> 16 : d | 0;
}

function crossPredict(p: number, num: number, du: number, w: number): number {
  return wrap(p + Math.round((num * du) / 256), w);
}

/**
 * The earlier column whose steps best explain this column's steps (highest squared correlation),
 * the slope (in 1/256) of that fit, and the cost (sum of residual bit lengths, plus the mode's
 * header) of predicting from it; cost Infinity when no column moves with this one.
 */
function crossFit(
  vals: Float64Array,
  n: number,
  w: number,
  prime: number,
  refs: Refs,
): [number, number, number] {
  let best = -1;
  let bestR2 = 0.5; // below this a reference will not pay for its header
  let num = 0;
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
      num = Math.max(-32768, Math.min(32767, Math.round((suv / suu) * 256)));
    }
  }
  if (best < 0 || num === 0) return [Number.POSITIVE_INFINITY, -1, 0];
  const u = refs.cols[best];
  const wr = refs.widths[best];
  let cost = 20;
  let pu = refs.primes[best];
  let pv = prime;
  for (let k = 0; k < n; k++) {
    cost += bitLength(zig(vals[k] - crossPredict(pv, num, signedStep(u[k] - pu, wr), w), w));
    pu = u[k];
    pv = vals[k];
  }
  return [cost, best, num];
}

/** Writes one column: the prediction whose residuals are shortest, then the residuals. */
function writeColumn(
  enc: RangeEncoder,
  m: Models,
  cls: number,
  vals: Float64Array,
  n: number,
  w: number,
  prime: number,
  refs: Refs = NO_REFS,
): void {
  const cost = _cost.fill(0);
  let p = prime;
  let pp = 0;
  let ppp = 0;
  let pppp = 0;
  for (let k = 0; k < n; k++) {
    const v = vals[k];
    for (let md = MODE_DELTA; md <= MODE_CUBIC; md++)
      cost[md] += bitLength(zig(v - predict(md, k, p, pp, ppp, pppp, w), w));
    pppp = ppp;
    ppp = pp;
    pp = p;
    p = v;
  }
  let mode = MODE_DELTA;
  let best = cost[MODE_DELTA];
  for (let md = MODE_LINEAR; md <= MODE_CUBIC; md++)
    if (cost[md] < best) {
      mode = md;
      best = cost[md];
    }
  const [crossCost, ref, num] = refs.cols.length ? crossFit(vals, n, w, prime, refs) : [0, -1, 0];
  if (ref >= 0 && crossCost < best) mode = MODE_CROSS;
  enc.tree(m.mode, cls * 8, 3, mode);
  let prevLen = 0;
  if (mode === MODE_CROSS) {
    enc.tree(m.ref, cls * 16, 4, ref);
    enc.direct(num + 32768, 16);
    const u = refs.cols[ref];
    const wr = refs.widths[ref];
    let pu = refs.primes[ref];
    p = prime;
    for (let k = 0; k < n; k++) {
      const v = vals[k];
      const z = zig(v - crossPredict(p, num, signedStep(u[k] - pu, wr), w), w);
      prevLen = m.values.encode(enc, cls, prevLen, z);
      pu = u[k];
      p = v;
    }
    return;
  }
  p = prime;
  pp = 0;
  ppp = 0;
  pppp = 0;
  for (let k = 0; k < n; k++) {
    const v = vals[k];
    prevLen = m.values.encode(enc, cls, prevLen, zig(v - predict(mode, k, p, pp, ppp, pppp, w), w));
    pppp = ppp;
    ppp = pp;
    pp = p;
    p = v;
  }
}

function readColumn(
  dec: RangeDecoder,
  m: Models,
  cls: number,
  vals: Float64Array,
  n: number,
  w: number,
  prime: number,
  refs: Refs = NO_REFS,
): void {
  const mode = dec.tree(m.mode, cls * 8, 3);
  if (mode > MODE_CROSS) throw new FrameError(`recorded chunk: bad column mode ${mode}`);
  let prevLen = 0;
  let p = prime;
  if (mode === MODE_CROSS) {
    const ref = dec.tree(m.ref, cls * 16, 4);
    if (ref >= Math.min(refs.cols.length, MAX_REFS))
      throw new FrameError('recorded chunk: bad reference column');
    const num = dec.direct(16) - 32768;
    const u = refs.cols[ref];
    const wr = refs.widths[ref];
    let pu = refs.primes[ref];
    for (let k = 0; k < n; k++) {
      const z = m.values.decode(dec, cls, prevLen);
      prevLen = bitLength(z);
      if (w === 2 && z > 0xffff) throw new FrameError('recorded chunk is damaged');
      const v = wrap(crossPredict(p, num, signedStep(u[k] - pu, wr), w) + unzig(z, w), w);
      vals[k] = v;
      pu = u[k];
      p = v;
    }
    return;
  }
  let pp = 0;
  let ppp = 0;
  let pppp = 0;
  for (let k = 0; k < n; k++) {
    const z = m.values.decode(dec, cls, prevLen);
    prevLen = bitLength(z);
    if (w === 2 && z > 0xffff) throw new FrameError('recorded chunk is damaged');
    const v = wrap(predict(mode, k, p, pp, ppp, pppp, w) + unzig(z, w), w);
    vals[k] = v;
    pppp = ppp;
    ppp = pp;
    pp = p;
    p = v;
  }
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

/** The flags byte of the state's stored entry of `index`, or 0. */
function flagsOf(state: FrameState, index: number): number {
  return state.lengths[index] ? state.bytes[index * state.slot] : 0;
}

/**
 * Encodes frames (in order, each one as sent) against `state`, the state before the first of
 * them, and folds them into `state`; `models` (fresh by default) learn from them. Throws
 * FrameError for a frame whose entries are not in increasing equipment order (the FrameBuilder
 * always writes them so).
 */
export function encodeChunk(
  frames: readonly Uint8Array[],
  state: FrameState,
  models: ChunkModels = new ChunkModels(state.kinds),
): Uint8Array {
  const nEq = state.kinds.length;
  const layout = layoutOf(state.kinds);
  const nFrames = frames.length;
  if (nFrames > MAX_CHUNK_FRAMES) throw new FrameError(`a chunk holds at most ${MAX_CHUNK_FRAMES} frames`);
  // Pass 1: where each entry sits, grouped by equipment (counting sort).
  let total = 0;
  for (const f of frames) total += f[2] | (f[3] << 8);
  const entFrame = new Int32Array(total);
  const entOffset = new Int32Array(total);
  const entIndex = new Int32Array(total);
  const counts = new Int32Array(nEq + 1);
  let raw = 0;
  let e = 0;
  for (let fi = 0; fi < nFrames; fi++) {
    const f = frames[fi];
    raw += f.length;
    const count = f[2] | (f[3] << 8);
    let o = FRAME_HEADER_BYTES;
    let last = -1;
    for (let k = 0; k < count; k++) {
      const index = f[o] | (f[o + 1] << 8);
      if (index <= last || index >= nEq) throw new FrameError('frame entries are not in equipment order');
      last = index;
      entFrame[e] = fi;
      entOffset[e] = o;
      entIndex[e] = index;
      counts[index + 1]++;
      e++;
      o += 2 + state.entryLength(index, f[o + 2]);
    }
  }
  for (let i = 0; i < nEq; i++) counts[i + 1] += counts[i];
  const order = new Int32Array(total);
  const fill = counts.slice(0, nEq);
  for (let k = 0; k < total; k++) order[fill[entIndex[k]]++] = k;

  const m = models;
  const enc = new RangeEncoder((raw >> 3) + 256);
  enc.header(FORMAT_CODED);
  enc.header(nFrames & 0xff);
  enc.header((nFrames >>> 8) & 0xff);
  enc.header((nFrames >>> 16) & 0xff);
  enc.header((nFrames >>> 24) & 0xff);
  enc.header(nEq & 0xff);
  enc.header((nEq >>> 8) & 0xff);

  // Frame headers.
  let prevTick = state.tick;
  let prevStep = 1;
  let tp = state.simTimeS;
  let tpp = state.simTimeS;
  let loLen = 0;
  let hiLen = 0;
  for (let fi = 0; fi < nFrames; fi++) {
    const f = frames[fi];
    const tick = read(f, 4, 4);
    const step = (tick - prevTick) | 0;
    m.values.encode(enc, C_TICK, 0, zig(step - prevStep, 4));
    prevTick = tick;
    prevStep = step;
    const t = new DataView(f.buffer, f.byteOffset + 8, 8).getFloat64(0, true);
    const [lo, hi] = xorHalves(t, predictTime(fi, tp, tpp));
    hiLen = m.values.encode(enc, C_TIME_HI, hiLen, hi);
    loLen = m.values.encode(enc, C_TIME_LO, loLen, lo);
    tpp = tp;
    tp = t;
  }
  // Presence.
  const present = new Uint8Array(nEq);
  const row = new Uint8Array(nEq);
  for (let k = 0, fi = 0; fi < nFrames; fi++) {
    row.fill(0);
    while (k < total && entFrame[k] === fi) row[entIndex[k++]] = 1;
    for (let i = 0; i < nEq; i++) {
      enc.bit(m.present, i * 2 + present[i], row[i]);
      present[i] = row[i];
    }
  }

  for (let i = 0; i < nEq; i++) {
    const from = counts[i];
    const to = counts[i + 1];
    const n = to - from;
    if (n === 0) continue;
    let withPose = 0;
    let prevFlags = flagsOf(state, i);
    for (let k = from; k < to; k++) {
      const ent = order[k];
      const flags = frames[entFrame[ent]][entOffset[ent] + 2];
      if (flags === prevFlags) enc.bit(m.flagSame, i, 1);
      else {
        enc.bit(m.flagSame, i, 0);
        enc.tree(m.flagByte, 0, 8, flags);
      }
      prevFlags = flags;
      if (flags & POSE_FLAG) withPose++;
    }
    const vals = scratch(n);
    if (withPose)
      for (let p = 0; p < 4; p++) {
        let c = 0;
        for (let k = from; k < to; k++) {
          const ent = order[k];
          const f = frames[entFrame[ent]];
          const o = entOffset[ent] + 2;
          if (f[o] & POSE_FLAG) vals[c++] = read(f, o + POSE_OFFSETS[p], POSE_WIDTHS[p]);
        }
        const w = POSE_WIDTHS[p];
        writeColumn(
          enc,
          m,
          p < 3 ? C_POSE + p : C_YAW,
          vals,
          c,
          w,
          primeOf(state, i, POSE_OFFSETS[p], w, true),
        );
      }
    const sig = layout.signals[i];
    const cls = layout.classes[i];
    const refs: Refs = { cols: [], widths: [], primes: [] };
    let so = 1;
    for (let s = 0; s < sig.length; s++) {
      const w = sig[s];
      const col = new Float64Array(n);
      for (let k = from; k < to; k++) {
        const ent = order[k];
        const f = frames[entFrame[ent]];
        const o = entOffset[ent] + 2;
        col[k - from] = read(f, o + so + (f[o] & POSE_FLAG ? POSE_BYTES : 0), w);
      }
      const prime = primeOf(state, i, so, w, false);
      writeColumn(enc, m, cls[s], col, n, w, prime, refs);
      refs.cols.push(col);
      refs.widths.push(w);
      refs.primes.push(prime);
      so += w;
    }
  }
  for (const f of frames) state.apply(f, false);
  return enc.finish();
}

/**
 * Decodes what encodeChunk wrote, against `state` and `models` (both as they were when encoding),
 * folding the frames into the state and the models along. Returns the frames, byte for byte as
 * sent. Throws FrameError on anything malformed.
 */
export function decodeChunk(
  src: Uint8Array,
  state: FrameState,
  models: ChunkModels = new ChunkModels(state.kinds),
): ArrayBuffer[] {
  const nEq = state.kinds.length;
  const layout = layoutOf(state.kinds);
  if (src.length < HEADER + 5 || src[0] !== FORMAT_CODED)
    throw new FrameError('recorded chunk: unknown format');
  const nFrames = read(src, 1, 4);
  if (nFrames > MAX_CHUNK_FRAMES) throw new FrameError(`recorded chunk: ${nFrames} frames is too many`);
  if (read(src, 5, 2) !== nEq)
    throw new FrameError('recorded chunk: equipment count differs from the layout');
  const dec = new RangeDecoder(src, HEADER);
  const m = models;

  const ticks = new Float64Array(nFrames);
  const timeBits = new Uint32Array(nFrames * 2);
  let prevTick = state.tick;
  let prevStep = 1;
  let tp = state.simTimeS;
  let tpp = state.simTimeS;
  let loLen = 0;
  let hiLen = 0;
  for (let fi = 0; fi < nFrames; fi++) {
    const step = (prevStep + unzig(m.values.decode(dec, C_TICK, 0), 4)) | 0;
    prevTick = ticks[fi] = wrap(prevTick + step, 4);
    prevStep = step;
    const hi = m.values.decode(dec, C_TIME_HI, hiLen);
    hiLen = bitLength(hi);
    const lo = m.values.decode(dec, C_TIME_LO, loLen);
    loLen = bitLength(lo);
    const t = fromHalvesXor(lo, hi, predictTime(fi, tp, tpp), timeBits, fi * 2);
    tpp = tp;
    tp = t;
  }
  const presence = new Uint8Array(nFrames * nEq);
  const countOf = new Int32Array(nEq);
  const last = new Uint8Array(nEq);
  for (let fi = 0; fi < nFrames; fi++)
    for (let i = 0; i < nEq; i++) {
      const b = dec.bit(m.present, i * 2 + last[i]);
      presence[fi * nEq + i] = b;
      last[i] = b;
      countOf[i] += b;
    }

  const flagCols: (Uint8Array | null)[] = new Array(nEq).fill(null);
  const poseCols: (Float64Array[] | null)[] = new Array(nEq).fill(null);
  const sigCols: (Float64Array[] | null)[] = new Array(nEq).fill(null);
  for (let i = 0; i < nEq; i++) {
    const n = countOf[i];
    if (!n) continue;
    const flags = new Uint8Array(n);
    let prevFlags = flagsOf(state, i);
    let withPose = 0;
    for (let k = 0; k < n; k++) {
      const fl = dec.bit(m.flagSame, i) ? prevFlags : dec.tree(m.flagByte, 0, 8);
      flags[k] = fl;
      prevFlags = fl;
      if (fl & POSE_FLAG) withPose++;
    }
    flagCols[i] = flags;
    if (withPose) {
      const cols: Float64Array[] = [];
      for (let p = 0; p < 4; p++) {
        const col = new Float64Array(withPose);
        const w = POSE_WIDTHS[p];
        readColumn(
          dec,
          m,
          p < 3 ? C_POSE + p : C_YAW,
          col,
          withPose,
          w,
          primeOf(state, i, POSE_OFFSETS[p], w, true),
        );
        cols.push(col);
      }
      poseCols[i] = cols;
    }
    const sig = layout.signals[i];
    const cls = layout.classes[i];
    const cols: Float64Array[] = [];
    const refs: Refs = { cols, widths: [], primes: [] };
    let so = 1;
    for (let s = 0; s < sig.length; s++) {
      const col = new Float64Array(n);
      const prime = primeOf(state, i, so, sig[s], false);
      readColumn(dec, m, cls[s], col, n, sig[s], prime, refs);
      cols.push(col);
      refs.widths.push(sig[s]);
      refs.primes.push(prime);
      so += sig[s];
    }
    sigCols[i] = cols;
  }
  dec.end();
  if (dec.remaining !== 0) throw new FrameError(`recorded chunk has ${dec.remaining} trailing bytes`);

  const cursor = new Int32Array(nEq);
  const poseCursor = new Int32Array(nEq);
  const out: ArrayBuffer[] = [];
  for (let fi = 0; fi < nFrames; fi++) {
    let size = FRAME_HEADER_BYTES;
    let count = 0;
    for (let i = 0; i < nEq; i++)
      if (presence[fi * nEq + i]) {
        size += 2 + state.entryLength(i, flagCols[i]![cursor[i]]);
        count++;
      }
    const buf = new ArrayBuffer(size);
    const u8 = new Uint8Array(buf);
    const view = new DataView(buf);
    u8[0] = FRAME_MAGIC;
    u8[1] = FRAME_VERSION;
    write(u8, 2, 2, count);
    write(u8, 4, 4, ticks[fi]);
    view.setUint32(8, timeBits[fi * 2], true);
    view.setUint32(12, timeBits[fi * 2 + 1], true);
    let o = FRAME_HEADER_BYTES;
    for (let i = 0; i < nEq; i++) {
      if (!presence[fi * nEq + i]) continue;
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
      const sig = layout.signals[i];
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
