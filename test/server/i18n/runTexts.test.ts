import { describe, expect, it } from 'vitest';
import {
  ALARM_TEXT_CODE,
  type CodedText,
  EN_TEXTS,
  LOCALIZED_TEXT_CODE,
  renderAlarmTemplate,
  renderEnglish,
} from '../../../protocol';
import { alarmTemplates } from '../../../server/alarms/alarmRecords';
import { DEFAULT_RULES, loadRulesFile } from '../../../server/alarms/ruleSchema';
import { loadScenarioLibrary } from '../../../server/scenarios/loadScenario';
import { runScenario } from '../../../server/scenarios/runScenario';
import { attentiveTrainee } from '../scenarios/attentiveTrainee';

const rules = loadRulesFile(DEFAULT_RULES);
if (!rules.ok) throw new Error(rules.errors.join('\n'));
const templates = alarmTemplates(rules.rules);

/** The English a client renders from a text, as the server wrote it into `message`. */
function english(t: CodedText, name: (id: string) => string): string {
  const p = t.params ?? {};
  if (t.code === ALARM_TEXT_CODE)
    return renderAlarmTemplate(templates[String(p.rule)].en, p, name(String(p.id)));
  if (t.code === LOCALIZED_TEXT_CODE) return String(p.en);
  return renderEnglish(t.code, p);
}

describe('texts of a whole training run', () => {
  it('gives every event, alarm, step and command answer of every shipped scenario a code that renders its message', () => {
    const codes = new Set<string>();
    for (const { scenario, layout } of loadScenarioLibrary().scenarios.values()) {
      const name = (id: string) => layout.equipment.find((e) => e.id === id)?.name ?? id;
      const run = runScenario(scenario, layout, { trainee: attentiveTrainee(scenario) });
      for (const e of run.log) {
        const [message, text] =
          e.kind === 'event'
            ? [e.event.message, e.event.text]
            : e.kind === 'alarm'
              ? [e.transition.alarm.message, e.transition.alarm.text]
              : [e.message, e.text];
        expect(text, `${scenario.id} ${e.kind} ${message}`).toBeDefined();
        if (!text) continue;
        codes.add(text.code);
        expect(english(text, name), scenario.id).toBe(message);
      }
    }
    // The run touches codes of every family: plant events, alarms, scenario steps and commands.
    for (const family of ['event.', 'scenario.', 'cmd.', ALARM_TEXT_CODE, LOCALIZED_TEXT_CODE])
      expect(
        [...codes].some((c) => c.startsWith(family)),
        family,
      ).toBe(true);
    for (const c of codes)
      expect(c in EN_TEXTS || c === ALARM_TEXT_CODE || c === LOCALIZED_TEXT_CODE, c).toBe(true);
  });
});
