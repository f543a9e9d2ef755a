import type { Scenario, ScenarioStep } from '../../protocol/scenario';
import type { CodedText } from '../../protocol/text';
import { applyScenarioAction, type World } from '../sim';
import { dueSteps } from './plan';

/** A timeline step as it was applied: when, and whether the plant could take it then. */
export interface AppliedStep {
  step: ScenarioStep;
  /** Sim time it was applied, s (the end of the simulation step that reached its atS). */
  simS: number;
  ok: boolean;
  /** What changed, why nothing could, or a message step's text (English rendering of `text`). */
  message: string;
  text: CodedText;
}

const NONE: readonly AppliedStep[] = Object.freeze([]);

/**
 * Applies the steps due in (fromS, toS] to the world, in order: call it right after each
 * stepWorld that advanced the world from fromS to toS (and once with fromS < 0 at time 0). A step
 * the plant cannot take now changes nothing and is reported with the reason. Message steps change
 * nothing; the caller shows them to the trainee.
 */
export function applyDueSteps(
  world: World,
  scenario: Pick<Scenario, 'timeline'>,
  fromS: number,
  toS: number,
): readonly AppliedStep[] {
  const due = dueSteps(scenario, fromS, toS);
  if (due.length === 0) return NONE;
  return due.map((step) => ({ step, simS: world.simTimeS, ...applyScenarioAction(world, step.action) }));
}
