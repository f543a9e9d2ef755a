import {
  decodeFrame,
  FRAME_HEADER_BYTES,
  FRAME_MAGIC,
  FRAME_VERSION,
  FrameError,
  type FrameSink,
} from '../../protocol/codec';
import type { EquipmentKind } from '../../protocol/kinds';
import { signalsOf } from '../../protocol/signals';

/** Bit 7 of an entry's flags byte: a pose follows (protocol/codec.ts). */
export const POSE_FLAG = 0x80;
/** f32 x, y, z + u16 yaw (protocol/codec.ts). */
export const POSE_BYTES = 14;

/** Bytes of one kind's signals on the wire (catalog order, 'u32' 4, 'q16' 2). */
export function signalBytesOf(kind: EquipmentKind): number {
  let n = 0;
  for (const d of signalsOf(kind)) n += d.enc === 'u32' ? 4 : 2;
  return n;
}

const NOOP_SINK: FrameSink = { header() {}, entry() {} };

/** Checks a frame against the equipment kinds with the protocol decoder; throws FrameError. */
export function checkFrame(frame: ArrayBuffer | ArrayBufferView, kinds: readonly EquipmentKind[]): void {
  decodeFrame(frame, kinds, NOOP_SINK);
}

/**
 * The telemetry state a client holds, as the wire bytes of the last entry received for each piece
 * of equipment (flags, pose, signals; without the index). Folding frames at the byte level, in
 * order, gives exactly what a client that applied the same frames shows; `keyframe` writes it back
 * as one full frame in the protocol's codec, so a client's TwinBuffer applies it like a snapshot.
 */
export class FrameState {
  /** Entry bytes after the index, per equipment, `slot` bytes each. */
  readonly bytes: Uint8Array;
  /** Length of the stored entry per equipment; 0 = never received. */
  readonly lengths: Uint16Array;
  readonly slot: number;
  private readonly signalBytes: Uint16Array;
  /** Tick and simulation time of the newest folded frame. */
  tick = 0;
  simTimeS = 0;

  constructor(readonly kinds: readonly EquipmentKind[]) {
    this.signalBytes = Uint16Array.from(kinds, signalBytesOf);
    let max = 0;
    for (const n of this.signalBytes) max = Math.max(max, n);
    this.slot = 1 + POSE_BYTES + max;
    this.bytes = new Uint8Array(kinds.length * this.slot);
    this.lengths = new Uint16Array(kinds.length);
  }

  /** Bytes of the entry of `index` after the index, given its flags byte. */
  entryLength(index: number, flags: number): number {
    return 1 + (flags & POSE_FLAG ? POSE_BYTES : 0) + this.signalBytes[index];
  }

  /** Whether every piece of equipment has been received at least once. */
  get complete(): boolean {
    for (const n of this.lengths) if (n === 0) return false;
    return true;
  }

  /**
   * Folds one frame in. `validate` runs the protocol decoder's checks first (anything read back
   * from storage); frames straight from the server's FrameBuilder can skip it.
   */
  apply(frame: ArrayBuffer | Uint8Array, validate = true): void {
    const u8 = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
    if (validate) checkFrame(u8, this.kinds);
    const view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
    const count = view.getUint16(2, true);
    this.tick = view.getUint32(4, true);
    this.simTimeS = view.getFloat64(8, true);
    let o = FRAME_HEADER_BYTES;
    for (let e = 0; e < count; e++) {
      const index = view.getUint16(o, true);
      const len = this.entryLength(index, u8[o + 2]);
      this.bytes.set(u8.subarray(o + 2, o + 2 + len), index * this.slot);
      this.lengths[index] = len;
      o += 2 + len;
    }
  }

  /** Copies another state (same kinds) into this one. */
  copyFrom(other: FrameState): void {
    this.bytes.set(other.bytes);
    this.lengths.set(other.lengths);
    this.tick = other.tick;
    this.simTimeS = other.simTimeS;
  }

  /**
   * The state as one full telemetry frame (every piece of equipment received so far, in index
   * order), stamped with `tick` and `simTimeS` (default: those of the newest folded frame).
   */
  keyframe(tick = this.tick, simTimeS = this.simTimeS): ArrayBuffer {
    let size = FRAME_HEADER_BYTES;
    let count = 0;
    for (let i = 0; i < this.lengths.length; i++)
      if (this.lengths[i]) {
        size += 2 + this.lengths[i];
        count++;
      }
    const buf = new ArrayBuffer(size);
    const u8 = new Uint8Array(buf);
    const view = new DataView(buf);
    view.setUint8(0, FRAME_MAGIC);
    view.setUint8(1, FRAME_VERSION);
    view.setUint16(2, count, true);
    view.setUint32(4, tick >>> 0, true);
    view.setFloat64(8, simTimeS, true);
    let o = FRAME_HEADER_BYTES;
    for (let i = 0; i < this.lengths.length; i++) {
      const len = this.lengths[i];
      if (!len) continue;
      view.setUint16(o, i, true);
      u8.set(this.bytes.subarray(i * this.slot, i * this.slot + len), o + 2);
      o += 2 + len;
    }
    return buf;
  }
}

/** Header fields of a frame (no validation beyond the size). */
export function frameHeader(frame: ArrayBuffer | Uint8Array): { tick: number; simTimeS: number } {
  const u8 = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (u8.byteLength < FRAME_HEADER_BYTES) throw new FrameError(`frame too short: ${u8.byteLength} bytes`);
  const view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  return { tick: view.getUint32(4, true), simTimeS: view.getFloat64(8, true) };
}
