import { performance } from 'node:perf_hooks';

/** Real-time tick length the loop aims for, ms. */
export interface Loop {
  stop(): void;
}

/** Wall-clock time, ms since epoch: the one place outside the loop that needs it asks here. */
export function wallClockMs(): number {
  return Date.now();
}

/**
 * The one clock of the server: calls `onTick(elapsedS, wallMs)` about `hz` times a second with the
 * real time since the previous tick and the wall time (ms since epoch, for alarm timestamps). Nothing else reads time; the session turns elapsed time into
 * fixed simulation steps. Scheduling corrects drift so ticks stay on a 1/hz grid.
 */
export function startLoop(hz: number, onTick: (elapsedS: number, wallMs: number) => void): Loop {
  const periodMs = 1000 / hz;
  let last = performance.now();
  let next = last + periodMs;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const run = () => {
    if (stopped) return;
    const now = performance.now();
    const elapsedS = (now - last) / 1000;
    last = now;
    onTick(elapsedS, wallClockMs());
    next += periodMs;
    // After a long hitch, realign to the grid instead of firing a burst of catch-up ticks.
    if (next < now) next = now + periodMs;
    timer = setTimeout(run, Math.max(0, next - performance.now()));
  };
  timer = setTimeout(run, periodMs);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
