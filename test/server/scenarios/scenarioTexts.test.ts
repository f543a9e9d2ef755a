import { describe, expect, it } from 'vitest';
import {
  fileContext,
  parseScenarioText,
  SCENARIOS_DIR,
  type ScenarioContext,
} from '../../../server/scenarios/loadScenario';

const ctx = fileContext(SCENARIOS_DIR) as ScenarioContext;

/** A scenario whose texts are given in both languages (YAML). */
const BILINGUAL = [
  'name:', // 1
  '  en: Jam drill', // 2
  '  zh-CN: 卡料演练', // 3
  'description:', // 4
  '  en: A conveyor jams on line 1.', // 5
  '  zh-CN: 1 号产线输送机卡料。', // 6
  'learningGoal: Reset a jam quickly.', // 7
  'durationS: 600', // 8
  'timeline:', // 9
  '  - atS: 20', // 10
  '    message:', // 11
  '      en: Reset the jam.', // 12
  '      zh-CN: 请复位卡料。', // 13
  'expectations:', // 14
  '  - type: line-running', // 15
  '    line: L1', // 16
  '    byS: 300', // 17
  '    label: { en: Line 1 back by 5 min, zh-CN: 5 分钟内恢复 1 号产线 }', // 18
];

function parse(lines: string[]) {
  return parseScenarioText(lines.join('\n'), 'yaml', 'jam-drill', ctx);
}

describe('scenario texts in two languages', () => {
  it('keeps English as the base text and the Chinese beside it', () => {
    const r = parse(BILINGUAL);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const s = r.scenario;
    expect(s.name).toBe('Jam drill');
    expect(s.description).toBe('A conveyor jams on line 1.');
    expect(s.learningGoal).toBe('Reset a jam quickly.');
    expect(s.translations).toEqual({ 'zh-CN': { name: '卡料演练', description: '1 号产线输送机卡料。' } });
    expect(s.timeline[0].action).toEqual({
      type: 'message',
      text: 'Reset the jam.',
      texts: { 'zh-CN': '请复位卡料。' },
    });
    expect(s.expectations[0]).toMatchObject({
      label: 'Line 1 back by 5 min',
      labels: { 'zh-CN': '5 分钟内恢复 1 号产线' },
    });
  });

  it('still takes plain strings, with no translations', () => {
    const plain = BILINGUAL.slice();
    plain.splice(0, 6, 'name: Jam drill', 'description: A jam.');
    const r = parse(plain);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.scenario.translations).toBeUndefined();
    expect(r.scenario.name).toBe('Jam drill');
  });

  it('names the path and line of a bad translation', () => {
    const edit = (n: number, text: string) => BILINGUAL.map((l, i) => (i + 1 === n ? text : l));
    const empty = parse(edit(3, "  zh-CN: ''"));
    expect(empty.ok ? [] : empty.errors).toEqual(['name.zh-CN: must not be empty (line 3)']);
    const other = parse(edit(3, '  fr: Exercice'));
    expect(other.ok ? [] : other.errors).toEqual(['name.fr: unknown field (line 3)']);
    const noEnglish = parse(edit(12, '      zh_CN: 请复位卡料。'));
    expect(noEnglish.ok ? [] : noEnglish.errors).toEqual([
      'timeline[0].message: expected a text string or { "en": "...", "zh-CN": "..." } (line 12)',
    ]);
    const long = parse(edit(13, `      zh-CN: ${'长'.repeat(501)}`));
    expect(long.ok ? [] : long.errors).toEqual([
      'timeline[0].message.zh-CN: expected at most 500 characters (line 13)',
    ]);
  });
});
