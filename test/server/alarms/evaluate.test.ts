import { describe, expect, it } from 'vitest';
import { STATE_CODE, signalIndex } from '../../../protocol';
import { compileRules } from '../../../server/alarms/compile';
import {
  computeSuppression,
  createConditionState,
  evaluateConditions,
} from '../../../server/alarms/evaluate';
import { parseRules } from '../../../server/alarms/ruleSchema';
import { createWorld } from '../../../server/sim';
import { defaultLayout } from '../../helpers/server';

const layout = defaultLayout();

/** One rule on L1-R1 (or `equipment`), a world that is never stepped, and a way to drive it. */
function rig(rule: Record<string, unknown>, equipment = ['L1-R1']) {
  const parsed = parseRules({ rules: [{ id: 'r', equipment, priority: 'high', message: 'm', ...rule }] });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const c = compileRules(parsed.rules, layout);
  if (!c.ok) throw new Error(c.errors.join('\n'));
  const world = createWorld(layout, 1);
  const s = createConditionState(c.compiled, world.equipment.length);
  const eq = world.equipment.find((e) => e.id === equipment[0])!;
  const raises: number[] = [];
  let clears = 0;
  /** Feeds values at 10 Hz from t0; returns the times the alarm was raised. */
  const feed = (values: number[], signal: string, t0 = 0) => {
    values.forEach((v, i) => {
      eq.signals[signalIndex(eq.kind, signal)] = v;
      const t = t0 + i * 0.1;
      if (evaluateConditions(c.compiled, s, world.equipment, t) > 0) {
        if (s.cond[0]) raises.push(Math.round(t * 10) / 10);
        else clears++;
      }
    });
  };
  return { c: c.compiled, s, world, eq, feed, raises, clears: () => clears };
}

const repeat = (v: number, n: number) => Array.from({ length: n }, () => v);

describe('alarm conditions', () => {
  it('raises one alarm, not dozens, for a signal hovering at its limit (deadband)', () => {
    const r = rig({ type: 'high', signal: 'j2Temp', limit: 80, deadband: 2 });
    // ±1 °C noise around the limit for a minute.
    r.feed(
      Array.from({ length: 600 }, (_, i) => 80 + (i % 2 ? 1 : -1) * 0.9),
      'j2Temp',
    );
    expect(r.raises).toHaveLength(1);
    expect(r.clears()).toBe(0);
    r.feed(repeat(77.9, 5), 'j2Temp', 60);
    expect(r.clears()).toBe(1);
  });

  it('raises none for a spike shorter than the on-delay, and one for a longer one', () => {
    const r = rig({ type: 'high', signal: 'j2Temp', limit: 80, onDelayS: 3 });
    r.feed([...repeat(70, 10), ...repeat(95, 25), ...repeat(70, 10)], 'j2Temp');
    expect(r.raises).toEqual([]);
    r.feed([...repeat(95, 40)], 'j2Temp', 10);
    expect(r.raises).toEqual([13]);
  });

  it('holds the alarm through a dip shorter than the off-delay', () => {
    const r = rig({ type: 'low', signal: 'current', limit: 5, offDelayS: 2 });
    r.feed([...repeat(1, 10), ...repeat(9, 15), ...repeat(1, 10), ...repeat(9, 30)], 'current');
    expect(r.raises).toEqual([0]);
    expect(r.clears()).toBe(1);
  });

  it('watches the worst of several signals', () => {
    const r = rig({ type: 'high', signal: ['j2Temp', 'j3Temp'], limit: 80 });
    r.eq.signals[signalIndex('robot-arm', 'j2Temp')] = 30;
    r.feed([85], 'j3Temp');
    expect(r.raises).toEqual([0]);
    expect(r.s.value[0]).toBe(85);
  });

  it('measures deviation from a setpoint', () => {
    const r = rig({ type: 'deviation', signal: 'cycleTime', setpoint: 6, band: 1 });
    r.feed([6.5, 5.2, 7.5], 'cycleTime');
    expect(r.raises).toEqual([0.2]);
  });

  it('measures the rate of change per minute over its window', () => {
    const r = rig({ type: 'rate', signal: 'j2Temp', limit: 6, per: 'min', windowS: 1 });
    // 0.05 °C per 0.1 s = 30 °C/min.
    r.feed(
      Array.from({ length: 30 }, (_, i) => 40 + i * 0.05),
      'j2Temp',
    );
    expect(r.raises).toEqual([1]);
  });

  it('raises a state alarm while the machine is in one of the states', () => {
    const r = rig({ type: 'state', states: ['fault'] });
    r.eq.state = STATE_CODE.fault;
    r.feed([0], 'current');
    expect(r.raises).toEqual([0]);
  });

  it('calls a frozen value or an offline machine stale', () => {
    const r = rig({ type: 'stale', signal: 'current', staleS: 5, offline: false });
    r.feed(repeat(3, 70), 'current');
    expect(r.raises).toEqual([5]);
    const o = rig({ type: 'stale' }, ['TX-01']);
    o.eq.state = STATE_CODE.offline;
    o.feed([0], 'load');
    expect(o.raises).toEqual([0]);
  });

  it('suppresses equipment in maintenance and the consequences of a line stop, not the cause', () => {
    const r = rig({ type: 'state', states: ['fault'] });
    const id = (x: string) => layout.equipment.findIndex((e) => e.id === x);
    const flow = layout.lines[0].flow.map(id);
    for (const i of flow) r.world.equipment[i].state = STATE_CODE.starved;
    r.world.equipment[id('L1-C2')].state = STATE_CODE.fault;
    r.world.equipment[id('L2-R1')].state = STATE_CODE.maintenance;
    computeSuppression(r.c.lineFlows, r.s, r.world.equipment, 0);
    expect(r.s.suppressed[id('L1-C2')]).toBe(0);
    expect(r.s.suppressed[id('L1-C3')]).toBe(1);
    expect(r.s.suppressed[id('L2-R1')]).toBe(1);
    // Without a cause, only the most upstream starved machine of the line speaks.
    r.world.equipment[id('L1-C2')].state = STATE_CODE.starved;
    computeSuppression(r.c.lineFlows, r.s, r.world.equipment, 1);
    expect(r.s.suppressed[flow[0]]).toBe(0);
    expect(r.s.suppressed[id('L1-C3')]).toBe(1);
  });
});
