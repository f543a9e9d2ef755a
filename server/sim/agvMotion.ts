import { findRoute, type PathGraph } from './pathGraph';

/**
 * AGV kinematics along a reserved route. Every path node is a reservable zone of radius
 * AGV_ZONE_M: an AGV reserves all nodes of its route before it moves (so it never waits mid-route,
 * which makes the fleet deadlock-free when every stop is a dead-end spur) and releases each node
 * once it is AGV_ZONE_M past it. Two AGVs are therefore never inside the same node zone.
 */
export const AGV_ZONE_M = 2;
/** Acceleration and planned deceleration, m/s² (loaded pallet AGV, load must not slide). */
export const AGV_ACCEL = 0.5;
/** Braking used when above the speed profile, m/s² (service brake, still gentle). */
const AGV_BRAKE = 1;
/** Safety-stop deceleration, m/s² (scanner-triggered stop). */
const AGV_SAFETY_BRAKE = 2;
/** Speed through a 90° corner, m/s. */
const CORNER_SPEED = 0.35;
/** Speed while turning on the spot toward a new heading, m/s. */
const TURN_CRAWL = 0.1;
/** Yaw rate, rad/s (differential drive turning in place ~ 70°/s). */
const YAW_RATE = 1.2;

/** The motion part of an AGV's state. */
export interface AgvMotion {
  readonly slot: number;
  readonly maxSpeed: number;
  /** Route node sequence (graph indices) and its length. */
  readonly route: Int32Array;
  routeLen: number;
  /** Index in route of the node the current segment starts from. */
  seg: number;
  /** Distance along the current segment, m, and its length, m. */
  s: number;
  segLen: number;
  /** Allowed speed at the end of the current segment, m/s. */
  passSpeed: number;
  /** Oldest route index still reserved behind the AGV. */
  tail: number;
  /** Node the AGV stands at, or the last node it passed. */
  node: number;
  moving: boolean;
  speed: number;
}

/**
 * Reserves a free route from the AGV's node to `target` and starts along it. Returns false when
 * every route is blocked by other AGVs' reservations (the AGV then keeps only its own node).
 */
export function beginRoute(g: PathGraph, holder: Int32Array, m: AgvMotion, target: number): boolean {
  // Leftover reservations behind a parked AGV (only on very short aisles) go before the search.
  releaseAll(holder, m);
  m.routeLen = 0;
  const len = findRoute(g, m.node, target, holder, m.slot, m.route);
  if (len === 0) return false;
  for (let i = 0; i < len; i++) holder[m.route[i]] = m.slot;
  m.routeLen = len;
  m.seg = 0;
  m.s = 0;
  m.tail = 0;
  m.moving = len > 1;
  if (m.moving) setSegment(g, m);
  return true;
}

/**
 * Cuts a moving AGV's route short at the first node ahead it can stop at with planned braking
 * (AGV_ACCEL), releasing the reservations beyond it. Used when an operator redirects it.
 */
export function truncateRoute(g: PathGraph, holder: Int32Array, m: AgvMotion): void {
  if (!m.moving) return;
  const stopM = (m.speed * m.speed) / (2 * AGV_ACCEL);
  let ahead = m.segLen - m.s;
  let end = m.seg + 1;
  while (ahead < stopM && end < m.routeLen - 1) {
    ahead += Math.hypot(g.x[m.route[end + 1]] - g.x[m.route[end]], g.z[m.route[end + 1]] - g.z[m.route[end]]);
    end++;
  }
  for (let i = end + 1; i < m.routeLen; i++) if (holder[m.route[i]] === m.slot) holder[m.route[i]] = -1;
  m.routeLen = end + 1;
  setSegment(g, m);
}

/** Releases every reservation of the AGV except the node it stands at. */
function releaseAll(holder: Int32Array, m: AgvMotion): void {
  for (let i = m.tail; i < m.routeLen; i++) {
    const n = m.route[i];
    if (n !== m.node && holder[n] === m.slot) holder[n] = -1;
  }
}

