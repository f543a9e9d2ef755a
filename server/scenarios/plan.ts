import type { Scenario, ScenarioStep } from '../../protocol/scenario';

/**
 * Which timeline steps are due: a pure plan, applied by whoever runs the world (the headless
 * runner now, a training session later) right after the simulation step that reached their time.
 */

/**
 * Tolerance on step times, s: the world's clock sums 0.1 s steps and drifts by ~1e-12, so a step
 * at 60 s falls due after step 600 whether the sum reads 59.999999999 or 60.000000001.
 */
const EPS_S = 1e-6;

const NONE: readonly ScenarioStep[] = Object.freeze([]);

/**
 * The steps whose `atS` falls in (fromS, toS], in time order (file order among equal times).
 * Consecutive windows (a, b], (b, c] never return a step twice nor miss one; pass fromS < 0 for
 * the steps at time 0. Allocates nothing when none is due (called every simulation step).
 */
export function dueSteps(
  scenario: Pick<Scenario, 'timeline'>,
  fromS: number,
  toS: number,
): readonly ScenarioStep[] {
  let out: ScenarioStep[] | null = null;
  for (const s of scenario.timeline) {
    if (s.atS <= fromS + EPS_S || s.atS > toS + EPS_S) continue;
    if (out === null) out = [];
    out.push(s);
  }
  if (out === null) return NONE;
  return out.length > 1 ? out.sort((a, b) => a.atS - b.atS || a.index - b.index) : out;
}
