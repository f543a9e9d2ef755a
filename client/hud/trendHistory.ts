/**
 * Fixed-size trend history: for up to `capacity` pieces of equipment, `series` signals each, the
 * last `length` samples in typed ring buffers. All tracked equipment is sampled at the same
 * instants, so one shared ring of sample times serves every series.
 *
 * Memory is bounded up front (capacity × series × length floats); when more equipment is tracked
 * than fits, the least recently used slot is recycled.
 */
export class TrendHistory {
  readonly capacity: number;
  readonly series: number;
  readonly length: number;
  private readonly values: Float32Array;
  private readonly times: Float64Array;
  /** Equipment index held by each slot, -1 when free. */
  private readonly equipmentOfSlot: Int32Array;
  /** Sample count at the moment each slot started tracking (its history begins there). */
  private readonly sinceOfSlot: Float64Array;
  /** Last use (track call) per slot, for least-recently-used recycling. */
  private readonly usedOfSlot: Float64Array;
  private readonly slotOf = new Map<number, number>();
  private total = 0;
  private useClock = 0;

  constructor(capacity: number, series: number, length: number) {
    this.capacity = capacity;
    this.series = series;
    this.length = length;
    this.values = new Float32Array(capacity * series * length);
    this.times = new Float64Array(length);
    this.equipmentOfSlot = new Int32Array(capacity).fill(-1);
    this.sinceOfSlot = new Float64Array(capacity);
    this.usedOfSlot = new Float64Array(capacity);
  }

  /** Samples taken so far. */
  get samples(): number {
    return this.total;
  }

  /** Time of the newest sample, or NaN before the first. */
  get lastTime(): number {
    return this.total === 0 ? Number.NaN : this.times[(this.total - 1) % this.length];
  }

  /** Number of equipment currently tracked. */
  get tracked(): number {
    return this.slotOf.size;
  }

  isTracked(index: number): boolean {
    return this.slotOf.has(index);
  }

  /**
   * Starts tracking an equipment (or marks it recently used if it already is). When all slots
   * are taken, the least recently used one is recycled and its history dropped.
   */
  track(index: number): void {
    const stamp = ++this.useClock;
    const existing = this.slotOf.get(index);
    if (existing !== undefined) {
      this.usedOfSlot[existing] = stamp;
      return;
    }
    let slot = -1;
    if (this.slotOf.size < this.capacity) {
      slot = this.equipmentOfSlot.indexOf(-1);
    } else {
      let oldest = Number.POSITIVE_INFINITY;
      for (let s = 0; s < this.capacity; s++) {
        if (this.usedOfSlot[s] < oldest) {
          oldest = this.usedOfSlot[s];
          slot = s;
        }
      }
      this.slotOf.delete(this.equipmentOfSlot[slot]);
    }
    this.equipmentOfSlot[slot] = index;
    this.sinceOfSlot[slot] = this.total;
    this.usedOfSlot[slot] = stamp;
    this.slotOf.set(index, slot);
  }

  /**
   * Records one sample at `time` for every tracked equipment; `read(index, series)` gives the
   * value. Ignored (returns false) unless `time` is later than the previous sample, so a paused
   * or stale feed does not fill the history with repeats.
   */
  sample(time: number, read: (index: number, series: number) => number): boolean {
    if (this.total > 0 && !(time > this.lastTime)) return false;
    const head = this.total % this.length;
    this.times[head] = time;
    const L = this.length;
    for (const [index, slot] of this.slotOf) {
      const base = slot * this.series * L + head;
      for (let s = 0; s < this.series; s++) this.values[base + s * L] = read(index, s);
    }
    this.total++;
    return true;
  }

  /**
   * The history of one series, oldest first, from when the equipment started being tracked
   * (at most `length` samples); null if the equipment is not tracked. Allocates: call at 1 Hz.
   */
  read(index: number, series: number): { times: Float64Array; values: Float32Array } | null {
    const slot = this.slotOf.get(index);
    if (slot === undefined) return null;
    const L = this.length;
    const n = Math.min(L, this.total - this.sinceOfSlot[slot]);
    const times = new Float64Array(n);
    const values = new Float32Array(n);
    const base = (slot * this.series + series) * L;
    const start = this.total - n;
    for (let j = 0; j < n; j++) {
      const pos = (start + j) % L;
      times[j] = this.times[pos];
      values[j] = this.values[base + pos];
    }
    return { times, values };
  }
}