function setSegment(g: PathGraph, m: AgvMotion): void {
  const a = m.route[m.seg];
  const b = m.route[m.seg + 1];
  const dx = g.x[b] - g.x[a];
  const dz = g.z[b] - g.z[a];
  m.segLen = Math.hypot(dx, dz);
  if (m.seg + 2 >= m.routeLen) {
    m.passSpeed = 0;
    return;
  }
  const c = m.route[m.seg + 2];
  const ex = g.x[c] - g.x[b];
  const ez = g.z[c] - g.z[b];
  const cos = (dx * ex + dz * ez) / (m.segLen * Math.hypot(ex, ez) || 1);
  // Full speed on a straight, CORNER_SPEED at 90°, stop-and-turn beyond.
  const f = cos > 0.99 ? 1 : cos > 0 ? cos * cos : 0;
  m.passSpeed = cos <= 0 ? 0 : CORNER_SPEED + (m.maxSpeed - CORNER_SPEED) * f;
}

/**
 * Advances a moving AGV by dt (s); `stopped` = safety stop (fault). Writes pose [x, y, z, yaw].
 * Returns true when it arrived at the end of its route in this step.
 */
export function moveAgv(
  g: PathGraph,
  holder: Int32Array,
  m: AgvMotion,
  pose: Float64Array,
  dt: number,
  stopped: boolean,
): boolean {
  if (!m.moving) return false;
  let a = m.route[m.seg];
  let b = m.route[m.seg + 1];
  const heading = Math.atan2(-(g.z[b] - g.z[a]), g.x[b] - g.x[a]);
  const yawErr = turnToward(pose, heading, dt);
  if (stopped) m.speed = Math.max(0, m.speed - AGV_SAFETY_BRAKE * dt);
  else {
    const d = m.segLen - m.s;
    let vt = Math.min(m.maxSpeed, Math.sqrt(m.passSpeed * m.passSpeed + 2 * AGV_ACCEL * d));
    if (Math.abs(yawErr) > 1) vt = Math.min(vt, TURN_CRAWL);
    m.speed = m.speed < vt ? Math.min(vt, m.speed + AGV_ACCEL * dt) : Math.max(vt, m.speed - AGV_BRAKE * dt);
    // Creep the last centimetres instead of stalling short of the node.
    if (m.passSpeed === 0 && d < 0.05 && m.speed < 0.05) m.speed = 0.05;
  }
  m.s += m.speed * dt;
  let arrived = false;
  while (m.s >= m.segLen) {
    m.s -= m.segLen;
    m.seg++;
    m.node = m.route[m.seg];
    if (m.seg >= m.routeLen - 1) {
      m.s = 0;
      m.speed = 0;
      m.moving = false;
      arrived = true;
      break;
    }
    setSegment(g, m);
  }
  a = m.route[m.seg];
  b = m.moving ? m.route[m.seg + 1] : a;
  const f = m.moving ? m.s / m.segLen : 0;
  pose[0] = g.x[a] + (g.x[b] - g.x[a]) * f;
  pose[2] = g.z[a] + (g.z[b] - g.z[a]) * f;
  // Release nodes left behind once the AGV is clear of their zone.
  while (m.tail < m.seg) {
    const n = m.route[m.tail];
    const dx = pose[0] - g.x[n];
    const dz = pose[2] - g.z[n];
    if (dx * dx + dz * dz < AGV_ZONE_M * AGV_ZONE_M) break;
    if (holder[n] === m.slot) holder[n] = -1;
    m.tail++;
  }
  return arrived;
}

/** Turns pose yaw toward `heading` (rad) at YAW_RATE; returns the remaining error (rad). */
function turnToward(pose: Float64Array, heading: number, dt: number): number {
  let err = heading - pose[3];
  err = Math.atan2(Math.sin(err), Math.cos(err));
  const step = YAW_RATE * dt;
  pose[3] += Math.max(-step, Math.min(step, err));
  if (pose[3] > Math.PI) pose[3] -= 2 * Math.PI;
  else if (pose[3] < -Math.PI) pose[3] += 2 * Math.PI;
  return err;
}
