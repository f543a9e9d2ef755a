import { STATE_CODE as STATE_CODES } from '../../protocol';
import { AGV as AGV_SLOTS, CELL as CELL_SLOTS, DRONE as DRONE_SLOTS, VIS as VIS_SLOTS } from './slots';
import type { SimWorld } from './state';

// Local copies: tsx compiles imported bindings to getters, which cost in per-equipment loops.
const AGV = { ...AGV_SLOTS };
const CELL = { ...CELL_SLOTS };
const DRONE = { ...DRONE_SLOTS };
const VIS = { ...VIS_SLOTS };
const STATE_CODE = { ...STATE_CODES };

/** Device kinds on the 5G network. */
export const DEVICE = { agv: 0, drone: 1, vision: 2 } as const;
/** RSRP at a cell's design radius, dBm; path-loss exponent (3GPP InF-SL-like, clutter-light hall). */
const EDGE_RSRP_DBM = -95;
const PL_EXPONENT = 2.5;
/** Thermal noise + receiver noise figure per resource element, dBm. */
const NOISE_DBM = -112;
/** Air latency of an unloaded cell, ms (n78 TDD, 0.5 ms slots, configured grant). */
const BASE_LATENCY_MS = 4;
/** Capacity of an indoor small cell / outdoor cell, Mbit/s (UL-heavy TDD pattern). */
const SMALL_UL = 300;
const SMALL_DL = 1200;
const MACRO_UL = 500;
const MACRO_DL = 2000;
/** Traffic of UEs outside the twin (HMI tablets, handhelds, sensors) per cell, Mbit/s. */
const BACKGROUND_UL = 8;
const BACKGROUND_DL = 25;
/** Spatial hash bucket for the nearest-cell search, m. */
const GRID_M = 80;
/** A device hands over only when another cell is this much closer (distance ratio; hysteresis). */
const HANDOVER_RATIO = 0.85;

/** The 5G cells, their attached devices and the per-step load accumulators. */
export interface CellNetwork {
  readonly cellEq: Int32Array;
  /** Antenna position, m; design radius, m; capacities, Mbit/s. */
  readonly cx: Float64Array;
  readonly cy: Float64Array;
  readonly cz: Float64Array;
  readonly radius: Float64Array;
  readonly ulCap: Float64Array;
  readonly dlCap: Float64Array;
  readonly ul: Float64Array;
  readonly dl: Float64Array;
  readonly attached: Float64Array;
  /** Max of UL/DL load of the last step, 0..1. */
  readonly load: Float64Array;
  readonly devEq: Int32Array;
  readonly devKind: Uint8Array;
  readonly devCell: Int32Array;
  readonly devRsrp: Float64Array;
  readonly devSinr: Float64Array;
  /** Slow shadow fading per device, dB. */
  readonly devShadow: Float64Array;
  readonly grid: ReadonlyMap<number, number[]>;
  /** Mean air latency over cells after the last step, ms. */
  meanLatencyMs: number;
}

function gridKey(ix: number, iz: number): number {
  return (ix + 50000) * 100000 + (iz + 50000);
}

