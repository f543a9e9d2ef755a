import type { WhatIfGrid, WhatIfKpis } from '../../protocol/whatIf';

/**
 * The what-if results as table rows (draft, live, difference and whether the draft is better) and
 * the heat maps as RGBA pixels. Pure: the dialog and the floor texture draw what these answer.
 */

/** How a figure is written: a count, a 0..1 share as %, or a number with a unit and decimals. */
export type KpiFormat = 'count' | 'percent' | { decimals: number };

/** Which way is better for a figure: more, less, or neither (a count of equipment). */
export type KpiSense = 'up' | 'down' | 'none';

/** One row of the comparison table. `label` is a message key; `params` fill it (a line's name). */
export interface KpiRow {
  id: string;
  label: string;
  params?: Record<string, string>;
  /** Unit message key, or none. */
  unit?: string;
  draft: number;
  live: number;
  format: KpiFormat;
  sense: KpiSense;
}

/** Whether the draft's figure is better, worse or the same as live's (sense decides). */
export type KpiTone = 'better' | 'worse' | 'same';

/** Differences smaller than this share of the larger value (or exactly zero) count as the same. */
const SAME_EPSILON = 1e-9;

/** Better, worse or the same, for a row. */
export function kpiTone(row: Pick<KpiRow, 'draft' | 'live' | 'sense'>): KpiTone {
  const d = row.draft - row.live;
  if (!Number.isFinite(d) || Math.abs(d) <= SAME_EPSILON * Math.max(1, Math.abs(row.live))) return 'same';
  if (row.sense === 'none') return 'same';
  return d > 0 === (row.sense === 'up') ? 'better' : 'worse';
}

const byId = <T extends { id: string }>(list: readonly T[]) => new Map(list.map((x) => [x.id, x]));

/**
 * The rows of the table, plant first, then lines, AGVs, 5G and each cell's peak uplink share.
 * `lineName` gives a line's name in the reader's language (default: the run's English name).
 */
export function kpiRows(
  draft: WhatIfKpis,
  live: WhatIfKpis,
  lineName: (id: string, name: string) => string = (_, name) => name,
): KpiRow[] {
  const rows: KpiRow[] = [
    {
      id: 'throughput',
      label: 'design.whatif.kpi.throughput',
      unit: 'design.whatif.unit.perHour',
      draft: draft.plant.throughputPerHour,
      live: live.plant.throughputPerHour,
      format: { decimals: 1 },
      sense: 'up',
    },
    {
      id: 'oee',
      label: 'design.whatif.kpi.oee',
      draft: draft.plant.oee,
      live: live.plant.oee,
      format: 'percent',
      sense: 'up',
    },
  ];
  // Lines of either layout, the draft's order first; a line only one side has counts 0 on the other.
  const dl = byId(draft.lines);
  const ll = byId(live.lines);
  const lineIds = [...new Set([...draft.lines.map((l) => l.id), ...live.lines.map((l) => l.id)])];
  for (const id of lineIds) {
    const d = dl.get(id);
    const l = ll.get(id);
    const name = lineName(id, d?.name ?? l?.name ?? id);
    rows.push(
      {
        id: `line-oee-${id}`,
        label: 'design.whatif.kpi.lineOee',
        params: { line: name },
        draft: d?.oee ?? 0,
        live: l?.oee ?? 0,
        format: 'percent',
        sense: 'up',
      },
      {
        id: `line-units-${id}`,
        label: 'design.whatif.kpi.lineUnits',
        params: { line: name },
        draft: d?.total ?? 0,
        live: l?.total ?? 0,
        format: 'count',
        sense: 'up',
      },
    );
  }
  rows.push(
    {
      id: 'agvs',
      label: 'design.whatif.kpi.agvs',
      draft: draft.agvs.count,
      live: live.agvs.count,
      format: 'count',
      sense: 'none',
    },
    {
      id: 'utilization',
      label: 'design.whatif.kpi.utilization',
      draft: draft.agvs.utilization,
      live: live.agvs.utilization,
      format: 'percent',
      sense: 'none',
    },
    {
      id: 'travel',
      label: 'design.whatif.kpi.travel',
      unit: 'design.whatif.unit.km',
      draft: draft.agvs.travelM / 1000,
      live: live.agvs.travelM / 1000,
      format: { decimals: 2 },
      sense: 'down',
    },
    {
      id: 'waitTime',
      label: 'design.whatif.kpi.waitTime',
      unit: 'design.whatif.unit.min',
      draft: draft.agvs.waitS / 60,
      live: live.agvs.waitS / 60,
      format: { decimals: 1 },
      sense: 'down',
    },
    {
      id: 'waits',
      label: 'design.whatif.kpi.waits',
      draft: draft.agvs.waits,
      live: live.agvs.waits,
      format: 'count',
      sense: 'down',
    },
    {
      id: 'coverage',
      label: 'design.whatif.kpi.coverage',
      params: { dbm: String(draft.coverage.thresholdDbm) },
      draft: draft.coverage.shareCovered,
      live: live.coverage.shareCovered,
      format: 'percent',
      sense: 'up',
    },
    {
      id: 'rsrpMean',
      label: 'design.whatif.kpi.rsrpMean',
      draft: draft.coverage.meanDbm,
      live: live.coverage.meanDbm,
      format: { decimals: 1 },
      sense: 'up',
    },
    {
      id: 'rsrpP5',
      label: 'design.whatif.kpi.rsrpP5',
      draft: draft.coverage.p5Dbm,
      live: live.coverage.p5Dbm,
      format: { decimals: 1 },
      sense: 'up',
    },
  );
  const dc = byId(draft.coverage.cells);
  const lc = byId(live.coverage.cells);
  const cellIds = [
    ...new Set([...draft.coverage.cells.map((c) => c.id), ...live.coverage.cells.map((c) => c.id)]),
  ];
  for (const id of cellIds)
    rows.push({
      id: `cell-${id}`,
      label: 'design.whatif.kpi.cellPeak',
      params: { cell: id },
      draft: dc.get(id)?.peakShare ?? 0,
      live: lc.get(id)?.peakShare ?? 0,
      format: 'percent',
      sense: 'down',
    });
  return rows;
}

