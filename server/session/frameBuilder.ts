import { FrameEncoder, MAX_SIGNALS, quantize16, signalsOf } from '../../protocol';
import type { EquipmentRuntime } from '../sim/types';

const NEVER_SENT = 0xff;
const TWO_PI = Math.PI * 2;

/**
 * Turns the world's equipment into telemetry frames. Remembers what it last sent, at wire
 * precision, so a delta frame carries only equipment whose encoded bytes would differ.
 */
export class FrameBuilder {
  private readonly encoder = new FrameEncoder();
  private readonly lastState: Uint8Array;
  private readonly lastSignals: Float64Array;
  private readonly lastPose: Float32Array;

  constructor(private readonly equipment: readonly EquipmentRuntime[]) {
    const n = equipment.length;
    this.lastState = new Uint8Array(n).fill(NEVER_SENT);
    this.lastSignals = new Float64Array(n * MAX_SIGNALS);
    this.lastPose = new Float32Array(n * 4);
  }

  /** A frame of every piece of equipment (snapshots); does not change what counts as sent. */
  keyframe(tick: number, simTimeS: number): ArrayBuffer {
    this.encoder.begin(tick, simTimeS);
    for (const e of this.equipment) this.encoder.add(e.index, e.kind, e.state, e.pose, e.signals);
    return this.encoder.finish();
  }

  /** A frame of the equipment that changed since the last delta, or null when nothing did. */
  delta(tick: number, simTimeS: number): ArrayBuffer | null {
    this.encoder.begin(tick, simTimeS);
    for (const e of this.equipment) {
      if (this.changed(e)) this.encoder.add(e.index, e.kind, e.state, e.pose, e.signals);
    }
    return this.encoder.entries > 0 ? this.encoder.finish() : null;
  }

  /** Compares at wire precision and records the new values when they differ. */
  private changed(e: EquipmentRuntime): boolean {
    const i = e.index;
    let diff = this.lastState[i] !== e.state;
    this.lastState[i] = e.state;
    if (e.pose) {
      const o = i * 4;
      for (let k = 0; k < 3; k++) {
        const v = Math.fround(e.pose[k]);
        if (v !== this.lastPose[o + k]) {
          diff = true;
          this.lastPose[o + k] = v;
        }
      }
      const yaw = Math.round((((e.pose[3] % TWO_PI) + TWO_PI) % TWO_PI) * (0xffff / TWO_PI));
      if (yaw !== this.lastPose[o + 3]) {
        diff = true;
        this.lastPose[o + 3] = yaw;
      }
    }
    const defs = signalsOf(e.kind);
    const s = i * MAX_SIGNALS;
    for (let k = 0; k < defs.length; k++) {
      const d = defs[k];
      const v = d.enc === 'u32' ? Math.floor(e.signals[k]) : quantize16(e.signals[k], d.min, d.max);
      if (v !== this.lastSignals[s + k]) {
        diff = true;
        this.lastSignals[s + k] = v;
      }
    }
    return diff;
  }
}
