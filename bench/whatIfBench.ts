import { performance } from 'node:perf_hooks';
import type { Layout } from '../protocol';
import { runWhatIf } from '../server/design/whatIf';
import { createWorld, SIM_DT_S, stepWorld } from '../server/sim';

/** What-if speed target: simulated time per wall-clock time (8 simulated hours in under a minute). */
export const WHATIF_SPEED_TARGET = 500;
/** Alternating rounds of a run and bare steps; the fastest of each counts (other load only slows). */
const ROUNDS = 3;

/**
 * What-if speed on `layout`: runs of `hours` simulated hours in this thread (the worker runs the
 * same code), after a short one that warms the JIT. Simulated hours per wall-clock second and the
 * ratio to real time; and what the sampling costs: a run's time over bare steps of the same world
 * for the same hours.
 */
export function benchWhatIf(layout: Layout, hours = 1) {
  runWhatIf(layout, 1, 0.05);
  const steps = Math.round((hours * 3600) / SIM_DT_S);
  let wallS = Number.POSITIVE_INFINITY;
  let bareS = Number.POSITIVE_INFINITY;
  for (let k = 0; k < ROUNDS; k++) {
    let t = performance.now();
    runWhatIf(layout, 1, hours);
    wallS = Math.min(wallS, (performance.now() - t) / 1000);
    const world = createWorld(layout, 1);
    t = performance.now();
    for (let i = 0; i < steps; i++) stepWorld(world, SIM_DT_S);
    bareS = Math.min(bareS, (performance.now() - t) / 1000);
  }
  const realTimeRatio = (hours * 3600) / wallS;
  return {
    hours,
    wallS,
    bareStepsS: bareS,
    samplingOverhead: wallS / bareS,
    simHoursPerS: hours / wallS,
    realTimeRatio,
    targetRatio: WHATIF_SPEED_TARGET,
    meetsTarget: realTimeRatio >= WHATIF_SPEED_TARGET,
  };
}
