import { describe, expect, it } from 'vitest';
import { DEFAULT_PLANT, loadPlantFile } from '../../../server/plantFile';
import { PlantSession } from '../../../server/session/plantSession';

const layout = (() => {
  const r = loadPlantFile(DEFAULT_PLANT);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.layout;
})();

/** Drives a session for `ticks` loop ticks of `realS` each and counts KPI updates computed and sent. */
function run(speed: number, ticks: number, realS = 0.1) {
  const s = new PlantSession(layout, { seed: 3, speed, alarms: null });
  let computed = 0;
  let sent = 0;
  for (let i = 0; i < ticks; i++) {
    const out = s.advance(realS);
    if (out.kpis) computed++;
    if (out.wireKpis) {
      sent++;
      // What goes on the wire is always the newest computed.
      expect(out.wireKpis).toBe(s.snapshot().kpis);
    }
  }
  return { computed, sent };
}

describe('KPI updates on the wire', () => {
  it('sends about one KPI update per real second at 1x, as computed', () => {
    const r = run(1, 100);
    expect(r.computed).toBe(10);
    expect(r.sent).toBeGreaterThanOrEqual(9);
    expect(r.sent).toBeLessThanOrEqual(10);
  });

  it('sends at most one KPI update per real second at 50x although one is computed every tick', () => {
    const r = run(50, 100);
    expect(r.computed).toBe(100);
    expect(r.sent).toBeGreaterThanOrEqual(9);
    expect(r.sent).toBeLessThanOrEqual(11);
  });

  it("sends a trainer's single step's KPIs at once", () => {
    const s = new PlantSession(layout, { seed: 3, speed: 1, alarms: null, paused: true });
    for (let i = 0; i < 9; i++) s.step();
    const out = s.step();
    expect(out.kpis).not.toBeNull();
    expect(out.wireKpis).toBe(out.kpis);
  });
});
