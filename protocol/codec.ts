import type { EquipmentKind } from './kinds';
import { MACHINE_STATES } from './kinds';
import { type SignalDef, signalsOf } from './signals';

/**
 * The binary telemetry frame (`telemetry:frame`), little-endian:
 *
 *   header  u8 magic 0x54 | u8 version | u16 entry count | u32 tick | f64 simulation time (s)
 *   entry   u16 equipment index | u8 flags (bits 0-2 state, bits 3-5 data mark, bit 7 pose follows)
 *           [pose: f32 x | f32 y | f32 z (m) | u16 yaw (0..65535 = 0..2π rad)]
 *           signals in catalog order: 'q16' -> u16 over [min, max], 'u32' -> u32
 *
 * The equipment index is the position in the snapshot's equipment list, which gives the kind and
 * so the signal layout. Nothing in the frame is self-describing beyond that: it is built to be small.
 */

export const FRAME_MAGIC = 0x54;
export const FRAME_VERSION = 1;
export const FRAME_HEADER_BYTES = 16;
const POSE_FLAG = 0x80;
const STATE_MASK = 0x07;
const MARK_SHIFT = 3;
const MARK_MASK = 0x38;

/**
 * The data mark of an entry (flags bits 3-5): how far its values can be trusted. Bits 0-1 are the
 * worst quality of its live values (QUALITIES order: 0 good, 1 uncertain, 2 bad, 3 stale); bit 2
 * says the equipment is a simulated stand-in for real equipment that no source maps
 * (`unmapped: simulate`). Simulated plants send 0: good, real.
 */
export const MARK_QUALITY_MASK = 0x03;
export const MARK_STAND_IN = 0x04;
const POSE_BYTES = 14;
const TWO_PI = Math.PI * 2;

/** Thrown for any buffer that is not a well-formed frame for the given equipment list. */
export class FrameError extends Error {
  override name = 'FrameError';
}

function bytesOfSignals(defs: readonly SignalDef[]): number {
  let n = 0;
  for (const d of defs) n += d.enc === 'u32' ? 4 : 2;
  return n;
}

const SIGNAL_BYTES = new Map<EquipmentKind, number>();
function signalBytes(kind: EquipmentKind): number {
  let n = SIGNAL_BYTES.get(kind);
  if (n === undefined) {
    n = bytesOfSignals(signalsOf(kind));
    SIGNAL_BYTES.set(kind, n);
  }
  return n;
}

/** Quantizes a value to 16 bits over [min, max] (clamped; NaN encodes as min). */
export function quantize16(v: number, min: number, max: number): number {
  if (!(v > min)) return 0;
  if (v >= max) return 0xffff;
  return Math.round(((v - min) / (max - min)) * 0xffff);
}

/** Inverse of quantize16. */
export function dequantize16(q: number, min: number, max: number): number {
  return min + (q / 0xffff) * (max - min);
}

function toU32(v: number): number {
  if (!(v > 0)) return 0;
  return v >= 0xffffffff ? 0xffffffff : Math.floor(v);
}

/** Normalizes yaw (rad) to [0, 2π). */
function wrapYaw(yaw: number): number {
  const w = yaw % TWO_PI;
  return w < 0 ? w + TWO_PI : w;
}

/**
 * Builds frames into one growable buffer: `begin`, then `add` per changed equipment, then
 * `finish` returns a copy sized to the content. No allocation per entry.
 */
