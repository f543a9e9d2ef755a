import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Layout, parseLayout } from '../../../protocol';
import { createWorld, type PlantEventDraft, SIM_DT_S, stepWorld, type World } from '../../../server/sim';

function defaultLayout(): Layout {
  const r = parseLayout(
    JSON.parse(readFileSync(new URL('../../../assets/plants/default.json', import.meta.url), 'utf8')),
  );
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.layout;
}

function run(seed: number, steps: number): { world: World; events: PlantEventDraft[] } {
  const world = createWorld(defaultLayout(), seed);
  const events: PlantEventDraft[] = [];
  for (let i = 0; i < steps; i++) events.push(...stepWorld(world, SIM_DT_S));
  return { world, events };
}

function fingerprint(w: World) {
  return w.equipment.map((e) => ({
    state: e.state,
    pose: e.pose ? Array.from(e.pose) : null,
    signals: Array.from(e.signals),
  }));
}

describe('simulation determinism', () => {
  it('gives identical states, poses, signals and events for the same seed', () => {
    const a = run(42, 3000);
    const b = run(42, 3000);
    expect(a.world.tick).toBe(3000);
    expect(a.world.simTimeS).toBeCloseTo(300, 6);
    expect(fingerprint(a.world)).toEqual(fingerprint(b.world));
    expect(JSON.stringify(a.events)).toBe(JSON.stringify(b.events));
    expect(a.events.length).toBeGreaterThan(0);
  });

  it('gives a different run for a different seed', () => {
    const a = run(1, 1500);
    const b = run(2, 1500);
    expect(fingerprint(a.world)).not.toEqual(fingerprint(b.world));
  });

  it('creates a pose exactly for mobile kinds and catalog-sized signals for all', () => {
    const layout = defaultLayout();
    const w = createWorld(layout, 3);
    expect(w.equipment).toHaveLength(layout.equipment.length);
    w.equipment.forEach((e, i) => {
      expect(e.index).toBe(i);
      expect(e.id).toBe(layout.equipment[i].id);
      expect(e.pose !== null).toBe(e.kind === 'agv' || e.kind === 'drone');
      expect(e.signals.every(Number.isFinite)).toBe(true);
    });
  });

  it('keeps every signal finite over a long run', () => {
    const { world } = run(9, 6000);
    for (const e of world.equipment) {
      expect(e.signals.every(Number.isFinite), e.id).toBe(true);
      if (e.pose) expect(Array.from(e.pose).every(Number.isFinite), e.id).toBe(true);
    }
  });
});
