/** What a showcase screen is told through its URL (`/showcase?tour=VP-HALL,VP-WH&dwell=15`). */
export interface ShowcaseParams {
  /** Viewpoint ids to tour, in order; null tours every viewpoint of the plant. */
  tour: string[] | null;
  /** Time spent at each viewpoint after arriving, ms. */
  dwellMs: number;
  /** Length of one eased flight between viewpoints, ms. */
  flightMs: number;
  /** How long a high-priority alarm is shown before the tour resumes, ms. */
  alarmHoldMs: number;
  /** Adaptive resolution (lower DPR when frames drop); `adaptive=0` pins it (screenshots). */
  adaptive: boolean;
}

/** Default dwell at a viewpoint, s: long enough to read the tiles, short enough to feel alive. */
export const DEFAULT_DWELL_S = 15;
/** Default flight, s: slow enough to feel cinematic across a lobby. */
export const DEFAULT_FLIGHT_S = 4;
/** Default time an alarm stays on screen, s. */
export const DEFAULT_ALARM_HOLD_S = 15;

function seconds(raw: string | null, fallback: number, min: number, max: number): number {
  const v = raw === null ? Number.NaN : Number(raw);
  return Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
}

/** Reads the showcase parameters from a query string; anything invalid falls back to defaults. */
export function parseShowcaseParams(search: string): ShowcaseParams {
  const q = new URLSearchParams(search);
  const ids = (q.get('tour') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const dwell = seconds(q.get('dwell'), DEFAULT_DWELL_S, 1, 3600);
  // A short dwell (a test, a demo) also shortens the flight so the tour keeps moving.
  const flight = seconds(q.get('flight'), Math.min(DEFAULT_FLIGHT_S, Math.max(1, dwell / 2)), 0.5, 60);
  return {
    tour: ids.length > 0 ? ids : null,
    dwellMs: dwell * 1000,
    flightMs: flight * 1000,
    alarmHoldMs: seconds(q.get('alarmHold'), DEFAULT_ALARM_HOLD_S, 2, 600) * 1000,
    adaptive: q.get('adaptive') !== '0',
  };
}

/** Indices (into the layout's viewpoints) of the tour: the requested ids that exist, else all. */
export function tourIndices(viewpointIds: readonly string[], requested: readonly string[] | null): number[] {
  if (requested) {
    const picked = requested.map((id) => viewpointIds.indexOf(id)).filter((i) => i >= 0);
    if (picked.length > 0) return picked;
  }
  return viewpointIds.map((_, i) => i);
}
