import type { DraftLayout } from '../layoutEdits';

/**
 * Edits of drone routes (`droneRoutes`: id, drone, its charging dock, indoor flag, cruise speed
 * m/s and waypoints [x, y, z] m, y up) as pure layout → layout functions. Values are stored as
 * given (the form and the server check them); the layout itself comes back when nothing changes.
 */

type Rec = Record<string, unknown>;
/** A waypoint: x, height above the floor, z, m. */
export type Waypoint = [number, number, number];

/** A drone route as the editor reads it from a draft that may be invalid. */
export interface DraftRoute {
  id: string;
  drone: string;
  dock: string;
  indoor: boolean;
  /** Cruise speed, m/s (NaN when the draft has none). */
  speed: number;
  waypoints: Waypoint[];
}

/** Height of a route's first waypoint when it has none to copy, m (over racks, under a hall roof). */
export const FIRST_WAYPOINT_Y = 3.5;
/** Cruise speed of a new route, m/s (the shipped indoor inventory route's). */
export const NEW_ROUTE_SPEED = 1.3;

const isRecord = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);
const list = (layout: DraftLayout): unknown[] =>
  Array.isArray(layout.droneRoutes) ? layout.droneRoutes : [];
const isPoint = (p: unknown): p is Waypoint =>
  Array.isArray(p) && p.length === 3 && p.every((v) => typeof v === 'number' && Number.isFinite(v));
const r2 = (v: number) => Number(v.toFixed(2));

function read(x: unknown): DraftRoute | null {
  if (!isRecord(x) || typeof x.id !== 'string') return null;
  return {
    id: x.id,
    drone: typeof x.drone === 'string' ? x.drone : '',
    dock: typeof x.dock === 'string' ? x.dock : '',
    indoor: x.indoor === true,
    speed: typeof x.speed === 'number' ? x.speed : Number.NaN,
    waypoints: Array.isArray(x.waypoints) ? x.waypoints.filter(isPoint) : [],
  };
}

/** The draft's drone routes the editor can show (entries without an id are skipped). */
export function routesOf(layout: DraftLayout): DraftRoute[] {
  return list(layout).flatMap((x) => read(x) ?? []);
}

/** The route with `id`, or null. */
export function routeOf(layout: DraftLayout, id: string): DraftRoute | null {
  return read(list(layout).find((x) => isRecord(x) && x.id === id)) ?? null;
}

/** Replaces route `id` by `change(it)` (the layout itself when there is none or nothing changed). */
function mapRoute(layout: DraftLayout, id: string, change: (r: Rec) => Rec | null): DraftLayout {
  const l = list(layout);
  const i = l.findIndex((x) => isRecord(x) && x.id === id);
  if (i < 0) return layout;
  const next = change(l[i] as Rec);
  if (!next) return layout;
  const out = l.slice();
  out[i] = next;
  return { ...layout, droneRoutes: out };
}

/** The route's waypoints array as stored (entries of any shape kept). */
const pointsOf = (r: Rec): unknown[] => (Array.isArray(r.waypoints) ? r.waypoints : []);

/**
 * Adds a route of `drone` from `dock` with a fresh `RT-nn` id and no waypoints yet (the server
 * says a route needs two until they are drawn).
 */
export function addRoute(
  layout: DraftLayout,
  drone: string,
  dock: string,
  indoor = true,
): { layout: DraftLayout; id: string } {
  const used = new Set(list(layout).map((x) => (isRecord(x) ? x.id : undefined)));
  let n = 1;
  while (used.has(`RT-${String(n).padStart(2, '0')}`)) n++;
  const id = `RT-${String(n).padStart(2, '0')}`;
  const route = { id, drone, dock, indoor, speed: NEW_ROUTE_SPEED, waypoints: [] };
  return { layout: { ...layout, droneRoutes: [...list(layout), route] }, id };
}

/** Removes route `id`. */
export function removeRoute(layout: DraftLayout, id: string): DraftLayout {
  const l = list(layout);
  const kept = l.filter((x) => !(isRecord(x) && x.id === id));
  return kept.length === l.length ? layout : { ...layout, droneRoutes: kept };
}

/** Renames route `id` to `next` (taken as typed: a duplicate or malformed id is the server's to report). */
export function renameRoute(layout: DraftLayout, id: string, next: string): DraftLayout {
  if (!next || next === id) return layout;
  return mapRoute(layout, id, (r) => ({ ...r, id: next }));
}

/** Sets the route's drone, dock, indoor flag or speed (m/s). */
export function setRouteField(
  layout: DraftLayout,
  id: string,
  field: 'drone' | 'dock' | 'indoor' | 'speed',
  value: string | boolean | number,
): DraftLayout {
  return mapRoute(layout, id, (r) => (Object.is(r[field], value) ? null : { ...r, [field]: value }));
}

/** Adds waypoint `p` (m, rounded to cm) at index `at` of route `id` (the end by default). */
export function addWaypoint(layout: DraftLayout, id: string, p: readonly number[], at?: number): DraftLayout {
  if (!isPoint(p)) return layout;
  return mapRoute(layout, id, (r) => {
    const pts = pointsOf(r).slice();
    const i = at === undefined ? pts.length : Math.max(0, Math.min(pts.length, Math.trunc(at)));
    pts.splice(i, 0, p.map(r2));
    return { ...r, waypoints: pts };
  });
}

/** Moves waypoint `i` of route `id` to `p` (m, rounded to cm). */
export function moveWaypoint(layout: DraftLayout, id: string, i: number, p: readonly number[]): DraftLayout {
  if (!isPoint(p)) return layout;
  return mapRoute(layout, id, (r) => {
    const pts = pointsOf(r);
    if (i < 0 || i >= pts.length) return null;
    const q = p.map(r2);
    if (isPoint(pts[i]) && pts[i].every((v, k) => v === q[k])) return null;
    const next = pts.slice();
    next[i] = q;
    return { ...r, waypoints: next };
  });
}

/** Removes waypoint `i` of route `id`. */
export function removeWaypoint(layout: DraftLayout, id: string, i: number): DraftLayout {
  return mapRoute(layout, id, (r) => {
    const pts = pointsOf(r);
    if (i < 0 || i >= pts.length) return null;
    return { ...r, waypoints: [...pts.slice(0, i), ...pts.slice(i + 1)] };
  });
}

/** Swaps waypoint `i` of route `id` with its neighbour `step` (−1 earlier, +1 later) away. */
export function reorderWaypoint(layout: DraftLayout, id: string, i: number, step: -1 | 1): DraftLayout {
  return mapRoute(layout, id, (r) => {
    const pts = pointsOf(r);
    const j = i + step;
    if (i < 0 || i >= pts.length || j < 0 || j >= pts.length) return null;
    const next = pts.slice();
    [next[i], next[j]] = [next[j], next[i]];
    return { ...r, waypoints: next };
  });
}

/**
 * The server's error lines about each route (`droneRoutes[1].dock: "X" is not a charging-dock`),
 * by route id, read at their index in `layout` (the layout the errors are of).
 */
export function routeErrors(layout: DraftLayout, errors: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const l = list(layout);
  for (const text of errors) {
    const m = /^droneRoutes\[(\d+)\]/.exec(text);
    const r = m ? l[Number(m[1])] : undefined;
    if (!isRecord(r) || typeof r.id !== 'string') continue;
    out.set(r.id, [...(out.get(r.id) ?? []), text]);
  }
  return out;
}
