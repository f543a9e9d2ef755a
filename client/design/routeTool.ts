import { create } from 'zustand';
import { useDesignStore } from './designStore';
import { addWaypoint, FIRST_WAYPOINT_Y, routeOf } from './edits/routeEdits';
import { MOVE_SNAP_M, snapTo } from './layoutEdits';
import { type Checked, parseFigure } from './propFields';

/**
 * The routes tab's work: the chosen drone route, whether floor clicks add waypoints to it, the
 * height typed for the next one and the waypoint last picked (drawn highlighted).
 */
export interface RouteToolState {
  route: string | null;
  /** Floor clicks add a waypoint at the end of the chosen route. */
  adding: boolean;
  /** Height of the next waypoint as typed, m; empty: the previous waypoint's. */
  height: string;
  /** The waypoint (index) last added, dragged or edited. */
  waypoint: number | null;
}

export const useRouteTool = create<RouteToolState>(() => ({
  route: null,
  adding: false,
  height: '',
  waypoint: null,
}));

/** Nothing chosen (another draft opens). */
export function resetRouteTool(): void {
  useRouteTool.setState({ route: null, adding: false, height: '', waypoint: null });
}

/** The typed height of new waypoints checked: empty (the previous one's), or a number ≥ 0 m. */
export function checkWaypointHeight(text: string): Checked {
  if (text.trim() === '') return { ok: true, value: undefined };
  const v = parseFigure(text);
  if (!Number.isFinite(v)) return { ok: false, problem: { key: 'design.check.number' } };
  if (v < 0) return { ok: false, problem: { key: 'design.check.atLeast', params: { min: '0' } } };
  return { ok: true, value: v };
}

/**
 * The height (m) the next waypoint of `route` gets: the typed one, else the last waypoint's; NaN
 * while the typed one is invalid (no waypoint is added then; the field says why).
 */
export function nextHeight(route: string): number {
  const checked = checkWaypointHeight(useRouteTool.getState().height);
  if (!checked.ok) return Number.NaN;
  if (typeof checked.value === 'number') return checked.value;
  const pts = routeOf(useDesignStore.getState().history.present, route)?.waypoints ?? [];
  return pts.length ? pts[pts.length - 1][1] : FIRST_WAYPOINT_Y;
}

/** A floor click while adding waypoints: one more at the end of the chosen route, at the next height. */
export function waypointAt(x: number, z: number): void {
  const { route } = useRouteTool.getState();
  if (!route) return;
  const s = useDesignStore.getState();
  const snap = (v: number) => (s.snap ? snapTo(v, MOVE_SNAP_M) : Number(v.toFixed(2)));
  const y = nextHeight(route);
  if (!Number.isFinite(y)) return;
  const count = routeOf(s.history.present, route)?.waypoints.length ?? 0;
  s.edit((l) => addWaypoint(l, route, [snap(x), y, snap(z)]));
  useRouteTool.setState({ waypoint: count });
}
