import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Layout, parseLayout } from '../../../protocol';
import { createWorld, SIM_DT_S, scaleLayout, stepWorld } from '../../../server/sim';

function defaultLayout(): Layout {
  const r = parseLayout(
    JSON.parse(readFileSync(new URL('../../../assets/plants/default.json', import.meta.url), 'utf8')),
  );
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.layout;
}

describe('scaleLayout', () => {
  it('scales the default plant to about 10,000 valid pieces of equipment with unique ids', () => {
    const big = scaleLayout(defaultLayout(), 10000);
    expect(big.equipment.length).toBeGreaterThanOrEqual(9000);
    expect(big.equipment.length).toBeLessThanOrEqual(11000);
    const ids = new Set(big.equipment.map((e) => e.id));
    expect(ids.size).toBe(big.equipment.length);
    const r = parseLayout(big);
    expect(r.ok ? [] : r.errors.slice(0, 5)).toEqual([]);
  });

  it('keeps copy 0 ids and prefixes and rewrites the references of the other copies', () => {
    const base = defaultLayout();
    const big = scaleLayout(base, base.equipment.length * 3);
    expect(big.equipment.slice(0, base.equipment.length).map((e) => e.id)).toEqual(
      base.equipment.map((e) => e.id),
    );
    const agv = big.equipment.find((e) => e.id === 'G002.AGV-03');
    expect(agv?.kind).toBe('agv');
    if (agv?.kind === 'agv') expect(agv.props.home.startsWith('G002.')).toBe(true);
    expect(big.lines.find((l) => l.id === 'G001.L2')?.flow.every((f) => f.startsWith('G001.'))).toBe(true);
    expect(big.droneRoutes.map((r) => r.drone)).toContain('G002.DR-02');
  });

  it('keeps the plant copies apart so they never overlap', () => {
    const base = defaultLayout();
    const big = scaleLayout(base, base.equipment.length * 4);
    const zones = big.zones;
    for (let i = 0; i < zones.length; i++)
      for (let j = i + 1; j < zones.length; j++) {
        const a = zones[i];
        const b = zones[j];
        const overlap =
          a.min[0] < b.max[0] && b.min[0] < a.max[0] && a.min[1] < b.max[1] && b.min[1] < a.max[1];
        expect(overlap, `${a.id} / ${b.id}`).toBe(false);
      }
  });

  it('scales to 10,000 quickly and gives a world that steps', () => {
    const base = defaultLayout();
    const t0 = process.hrtime.bigint();
    const big = scaleLayout(base, 10000);
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeLessThan(1000);
    const w = createWorld(big, 1);
    for (let i = 0; i < 20; i++) stepWorld(w, SIM_DT_S);
    expect(w.equipment.length).toBe(big.equipment.length);
  });
});
