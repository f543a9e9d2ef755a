import { DRONE_MODE, type DroneRuntime } from './drone';
import type { Rng } from './rng';
import { DRONE } from './slots';
import type { SimWorld } from './state';

/** A waypoint this close (horizontally) above a transformer is an inspection hover, m. */
const DWELL_RADIUS_M = 3;
/** Transformers this close to any waypoint may come under the drone, m. */
const NEAR_TX_M = 40;
/** A rack this close to the route (horizontally) is read by the scan, m. */
const SCAN_RANGE_M = 8;

/** Builds a runtime per drone route; drones start on their pads, some still charging. */
export function createDrones(w: SimWorld, rng: Rng): DroneRuntime[] {
  const specs = w.layout.equipment;
  const out: DroneRuntime[] = [];
  // Only transformers and racks matter to a route; collect them once (a scaled plant has thousands).
  const targets = specs.flatMap((e, i) => (e.kind === 'transformer' || e.kind === 'rack' ? [i] : []));
  for (const route of w.layout.droneRoutes) {
    const eq = w.indexById.get(route.drone);
    const padEq = w.indexById.get(route.dock);
    if (eq === undefined || padEq === undefined) continue;
    const pad = Float64Array.from(specs[padEq].position);
    const waypoints = Float64Array.from(route.waypoints.flat());
    const count = route.waypoints.length;
    const dwell = new Uint8Array(count);
    const nearTx: number[] = [];
    let racksOnRoute = 0;
    // The route's floor bounding box grown by the largest range, m: cheap rejection of far targets.
    const xs = route.waypoints.map((q) => q[0]);
    const zs = route.waypoints.map((q) => q[2]);
    const m = Math.max(NEAR_TX_M, SCAN_RANGE_M);
    const [x0, x1, z0, z1] = [
      Math.min(...xs) - m,
      Math.max(...xs) + m,
      Math.min(...zs) - m,
      Math.max(...zs) + m,
    ];
    for (const i of targets) {
      const e = specs[i];
      const p = e.position;
      if (p[0] < x0 || p[0] > x1 || p[2] < z0 || p[2] > z1) continue;
      if (e.kind === 'transformer') {
        let near = false;
        route.waypoints.forEach((q, k) => {
          const d = Math.hypot(p[0] - q[0], p[2] - q[2]);
          if (d < DWELL_RADIUS_M) dwell[k] = 1;
          if (d < NEAR_TX_M) near = true;
        });
        if (near) nearTx.push(i);
      } else if (e.kind === 'rack' && route.indoor) {
        for (let k = 1; k < count; k++)
          if (segmentDistance(p[0], p[2], route.waypoints[k - 1], route.waypoints[k]) < SCAN_RANGE_M) {
            racksOnRoute++;
            break;
          }
      }
    }
    const pose = w.equipment[eq].pose!;
    pose[0] = pad[0];
    pose[1] = pad[1];
    pose[2] = pad[2];
    // Staggered first launches: one drone soon, the others after a share of their rest.
    const sig = w.equipment[eq].signals;
    sig[DRONE.battery] = rng.range(80, 100);
    out.push({
      eq,
      padEq,
      pad,
      waypoints,
      dwell,
      indoor: route.indoor,
      cruise: route.speed,
      nearTx: Int32Array.from(nearTx),
      racksOnRoute,
      mode: DRONE_MODE.docked,
      wp: 0,
      speed: 0,
      dwellS: 0,
      restS: rng.range(10, 90),
      peakC: -100,
      peakEq: -1,
      prevY: pad[1],
    });
  }
  return out;
}

/** Horizontal distance from point (x, z) to the segment a-b, m. */
function segmentDistance(x: number, z: number, a: readonly number[], b: readonly number[]): number {
  const dx = b[0] - a[0];
  const dz = b[2] - a[2];
  const len2 = dx * dx + dz * dz;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((x - a[0]) * dx + (z - a[2]) * dz) / len2)) : 0;
  return Math.hypot(x - a[0] - t * dx, z - a[2] - t * dz);
}
