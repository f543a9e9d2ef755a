import type { KpiUpdate, MachineState } from '../../protocol';
import { formatNumber, formatPercent, NO_VALUE } from './format';

/** One production line as displayed: every figure already formatted. */
export interface LineKpiView {
  id: string;
  name: string;
  state: MachineState;
  oee: string;
  availability: string;
  performance: string;
  quality: string;
  throughput: string;
  fpy: string;
}

/** The KPI panel's content as text; equal text means nothing to re-render. */
export interface KpiView {
  oee: string;
  agvUtilization: string;
  devices: string;
  latency: string;
  lines: LineKpiView[];
}

/** Formats the latest KPI update for display (placeholders before the first one). */
export function kpiView(kpis: KpiUpdate | null): KpiView {
  if (!kpis)
    return {
      oee: NO_VALUE,
      agvUtilization: NO_VALUE,
      devices: NO_VALUE,
      latency: NO_VALUE,
      lines: [],
    };
  const p = kpis.plant;
  return {
    oee: formatPercent(p.oee),
    agvUtilization: formatPercent(p.agvUtilization, 0),
    devices: formatNumber(p.connectedDevices),
    latency: `${formatNumber(p.latencyMs, 1)} ms`,
    lines: kpis.lines.map((l) => ({
      id: l.id,
      name: l.name,
      state: l.state,
      oee: formatPercent(l.oee),
      // A/P/Q as whole percent: the factors are for orientation; OEE carries the decimal.
      availability: formatNumber(l.availability * 100),
      performance: formatNumber(l.performance * 100),
      quality: formatNumber(l.quality * 100),
      throughput: formatNumber(l.throughputPerHour),
      fpy: formatPercent(l.fpy),
    })),
  };
}

/** Display key of a KPI view (changes exactly when some displayed text changes). */
export function kpiKey(view: KpiView): string {
  return JSON.stringify(view);
}
