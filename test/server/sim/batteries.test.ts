import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Layout, parseLayout, signalIndex } from '../../../protocol';
import { createWorld, SIM_DT_S, stepWorld } from '../../../server/sim';

function defaultLayout(): Layout {
  const r = parseLayout(
    JSON.parse(readFileSync(new URL('../../../assets/plants/default.json', import.meta.url), 'utf8')),
  );
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.layout;
}

const POWER = signalIndex('charging-dock', 'power');
const OCCUPIED = signalIndex('charging-dock', 'occupied');

/**
 * Runs the plant and, per vehicle of `kind`, looks for a discharge (battery falls by `drop` %),
 * then a recharge (battery rises by `rise` % from its low point) while some dock charges it.
 */
function observeCycle(kind: 'agv' | 'drone', minutes: number, drop: number, rise: number) {
  const w = createWorld(defaultLayout(), 5);
  const battery = signalIndex(kind, 'battery');
  const vehicles = w.equipment.filter((e) => e.kind === kind);
  const docks = w.equipment.filter((e) => e.kind === 'charging-dock');
  const start = vehicles.map((v) => v.signals[battery]);
  const low = [...start];
  const peakAfterLow = [...start];
  let charged = 0;
  let docksPowered = 0;
  let poweredWhileEmpty = 0;
  for (let step = 0; step < minutes * 600; step++) {
    stepWorld(w, SIM_DT_S);
    vehicles.forEach((v, k) => {
      const b = v.signals[battery];
      if (b < low[k]) {
        low[k] = b;
        peakAfterLow[k] = b;
      } else peakAfterLow[k] = Math.max(peakAfterLow[k], b);
    });
    for (const d of docks) {
      if (d.signals[POWER] > 0) docksPowered++;
      if (d.signals[POWER] > 0 && d.signals[OCCUPIED] !== 1) poweredWhileEmpty++;
    }
  }
  vehicles.forEach((_, k) => {
    if (start[k] - low[k] >= drop && peakAfterLow[k] - low[k] >= rise) charged++;
  });
  return { charged, docksPowered, poweredWhileEmpty };
}

describe('batteries', () => {
  it('drains AGV batteries, sends AGVs to a dock that draws power, and recharges them', () => {
    const r = observeCycle('agv', 40, 10, 20);
    expect(r.charged).toBeGreaterThan(0);
    expect(r.docksPowered).toBeGreaterThan(0);
    expect(r.poweredWhileEmpty).toBe(0);
  });

  it('drains drone batteries in flight and recharges them on the pad', () => {
    const r = observeCycle('drone', 15, 20, 20);
    expect(r.charged).toBe(2);
    expect(r.docksPowered).toBeGreaterThan(0);
    expect(r.poweredWhileEmpty).toBe(0);
  });
});
