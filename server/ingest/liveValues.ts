import { MAX_SIGNALS, QUALITIES, type Quality } from '../../protocol';

/** Quality codes in the typed arrays (index into QUALITIES). */
export const Q = { good: 0, uncertain: 1, bad: 2, stale: 3 } as const satisfies Record<Quality, number>;
/** Quality of a code. */
export const qualityName = (code: number): Quality => QUALITIES[code] ?? 'bad';

/**
 * What a source said about each piece of equipment, in typed arrays (no object per value): per
 * signal slot (equipment × MAX_SIGNALS) the value, its quality, its source time and when it
 * arrived; per equipment the state with its times. Times are wall ms since epoch; 0 = never.
 */
export class LiveValues {
  readonly value: Float64Array;
  readonly quality: Uint8Array;
  readonly srcMs: Float64Array;
  readonly rxMs: Float64Array;
  /** Per signal slot: after this long without a value it is stale, ms (0: not mapped). */
  readonly staleAfterMs: Float64Array;
  /** Per equipment: the last received state code, 255 = none yet. */
  readonly state: Uint8Array;
  readonly stateSrcMs: Float64Array;
  readonly stateRxMs: Float64Array;
  /** Per equipment: quality of the state (Q code). */
  readonly stateQuality: Uint8Array;
  /** Per equipment: state staleness limit, ms (0: no state is mapped). */
  readonly stateStaleAfterMs: Float64Array;
  /** Per equipment: received pose x, z (plant m) and yaw (rad about +y); used once poseRxMs > 0. */
  readonly poseX: Float64Array;
  readonly poseZ: Float64Array;
  readonly poseYaw: Float64Array;
  readonly poseSrcMs: Float64Array;
  readonly poseRxMs: Float64Array;

  constructor(readonly equipmentCount: number) {
    const n = equipmentCount * MAX_SIGNALS;
    this.value = new Float64Array(n);
    this.quality = new Uint8Array(n).fill(Q.bad);
    this.srcMs = new Float64Array(n);
    this.rxMs = new Float64Array(n);
    this.staleAfterMs = new Float64Array(n);
    this.state = new Uint8Array(equipmentCount).fill(255);
    this.stateSrcMs = new Float64Array(equipmentCount);
    this.stateRxMs = new Float64Array(equipmentCount);
    this.stateQuality = new Uint8Array(equipmentCount).fill(Q.bad);
    this.stateStaleAfterMs = new Float64Array(equipmentCount);
    this.poseX = new Float64Array(equipmentCount);
    this.poseZ = new Float64Array(equipmentCount);
    this.poseYaw = new Float64Array(equipmentCount);
    this.poseSrcMs = new Float64Array(equipmentCount);
    this.poseRxMs = new Float64Array(equipmentCount);
  }

  /** Slot of signal `sig` of equipment `eq`. */
  slot(eq: number, sig: number): number {
    return eq * MAX_SIGNALS + sig;
  }
}

/** Median of the numbers (sorted copy); null when empty. */
export function median(xs: ArrayLike<number>, n: number): number | null {
  if (n === 0) return null;
  const s = Array.from({ length: n }, (_, i) => xs[i]).sort((a, b) => a - b);
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
