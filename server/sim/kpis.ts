import {
  type KpiUpdate,
  type LineKpi,
  MACHINE_STATES,
  type MachineState,
  STATE_CODE as STATE_CODES,
} from '../../protocol';
import { MODE } from './agvFleet';
import { BUCKET_S } from './conveyorLine';
import type { SimWorld } from './state';
import type { World } from './types';

// Local copies: tsx compiles imported bindings to getters, which cost in per-equipment loops.
const STATE_CODE = { ...STATE_CODES };

/** Operator relevance of a state (higher = worse): what a line's state shows. */
const RANK: Record<MachineState, number> = {
  running: 0,
  idle: 1,
  maintenance: 2,
  offline: 3,
  starved: 4,
  blocked: 5,
  fault: 6,
};
const RANK_BY_CODE = MACHINE_STATES.map((s) => RANK[s]);

/**
 * Key performance indicators now: per line, throughput over the rolling window (up to 10 min),
 * totals from the vision station and OEE since start (availability = run / planned time,
 * performance = output / ideal output at targetPerHour during run time, quality = good / total);
 * plant-wide means and sums. Called at 1 Hz; allocates only its answer.
 */
export function computeKpis(world: World): KpiUpdate {
  const w = world as SimWorld;
  const lines: LineKpi[] = w.lines.map((l) => {
    let worst = STATE_CODE.running as number;
    for (const i of l.flow)
      if (RANK_BY_CODE[w.equipment[i].state] > RANK_BY_CODE[worst]) worst = w.equipment[i].state;
    let units = 0;
    for (let b = 0; b < l.buckets.length; b++) units += l.buckets[b];
    const windowS = l.bucketsFull * BUCKET_S + l.bucketT;
    const availability = l.plannedS > 0 ? l.runTimeS / l.plannedS : 0;
    const ideal = (l.targetPerHour * l.runTimeS) / 3600;
    const performance = ideal > 0 ? Math.min(1, l.total / ideal) : 0;
    const quality = l.total > 0 ? l.good / l.total : 1;
    return {
      id: l.id,
      name: l.name,
      state: MACHINE_STATES[worst],
      throughputPerHour: windowS > 0 ? (units / windowS) * 3600 : 0,
      total: l.total,
      good: l.good,
      fpy: quality,
      availability,
      performance,
      quality,
      oee: availability * performance * quality,
    };
  });
  const agvs = w.fleet.agvs;
  let busy = 0;
  for (const a of agvs)
    if (
      a.mode === MODE.toRack ||
      a.mode === MODE.loading ||
      a.mode === MODE.toFeeder ||
      a.mode === MODE.unloading
    )
      busy++;
  let connected = 0;
  for (let c = 0; c < w.cells.attached.length; c++) connected += w.cells.attached[c];
  let faults = 0;
  for (const e of w.equipment) if (e.state === STATE_CODE.fault) faults++;
  return {
    simTimeS: w.simTimeS,
    lines,
    plant: {
      oee: lines.length ? lines.reduce((s, l) => s + l.oee, 0) / lines.length : 0,
      throughputPerHour: lines.reduce((s, l) => s + l.throughputPerHour, 0),
      agvUtilization: agvs.length ? busy / agvs.length : 0,
      connectedDevices: connected,
      latencyMs: w.cells.meanLatencyMs,
      faults,
    },
  };
}
