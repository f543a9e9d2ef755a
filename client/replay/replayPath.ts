/** Where the replay view is: the recording list, or one recording opened at a time. */
export interface ReplayLocation {
  /** Recording id, or null for the list. */
  id: string | null;
  /** Simulation time to open at, s (null: the start of the recording). */
  t: number | null;
}

/**
 * Reads `/replay` and `/replay/:id?t=SIMS` (`t` in simulation seconds, also `90.5`; a negative,
 * empty or non-numeric `t` is ignored). The id is URL-decoded.
 */
export function parseReplayLocation(pathname: string, search: string): ReplayLocation {
  const path = pathname.replace(/\/+$/, '');
  const rest = path.startsWith('/replay/') ? path.slice('/replay/'.length) : '';
  let id: string | null = null;
  if (rest && !rest.includes('/')) {
    try {
      id = decodeURIComponent(rest);
    } catch {
      id = null;
    }
  }
  const raw = new URLSearchParams(search).get('t');
  const n = raw === null || raw.trim() === '' ? Number.NaN : Number(raw);
  return { id: id || null, t: Number.isFinite(n) && n >= 0 ? n : null };
}

/** The link that opens recording `id` at simulation time `t` (s, kept to 0.1 s); without `t`, at its start. */
export function replayHref(id: string, t?: number | null): string {
  const base = `/replay/${encodeURIComponent(id)}`;
  if (t === undefined || t === null || !Number.isFinite(t)) return base;
  return `${base}?t=${Math.max(0, Math.round(t * 10) / 10)}`;
}
