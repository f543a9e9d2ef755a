import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Layout, parseLayout, signalIndex } from '../../../protocol';
import { computeKpis, createWorld, SIM_DT_S, stepWorld } from '../../../server/sim';

function defaultLayout(): Layout {
  const r = parseLayout(
    JSON.parse(readFileSync(new URL('../../../assets/plants/default.json', import.meta.url), 'utf8')),
  );
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.layout;
}

const THROUGHPUT = signalIndex('conveyor', 'throughput');
const INSPECTED = signalIndex('vision-station', 'inspected');

/** Runs `minutes` without random faults; returns L1's conveyor rate (units/min) and inspected count. */
function runLine1(layout: Layout, minutes: number) {
  const w = createWorld(layout, 11, { faults: false });
  for (let i = 0; i < minutes * 600; i++) stepWorld(w, SIM_DT_S);
  const conveyor = w.equipment.find((e) => e.id === 'L1-C2')!;
  const vision = w.equipment.find((e) => e.id === 'L1-VIS')!;
  return { rate: conveyor.signals[THROUGHPUT], inspected: vision.signals[INSPECTED], kpis: computeKpis(w) };
}

describe('line throughput', () => {
  it('doubles units per minute and inspected units when the belt speed doubles', () => {
    const base = defaultLayout();
    const fast = structuredClone(base);
    for (const e of fast.equipment) if (e.kind === 'conveyor' && e.line === 'L1') e.props.beltSpeed *= 2;
    const a = runLine1(base, 8);
    const b = runLine1(fast, 8);
    expect(a.rate).toBeCloseTo(30, 5); // 0.3 m/s / 0.6 m pitch = 0.5 units/s
    expect(b.rate / a.rate).toBeCloseTo(2, 5);
    expect(a.inspected).toBeGreaterThan(200);
    const ratio = b.inspected / a.inspected;
    expect(ratio).toBeGreaterThan(1.8);
    expect(ratio).toBeLessThan(2.2);
  });

  it('reports OEE factors between 0 and 1 and throughput near the belt rate', () => {
    const { kpis } = runLine1(defaultLayout(), 5);
    const l1 = kpis.lines.find((l) => l.id === 'L1')!;
    expect(l1.throughputPerHour).toBeGreaterThan(1500);
    expect(l1.throughputPerHour).toBeLessThan(1900);
    for (const l of kpis.lines)
      for (const v of [l.availability, l.performance, l.quality, l.oee]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    expect(kpis.plant.connectedDevices).toBeGreaterThan(0);
    expect(kpis.plant.latencyMs).toBeGreaterThan(0);
  });
});
