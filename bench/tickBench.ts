import { performance } from 'node:perf_hooks';
import type { Layout } from '../protocol';
import { setUpAlarms } from '../server/alarms/setup';
import { FrameBuilder } from '../server/session/frameBuilder';
import { PlantSession } from '../server/session/plantSession';
import { computeKpis, createWorld, stepWorld } from '../server/sim';
import { SIM_DT_S } from '../server/sim/types';
import { percentile } from './stats';

/** Tick budget the server aims for: 10% of a 100 ms tick, ms. */
export const TICK_P95_TARGET_MS = 10;
/** Speed of the high-speed comparison (a training session's 20x: 20 steps per tick). */
const FAST_SPEED = 20;

const summary = (ms: number[]) => ({
  p50: percentile(ms, 0.5),
  p95: percentile(ms, 0.95),
  max: Math.max(...ms),
});

/**
 * Server tick (simulation step, alarm evaluation after every step, KPIs every 1 s of sim time,
 * delta encode) at real-time speed: one step per 100 ms tick, so the fixed-cadence evaluation
 * costs what one evaluation per tick did. Then at FAST_SPEED, per-step evaluation against one
 * evaluation per tick over the same steps (what the session did before evaluation ran on sim time).
 */
export function benchTick(layout: Layout, ticks = 300) {
  const session = new PlantSession(layout, { seed: 11, speed: 1 });
  for (let i = 0; i < 30; i++) session.advance(SIM_DT_S); // warm the JIT
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < ticks; i++) {
    const t = performance.now();
    const out = session.advance(SIM_DT_S);
    ms.push(performance.now() - t);
    bytes += out.frame?.byteLength ?? 0;
  }
  const tickMs = summary(ms);
  return {
    equipment: layout.equipment.length,
    tickMs,
    targetMs: TICK_P95_TARGET_MS,
    meetsTarget: tickMs.p95 <= TICK_P95_TARGET_MS,
    shareOfTickBudget: tickMs.p95 / 100,
    frameKBPerTick: bytes / ticks / 1024,
    /** Same run, same machine: per-step evaluation against once per tick, at 1x and FAST_SPEED. */
    atSpeed1: compareTicks(layout, 1, ticks),
    fast: compareTicks(layout, FAST_SPEED, Math.max(10, Math.round(ticks / 10))),
    world: session.world,
  };
}

/** Ticks at `speed`: alarms after every step (the session) vs once per tick (the same steps by hand). */
function compareTicks(layout: Layout, speed: number, ticks: number) {
  const tickS = 0.1; // real s per tick at TICK_HZ
  const steps = Math.round((speed * tickS) / SIM_DT_S);
  const session = new PlantSession(layout, { seed: 11, speed });
  const perStep: number[] = [];
  for (let i = 0; i < ticks + 30; i++) {
    const t = performance.now();
    session.advance(tickS);
    if (i >= 30) perStep.push(performance.now() - t); // the first ticks warm the JIT
  }
  const setup = setUpAlarms(layout, { dataDir: ':memory:' });
  if (!setup.ok) throw new Error(setup.errors.join('\n'));
  const world = createWorld(layout, 11);
  const frames = new FrameBuilder(world.equipment);
  const perTick: number[] = [];
  try {
    for (let i = 0; i < ticks + 30; i++) {
      const t = performance.now();
      for (let k = 0; k < steps; k++) stepWorld(world, SIM_DT_S);
      setup.book.tick(world.equipment, world.simTimeS, i * 100, true);
      if (i % 10 === 0) computeKpis(world); // KPIs every 1 s of real time, as before
      frames.delta(world.tick, world.simTimeS);
      if (i >= 30) perTick.push(performance.now() - t);
    }
  } finally {
    setup.store.close();
  }
  const a = summary(perStep);
  const b = summary(perTick);
  return {
    speed,
    stepsPerTick: steps,
    perStepMs: a,
    perTickMs: b,
    ratioP50: a.p50 / b.p50,
    ratioP95: a.p95 / b.p95,
  };
}
