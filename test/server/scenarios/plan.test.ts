import { describe, expect, it } from 'vitest';
import type { ScenarioStep } from '../../../protocol/scenario';
import { dueSteps } from '../../../server/scenarios/plan';

const step = (index: number, atS: number): ScenarioStep => ({
  atS,
  index,
  action: { type: 'message', text: `s${index}` },
});
const timeline = [step(0, 0), step(3, 5), step(1, 5), step(2, 12.5), step(4, 60)];
const scenario = { timeline };
const idx = (steps: readonly ScenarioStep[]) => steps.map((s) => s.index);

describe('dueSteps (the timeline plan)', () => {
  it.each<[number, number, number[]]>([
    [-1, 0, [0]],
    [0, 0.1, []],
    [4.9, 5, [1, 3]],
    [5, 5.1, []],
    [0, 12.5, [1, 3, 2]],
    [12.5, 59.9, []],
    [59.9, 60, [4]],
    [60, 3600, []],
    [-1, 3600, [0, 1, 3, 2, 4]],
  ])(
    'returns the steps in (%d, %d]: %j, in time order and file order among equal times',
    (from, to, want) => {
      expect(idx(dueSteps(scenario, from, to))).toEqual(want);
    },
  );

  it('returns each step exactly once over consecutive 0.1 s steps, despite the drift of summed floats', () => {
    const seen: number[] = [];
    let t = 0;
    seen.push(...idx(dueSteps(scenario, -1, 0)));
    for (let i = 0; i < 700; i++) {
      const from = t;
      t += 0.1; // 0.1 is not exact in binary: t drifts away from i/10
      for (const s of dueSteps(scenario, from, t)) {
        seen.push(s.index);
        // Due at the step that reaches it, not one step late.
        expect(Math.abs(t - s.atS)).toBeLessThan(0.05);
      }
    }
    expect(seen).toEqual([0, 1, 3, 2, 4]);
  });

  it('sorts a hand-made timeline that is out of order', () => {
    const shuffled = { timeline: [step(1, 30), step(0, 10), step(2, 20)] };
    expect(idx(dueSteps(shuffled, 0, 60))).toEqual([0, 2, 1]);
  });

  it('allocates no answer when nothing is due (it runs every simulation step)', () => {
    expect(dueSteps(scenario, 20, 30)).toBe(dueSteps(scenario, 100, 200));
    expect(dueSteps(scenario, 20, 30)).toHaveLength(0);
  });
});
