import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, loadRulesFile } from '../../../server/alarms/ruleSchema';
import { DEFAULT_PLANT, loadPlantFile } from '../../../server/plantFile';
import { loadScenarioLibrary, SCENARIOS_DIR } from '../../../server/scenarios/loadScenario';

/** Chinese text: at least one CJK ideograph (ids, numbers and units may stay Latin). */
const CHINESE = /[\u4e00-\u9fff]/;
const placeholders = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the shipped assets in both languages', () => {
  it('gives every alarm rule a Chinese message with the same placeholders as the English', () => {
    const r = loadRulesFile(DEFAULT_RULES);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.rules.length).toBeGreaterThan(20);
    for (const rule of r.rules) {
      const m = rule.message;
      if (typeof m === 'string') throw new Error(`${rule.id}: message has no zh-CN`);
      expect(m['zh-CN'], rule.id).toMatch(CHINESE);
      expect(placeholders(m['zh-CN'] ?? ''), rule.id).toEqual(placeholders(m.en));
    }
  });

  it('names the plant, every zone, line, piece of equipment and viewpoint in Chinese', () => {
    const p = loadPlantFile(DEFAULT_PLANT);
    if (!p.ok) throw new Error(p.errors.join('\n'));
    const l = p.layout;
    expect(l.names?.['zh-CN']).toMatch(CHINESE);
    for (const x of [...l.zones, ...l.lines, ...l.equipment, ...l.viewpoints])
      expect(x.names?.['zh-CN'], x.id).toMatch(CHINESE);
  });

  it('loads every scenario file and gives every text of it in Chinese', () => {
    const files = readdirSync(SCENARIOS_DIR).filter((f) => /\.(ya?ml|json)$/.test(f));
    const lib = loadScenarioLibrary();
    expect(lib.errors).toEqual([]);
    expect(lib.scenarios.size).toBe(files.length);
    for (const { scenario: s } of lib.scenarios.values()) {
      const zh = s.translations?.['zh-CN'];
      for (const k of ['name', 'description', 'learningGoal'] as const)
        expect(zh?.[k], `${s.id} ${k}`).toMatch(CHINESE);
      for (const st of s.timeline)
        if (st.action.type === 'message')
          expect(st.action.texts?.['zh-CN'], `${s.id} step ${st.index}`).toMatch(CHINESE);
      for (const e of s.expectations) expect(e.labels?.['zh-CN'], `${s.id} ${e.id}`).toMatch(CHINESE);
    }
  });

  it('keeps Chinese out of the English base texts', () => {
    const rules = JSON.parse(readFileSync(DEFAULT_RULES, 'utf8')) as { rules: { message: { en: string } }[] };
    for (const r of rules.rules) expect(r.message.en).not.toMatch(CHINESE);
    const lib = loadScenarioLibrary();
    for (const { scenario: s } of lib.scenarios.values())
      for (const t of [s.name, s.description, s.learningGoal, ...s.expectations.map((e) => e.label)])
        expect(t, s.id).not.toMatch(CHINESE);
  });
});
