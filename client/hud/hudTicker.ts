/**
 * The HUD's one clock. Every low-rate reader (sim clock, KPIs, faults, events, trend sampling)
 * runs in the same 1 Hz timer callback, so React batches all their state changes into a single
 * commit per second instead of one commit per timer.
 */

/** HUD refresh period, ms (human rate; DESIGN principle 9). */
export const HUD_TICK_MS = 1000;

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function tick(): void {
  for (const fn of listeners) {
    try {
      fn();
    } catch (err) {
      // One broken reader must not stop the others (or the timer).
      console.error('HUD tick listener failed', err);
    }
  }
}

/** Calls `fn` on every HUD tick (listeners run in subscription order); returns the unsubscribe. */
export function onHudTick(fn: () => void): () => void {
  listeners.add(fn);
  timer ??= setInterval(tick, HUD_TICK_MS);
  return () => {
    listeners.delete(fn);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}
