import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Layout, parseLayout } from '../../../protocol';
import { AGV_ZONE_M, createWorld, SIM_DT_S, stepWorld } from '../../../server/sim';

function defaultLayout(): Layout {
  const r = parseLayout(
    JSON.parse(readFileSync(new URL('../../../assets/plants/default.json', import.meta.url), 'utf8')),
  );
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.layout;
}

/** Floor distance from point p to segment a-b, m. */
function segmentDistance(p: number[], a: number[], b: number[]): number {
  const dx = b[0] - a[0];
  const dz = b[1] - a[1];
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dz) / (dx * dx + dz * dz)));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dz);
}

describe('AGV traffic', () => {
  it('lays out the path network so no aisle passes through another node zone', () => {
    const paths = defaultLayout().paths!;
    const pos = new Map(paths.nodes.map((n) => [n.id, n.position as number[]]));
    for (const n of paths.nodes)
      for (const [a, b] of paths.edges) {
        if (a === n.id || b === n.id) continue;
        expect(
          segmentDistance(n.position, pos.get(a)!, pos.get(b)!),
          `${n.id} vs ${a}-${b}`,
        ).toBeGreaterThanOrEqual(AGV_ZONE_M);
      }
  });

  it('never has two AGVs inside the same node zone while they make deliveries', () => {
    const layout = defaultLayout();
    const nodes = layout.paths!.nodes;
    for (const seed of [1, 2]) {
      const w = createWorld(layout, seed);
      const agvs = w.equipment.filter((e) => e.kind === 'agv');
      let deliveries = 0;
      let moved = 0;
      for (let step = 0; step < 20 * 600; step++) {
        for (const e of stepWorld(w, SIM_DT_S)) if (e.type === 'delivery') deliveries++;
        for (const n of nodes) {
          let inside = 0;
          for (const a of agvs)
            if (Math.hypot(a.pose![0] - n.position[0], a.pose![2] - n.position[1]) < AGV_ZONE_M) inside++;
          if (inside > 1)
            expect.fail(`seed ${seed}, t=${w.simTimeS.toFixed(1)} s: ${inside} AGVs in the zone of ${n.id}`);
        }
        for (const a of agvs) if (a.signals[0] > 0.5) moved++;
      }
      expect(deliveries).toBeGreaterThan(10);
      expect(moved).toBeGreaterThan(1000);
    }
  });
});
