import { FrameEncoder, MOBILE_KINDS, signalsOf } from '../../protocol';
import type { EquipmentRuntime } from '../sim/types';

/** Index (2 bytes) is not compared: it never changes for a slot. */
const INDEX_BYTES = 2;

/**
 * Turns the world's equipment into telemetry frames. A delta frame carries only the equipment
 * whose encoded bytes differ from what was last sent: each entry is encoded once, compared with
 * the previous bytes of that equipment, and dropped again when identical (one pass, no
 * allocation per entry).
 */
export class FrameBuilder {
  private readonly encoder = new FrameEncoder();
  /** Last sent entry bytes per equipment (without the index), `slot` bytes each. */
  private readonly last: Uint8Array;
  private readonly lastLen: Uint16Array;
  private readonly slot: number;

  constructor(private readonly equipment: readonly EquipmentRuntime[]) {
    let slot = 0;
    for (const e of equipment) {
      let n = 1 + (MOBILE_KINDS.has(e.kind) ? 14 : 0);
      for (const d of signalsOf(e.kind)) n += d.enc === 'u32' ? 4 : 2;
      slot = Math.max(slot, n);
    }
    this.slot = slot;
    this.last = new Uint8Array(equipment.length * slot);
    this.lastLen = new Uint16Array(equipment.length); // 0 = never sent
  }

  /** A frame of every piece of equipment (snapshots); does not change what counts as sent. */
  keyframe(tick: number, simTimeS: number): ArrayBuffer {
    this.encoder.begin(tick, simTimeS);
    for (const e of this.equipment) this.encoder.add(e.index, e.kind, e.state, e.pose, e.signals, e.mark);
    return this.encoder.finish();
  }

  /** A frame of the equipment that changed since the last delta, or null when nothing did. */
  delta(tick: number, simTimeS: number): ArrayBuffer | null {
    const enc = this.encoder;
    enc.begin(tick, simTimeS);
    for (const e of this.equipment) {
      const start = enc.length;
      enc.add(e.index, e.kind, e.state, e.pose, e.signals, e.mark);
      const bytes = enc.bytes;
      const from = start + INDEX_BYTES;
      const len = enc.length - from;
      const base = e.index * this.slot;
      let same = this.lastLen[e.index] === len;
      for (let k = 0; same && k < len; k++) same = bytes[from + k] === this.last[base + k];
      if (same) enc.dropLast(start);
      else {
        this.last.set(bytes.subarray(from, from + len), base);
        this.lastLen[e.index] = len;
      }
    }
    return enc.entries > 0 ? enc.finish() : null;
  }
}
