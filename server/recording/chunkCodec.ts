import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { FRAME_HEADER_BYTES, FRAME_MAGIC, FRAME_VERSION, FrameError } from '../../protocol/codec';
import { type EquipmentKind, MACHINE_STATES } from '../../protocol/kinds';
import { signalsOf } from '../../protocol/signals';
import {
  In,
  Out,
  type Refs,
  read,
  readColumn,
  SectionReader,
  SectionWriter,
  write,
  writeColumn,
} from './columns';
import { type FrameState, POSE_BYTES, POSE_FLAG } from './frameState';

/**
 * A recorded chunk: a run of telemetry frames as per-field deltas, compressed with node:zlib's
 * brotli. Each equipment's field across the run's frames forms a column, written as the zigzag
 * residuals of its cheapest simple prediction (last value, linear or quadratic extrapolation, or
 * the step of an earlier signal of the same equipment times a fitted slope; the first value is
 * predicted from the state before the run), as byte planes (see columns.ts). Columns of one field
 * of one kind go to one section, so brotli finds like bytes together. Decoding gives back the
 * exact frame bytes.
 *
 *   stored: u8 format (3) | brotli of:
 *     u32 frames | u16 equipment
 *     per frame: u32 tick step | f64 simulation time XOR the frame before's (two u32)
 *     per equipment, per frame: u8 present (0/1)
 *     sections (SectionWriter): 0 the flags of every entry, by equipment; then per kind its 4
 *       pose fields and its signals, each column a header (u8 mode [u8 reference, i16 slope])
 *       and its residuals' byte planes
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
 * Brotli quality 6. On 12 simulated minutes of the default plant (MB and encode CPU per simulated
 * hour): q5 4.59 MB, 3-5 s; q6 4.56 MB, 2.5 s; q9 4.51 MB, 25 s; q10 4.31 MB, 17 s; q11 4.21 MB,
 * 43 s. Quality 10-11 save 6-8% for 7-15x the CPU, which a training run at 50x speed would turn
 * into most of a core, and more than the recorder's 30 s close wait after an hour played flat out.
 * lgwin 22 (4 MiB) already holds a whole chunk (about 0.25 MB plain): 24 gave the same bytes.
 * GENERIC mode: the bytes are neither text nor a font.
 */
export const BROTLI_QUALITY = 6;
/** Brotli window, log2 of bytes (see BROTLI_QUALITY). */
export const BROTLI_LGWIN = 22;
/** Bits 0-2 of an entry's flags byte: the machine state (protocol/codec.ts). */
const STATE_MASK = 0x07;
const POSE_WIDTHS = [4, 4, 4, 2];
const POSE_OFFSETS = [1, 5, 9, 13];

/**
 * Per layout: each equipment's signal widths in bytes, and the section each of its columns goes
 * to. A section holds one field of one kind (AGV speed, say) for every piece of equipment of that
 * kind, so bytes that look alike sit together for brotli; section 0 holds the flags.
 */
