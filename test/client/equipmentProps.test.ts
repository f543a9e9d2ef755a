import { describe, expect, it } from 'vitest';
import { fieldValue, setEquipmentField } from '../../client/design/edits/equipmentFields';
import { type DraftLayout, findEquipment } from '../../client/design/layoutEdits';
import { checkName, checkProp, type PropField, propFieldsOf } from '../../client/design/propFields';
import { EQUIPMENT_KINDS } from '../../protocol';

const base: DraftLayout = {
  name: 'Test',
  zones: [{ id: 'HALL', name: 'Hall', kind: 'hall', min: [0, 0], max: [20, 10] }],
  equipment: [
    { id: 'R-01', name: 'Robot', kind: 'robot-arm', zone: 'HALL', position: [2, 0, 3] },
    { id: 'C-01', name: 'Belt', kind: 'conveyor', zone: 'HALL', position: [6, 0, 3], props: { length: 4 } },
  ],
};

const field = (kind: string, key: string): PropField => {
  const f = propFieldsOf(kind).find((x) => x.key === key);
  if (!f) throw new Error(`no ${kind}.${key}`);
  return f;
};

describe('equipment field edits', () => {
  it('sets a prop, creating the props object, and leaves the input untouched', () => {
    const next = setEquipmentField(base, 'R-01', { at: 'prop', key: 'reach' }, 2);
    expect(findEquipment(next, 'R-01')?.props).toEqual({ reach: 2 });
    expect(findEquipment(base, 'R-01')?.props).toBeUndefined();
    expect((next.equipment as unknown[])[1]).toBe((base.equipment as unknown[])[1]);
  });

  it('removes a prop, a line or a translation when given undefined', () => {
    const c = setEquipmentField(base, 'C-01', { at: 'prop', key: 'length' }, undefined);
    expect(findEquipment(c, 'C-01')?.props).toEqual({});
    const zh = setEquipmentField(base, 'R-01', { at: 'nameZh' }, '机器人');
    expect(findEquipment(zh, 'R-01')?.names).toEqual({ 'zh-CN': '机器人' });
    const back = setEquipmentField(zh, 'R-01', { at: 'nameZh' }, undefined);
    expect(findEquipment(back, 'R-01')).not.toHaveProperty('names');
    const lined = setEquipmentField(base, 'R-01', { at: 'line' }, 'L1');
    expect(fieldValue(findEquipment(lined, 'R-01')!, { at: 'line' })).toBe('L1');
    expect(
      findEquipment(setEquipmentField(lined, 'R-01', { at: 'line' }, undefined), 'R-01'),
    ).not.toHaveProperty('line');
  });

  it('returns the same layout when the value is already there or the equipment is unknown', () => {
    expect(setEquipmentField(base, 'R-01', { at: 'name' }, 'Robot')).toBe(base);
    expect(setEquipmentField(base, 'NOPE', { at: 'name' }, 'x')).toBe(base);
    expect(setEquipmentField({}, 'R-01', { at: 'zone' }, 'HALL')).toEqual({});
  });
});

describe('props form fields from the plant schema', () => {
  it('lists every prop of every kind, in the schema’s order, with units, limits and choices', () => {
    expect(propFieldsOf('robot-arm').map((f) => f.key)).toEqual(['task', 'cycleS', 'reach']);
    expect(field('robot-arm', 'task')).toMatchObject({ input: 'enum', fallback: 'pick-place' });
    expect(field('robot-arm', 'task').options).toEqual(['pick-place', 'screwdriving', 'dispensing']);
    expect(field('conveyor', 'beltSpeed')).toMatchObject({ input: 'number', unit: 'm/s', min: 0, max: 2 });
    expect(field('rack', 'capacity')).toMatchObject({ int: true, max: 100 });
    expect(field('agv', 'home')).toMatchObject({ input: 'node', optional: false });
    expect(field('charging-dock', 'node')).toMatchObject({ input: 'node', optional: true });
    expect(propFieldsOf('drone')).toEqual([]);
    expect(propFieldsOf('no-such-kind')).toEqual([]);
    for (const k of EQUIPMENT_KINDS) expect(Array.isArray(propFieldsOf(k))).toBe(true);
  });

  it('accepts numbers in range (a comma as decimal point) and refuses others in our words', () => {
    const belt = field('conveyor', 'beltSpeed');
    expect(checkProp(belt, '1,5')).toEqual({ ok: true, value: 1.5 });
    expect(checkProp(belt, '0')).toEqual({
      ok: false,
      problem: { key: 'design.check.above', params: { min: '0' } },
    });
    expect(checkProp(belt, '3')).toEqual({
      ok: false,
      problem: { key: 'design.check.atMost', params: { max: '2' } },
    });
    expect(checkProp(belt, 'fast')).toEqual({ ok: false, problem: { key: 'design.check.number' } });
    expect(checkProp(field('rack', 'capacity'), '2.5')).toEqual({
      ok: false,
      problem: { key: 'design.check.whole' },
    });
    expect(checkProp(field('vision-station', 'defectRate'), '-0.1')).toEqual({
      ok: false,
      problem: { key: 'design.check.atLeast', params: { min: '0' } },
    });
  });

  it('clears a prop with a default when emptied, and requires one without', () => {
    expect(checkProp(field('conveyor', 'beltSpeed'), ' ')).toEqual({ ok: true, value: undefined });
    expect(checkProp(field('conveyor', 'length'), '')).toEqual({
      ok: false,
      problem: { key: 'design.check.required' },
    });
  });

  it('checks text props’ length, node ids’ form and names', () => {
    expect(checkProp(field('base-station', 'band'), 'x'.repeat(21))).toEqual({
      ok: false,
      problem: { key: 'design.check.tooLong', params: { max: '20' } },
    });
    expect(checkProp(field('agv', 'home'), 'bad id')).toEqual({
      ok: false,
      problem: { key: 'design.check.id' },
    });
    expect(checkProp(field('agv', 'home'), 'N-1')).toEqual({ ok: true, value: 'N-1' });
    expect(checkName('', false)).toEqual({ ok: false, problem: { key: 'design.check.required' } });
    expect(checkName('', true)).toEqual({ ok: true, value: undefined });
    expect(checkName(' Robot ', false)).toEqual({ ok: true, value: 'Robot' });
    expect(checkName('x'.repeat(81), true).ok).toBe(false);
  });
});