export class FrameEncoder {
  private buf: ArrayBuffer;
  private view: DataView;
  private u8: Uint8Array;
  private offset = 0;
  private count = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = new ArrayBuffer(initialBytes);
    this.view = new DataView(this.buf);
    this.u8 = new Uint8Array(this.buf);
  }

  begin(tick: number, simTimeS: number): void {
    this.offset = FRAME_HEADER_BYTES;
    this.count = 0;
    this.view.setUint8(0, FRAME_MAGIC);
    this.view.setUint8(1, FRAME_VERSION);
    this.view.setUint32(4, tick >>> 0, true);
    this.view.setFloat64(8, simTimeS, true);
  }

  /**
   * Appends one equipment. `pose` is [x, y, z, yaw] (m, rad) or null for static equipment;
   * `signals` holds the kind's signals in catalog order; `mark` is its data mark (0..7).
   */
  add(
    index: number,
    kind: EquipmentKind,
    state: number,
    pose: ArrayLike<number> | null,
    signals: ArrayLike<number>,
    mark = 0,
  ): void {
    const defs = signalsOf(kind);
    this.ensure(3 + (pose ? POSE_BYTES : 0) + signalBytes(kind));
    const v = this.view;
    let o = this.offset;
    v.setUint16(o, index, true);
    v.setUint8(o + 2, (state & STATE_MASK) | ((mark << MARK_SHIFT) & MARK_MASK) | (pose ? POSE_FLAG : 0));
    o += 3;
    if (pose) {
      v.setFloat32(o, pose[0], true);
      v.setFloat32(o + 4, pose[1], true);
      v.setFloat32(o + 8, pose[2], true);
      v.setUint16(o + 12, Math.round((wrapYaw(pose[3]) / TWO_PI) * 0xffff) & 0xffff, true);
      o += POSE_BYTES;
    }
    for (let i = 0; i < defs.length; i++) {
      const d = defs[i];
      if (d.enc === 'u32') {
        v.setUint32(o, toU32(signals[i]), true);
        o += 4;
      } else {
        v.setUint16(o, quantize16(signals[i], d.min, d.max), true);
        o += 2;
      }
    }
    this.offset = o;
    this.count++;
  }

  /** Number of entries added since `begin`. */
  get entries(): number {
    return this.count;
  }

  /** Bytes written so far (header included): the start of the next entry. */
  get length(): number {
    return this.offset;
  }

  /** The bytes written so far; a view that is valid until the next `add` (no copy). */
  get bytes(): Uint8Array {
    return this.u8;
  }

  /** Removes the last entry, which started at byte `start` (so a caller can drop an unchanged one). */
  dropLast(start: number): void {
    this.offset = start;
    this.count--;
  }

  /** The finished frame, as a fresh ArrayBuffer of exactly its size. */
  finish(): ArrayBuffer {
    this.view.setUint16(2, this.count, true);
    return this.buf.slice(0, this.offset);
  }

  private ensure(extra: number): void {
    if (this.offset + extra <= this.buf.byteLength) return;
    let size = this.buf.byteLength * 2;
    while (size < this.offset + extra) size *= 2;
    const next = new ArrayBuffer(size);
    new Uint8Array(next).set(new Uint8Array(this.buf, 0, this.offset));
    this.buf = next;
    this.view = new DataView(next);
    this.u8 = new Uint8Array(next);
  }
}

/** Receives decoded entries; the arrays passed are scratch buffers reused for every entry. */
export interface FrameSink {
  /** Called once before the entries. */
  header(tick: number, simTimeS: number, count: number): void;
  /**
   * One equipment. `pose` is [x, y, z, yaw] or null; `signals` holds `signalCount` values in
   * catalog order (dequantized); `mark` is the data mark (MARK_*). Copy what you keep.
   */
  entry(
    index: number,
    state: number,
    pose: Float64Array | null,
    signals: Float64Array,
    signalCount: number,
    mark: number,
  ): void;
}

const _pose = new Float64Array(4);
const _signals = new Float64Array(64);

/**
 * Decodes a frame against the snapshot's kinds (index -> kind). The whole buffer is checked
 * before the sink sees anything, so a malformed frame throws FrameError and changes nothing.
 */
export function decodeFrame(
  input: ArrayBuffer | ArrayBufferView,
  kinds: readonly EquipmentKind[],
  sink: FrameSink,
): void {
  const view = toView(input);
  const count = checkFrame(view, kinds);
  sink.header(view.getUint32(4, true), view.getFloat64(8, true), count);
  let o = FRAME_HEADER_BYTES;
  for (let e = 0; e < count; e++) {
    const index = view.getUint16(o, true);
    const flags = view.getUint8(o + 2);
    o += 3;
    let pose: Float64Array | null = null;
    if (flags & POSE_FLAG) {
      _pose[0] = view.getFloat32(o, true);
      _pose[1] = view.getFloat32(o + 4, true);
      _pose[2] = view.getFloat32(o + 8, true);
      _pose[3] = (view.getUint16(o + 12, true) / 0xffff) * TWO_PI;
      pose = _pose;
      o += POSE_BYTES;
    }
    const defs = signalsOf(kinds[index]);
    for (let i = 0; i < defs.length; i++) {
      const d = defs[i];
      if (d.enc === 'u32') {
        _signals[i] = view.getUint32(o, true);
        o += 4;
      } else {
        _signals[i] = dequantize16(view.getUint16(o, true), d.min, d.max);
        o += 2;
      }
    }
    sink.entry(index, flags & STATE_MASK, pose, _signals, defs.length, (flags & MARK_MASK) >> MARK_SHIFT);
  }
}

