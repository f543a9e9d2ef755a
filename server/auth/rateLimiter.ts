/**
 * Token buckets keyed by a string (a user name, a source address): each key holds up to `burst`
 * tokens and regains `perS` tokens per second. The clock is passed in (ms), so tests drive it.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(
    /** Tokens regained per second. */
    readonly perS: number,
    /** Most tokens a key can hold (the burst it may send at once). */
    readonly burst: number,
    private readonly now: () => number,
    /** Most keys remembered; full buckets are dropped first when it is exceeded. */
    private readonly maxKeys = 10_000,
  ) {
    if (!(perS > 0) || !(burst >= 1)) throw new Error('RateLimiter needs perS > 0 and burst >= 1');
  }

  /** Takes one token for `key`: `{ ok: true }`, or how long until one is available, ms. */
  take(key: string): { ok: true } | { ok: false; retryAfterMs: number } {
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.prune(t);
      b = { tokens: this.burst, atMs: t };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + (Math.max(0, t - b.atMs) / 1000) * this.perS);
    b.atMs = t;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil(((1 - b.tokens) / this.perS) * 1000) };
  }

  /** Drops buckets that have refilled completely (they behave like new ones). */
  private prune(t: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((t - b.atMs) / 1000) * this.perS >= this.burst) this.buckets.delete(k);
    }
    // Still full of active keys: drop the oldest (Map keeps insertion order).
    for (const k of this.buckets.keys()) {
      if (this.buckets.size < this.maxKeys) break;
      this.buckets.delete(k);
    }
  }
}
