import type {
  Scenario,
  ScenarioAction,
  ScenarioExpectation,
  ScenarioStep,
  ScenarioTranslations,
} from '../../protocol/scenario';
import type { LocalizedString } from '../../protocol/text';
import { englishOf, translationsOf } from '../i18n/localized';
import { clock } from './clock';
import type { ScenarioFile } from './scenarioSchema';

/** The validated file as a Scenario: steps in time order (file order among equals), default ids and labels. */
export function toScenario(f: ScenarioFile, fallbackId: string): Scenario {
  const timeline: ScenarioStep[] = f.timeline
    .map((s, index) => ({ atS: s.atS, index, action: actionOf(s) }))
    .sort((a, b) => a.atS - b.atS || a.index - b.index);
  const expectations = f.expectations.map((e, i) => expectationOf(e, i));
  const s: Scenario = {
    id: f.id ?? fallbackId,
    name: englishOf(f.name),
    description: englishOf(f.description),
    learningGoal: englishOf(f.learningGoal),
    plant: f.plant,
    seed: f.seed,
    speed: f.speed,
    durationS: f.durationS,
    randomFaults: f.randomFaults,
    timeline,
    expectations,
  };
  const translations = scenarioTranslations(f);
  if (Object.keys(translations).length) s.translations = translations;
  return s;
}

/** Name, description and learning goal in the languages the file gives them in. */
function scenarioTranslations(f: ScenarioFile): ScenarioTranslations {
  const out: ScenarioTranslations = {};
  for (const key of ['name', 'description', 'learningGoal'] as const) {
    const t = translationsOf(f[key])['zh-CN'];
    if (t !== undefined) out['zh-CN'] = { ...out['zh-CN'], [key]: t };
  }
  return out;
}

/** `labels` of an expectation whose file label has translations (a default label has none). */
function withLabels<E extends ScenarioExpectation>(e: E, label: LocalizedString | undefined): E {
  const t = label === undefined ? {} : translationsOf(label);
  if (Object.keys(t).length) e.labels = t;
  return e;
}

function actionOf(s: ScenarioFile['timeline'][number]): ScenarioAction {
  if (s.fault) return { type: 'fault', fault: s.fault };
  if (s.clear) {
    const c: ScenarioAction = { type: 'clear', equipment: (s.clear.equipment ?? s.clear.line)! };
    if (s.clear.kind) c.kind = s.clear.kind;
    return c;
  }
  if (s.set) return { type: 'set', set: s.set };
  if (s.message !== undefined) {
    const m: ScenarioAction = { type: 'message', text: englishOf(s.message) };
    const texts = translationsOf(s.message);
    if (Object.keys(texts).length) m.texts = texts;
    return m;
  }
  return { type: 'command', command: s.command! };
}

function expectationOf(e: ScenarioFile['expectations'][number], i: number): ScenarioExpectation {
  const id = e.id ?? `${e.type}-${i + 1}`;
  const fileLabel = e.label === undefined ? undefined : englishOf(e.label);
  if (e.type === 'alarm-ack') {
    const label =
      fileLabel ?? `Acknowledge ${e.rule} on ${e.equipment} within ${clock(e.withinS)} of it rising`;
    const { rule, equipment, withinS, afterS, required } = e;
    return withLabels({ id, type: 'alarm-ack', label, rule, equipment, withinS, afterS, required }, e.label);
  }
  if (e.type === 'command') {
    const label =
      fileLabel ?? `Send ${e.action.join(' or ')} to ${e.equipment.join(' or ')} by ${clock(e.byS)}`;
    return withLabels(
      {
        id,
        type: 'command',
        label,
        equipment: e.equipment,
        actions: e.action,
        afterS: e.afterS,
        byS: e.byS,
      },
      e.label,
    );
  }
  const label = fileLabel ?? `Line ${e.line} running again by ${clock(e.byS)}`;
  return withLabels({ id, type: 'line-running', label, line: e.line, afterS: e.afterS, byS: e.byS }, e.label);
}
