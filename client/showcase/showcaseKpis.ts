import type { KpiUpdate, Layout } from '../../protocol';
import { formatLocaleNumber } from '../i18n/locale';
import type { Locale } from '../i18n/messages';
import type { PlantSample } from './plantSample';

/** Seconds in a simulated day: "today" starts at simulation time 0 and every 24 h after. */
const DAY_S = 86400;
/** Power factor assumed to turn transformer kVA into kW (a modern plant with compensation). */
export const POWER_FACTOR = 0.95;

/** Everything the KPI tiles display, already formatted (unchanged text = no re-render). */
export interface ShowcaseKpiView {
  oee: string;
  /** Raw plant OEE, 0..1 (tests compare it with the server's). */
  oeeRatio: number;
  lines: { id: string; oee: string; ratio: number; state: string }[];
  output: string;
  outputTarget: string;
  /** Output / target, 0..1+ (progress bar). */
  outputRatio: number;
  fpy: string;
  defects: string;
  inspected: string;
  rejects: string;
  agv: string;
  agvBusy: number;
  agvTotal: number;
  connections: string;
  latency: string;
  power: string;
  powerUnit: 'kw' | 'mw';
  powerLoad: string;
  alarms: number;
  urgentAlarms: number;
}

/**
 * Output today and its target. Within the first simulated day the output is counted (good units
 * leaving the lines since start); after that the lines' rolling throughput × hours elapsed today
 * estimates it. The target is each line's planned units per hour × hours elapsed today.
 */
export function outputToday(kpis: KpiUpdate, layout: Layout): { output: number; target: number } {
  const elapsedH = (kpis.simTimeS % DAY_S) / 3600;
  const target = layout.lines.reduce((s, l) => s + l.targetPerHour, 0) * elapsedH;
  const counted = kpis.simTimeS < DAY_S;
  const output = counted
    ? kpis.lines.reduce((s, l) => s + l.good, 0)
    : kpis.lines.reduce((s, l) => s + l.throughputPerHour, 0) * elapsedH;
  return { output, target };
}

function pct(locale: Locale, ratio: number, decimals = 1): string {
  return formatLocaleNumber(locale, ratio * 100, decimals);
}

/** Builds the tiles' view from the 1 Hz KPIs, a buffer sample and the alarm counts. */
export function showcaseKpiView(
  locale: Locale,
  kpis: KpiUpdate,
  layout: Layout,
  sample: PlantSample,
  alarms: { active: number; urgent: number },
): ShowcaseKpiView {
  const { output, target } = outputToday(kpis, layout);
  const total = kpis.lines.reduce((s, l) => s + l.total, 0);
  const good = kpis.lines.reduce((s, l) => s + l.good, 0);
  const kw = sample.powerKva * POWER_FACTOR;
  const mw = kw >= 1000;
  const busy = Math.round(kpis.plant.agvUtilization * sample.agvs);
  return {
    oee: pct(locale, kpis.plant.oee),
    oeeRatio: kpis.plant.oee,
    lines: kpis.lines.map((l) => ({ id: l.id, oee: pct(locale, l.oee, 0), ratio: l.oee, state: l.state })),
    output: formatLocaleNumber(locale, output),
    outputTarget: formatLocaleNumber(locale, target),
    outputRatio: target > 0 ? output / target : 0,
    fpy: total > 0 ? pct(locale, good / total) : '–',
    defects: sample.inspected > 0 ? pct(locale, sample.rejects / sample.inspected, 2) : '–',
    inspected: formatLocaleNumber(locale, sample.inspected),
    rejects: formatLocaleNumber(locale, sample.rejects),
    agv: pct(locale, kpis.plant.agvUtilization, 0),
    agvBusy: busy,
    agvTotal: sample.agvs,
    connections: formatLocaleNumber(locale, kpis.plant.connectedDevices),
    latency: formatLocaleNumber(locale, kpis.plant.latencyMs, 1),
    power: mw ? formatLocaleNumber(locale, kw / 1000, 2) : formatLocaleNumber(locale, kw),
    powerUnit: mw ? 'mw' : 'kw',
    powerLoad:
      sample.ratingKva > 0 ? formatLocaleNumber(locale, (sample.powerKva / sample.ratingKva) * 100) : '–',
    alarms: alarms.active,
    urgentAlarms: alarms.urgent,
  };
}

/** The text key of a view: equal keys render the same, so the tiles skip the commit. */
export function kpiViewKey(v: ShowcaseKpiView | null): string {
  return v ? JSON.stringify(v) : '';
}
