import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Layout } from '../protocol';
import { setUpAlarms } from '../server/alarms/setup';
import { PlantSession } from '../server/session/plantSession';
import { SIM_DT_S } from '../server/sim/types';
import { percentile } from './stats';

/** Times `ticks` calls of session.advance (one sim step each), after a JIT warm-up. */
function timeTicks(session: PlantSession, ticks: number): number[] {
  for (let i = 0; i < 30; i++) session.advance(SIM_DT_S);
  const ms: number[] = [];
  for (let i = 0; i < ticks; i++) {
    const t = performance.now();
    session.advance(SIM_DT_S);
    ms.push(performance.now() - t);
  }
  return ms;
}

/**
 * What the alarm rules add to the server tick: the same plant and seed, with and without alarms
 * (default rules, a real SQLite store in a temp dir), ticks interleaved so both see the same machine.
 */
export function benchAlarms(layout: Layout, ticks = 300) {
  const dir = mkdtempSync(join(tmpdir(), 'plant-bench-'));
  const setup = setUpAlarms(layout, { dataDir: dir });
  if (!setup.ok) throw new Error(setup.errors.join('\n'));
  const withAlarms = new PlantSession(layout, { seed: 11, speed: 1, alarms: setup.book });
  const without = new PlantSession(layout, { seed: 11, speed: 1, alarms: null });
  const a: number[] = [];
  const b: number[] = [];
  // Alternate blocks of 50 so drift of the machine hits both alike.
  for (let k = 0; k < ticks / 50; k++) {
    a.push(...timeTicks(withAlarms, 50));
    b.push(...timeTicks(without, 50));
  }
  setup.store.close();
  rmSync(dir, { recursive: true, force: true });
  const p = (xs: number[], q: number) => percentile(xs, q);
  return {
    alarmTransitions: withAlarms.alarms?.seq ?? 0,
    withAlarmsMs: { p50: p(a, 0.5), p95: p(a, 0.95) },
    withoutAlarmsMs: { p50: p(b, 0.5), p95: p(b, 0.95) },
    addedMs: { p50: p(a, 0.5) - p(b, 0.5), p95: p(a, 0.95) - p(b, 0.95) },
  };
}
