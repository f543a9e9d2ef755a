import type { Scenario, ScenarioAction, ScenarioExpectation, ScenarioStep } from '../../protocol/scenario';
import { clock } from './clock';
import type { ScenarioFile } from './scenarioSchema';

/** The validated file as a Scenario: steps in time order (file order among equals), default ids and labels. */
export function toScenario(f: ScenarioFile, fallbackId: string): Scenario {
  const timeline: ScenarioStep[] = f.timeline
    .map((s, index) => ({ atS: s.atS, index, action: actionOf(s) }))
    .sort((a, b) => a.atS - b.atS || a.index - b.index);
  const expectations = f.expectations.map((e, i) => expectationOf(e, i));
  return {
    id: f.id ?? fallbackId,
    name: f.name,
    description: f.description,
    learningGoal: f.learningGoal,
    plant: f.plant,
    seed: f.seed,
    speed: f.speed,
    durationS: f.durationS,
    randomFaults: f.randomFaults,
    timeline,
    expectations,
  };
}

function actionOf(s: ScenarioFile['timeline'][number]): ScenarioAction {
  if (s.fault) return { type: 'fault', fault: s.fault };
  if (s.clear) {
    const c: ScenarioAction = { type: 'clear', equipment: (s.clear.equipment ?? s.clear.line)! };
    if (s.clear.kind) c.kind = s.clear.kind;
    return c;
  }
  if (s.set) return { type: 'set', set: s.set };
  if (s.message !== undefined) return { type: 'message', text: s.message };
  return { type: 'command', command: s.command! };
}

function expectationOf(e: ScenarioFile['expectations'][number], i: number): ScenarioExpectation {
  const id = e.id ?? `${e.type}-${i + 1}`;
  if (e.type === 'alarm-ack') {
    const label =
      e.label ?? `Acknowledge ${e.rule} on ${e.equipment} within ${clock(e.withinS)} of it rising`;
    const { rule, equipment, withinS, afterS, required } = e;
    return { id, type: 'alarm-ack', label, rule, equipment, withinS, afterS, required };
  }
  if (e.type === 'command') {
    const label =
      e.label ?? `Send ${e.action.join(' or ')} to ${e.equipment.join(' or ')} by ${clock(e.byS)}`;
    return {
      id,
      type: 'command',
      label,
      equipment: e.equipment,
      actions: e.action,
      afterS: e.afterS,
      byS: e.byS,
    };
  }
  const label = e.label ?? `Line ${e.line} running again by ${clock(e.byS)}`;
  return { id, type: 'line-running', label, line: e.line, afterS: e.afterS, byS: e.byS };
}