/** Builds the network: cells from base stations, devices = AGVs, drones and vision stations. */
export function createCells(w: Pick<SimWorld, 'equipment' | 'layout'>): CellNetwork {
  const cells: number[] = [];
  const devs: number[] = [];
  w.layout.equipment.forEach((e, i) => {
    if (e.kind === 'base-station') cells.push(i);
    else if (e.kind === 'agv' || e.kind === 'drone' || e.kind === 'vision-station') devs.push(i);
  });
  const n = cells.length;
  const net: CellNetwork = {
    cellEq: Int32Array.from(cells),
    cx: new Float64Array(n),
    cy: new Float64Array(n),
    cz: new Float64Array(n),
    radius: new Float64Array(n),
    ulCap: new Float64Array(n),
    dlCap: new Float64Array(n),
    ul: new Float64Array(n),
    dl: new Float64Array(n),
    attached: new Float64Array(n),
    load: new Float64Array(n),
    devEq: Int32Array.from(devs),
    devKind: Uint8Array.from(devs, (i) => {
      const k = w.layout.equipment[i].kind;
      return k === 'agv' ? DEVICE.agv : k === 'drone' ? DEVICE.drone : DEVICE.vision;
    }),
    devCell: new Int32Array(devs.length).fill(-1),
    devRsrp: new Float64Array(devs.length).fill(-140),
    devSinr: new Float64Array(devs.length).fill(-10),
    devShadow: new Float64Array(devs.length),
    grid: new Map(),
    meanLatencyMs: 0,
  };
  const grid = net.grid as Map<number, number[]>;
  cells.forEach((eqi, c) => {
    const spec = w.layout.equipment[eqi];
    const r = spec.kind === 'base-station' ? spec.props.radius : 30;
    [net.cx[c], net.cy[c], net.cz[c]] = spec.position;
    net.radius[c] = r;
    const macro = r >= 100;
    net.ulCap[c] = macro ? MACRO_UL : SMALL_UL;
    net.dlCap[c] = macro ? MACRO_DL : SMALL_DL;
    const key = gridKey(Math.floor(spec.position[0] / GRID_M), Math.floor(spec.position[2] / GRID_M));
    const list = grid.get(key);
    if (list) list.push(c);
    else grid.set(key, [c]);
  });
  return net;
}

const _pos = new Float64Array(3);

function devicePosition(w: SimWorld, eqi: number, out: Float64Array): void {
  const pose = w.equipment[eqi].pose;
  if (pose) {
    out[0] = pose[0];
    // AGV antenna on the mast, m; a drone's is where the drone is.
    out[1] = w.equipment[eqi].kind === 'agv' ? 1.8 : pose[1];
    out[2] = pose[2];
  } else {
    const p = w.layout.equipment[eqi].position;
    out[0] = p[0];
    out[1] = p[1] + 2.5; // camera gantry, m
    out[2] = p[2];
  }
}

/** RSRP at distance d (m) from cell c, dBm (log-distance model anchored at the design radius). */
export function rsrpAt(net: CellNetwork, c: number, d: number): number {
  return EDGE_RSRP_DBM - 10 * PL_EXPONENT * Math.log10(Math.max(1, d) / net.radius[c]);
}

// Nearest and second-nearest cell of the search in progress (module scratch, no allocation).
let best = -1;
let bestD = 0;
let second = -1;
let secondD = 0;

function consider(net: CellNetwork, c: number): void {
  const dx = net.cx[c] - _pos[0];
  const dy = net.cy[c] - _pos[1];
  const dz = net.cz[c] - _pos[2];
  const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
  if (d < bestD) {
    second = best;
    secondD = bestD;
    best = c;
    bestD = d;
  } else if (d < secondD) {
    second = c;
    secondD = d;
  }
}

/** Re-evaluates one device's serving cell, RSRP and SINR (a tenth of the devices per step). */
function reselect(w: SimWorld, net: CellNetwork, dev: number): void {
  devicePosition(w, net.devEq[dev], _pos);
  best = -1;
  bestD = Number.POSITIVE_INFINITY;
  second = -1;
  secondD = Number.POSITIVE_INFINITY;
  const ix = Math.floor(_pos[0] / GRID_M);
  const iz = Math.floor(_pos[2] / GRID_M);
  for (let a = -1; a <= 1; a++)
    for (let b = -1; b <= 1; b++) {
      const list = net.grid.get(gridKey(ix + a, iz + b));
      if (list) for (const c of list) consider(net, c);
    }
  if (best < 0) for (let c = 0; c < net.cellEq.length; c++) consider(net, c);
  if (best < 0) return;
  const cur = net.devCell[dev];
  let serving = best;
  let servingD = bestD;
  if (cur >= 0 && cur !== best) {
    const dx = net.cx[cur] - _pos[0];
    const dy = net.cy[cur] - _pos[1];
    const dz = net.cz[cur] - _pos[2];
    const curD = Math.sqrt(dx * dx + dy * dy + dz * dz);
    if (bestD > HANDOVER_RATIO * curD) {
      serving = cur;
      servingD = curD;
      second = best;
      secondD = bestD;
    }
  }
  net.devCell[dev] = serving;
  net.devShadow[dev] = 0.7 * net.devShadow[dev] + 0.3 * 2 * w.rng.normal();
  const rsrp = rsrpAt(net, serving, servingD) + net.devShadow[dev];
  let interference = -200;
  if (second >= 0)
    interference = rsrpAt(net, second, secondD) + 10 * Math.log10(Math.max(0.1, net.load[second]));
  const sinr = rsrp - 10 * Math.log10(10 ** (interference / 10) + 10 ** (NOISE_DBM / 10));
  net.devRsrp[dev] = Math.min(-40, Math.max(-140, rsrp));
  net.devSinr[dev] = Math.min(40, Math.max(-10, sinr));
}

