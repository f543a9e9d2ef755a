/**
 * The replay's playback clock and frame scheduling: pure functions of (clock, wall time), so the
 * player applies exactly the frames whose simulation time has come, at any rate, and tests check
 * it without a browser.
 */

/** Playback rates offered (the issue asks for 0.25x–50x). */
export const REPLAY_RATES = [0.25, 0.5, 1, 2, 5, 10, 50] as const;

/** Simulation time covered by one `replay:frames` request at 1x, s (more at high rates, at most the server's span). */
export const WINDOW_S = 10;
/** Keep this much wall time of playback fetched ahead of the clock, s. */
export const AHEAD_WALL_S = 3;

/**
 * The clock: while playing, simulation time runs from `anchorSimS` (at wall time `anchorWallMs`)
 * at `rate` × real time. Paused, it stands at `anchorSimS`.
 */
export interface PlaybackClock {
  anchorSimS: number;
  anchorWallMs: number;
  rate: number;
  playing: boolean;
}

/** Simulation time at `wallMs`, clamped to `[fromS, toS]`. */
export function clockSimS(
  c: PlaybackClock,
  wallMs: number,
  fromS = 0,
  toS = Number.POSITIVE_INFINITY,
): number {
  const t = c.playing ? c.anchorSimS + ((wallMs - c.anchorWallMs) / 1000) * c.rate : c.anchorSimS;
  return Math.min(Math.max(t, fromS), toS);
}

/** The same clock re-anchored at `wallMs` (before a rate change or pause, so the time never jumps). */
export function reanchor(
  c: PlaybackClock,
  wallMs: number,
  patch: Partial<PlaybackClock> = {},
): PlaybackClock {
  return { ...c, anchorSimS: clockSimS(c, wallMs), anchorWallMs: wallMs, ...patch };
}

/**
 * How many of the queued frames (simulation times `times[head..]`, ascending) are due at `simS`:
 * the index one past the last frame with time ≤ `simS` (so `times.slice(head, result)` is applied).
 */
export function dueUntil(times: ArrayLike<number>, head: number, simS: number): number {
  let i = head;
  while (i < times.length && times[i] <= simS + 1e-9) i++;
  return i;
}

/** Simulation time of a binary telemetry frame (f64 little-endian at byte 8 of its header, protocol/codec.ts). */
export function frameSimTimeS(frame: ArrayBuffer): number {
  if (frame.byteLength < 16) return Number.NaN;
  return new DataView(frame).getFloat64(8, true);
}

/**
 * The next window to fetch, `(fromS, toS]`, or null when enough is fetched: ahead of `simS` by at
 * least max(WINDOW_S, AHEAD_WALL_S × rate) of simulation time, never past `endS`, each request at
 * most `maxSpanS` long.
 */
export function nextWindow(
  fetchedToS: number,
  simS: number,
  rate: number,
  endS: number,
  maxSpanS: number,
): { fromS: number; toS: number } | null {
  if (fetchedToS >= endS - 1e-9) return null;
  const ahead = Math.max(WINDOW_S, AHEAD_WALL_S * rate);
  if (fetchedToS - simS >= ahead) return null;
  const span = Math.min(maxSpanS, Math.max(WINDOW_S, rate * 2));
  return { fromS: fetchedToS, toS: Math.min(endS, fetchedToS + span) };
}

/** The next alarm raise strictly after `simS` (0.05 s tolerance), or null. Marks sorted by time. */
export function nextMark<T extends { simS: number }>(marks: readonly T[], simS: number): T | null {
  for (const m of marks) if (m.simS > simS + 0.05) return m;
  return null;
}

/** The last alarm raise before `simS`, skipping one within the last second (so repeated presses step back). */
export function previousMark<T extends { simS: number }>(marks: readonly T[], simS: number): T | null {
  let found: T | null = null;
  for (const m of marks) {
    if (m.simS < simS - 1) found = m;
    else break;
  }
  return found;
}
