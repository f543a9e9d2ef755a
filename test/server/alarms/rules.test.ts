import { describe, expect, it } from 'vitest';
import { compileRules } from '../../../server/alarms/compile';
import { DEFAULT_RULES, loadRulesFile, parseRules } from '../../../server/alarms/ruleSchema';
import { defaultLayout } from '../../helpers/server';

const base = {
  id: 'r',
  kind: 'robot-arm',
  type: 'high',
  signal: 'j2Temp',
  limit: 80,
  priority: 'high',
  message: '{name} hot',
};

describe('alarm rules as data', () => {
  it('ships default rules that validate and fit the default plant', () => {
    const r = loadRulesFile(DEFAULT_RULES);
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (!r.ok) return;
    const c = compileRules(r.rules, defaultLayout());
    expect(c.ok ? [] : c.errors).toEqual([]);
    if (c.ok) expect(c.compiled.count).toBeGreaterThan(50);
  });

  it('names the path of every problem', () => {
    const r = parseRules({
      rules: [
        base,
        base,
        { ...base, id: 'x', deadband: -1 },
        { ...base, id: 'y', priority: 'urgent', onDelayS: 'soon' },
      ],
    });
    expect(r.ok).toBe(false);
    const errors = r.ok ? '' : r.errors.join('\n');
    expect(errors).toContain('rules[2].deadband: expected a number >= 0');
    expect(errors).toContain('rules[3].priority: expected one of: critical, high, medium, low');
    expect(errors).toContain('rules[3].onDelayS: expected a number >= 0');
  });

  it('refuses a signal the kind does not report', () => {
    const r = parseRules({ rules: [{ ...base, signal: 'payload' }] });
    expect(r.ok ? [] : r.errors).toEqual([
      expect.stringMatching(/^rules\[0\]\.signal: unknown signal "payload" for robot-arm/),
    ]);
  });

  it('refuses unknown keys, unknown types and unknown placeholders', () => {
    const r = parseRules({
      rules: [
        { ...base, colour: 'red' },
        { ...base, id: 'b', type: 'spike' },
        { ...base, id: 'c', message: '{nmae} hot' },
      ],
    });
    const errors = r.ok ? '' : r.errors.join('\n');
    expect(errors).toMatch(/rules\[0\]/);
    expect(errors).toMatch(/rules\[1\]\.type: expected "type" to be one of/);
    expect(errors).toMatch(/rules\[2\]\.message: unknown placeholder/);
  });

  it('refuses duplicate ids and rules with no target', () => {
    const r = parseRules({ rules: [base, base, { ...base, id: 'd', kind: undefined }] });
    const errors = r.ok ? '' : r.errors.join('\n');
    expect(errors).toContain('rules[1].id: duplicate id "r"');
    expect(errors).toContain('rules[2]: expected "kind" or "equipment"');
  });

  it('refuses equipment the plant does not have, and signals its kind does not report', () => {
    const ok = parseRules({
      rules: [
        { ...base, kind: undefined, equipment: ['L1-R1', 'NOPE'] },
        { ...base, id: 'b', kind: undefined, equipment: ['AGV-01'] },
      ],
    });
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    const c = compileRules(ok.rules, defaultLayout());
    const errors = c.ok ? '' : c.errors.join('\n');
    expect(errors).toContain('rules[0].equipment[1]: no equipment "NOPE" in the plant');
    expect(errors).toContain('rules[1].signal: unknown signal "j2Temp" for agv');
  });

  it('reads a missing or broken file as a message, not an exception', () => {
    expect(loadRulesFile('/nonexistent/rules.json')).toMatchObject({ ok: false });
  });
});
