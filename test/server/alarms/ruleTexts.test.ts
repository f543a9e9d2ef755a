import { describe, expect, it } from 'vitest';
import { ALARM_TEXT_CODE, renderAlarmTemplate, STATE_CODE } from '../../../protocol';
import { AlarmBook } from '../../../server/alarms/alarmBook';
import { compileRules } from '../../../server/alarms/compile';
import { parseRules } from '../../../server/alarms/ruleSchema';
import { createWorld } from '../../../server/sim';
import { openAlarmStore } from '../../../server/store/alarmStore';
import { defaultLayout } from '../../helpers/server';

const layout = defaultLayout();
const T0 = 1_700_000_000_000;
const base = { id: 'r', kind: 'robot-arm', type: 'high', signal: 'j2Temp', limit: 80, priority: 'high' };

function errorsOf(message: unknown): string[] {
  const r = parseRules({ rules: [{ ...base, message }] });
  return r.ok ? [] : r.errors;
}

/** A book over the rules, a world that is never stepped, and a clock we drive. */
function rig(rules: unknown[]) {
  const parsed = parseRules({ rules });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const c = compileRules(parsed.rules, layout);
  if (!c.ok) throw new Error(c.errors.join('\n'));
  const book = new AlarmBook(c.compiled, openAlarmStore(':memory:'), layout);
  const world = createWorld(layout, 1, { faults: false });
  const eq = (id: string) => world.equipment.find((e) => e.id === id)!;
  let simS = 0;
  const tick = () => {
    simS += 0.1;
    return book.tick(world.equipment, simS, T0 + simS * 1000, true);
  };
  return { book, eq, tick };
}

describe('alarm rule messages in two languages', () => {
  it('accepts a plain string and an { en, zh-CN } pair', () => {
    expect(errorsOf('{name} hot')).toEqual([]);
    expect(errorsOf({ en: '{name} hot', 'zh-CN': '{name} 过热' })).toEqual([]);
    expect(errorsOf({ en: '{name} hot' })).toEqual([]);
  });

  it('names the path and the problem of a bad translation', () => {
    expect(errorsOf({ en: '{name} hot', 'zh-CN': '{nmae} 过热' })).toEqual([
      'rules[0].message.zh-CN: unknown placeholder; expected {id} {name} {value} {limit} {unit}',
    ]);
    expect(errorsOf({ en: '{name} hot', 'zh-CN': '' })).toEqual([
      'rules[0].message.zh-CN: must not be empty',
    ]);
    expect(errorsOf({ en: '{name} hot', fr: 'chaud' })).toEqual(['rules[0].message: Unrecognized key: "fr"']);
    expect(errorsOf({ 'zh-CN': '过热' })).toEqual([
      'rules[0].message: expected a text string or { "en": "...", "zh-CN": "..." }',
    ]);
    expect(errorsOf(42)).toEqual([
      'rules[0].message: expected a text string or { "en": "...", "zh-CN": "..." }',
    ]);
  });

  it('raises alarms whose code and params render the English message, and the Chinese one from the template', () => {
    const r = rig([
      {
        id: 'jam',
        kind: 'conveyor',
        type: 'state',
        states: ['fault'],
        priority: 'high',
        message: { en: '{name} ({id}) fault, limit {limit}', 'zh-CN': '{name}（{id}）故障，限值 {limit}' },
      },
    ]);
    expect(r.book.templates).toEqual({
      jam: { en: '{name} ({id}) fault, limit {limit}', 'zh-CN': '{name}（{id}）故障，限值 {limit}' },
    });
    r.eq('L1-C2').state = STATE_CODE.fault;
    const [t] = r.tick();
    const a = t.alarm;
    expect(a.message).toBe('L1 conveyor 2 (L1-C2) fault, limit —');
    expect(a.text).toEqual({ code: ALARM_TEXT_CODE, params: { rule: 'jam', id: 'L1-C2' } });
    const spec = layout.equipment.find((e) => e.id === 'L1-C2')!;
    const params = a.text?.params ?? {};
    expect(renderAlarmTemplate(r.book.templates.jam.en, params, spec.name)).toBe(a.message);
    expect(renderAlarmTemplate(r.book.templates.jam['zh-CN'] ?? '', params, '一号线 2 号输送机')).toBe(
      '一号线 2 号输送机（L1-C2）故障，限值 —',
    );
  });

  it('gives a limit alarm its value, limit and unit as params, rounded as the message shows them', () => {
    const r = rig([{ ...base, limit: 0.04, deadband: 0, message: '{id} {value} {unit} > {limit} {unit}' }]);
    const arm = layout.equipment.find((e) => e.kind === 'robot-arm')!;
    const w = r.eq(arm.id);
    w.signals.fill(0.1234); // every signal, j2Temp among them, just above the limit
    const raised = r.tick().find((t) => t.to === 'unacknowledged');
    expect(raised).toBeDefined();
    const a = raised!.alarm;
    expect(a.text?.params).toEqual({ rule: 'r', id: arm.id, value: 0.1, limit: 0, unit: '°C' });
    expect(a.message).toBe(`${arm.id} 0.1 °C > 0 °C`);
  });

  it('keeps the template of a plain-string rule as its English', () => {
    const r = rig([{ ...base, message: '{name} hot' }]);
    expect(r.book.templates).toEqual({ r: { en: '{name} hot' } });
  });
});
