import { type Layout, WHATIF_COVERAGE_DBM, type WhatIfKpis } from '../../protocol';
import { computeKpis, createWorld, SIM_DT_S, stepWorld } from '../sim';
import { FEEDER } from '../sim/slots';
import type { SimWorld } from '../sim/state';
import { coverage, floorGrid, toWhatIfGrid } from './whatIfGrid';
import { afterStep, createSampler, everySecond } from './whatIfSampler';
import { ScriptRunner, type WhatIfScript } from './whatIfScript';

/** Steps per simulated second (SIM_DT_S = 0.1 s). */
const STEPS_PER_S = Math.round(1 / SIM_DT_S);
/** Progress is reported at most this often, in steps (10 simulated minutes). */
const PROGRESS_EVERY_STEPS = 6000;

/** Rounds to `d` decimals (answers stay small and compare as JSON). */
const r = (v: number, d = 4) => {
  const f = 10 ** d;
  return Math.round(v * f) / f;
};

/**
 * Simulates `layout` (valid) headless from `seed` for `hours` simulated hours, as fast as the CPU
 * allows: the live plant's own world and step (faults and maintenance included), no alarms, no
 * frames. A pure function of (layout, seed, hours, script): the same arguments give JSON-equal KPIs.
 * With a `script` (a training scenario) its timeline and scripted operator act on the world.
 * `onProgress` gets the share done (0..1) every 10 simulated minutes and at the end.
 */
export function runWhatIf(
  layout: Layout,
  seed: number,
  hours: number,
  onProgress?: (done: number) => void,
  script?: WhatIfScript,
): WhatIfKpis {
  const w = (
    script ? createWorld(layout, seed, { faults: script.randomFaults }) : createWorld(layout, seed)
  ) as SimWorld;
  const runner = script ? new ScriptRunner(w, script) : null;
  const grid = floorGrid(layout);
  const s = createSampler(w, grid);
  const steps = Math.max(1, Math.round((hours * 3600) / SIM_DT_S));
  for (let i = 1; i <= steps; i++) {
    const fromS = w.simTimeS;
    stepWorld(w, SIM_DT_S);
    runner?.afterStep(fromS, w.simTimeS);
    afterStep(s, w, SIM_DT_S);
    if (i % STEPS_PER_S === 0) everySecond(s, w);
    if (onProgress && i % PROGRESS_EVERY_STEPS === 0 && i < steps) onProgress(i / steps);
  }
  onProgress?.(1);
  const kpis = summarize(w, s, steps * SIM_DT_S);
  if (runner && script) kpis.scenario = { id: script.id, entries: runner.finish(w.simTimeS) };
  return kpis;
}

function summarize(w: SimWorld, s: ReturnType<typeof createSampler>, simS: number): WhatIfKpis {
  const k = computeKpis(w);
  const lines = k.lines.map((l) => ({
    id: l.id,
    name: l.name,
    availability: r(l.availability),
    performance: r(l.performance),
    quality: r(l.quality),
    oee: r(l.oee),
    total: l.total,
    good: l.good,
  }));
  const totalUnits = k.lines.reduce((a, l) => a + l.total, 0);
  const goodUnits = k.lines.reduce((a, l) => a + l.good, 0);
  const simHours = simS / 3600;
  const agvs = w.fleet.agvs.length;
  let deliveries = 0;
  for (const f of w.fleet.feeders) deliveries += w.equipment[f.eq].signals[FEEDER.delivered];
  const net = w.cells;
  const cov = coverage(s.grid, net, WHATIF_COVERAGE_DBM);
  const n = Math.max(1, s.samples);
  const cells = Array.from(net.cellEq, (eq, c) => ({
    id: w.equipment[eq].id,
    meanMbps: r(s.ulSum[c] / n, 2),
    peakMbps: r(s.ulPeak[c], 2),
    visionMeanMbps: r(s.visSum[c] / n, 2),
    visionPeakMbps: r(s.visPeak[c], 2),
    capacityMbps: net.ulCap[c],
    meanShare: r(s.ulSum[c] / n / net.ulCap[c]),
    peakShare: r(s.ulPeak[c] / net.ulCap[c]),
  }));
  return {
    simHours: r(simHours, 6),
    equipment: w.equipment.length,
    lines,
    plant: {
      oee: r(k.plant.oee),
      throughputPerHour: r(totalUnits / simHours, 2),
      totalUnits,
      goodUnits,
    },
    agvs: {
      count: agvs,
      utilization: r(agvs && s.samples ? s.busyS / (agvs * s.samples) : 0),
      travelM: r(s.travelM, 1),
      waitS: r(s.waitS, 1),
      waits: s.waits,
      deliveries,
    },
    coverage: {
      shareCovered: r(cov.shareCovered),
      thresholdDbm: WHATIF_COVERAGE_DBM,
      meanDbm: r(cov.meanDbm, 2),
      p5Dbm: r(cov.p5Dbm, 2),
      cells,
    },
    heat: {
      agvTraffic: toWhatIfGrid(s.grid, s.traffic, 0),
      rsrp: toWhatIfGrid(s.grid, cov.rsrp, 1),
    },
  };
}