/** The difference draft - live with its sign ("+1.5", "−0.3", "±0"), written by `fmt`. */
export function signedDelta(
  row: Pick<KpiRow, 'draft' | 'live' | 'format'>,
  fmt: (v: number) => string,
): string {
  const d = row.draft - row.live;
  if (!Number.isFinite(d)) return fmt(d);
  const text = fmt(Math.abs(d));
  // A difference that rounds away reads as none.
  if (!/[1-9]/.test(text)) return `±${text}`;
  return `${d > 0 ? '+' : '−'}${text}`;
}

/** Heat maps the floor can show. */
export type HeatKind = 'traffic' | 'rsrp';

/** The colour scale's ends of a heat map: RSRP on a fixed dBm range, traffic from 0 to its peak. */
export function heatRange(kind: HeatKind, grid: WhatIfGrid): [number, number] {
  if (kind === 'rsrp') return [-120, -60];
  let max = 0;
  for (const v of grid.values) if (v !== null && v > max) max = v;
  return [0, max > 0 ? max : 1];
}

/** Stops of the scales, low to high: [t, r, g, b]. */
const TRAFFIC_STOPS: readonly (readonly [number, number, number, number])[] = [
  [0, 40, 70, 120],
  [0.35, 60, 150, 200],
  [0.7, 240, 200, 70],
  [1, 240, 80, 50],
];
const RSRP_STOPS: readonly (readonly [number, number, number, number])[] = [
  [0, 220, 60, 50],
  [0.5, 235, 190, 60],
  [1, 70, 190, 110],
];

/** The colour of `t` (0..1) on a heat map's scale, as [r, g, b] 0..255. */
export function heatColor(kind: HeatKind, t: number, out: [number, number, number] = [0, 0, 0]) {
  const stops = kind === 'rsrp' ? RSRP_STOPS : TRAFFIC_STOPS;
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  let i = 1;
  while (i < stops.length - 1 && x > stops[i][0]) i++;
  const a = stops[i - 1];
  const b = stops[i];
  const f = b[0] === a[0] ? 0 : (x - a[0]) / (b[0] - a[0]);
  out[0] = Math.round(a[1] + (b[1] - a[1]) * f);
  out[1] = Math.round(a[2] + (b[2] - a[2]) * f);
  out[2] = Math.round(a[3] + (b[3] - a[3]) * f);
  return out;
}

/** The scale as a CSS gradient, for the legend. */
export function heatGradient(kind: HeatKind): string {
  const stops = kind === 'rsrp' ? RSRP_STOPS : TRAFFIC_STOPS;
  return `linear-gradient(to right, ${stops.map(([t, r, g, b]) => `rgb(${r} ${g} ${b}) ${t * 100}%`).join(', ')})`;
}

/** Alpha of a cell with a value; cells without (off the floor) are transparent. Empty traffic is faint. */
const ALPHA = 190;
const ALPHA_EMPTY = 40;

/**
 * The grid as RGBA pixels, `cols` wide and `rows` high, pixel row 0 = grid row 0 (smallest z).
 * Null cells are fully transparent.
 */
export function heatPixels(kind: HeatKind, grid: WhatIfGrid): Uint8Array {
  const { cols, rows, values } = grid;
  const px = new Uint8Array(cols * rows * 4);
  const [lo, hi] = heatRange(kind, grid);
  const c: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < cols * rows; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    heatColor(kind, (v - lo) / (hi - lo), c);
    px[i * 4] = c[0];
    px[i * 4 + 1] = c[1];
    px[i * 4 + 2] = c[2];
    px[i * 4 + 3] = kind === 'traffic' && v <= 0 ? ALPHA_EMPTY : ALPHA;
  }
  return px;
}
