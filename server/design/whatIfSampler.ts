import { MODE } from '../sim/agvFleet';
import { DEVICE } from '../sim/cells';
import { VIS as VIS_SLOTS } from '../sim/slots';
import type { SimWorld } from '../sim/state';
import { cellIndex, type FloorGrid } from './whatIfGrid';

// Local copy: tsx compiles imported bindings to getters, which cost in hot loops.
const VIS = { ...VIS_SLOTS };

/**
 * What a what-if run accumulates besides the world's own counters. Everything is a typed array
 * made once: `afterStep` and `everySecond` allocate nothing.
 */
export interface WhatIfSampler {
  readonly grid: FloorGrid;
  /** Per AGV: position at the last step, m (x, z interleaved). */
  readonly lastXZ: Float64Array;
  /** Per AGV: it was waiting for a free route at the last step (1). */
  readonly waiting: Uint8Array;
  travelM: number;
  waitS: number;
  waits: number;
  /** AGV-seconds busy, and seconds sampled. */
  busyS: number;
  samples: number;
  /** AGV-seconds per floor cell. */
  readonly traffic: Float64Array;
  /** Per 5G cell: sums and peaks of total and vision uplink, Mbit/s. */
  readonly ulSum: Float64Array;
  readonly ulPeak: Float64Array;
  readonly visSum: Float64Array;
  readonly visPeak: Float64Array;
  /** Scratch: this second's vision uplink per cell, Mbit/s. */
  readonly visNow: Float64Array;
}

/** A sampler for `w`, starting from the world as it is now. */
export function createSampler(w: SimWorld, grid: FloorGrid): WhatIfSampler {
  const agvs = w.fleet.agvs;
  const n = w.cells.cellEq.length;
  const lastXZ = new Float64Array(agvs.length * 2);
  agvs.forEach((a, i) => {
    const p = w.equipment[a.eq].pose!;
    lastXZ[2 * i] = p[0];
    lastXZ[2 * i + 1] = p[2];
  });
  return {
    grid,
    lastXZ,
    waiting: new Uint8Array(agvs.length),
    travelM: 0,
    waitS: 0,
    waits: 0,
    busyS: 0,
    samples: 0,
    traffic: new Float64Array(grid.cols * grid.rows),
    ulSum: new Float64Array(n),
    ulPeak: new Float64Array(n),
    visSum: new Float64Array(n),
    visPeak: new Float64Array(n),
    visNow: new Float64Array(n),
  };
}

/**
 * After every step: distance driven (from positions: a second's chord would cut the corners) and
 * time waiting for a free route. An AGV waits for one when its route search was refused: the fleet
 * then sets `retryS` to search again a second later and keeps `target` (agvFleet.ts), so
 * `target >= 0 && retryS > 0` after a step is exactly "refused and waiting"; the one step every
 * granted request spends pending is not waiting.
 */
export function afterStep(s: WhatIfSampler, w: SimWorld, dt: number): void {
  const agvs = w.fleet.agvs;
  const eqs = w.equipment;
  for (let i = 0; i < agvs.length; i++) {
    const a = agvs[i];
    const p = eqs[a.eq].pose!;
    const dx = p[0] - s.lastXZ[2 * i];
    const dz = p[2] - s.lastXZ[2 * i + 1];
    if (dx !== 0 || dz !== 0) {
      s.travelM += Math.sqrt(dx * dx + dz * dz);
      s.lastXZ[2 * i] = p[0];
      s.lastXZ[2 * i + 1] = p[2];
    }
    const waiting = a.target >= 0 && !a.moving && a.retryS > 0;
    if (waiting) {
      s.waitS += dt;
      if (!s.waiting[i]) s.waits++;
    }
    s.waiting[i] = waiting ? 1 : 0;
  }
}

/** Once a simulated second: busy AGVs (as computeKpis counts them), AGV traffic, cell uplink. */
export function everySecond(s: WhatIfSampler, w: SimWorld): void {
  s.samples++;
  const agvs = w.fleet.agvs;
  const eqs = w.equipment;
  for (let i = 0; i < agvs.length; i++) {
    const a = agvs[i];
    const m = a.mode;
    if (m === MODE.toRack || m === MODE.loading || m === MODE.toFeeder || m === MODE.unloading) s.busyS++;
    const p = eqs[a.eq].pose!;
    const c = cellIndex(s.grid, p[0], p[2]);
    if (c >= 0) s.traffic[c]++;
  }
  const net = w.cells;
  s.visNow.fill(0);
  for (let d = 0; d < net.devEq.length; d++) {
    const c = net.devCell[d];
    if (c >= 0 && net.devKind[d] === DEVICE.vision) s.visNow[c] += eqs[net.devEq[d]].signals[VIS.uplink];
  }
  for (let c = 0; c < net.cellEq.length; c++) {
    const ul = net.ul[c];
    s.ulSum[c] += ul;
    if (ul > s.ulPeak[c]) s.ulPeak[c] = ul;
    const v = s.visNow[c];
    s.visSum[c] += v;
    if (v > s.visPeak[c]) s.visPeak[c] = v;
  }
}
