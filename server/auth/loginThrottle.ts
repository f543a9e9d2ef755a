/**
 * Failed-login throttling, in memory (a restart forgets it; the per-source HTTP rate limit still
 * holds). Two windows are kept: per lowercased user name (guessing one account's password) and per
 * source address (trying many accounts from one place).
 */

/** The window failures are counted over, ms (15 min). */
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** Failures of one user name within the window before logins are refused. */
export const USER_FAILURES = 5;
/** Failures from one source address within the window before logins are refused. */
export const SOURCE_FAILURES = 20;
/** First lockout of a user name after USER_FAILURES failures, ms; doubles with each failure after. */
export const FIRST_LOCK_MS = 30 * 1000;
/** Longest lockout, ms (15 min). */
export const MAX_LOCK_MS = 15 * 60 * 1000;
/** Wait answered while the attempts that reach the limit are still being checked, ms. */
const IN_FLIGHT_WAIT_MS = 1000;
/** Most keys remembered per window; the oldest are forgotten first (bounds memory under a flood). */
const MAX_KEYS = 10_000;

interface Failures {
  /** Times of the failures still in the window, oldest first, ms. */
  at: number[];
  /** Attempts whose password is being checked right now (they may fail too). */
  pending: number;
  /** Lockouts so far in this run of failures (user names only; 0: none). */
  level: number;
  /** End of the current lockout, ms since epoch (0: none). */
  lockedUntil: number;
  /** Time of the newest failure, kept after it leaves the window, ms since epoch. */
  lastFailAt: number;
}

/**
 * Failure counts per key. `check` answers how long a key must wait (0: may try); attempts in flight
 * count as failures, so a burst of parallel guesses cannot slip past the limit while scrypt runs.
 *
 * With `escalate`, reaching the limit locks the key for FIRST_LOCK_MS, and every failure after that
 * doubles the lockout (up to MAX_LOCK_MS), even once the first failures have left the window; the
 * run ends with a success or after a quiet FAILURE_WINDOW_MS + MAX_LOCK_MS. Without it, the key
 * waits until enough failures leave the window.
 */
class FailureWindow {
  private readonly keys = new Map<string, Failures>();

  constructor(
    private readonly limit: number,
    private readonly escalate: boolean,
  ) {}

  private entry(key: string, nowMs: number): Failures {
    let f = this.keys.get(key);
    if (!f) {
      if (this.keys.size >= MAX_KEYS) {
        const oldest = this.keys.keys().next().value;
        if (oldest !== undefined) this.keys.delete(oldest);
      }
      f = { at: [], pending: 0, level: 0, lockedUntil: 0, lastFailAt: 0 };
      this.keys.set(key, f);
    }
    if (f.level > 0 && nowMs - f.lastFailAt > FAILURE_WINDOW_MS + MAX_LOCK_MS) f.level = 0;
    while (f.at.length && f.at[0] <= nowMs - FAILURE_WINDOW_MS) f.at.shift();
    return f;
  }

  /** ms until `key` may try again (0: now). */
  check(key: string, nowMs: number): number {
    const f = this.entry(key, nowMs);
    if (this.escalate) {
      if (f.lockedUntil > nowMs) return f.lockedUntil - nowMs;
      // One try at a time once locked before; otherwise in-flight tries count towards the limit.
      if (f.level > 0) return f.pending > 0 ? IN_FLIGHT_WAIT_MS : 0;
      return f.at.length + f.pending >= this.limit ? IN_FLIGHT_WAIT_MS : 0;
    }
    if (f.at.length >= this.limit) return f.at[f.at.length - this.limit] + FAILURE_WINDOW_MS - nowMs;
    return f.at.length + f.pending >= this.limit ? IN_FLIGHT_WAIT_MS : 0;
  }

  begin(key: string, nowMs: number): void {
    this.entry(key, nowMs).pending++;
  }

  end(key: string, nowMs: number, failed: boolean): void {
    const f = this.entry(key, nowMs);
    f.pending = Math.max(0, f.pending - 1);
    if (!failed) return;
    f.at.push(nowMs);
    f.lastFailAt = nowMs;
    // Only the newest failures matter; cap the list.
    if (f.at.length > 64) f.at.splice(0, f.at.length - 64);
    if (this.escalate && (f.level > 0 || f.at.length >= this.limit)) {
      f.level++;
      f.lockedUntil = nowMs + Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** Math.min(f.level - 1, 20));
    }
  }

  reset(key: string): void {
    this.keys.delete(key);
  }
}

/** Per-user and per-source failure throttling. */
export class LoginThrottle {
  private readonly users = new FailureWindow(USER_FAILURES, true);
  private readonly sources = new FailureWindow(SOURCE_FAILURES, false);

  /** ms the attempt must wait (0: go ahead). */
  check(user: string, source: string, nowMs: number): number {
    return Math.max(this.users.check(user.toLowerCase(), nowMs), this.sources.check(source, nowMs));
  }

  /** Marks an attempt as in flight (call `end` exactly once after). */
  begin(user: string, source: string, nowMs: number): void {
    this.users.begin(user.toLowerCase(), nowMs);
    this.sources.begin(source, nowMs);
  }

  /** Ends an attempt; a success clears the user name's failures (not the source's). */
  end(user: string, source: string, nowMs: number, ok: boolean): void {
    this.users.end(user.toLowerCase(), nowMs, !ok);
    this.sources.end(source, nowMs, !ok);
    if (ok) this.users.reset(user.toLowerCase());
  }
}
