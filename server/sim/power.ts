import { type EquipmentKind, STATE_CODE as STATE_CODES } from '../../protocol';
import {
  ARM as ARM_SLOTS,
  CONV as CONV_SLOTS,
  DOCK as DOCK_SLOTS,
  MEC as MEC_SLOTS,
  TX as TX_SLOTS,
} from './slots';
import type { SimWorld } from './state';

// Local copies: tsx compiles imported bindings to getters, which cost in per-equipment loops.
const ARM = { ...ARM_SLOTS };
const CONV = { ...CONV_SLOTS };
const DOCK = { ...DOCK_SLOTS };
const MEC = { ...MEC_SLOTS };
const TX = { ...TX_SLOTS };
const STATE_CODE = { ...STATE_CODES };

/** Building base load per floor area, kW/m² (HVAC, lighting, compressed air, UPS). */
const ZONE_KW_PER_M2 = { hall: 0.09, warehouse: 0.03, utility: 0.5, outdoor: 0.005 } as const;
/** Per production line: reflow oven, AOI, PLCs; ovens stay hot when the line stops, kW. */
const LINE_RUN_KW = 160;
const LINE_IDLE_KW = 90;
/** Transformer power factor and thermal model (IEEE C57.91: rated top-oil rise 55 K, hot-spot
 * gradient 20 K, loss ratio R = 5, exponents n = 0.8, m = 0.8), ambient °C. */
const POWER_FACTOR = 0.92;
const OIL_RISE_K = 55;
const HOTSPOT_K = 20;
const LOSS_RATIO = 5;
const AMBIENT_C = 20;
/** HVAC compressor cycling: ±12 % of the building load over 40 min. */
const HVAC_SWING = 0.12;
const HVAC_PERIOD_S = 2400;

/** The substation: transformers sharing the plant's electrical load. */
export interface PowerGrid {
  readonly txEq: Int32Array;
  /** Share of the total load per transformer (mean 1 over transformers). */
  readonly share: Float64Array;
  /** Rated real power per transformer, kW. */
  readonly ratedKw: Float64Array;
  /** Hot-spot gradient over top oil, K (lagged). */
  readonly hotSpot: Float64Array;
  /** Building base load, kW. */
  readonly baseKw: number;
  /** Equipment that draws power (indices) and its kind as a small code, for the per-step sum. */
  readonly loads: Int32Array;
  readonly loadCode: Uint8Array;
  /** Plant electrical load of the last step, kW. */
  totalKw: number;
  initialised: boolean;
}

const CODES: Partial<Record<EquipmentKind, number>> = {
  'robot-arm': 1,
  conveyor: 2,
  'vision-station': 3,
  'base-station': 4,
  'edge-server': 5,
  'charging-dock': 6,
  feeder: 7,
};

/** Builds the grid from the layout's transformers and zones. */
export function createPower(layout: SimWorld['layout']): PowerGrid {
  const tx: number[] = [];
  const rated: number[] = [];
  layout.equipment.forEach((e, i) => {
    if (e.kind === 'transformer') {
      tx.push(i);
      rated.push(e.props.ratingKva * POWER_FACTOR);
    }
  });
  // Feeders are not balanced: the first transformer of each group carries the production bus.
  const weights = tx.map((_, i) => [1.15, 1, 0.85][i % 3]);
  const mean = weights.reduce((a, b) => a + b, 0) / (weights.length || 1);
  const loads: number[] = [];
  layout.equipment.forEach((e, i) => {
    if (CODES[e.kind]) loads.push(i);
  });
  let baseKw = 0;
  for (const z of layout.zones)
    baseKw += ZONE_KW_PER_M2[z.kind] * Math.abs((z.max[0] - z.min[0]) * (z.max[1] - z.min[1]));
  return {
    txEq: Int32Array.from(tx),
    share: Float64Array.from(weights, (x) => x / mean),
    ratedKw: Float64Array.from(rated),
    hotSpot: new Float64Array(tx.length),
    baseKw,
    loads: Int32Array.from(loads),
    loadCode: Uint8Array.from(loads, (i) => CODES[layout.equipment[i].kind] ?? 0),
    totalKw: 0,
    initialised: false,
  };
}

/** Sums the plant load and advances each transformer's load and temperatures. */
export function stepPower(w: SimWorld): void {
  const p = w.power;
  const eqs = w.equipment;
  let kw = p.baseKw * (1 + HVAC_SWING * Math.sin((2 * Math.PI * w.simTimeS) / HVAC_PERIOD_S));
  for (const line of w.lines) kw += line.running ? LINE_RUN_KW : LINE_IDLE_KW;
  const codes = p.loadCode;
  for (let j = 0; j < codes.length; j++) {
    const c = codes[j];
    const i = p.loads[j];
    const s = eqs[i].signals;
    if (c === 1) kw += 0.3 + 0.08 * s[ARM.current];
    else if (c === 2) kw += 0.1 + 0.12 * s[CONV.motorCurrent];
    else if (c === 3) kw += eqs[i].state === STATE_CODE.running ? 0.8 : 0.3;
    else if (c === 4) kw += 0.35;
    else if (c === 5) kw += 0.8 + 0.012 * s[MEC.gpu] + 0.004 * s[MEC.cpu];
    else if (c === 6) kw += s[DOCK.power];
    else kw += 0.2;
  }
  p.totalKw = kw;
  const n = p.txEq.length;
  for (let t = 0; t < n; t++) {
    // Monitoring relay unreachable: no new readings (the last ones are held), shown offline.
    if (w.offline[p.txEq[t]]) {
      eqs[p.txEq[t]].state = STATE_CODE.offline;
      continue;
    }
    const sig = eqs[p.txEq[t]].signals;
    const k = ((kw / n) * p.share[t]) / p.ratedKw[t];
    const oilTarget = AMBIENT_C + OIL_RISE_K * ((k * k * LOSS_RATIO + 1) / (LOSS_RATIO + 1)) ** 0.8;
    const hsTarget = HOTSPOT_K * k ** 1.6;
    if (!p.initialised) {
      // Start in thermal equilibrium rather than cold: the plant was running before the twin.
      sig[TX.oilTemp] = oilTarget;
      p.hotSpot[t] = hsTarget;
    }
    sig[TX.oilTemp] += (oilTarget - sig[TX.oilTemp]) * w.lags.oil;
    p.hotSpot[t] += (hsTarget - p.hotSpot[t]) * w.lags.winding;
    sig[TX.load] = 100 * k;
    sig[TX.windingTemp] = sig[TX.oilTemp] + p.hotSpot[t];
    eqs[p.txEq[t]].state = STATE_CODE.running;
  }
  p.initialised = true;
}