interface Layout {
  widths: Uint8Array[];
  /** Per equipment: its 4 pose sections, then one per signal. */
  sections: Uint16Array[];
  nSections: number;
}
const LAYOUTS = new WeakMap<readonly EquipmentKind[], Layout>();
function layoutOf(kinds: readonly EquipmentKind[]): Layout {
  let l = LAYOUTS.get(kinds);
  if (!l) {
    const base = new Map<EquipmentKind, number>();
    let next = 1;
    for (const k of kinds)
      if (!base.has(k)) {
        base.set(k, next);
        next += 4 + signalsOf(k).length;
      }
    l = {
      widths: kinds.map((k) => Uint8Array.from(signalsOf(k), (d) => (d.enc === 'u32' ? 4 : 2))),
      sections: kinds.map((k) =>
        Uint16Array.from({ length: 4 + signalsOf(k).length }, (_v, c) => base.get(k)! + c),
      ),
      nSections: next,
    };
    LAYOUTS.set(kinds, l);
  }
  return l;
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

/** Brotli settings, to compare others; recordings use the defaults above. */
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
  const layout = layoutOf(state.kinds);
  const widths = layout.widths;
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

  const sections = new SectionWriter(layout.nSections);
  let vals = new Float64Array(256);
  for (let i = 0; i < nEq; i++) {
    const from = counts[i];
    const n = counts[i + 1] - from;
    if (n === 0) continue;
    if (vals.length < n) vals = new Float64Array(n * 2);
    const sec = layout.sections[i];
    const flagsOut = sections.head(0);
    flagsOut.ensure(n);
    let withPose = 0;
    for (let k = 0; k < n; k++) {
      const ent = order[from + k];
      const flags = frames[entFrame[ent]][entOffset[ent]];
      flagsOut.buf[flagsOut.pos++] = flags;
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
        writeColumn(sections, sec[p], vals, c, w, primeOf(state, i, POSE_OFFSETS[p], w, true));
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
      writeColumn(sections, sec[4 + s], col, n, w, prime, refs);
      refs.cols.push(col);
      refs.widths.push(w);
      refs.primes.push(prime);
      so += w;
    }
  }
  sections.finish(out);
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

/**
 * The most plain bytes a chunk can hold (the decompressor's limit, so a damaged or hostile blob
 * cannot make it allocate without bound): every frame with every entry, plus the column headers
 * and section table.
 */
function maxPlainBytes(state: FrameState): number {
  const perFrame = 12 + state.kinds.length * (2 + state.slot);
  return (1 << 20) + MAX_CHUNK_FRAMES * perFrame;
}

/**
 * Decodes what encodeChunk wrote, against `state` (as it was when encoding), folding the frames
 * into it. Returns the frames, byte for byte as sent. Throws FrameError on anything malformed,
 * a chunk of an older recording format included.
 */
export function decodeChunk(src: Uint8Array, state: FrameState): ArrayBuffer[] {
  const nEq = state.kinds.length;
  const layout = layoutOf(state.kinds);
  const widths = layout.widths;
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
    if ((hi & 0x7ff00000) === 0x7ff00000)
      throw new FrameError('recorded chunk: simulation time is not finite');
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
  const sections = new SectionReader(inp, layout.nSections);

  const flagCols: (Uint8Array | null)[] = new Array(nEq).fill(null);
  const poseCols: (Float64Array[] | null)[] = new Array(nEq).fill(null);
  const sigCols: (Float64Array[] | null)[] = new Array(nEq).fill(null);
  for (let i = 0; i < nEq; i++) {
    const n = countOf[i];
    if (!n) continue;
    const sec = layout.sections[i];
    const flagsIn = sections.head(0);
    flagsIn.need(n);
    const flags = flagsIn.buf.slice(flagsIn.pos, flagsIn.pos + n);
    flagsIn.pos += n;
    for (const fl of flags)
      if ((fl & STATE_MASK) >= MACHINE_STATES.length || (fl & ~(STATE_MASK | POSE_FLAG)) !== 0)
        throw new FrameError(`recorded chunk: bad flags byte ${fl}`);
    flagCols[i] = flags;
    let withPose = 0;
    for (const fl of flags) if (fl & POSE_FLAG) withPose++;
    if (withPose) {
      const cols: Float64Array[] = [];
      for (let p = 0; p < 4; p++) {
        const col = new Float64Array(withPose);
        const w = POSE_WIDTHS[p];
        readColumn(sections, sec[p], col, withPose, w, primeOf(state, i, POSE_OFFSETS[p], w, true));
        // x, y, z are f32 bits: an all-ones exponent is an infinity or NaN.
        if (p < 3)
          for (const v of col)
            if ((v & 0x7f800000) === 0x7f800000) throw new FrameError('recorded chunk: pose is not finite');
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
      readColumn(sections, sec[4 + s], col, n, sig[s], prime, refs);
      cols.push(col);
      refs.widths.push(sig[s]);
      refs.primes.push(prime);
      so += sig[s];
    }
    sigCols[i] = cols;
  }
  sections.end();

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
    // Well-formed by construction (layout lengths; flags, time and pose checked above): the
    // protocol decoder's full pass would double a seek's time.
    state.apply(u8, false);
    out.push(buf);
  }
  return out;
}
