import type { Layout, WhatIfGrid } from '../../protocol';
import { type CellNetwork, rsrpAt } from '../sim/cells';

/** Heat-map cell edge, m (an AGV is ~1 m wide, an aisle 2-3 m). */
export const GRID_CELL_M = 2;
/** Most cells in a heat map: a larger floor gets coarser cells, so the answer stays small. */
export const GRID_MAX_CELLS = 40_000;
/** Receiver height for the coverage map, m (a handheld, an AGV's scanner). */
const RX_HEIGHT_M = 1.5;

/** A floor grid over the bounding box of the layout's zones, and which of its cells are floor. */
export interface FloorGrid {
  readonly originX: number;
  readonly originZ: number;
  readonly cellM: number;
  readonly cols: number;
  readonly rows: number;
  /** 1 where the cell's centre lies in a zone. */
  readonly floor: Uint8Array;
}

/** The grid of `layout`'s floor: GRID_CELL_M cells, coarser when the floor is huge. */
export function floorGrid(layout: Layout): FloorGrid {
  let x0 = Number.POSITIVE_INFINITY;
  let z0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let z1 = Number.NEGATIVE_INFINITY;
  for (const z of layout.zones) {
    x0 = Math.min(x0, z.min[0], z.max[0]);
    z0 = Math.min(z0, z.min[1], z.max[1]);
    x1 = Math.max(x1, z.min[0], z.max[0]);
    z1 = Math.max(z1, z.min[1], z.max[1]);
  }
  const w = Math.max(x1 - x0, 1e-9);
  const h = Math.max(z1 - z0, 1e-9);
  let cellM = GRID_CELL_M;
  while (Math.ceil(w / cellM) * Math.ceil(h / cellM) > GRID_MAX_CELLS) cellM *= 2;
  const cols = Math.max(1, Math.ceil(w / cellM));
  const rows = Math.max(1, Math.ceil(h / cellM));
  const floor = new Uint8Array(cols * rows);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const x = x0 + (c + 0.5) * cellM;
      const z = z0 + (r + 0.5) * cellM;
      for (const zone of layout.zones) {
        const inX = x >= Math.min(zone.min[0], zone.max[0]) && x <= Math.max(zone.min[0], zone.max[0]);
        const inZ = z >= Math.min(zone.min[1], zone.max[1]) && z <= Math.max(zone.min[1], zone.max[1]);
        if (inX && inZ) {
          floor[r * cols + c] = 1;
          break;
        }
      }
    }
  return { originX: x0, originZ: z0, cellM, cols, rows, floor };
}

/** Index of the cell holding floor point (x, z), m; -1 outside the grid. */
export function cellIndex(g: FloorGrid, x: number, z: number): number {
  const c = Math.floor((x - g.originX) / g.cellM);
  const r = Math.floor((z - g.originZ) / g.cellM);
  if (c < 0 || r < 0 || c >= g.cols || r >= g.rows) return -1;
  return r * g.cols + c;
}

/** The grid as the answer carries it: floor cells rounded to `digits` decimals, others null. */
export function toWhatIfGrid(g: FloorGrid, values: Float64Array, digits: number): WhatIfGrid {
  const f = 10 ** digits;
  const out: (number | null)[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = g.floor[i] ? Math.round(values[i] * f) / f : null;
  return { originX: g.originX, originZ: g.originZ, cellM: g.cellM, cols: g.cols, rows: g.rows, values: out };
}

/** RSRP coverage of the floor: per cell the best cell's RSRP (no fading), and its summary. */
export interface Coverage {
  rsrp: Float64Array;
  shareCovered: number;
  meanDbm: number;
  p5Dbm: number;
}

/**
 * Best-server RSRP at every floor cell's centre, RX_HEIGHT_M above the floor, from the simulation's
 * own log-distance model (cells.ts), without the devices' slow fading: the mean field a survey
 * would map. Without cells every spot gets the model's floor of -140 dBm.
 */
export function coverage(g: FloorGrid, net: CellNetwork, thresholdDbm: number): Coverage {
  const rsrp = new Float64Array(g.cols * g.rows).fill(-140);
  const floorValues: number[] = [];
  let sum = 0;
  let covered = 0;
  for (let r = 0; r < g.rows; r++)
    for (let c = 0; c < g.cols; c++) {
      const i = r * g.cols + c;
      if (!g.floor[i]) continue;
      const x = g.originX + (c + 0.5) * g.cellM;
      const z = g.originZ + (r + 0.5) * g.cellM;
      let best = -140;
      for (let k = 0; k < net.cellEq.length; k++) {
        const dx = net.cx[k] - x;
        const dy = net.cy[k] - RX_HEIGHT_M;
        const dz = net.cz[k] - z;
        const v = rsrpAt(net, k, Math.sqrt(dx * dx + dy * dy + dz * dz));
        if (v > best) best = v;
      }
      // The simulation clamps device RSRP to -140..-40 dBm; the map does the same.
      best = Math.min(-40, best);
      rsrp[i] = best;
      floorValues.push(best);
      sum += best;
      if (best >= thresholdDbm) covered++;
    }
  const n = floorValues.length;
  floorValues.sort((a, b) => a - b);
  return {
    rsrp,
    shareCovered: n ? covered / n : 0,
    meanDbm: n ? sum / n : -140,
    p5Dbm: n ? floorValues[Math.floor(0.05 * (n - 1))] : -140,
  };
}