function toView(input: ArrayBuffer | ArrayBufferView): DataView {
  if (input instanceof ArrayBuffer) return new DataView(input);
  if (ArrayBuffer.isView(input)) return new DataView(input.buffer, input.byteOffset, input.byteLength);
  throw new FrameError('telemetry frame must be binary (ArrayBuffer or typed array)');
}

/** Walks the frame without emitting; returns the entry count or throws FrameError. */
function checkFrame(view: DataView, kinds: readonly EquipmentKind[]): number {
  if (view.byteLength < FRAME_HEADER_BYTES) throw new FrameError(`frame too short: ${view.byteLength} bytes`);
  if (view.getUint8(0) !== FRAME_MAGIC) throw new FrameError('not a telemetry frame (bad magic byte)');
  const version = view.getUint8(1);
  if (version !== FRAME_VERSION) throw new FrameError(`unsupported frame version ${version}`);
  if (!Number.isFinite(view.getFloat64(8, true))) throw new FrameError('frame simulation time is not finite');
  const count = view.getUint16(2, true);
  let o = FRAME_HEADER_BYTES;
  for (let e = 0; e < count; e++) {
    if (o + 3 > view.byteLength) throw new FrameError(`frame truncated in entry ${e}`);
    const index = view.getUint16(o, true);
    if (index >= kinds.length) throw new FrameError(`entry ${e}: unknown equipment index ${index}`);
    const flags = view.getUint8(o + 2);
    if (
      (flags & STATE_MASK) >= MACHINE_STATES.length ||
      (flags & ~(STATE_MASK | MARK_MASK | POSE_FLAG)) !== 0
    )
      throw new FrameError(`entry ${e}: bad state/flags byte ${flags}`);
    o += 3;
    if (flags & POSE_FLAG) {
      if (o + POSE_BYTES > view.byteLength) throw new FrameError(`frame truncated in entry ${e} pose`);
      for (let k = 0; k < 3; k++)
        if (!Number.isFinite(view.getFloat32(o + k * 4, true)))
          throw new FrameError(`entry ${e}: pose is not finite`);
      o += POSE_BYTES;
    }
    o += signalBytes(kinds[index]);
    if (o > view.byteLength) throw new FrameError(`frame truncated in entry ${e} signals`);
  }
  if (o !== view.byteLength) throw new FrameError(`frame has ${view.byteLength - o} trailing bytes`);
  return count;
}

/** A decoded entry as a plain object (tests, tools; not for the render loop). */
export interface DecodedEntry {
  index: number;
  state: number;
  pose: [number, number, number, number] | null;
  signals: number[];
  /** Data mark (MARK_*): 0 for good, simulated data. */
  mark: number;
}

/** Decodes a frame into plain objects. Allocates: use `decodeFrame` with a sink in hot paths. */
export function decodeFrameToObjects(
  input: ArrayBuffer | ArrayBufferView,
  kinds: readonly EquipmentKind[],
): { tick: number; simTimeS: number; entries: DecodedEntry[] } {
  const out = { tick: 0, simTimeS: 0, entries: [] as DecodedEntry[] };
  decodeFrame(input, kinds, {
    header(tick, simTimeS) {
      out.tick = tick;
      out.simTimeS = simTimeS;
    },
    entry(index, state, pose, signals, n, mark) {
      out.entries.push({
        index,
        state,
        pose: pose ? [pose[0], pose[1], pose[2], pose[3]] : null,
        signals: Array.from(signals.subarray(0, n)),
        mark,
      });
    },
  });
  return out;
}