/** Attachment, cell load and latency, and every device's link signals for this step. */
export function stepCells(w: SimWorld): void {
  const net = w.cells;
  const eqs = w.equipment;
  const nd = net.devEq.length;
  for (let i = 0; i < nd; i++) if ((w.tick + i) % 10 === 0 || net.devCell[i] < 0) reselect(w, net, i);
  net.ul.fill(BACKGROUND_UL);
  net.dl.fill(BACKGROUND_DL);
  net.attached.fill(0);
  for (let i = 0; i < nd; i++) {
    const c = net.devCell[i];
    if (c < 0) continue;
    const eq = eqs[net.devEq[i]];
    net.attached[c]++;
    const kind = net.devKind[i];
    if (kind === DEVICE.vision) {
      net.ul[c] += eq.signals[VIS.uplink];
      net.dl[c] += 2; // model updates, triggers
    } else if (kind === DEVICE.agv) {
      net.ul[c] += 1.5; // safety-scanner snapshots and telemetry
      net.dl[c] += 0.5;
    } else {
      const flying = eq.state === STATE_CODE.running;
      net.ul[c] += flying ? (eq.signals[DRONE.altitude] > 10 ? 30 : 20) : 0.3; // 4K (+ IR) video
      net.dl[c] += 1;
    }
  }
  let sumLat = 0;
  for (let c = 0; c < net.cellEq.length; c++) {
    const sig = eqs[net.cellEq[c]].signals;
    const ul = net.ul[c] / net.ulCap[c];
    const dl = net.dl[c] / net.dlCap[c];
    const rho = Math.min(0.95, Math.max(ul, dl));
    net.load[c] = rho;
    sig[CELL.attached] = net.attached[c];
    sig[CELL.ulMbps] = net.ul[c];
    sig[CELL.dlMbps] = net.dl[c];
    sig[CELL.ulLoad] = 100 * Math.min(1, ul);
    sig[CELL.dlLoad] = 100 * Math.min(1, dl);
    // Scheduling delay grows like an M/M/1 queue with the busier direction's load.
    sig[CELL.latency] = BASE_LATENCY_MS + (3 * rho) / (1 - rho);
    sumLat += sig[CELL.latency];
    eqs[net.cellEq[c]].state = STATE_CODE.running;
  }
  net.meanLatencyMs = net.cellEq.length ? sumLat / net.cellEq.length : 0;
  for (let i = 0; i < nd; i++) {
    const kind = net.devKind[i];
    const c = net.devCell[i];
    if (kind === DEVICE.vision || c < 0) continue;
    const sig = eqs[net.devEq[i]].signals;
    const slots = kind === DEVICE.agv ? AGV : DRONE;
    sig[slots.rsrp] = net.devRsrp[i];
    sig[slots.sinr] = net.devSinr[i];
    // Low SINR costs HARQ retransmissions, ms.
    sig[slots.latency] = eqs[net.cellEq[c]].signals[CELL.latency] + Math.max(0, 8 - net.devSinr[i]) * 0.5;
  }
}
