import { MAX_SIGNALS } from '../../protocol';
import { type LiveValues, Q } from './liveValues';
import type { SourceStats } from './sourceStats';

/** The `sig` of a queued machine state (its value is the STATE_CODE). */
export const STATE_SIG = -1;
/**
 * The `sig` of a "stale now" mark: every value and the state of that equipment become stale at
 * once (a Sparkplug NDEATH/DDEATH, a lost broker session, an OPC UA keep-alive loss), without
 * waiting for staleAfterS.
 */
export const STALE_SIG = -2;
/** The `sig`s of a received pose: x, z (plant m) and yaw (rad), queued by `pushPose`. */
const POSE_X_SIG = -3;
const POSE_Z_SIG = -4;
const POSE_YAW_SIG = -5;
/** Numbers per queued value: source, equipment, signal, value, source ms, receive ms, quality, historical. */
const STRIDE = 8;

/**
 * Where values that must not reach the live scene go: values a device marked historical
 * (Sparkplug `is_historical`, store-and-forward) and values older than the one shown.
 */
export interface ValueHistory {
  /** `historical`: the device marked it so (default: it came later than the value shown). */
  record(
    eq: number,
    sig: number,
    value: number,
    quality: number,
    srcMs: number,
    rxMs: number,
    historical?: boolean,
  ): void;
}
/** Most values queued between two ticks; beyond it new values are dropped (counted as 'rate'). */
const MAX_QUEUED = 1 << 20;

/**
 * Where adapters put what they received. Socket callbacks only append to a flat queue; the loop
 * drains it at the start of each tick (`drain`), in arrival order, so the world changes only
 * between steps and always in the same order for the same input. A value whose source time is
 * older than the one already shown is not applied (counted per source as out-of-order);
 * staleness is judged on receive time.
 */
export class IngestSink {
  private queue = new Float64Array(STRIDE * 4096);
  private queued = 0;

  constructor(
    readonly live: LiveValues,
    private readonly stats: readonly SourceStats[],
    /** The signal slots some source maps (the only ones that can go stale). */
    private readonly mappedSlots: Int32Array,
    /** The equipment whose state some source maps. */
    private readonly stateMapped: Int32Array,
    /** Where historical and late values go (null: they are only counted). */
    private readonly history: ValueHistory | null = null,
  ) {}

  /** Values waiting for the next tick. */
  get pending(): number {
    return this.queued;
  }

  /** Queues one received value (no allocation unless the queue grows). */
  push(
    source: number,
    eq: number,
    sig: number,
    value: number,
    srcMs: number,
    rxMs: number,
    quality: number = Q.good,
    historical = false,
  ): boolean {
    if (this.queued >= MAX_QUEUED) return false;
    let at = this.queued * STRIDE;
    if (at + STRIDE > this.queue.length) {
      const grown = new Float64Array(this.queue.length * 2);
      grown.set(this.queue);
      this.queue = grown;
    }
    const q = this.queue;
    q[at++] = source;
    q[at++] = eq;
    q[at++] = sig;
    q[at++] = value;
    q[at++] = srcMs;
    q[at++] = rxMs;
    q[at++] = quality;
    q[at] = historical ? 1 : 0;
    this.queued++;
    return true;
  }

  /** Queues a received pose: plant x, z (m) and yaw (rad about +y). */
  pushPose(
    source: number,
    eq: number,
    x: number,
    z: number,
    yaw: number,
    srcMs: number,
    rxMs: number,
  ): boolean {
    if (this.queued + 3 > MAX_QUEUED) return false;
    this.push(source, eq, POSE_X_SIG, x, srcMs, rxMs);
    this.push(source, eq, POSE_Z_SIG, z, srcMs, rxMs);
    return this.push(source, eq, POSE_YAW_SIG, yaw, srcMs, rxMs);
  }

  /** Queues "everything of this equipment is stale now" (in order with the values around it). */
  markStale(source: number, eq: number, rxMs: number): boolean {
    return this.push(source, eq, STALE_SIG, 0, 0, rxMs, Q.stale);
  }

  /** Applies the queued values in order, then marks values not refreshed in time as stale. */
  drain(nowMs: number): number {
    const { live } = this;
    const q = this.queue;
    const n = this.queued;
    let applied = 0;
    for (let i = 0, at = 0; i < n; i++, at += STRIDE) {
      const eq = q[at + 1];
      const sig = q[at + 2];
      const srcMs = q[at + 4];
      if (q[at + 7] === 1) {
        if (sig >= 0) this.history?.record(eq, sig, q[at + 3], q[at + 6], srcMs, q[at + 5], true);
        continue;
      }
      if (sig === STALE_SIG) {
        this.staleNow(eq);
        continue;
      }
      if (sig === STATE_SIG) {
        if (srcMs < live.stateSrcMs[eq]) {
          this.stats[q[at]].drop('out-of-order', `state of equipment #${eq} older than the one shown`, nowMs);
          continue;
        }
        live.state[eq] = q[at + 3];
        live.stateSrcMs[eq] = srcMs;
        live.stateRxMs[eq] = q[at + 5];
        live.stateQuality[eq] = Q.good;
      } else if (sig <= POSE_X_SIG) {
        if (srcMs < live.poseSrcMs[eq]) continue; // an older pose: the newer one stays
        const v = q[at + 3];
        if (sig === POSE_X_SIG) live.poseX[eq] = v;
        else if (sig === POSE_Z_SIG) live.poseZ[eq] = v;
        else {
          live.poseYaw[eq] = v;
          live.poseSrcMs[eq] = srcMs;
          live.poseRxMs[eq] = q[at + 5];
        }
      } else {
        const slot = live.slot(eq, sig);
        if (srcMs < live.srcMs[slot]) {
          // Late: it goes to history, never over the newer value shown.
          this.history?.record(eq, sig, q[at + 3], q[at + 6], srcMs, q[at + 5], false);
          this.stats[q[at]].drop('out-of-order', `value of equipment #${eq} older than the one shown`, nowMs);
          continue;
        }
        live.value[slot] = q[at + 3];
        live.srcMs[slot] = srcMs;
        live.rxMs[slot] = q[at + 5];
        live.quality[slot] = q[at + 6];
      }
      applied++;
    }
    this.queued = 0;
    this.markStaleByAge(nowMs);
    return applied;
  }

  /** Every received value and the state of `eq` become stale now. */
  private staleNow(eq: number): void {
    const { live } = this;
    for (let k = 0; k < MAX_SIGNALS; k++) {
      const s = live.slot(eq, k);
      if (live.staleAfterMs[s] > 0 && live.rxMs[s] > 0) live.quality[s] = Q.stale;
    }
    if (live.stateRxMs[eq] > 0) live.stateQuality[eq] = Q.stale;
  }

  /** A mapped value (or state) not received for its staleAfter is stale (receive time, not source time). */
  private markStaleByAge(nowMs: number): void {
    const { live } = this;
    const lim = live.staleAfterMs;
    const slots = this.mappedSlots;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i];
      const after = lim[s];
      if (after > 0 && live.quality[s] !== Q.stale && live.rxMs[s] > 0 && nowMs - live.rxMs[s] > after)
        live.quality[s] = Q.stale;
    }
    for (let i = 0; i < this.stateMapped.length; i++) {
      const eq = this.stateMapped[i];
      const rx = live.stateRxMs[eq];
      if (rx > 0 && live.stateQuality[eq] !== Q.stale && nowMs - rx > live.stateStaleAfterMs[eq])
        live.stateQuality[eq] = Q.stale;
    }
  }
}
