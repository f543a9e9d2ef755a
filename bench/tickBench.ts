import { performance } from 'node:perf_hooks';
import type { Layout } from '../protocol';
import { PlantSession } from '../server/session/plantSession';
import { SIM_DT_S } from '../server/sim/types';
import { percentile } from './stats';

/** Server tick (simulation step + delta encode) at real-time speed; one step per 100 ms tick. */
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
  const p95 = percentile(ms, 0.95);
  return {
    equipment: layout.equipment.length,
    tickMs: { p50: percentile(ms, 0.5), p95, max: Math.max(...ms) },
    shareOfTickBudget: p95 / 100,
    frameKBPerTick: bytes / ticks / 1024,
    world: session.world,
  };
}
