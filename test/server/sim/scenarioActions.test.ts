import { describe, expect, it } from 'vitest';
import type { ScenarioAction } from '../../../protocol/scenario';
import {
  applyCommand,
  applyScenarioAction,
  isSimulated,
  type PlantEventDraft,
  simulatedFaults,
  type World,
} from '../../../server/sim';
import { quietWorld, run, sig, snapshot, stateOf } from './scenarioWorld';

function act(w: World, action: ScenarioAction): string {
  const r = applyScenarioAction(w, action);
  if (!r.ok) throw new Error(r.message);
  return r.message;
}

/** Signals, states and poses of every machine, for comparing two runs. */
const fingerprint = (w: World) =>
  JSON.stringify(w.equipment.map((e) => [e.state, Array.from(e.signals), e.pose && Array.from(e.pose)]));

describe('scenario actions on the simulation', () => {
  it.each<[string, ScenarioAction, RegExp]>([
    [
      'a jam on a robot arm',
      { type: 'fault', fault: { kind: 'conveyor-jam', equipment: 'L1-R1' } },
      /not a conveyor/,
    ],
    [
      'an overheat on a conveyor',
      { type: 'fault', fault: { kind: 'joint-overheat', equipment: 'L1-C1', joint: 2, rateKPerMin: 3 } },
      /not a robot arm/,
    ],
    [
      'an overheat of a joint the arm does not have',
      { type: 'fault', fault: { kind: 'joint-overheat', equipment: 'L1-R1', joint: 9, rateKPerMin: 3 } },
      /joint 1-6/,
    ],
    [
      'an outage of an AGV',
      { type: 'fault', fault: { kind: 'cell-outage', equipment: 'AGV-01' } },
      /not a 5G cell/,
    ],
    [
      'unknown equipment',
      { type: 'fault', fault: { kind: 'conveyor-jam', equipment: 'L9-C1' } },
      /no equipment "L9-C1"/,
    ],
    [
      'a power dip on an unknown line',
      { type: 'fault', fault: { kind: 'power-dip', line: 'L9', durationS: 1, autoRestart: true } },
      /no line "L9"/,
    ],
    [
      'a defocus of a robot',
      {
        type: 'fault',
        fault: { kind: 'camera-defocus', equipment: 'L1-R1', focusPct: 60, falseRejectRate: 0.1 },
      },
      /not the vision station of a line/,
    ],
    [
      'a defect rate on a conveyor',
      { type: 'set', set: { parameter: 'defect-rate', equipment: 'L1-C1', value: 0.2 } },
      /not the vision station/,
    ],
    ['a clear with nothing injected', { type: 'clear', equipment: 'L1-C1' }, /no scripted fault to clear/],
    [
      'a refused command',
      { type: 'command', command: { equipment: 'L1-C1', action: 'start' } },
      /not stopped/,
    ],
  ])('refuses %s and changes nothing', (_, action, why) => {
    const w = quietWorld(2);
    const control = quietWorld(2);
    const before = snapshot(w);
    const r = applyScenarioAction(w, action);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(why);
    expect(snapshot(w)).toBe(before);
    // ... and the world steps on exactly as one that was never asked.
    expect(JSON.stringify(run(w, 60))).toBe(JSON.stringify(run(control, 60)));
    expect(fingerprint(w)).toBe(fingerprint(control));
  });

  it('refuses a second scripted fault of the same kind on the same equipment', () => {
    const w = quietWorld(2);
    act(w, { type: 'fault', fault: { kind: 'conveyor-jam', equipment: 'L1-C2' } });
    const again = applyScenarioAction(w, {
      type: 'fault',
      fault: { kind: 'conveyor-jam', equipment: 'L1-C2' },
    });
    expect(again).toEqual({
      ok: false,
      message: 'L1-C2 already has a scripted conveyor-jam',
      text: {
        code: 'scenario.refused.alreadyScripted',
        params: { equipment: 'L1-C2', kind: 'conveyor-jam' },
      },
    });
  });

  it('marks what it injects as simulated: the faults in the world and their events, not the plant’s own', () => {
    const w = quietWorld(2);
    act(w, { type: 'fault', fault: { kind: 'conveyor-jam', equipment: 'L3-C2' } });
    act(w, { type: 'fault', fault: { kind: 'bearing-wear', equipment: 'L1-R4', failAfterS: 600 } });
    act(w, { type: 'fault', fault: { kind: 'power-dip', line: 'L2', durationS: 30, autoRestart: true } });
    expect(simulatedFaults(w).map((f) => [f.kind, f.target, f.phase])).toEqual([
      ['conveyor-jam', 'L3-C2', 'tripped'],
      ['bearing-wear', 'L1-R4', 'active'],
      ['power-dip', 'L2', 'tripped'],
    ]);
    expect(['L3-C2', 'L1-R4', 'L2-R3', 'L2-C1'].map((id) => isSimulated(w, id))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['L3-C1', 'L1-R3', 'L2-VIS'].map((id) => isSimulated(w, id))).toEqual([false, false, false]);
    const events = run(w, 40);
    const jam = events.find((e) => e.equipmentId === 'L3-C2');
    expect(jam?.simulated).toBe(true);
    const dip = events.filter((e) => e.message.includes('L2'));
    expect(dip.length).toBeGreaterThan(2);
    expect(dip.every((e) => e.simulated)).toBe(true);
    // The plant's own reaction (a feeder refilled, a drone launch) is not marked.
    expect(events.filter((e) => !e.simulated).every((e) => !/L3-C2|L2-/.test(e.equipmentId ?? ''))).toBe(
      true,
    );
    expect(isSimulated(w, 'L2-R3')).toBe(false);
  });

  it('gives the same run for the same seed and the same scripted actions', () => {
    const script = (w: World) => {
      const events: PlantEventDraft[] = [];
      act(w, { type: 'fault', fault: { kind: 'uplink-congestion', equipment: '5G-C1', capacityPct: 40 } });
      events.push(...run(w, 60));
      act(w, { type: 'fault', fault: { kind: 'bearing-wear', equipment: 'L2-C1', failAfterS: 240 } });
      act(w, { type: 'fault', fault: { kind: 'cell-outage', equipment: '5G-C5' } });
      events.push(...run(w, 300));
      act(w, { type: 'clear', equipment: '5G-C1' });
      events.push(...run(w, 60));
      return JSON.stringify(events) + fingerprint(w);
    };
    const a = script(quietWorld(31));
    const b = script(quietWorld(31));
    expect(a).toBe(b);
    expect(a).not.toBe(script(quietWorld(32)));
  });

  it('changes a line to a new product: held in maintenance through the changeover, then waits for a start at the new takt', () => {
    const w = quietWorld(8);
    act(w, {
      type: 'set',
      set: { parameter: 'order-mix', line: 'L3', product: 'housing-B', taktS: 2.5, changeoverS: 120 },
    });
    const events = run(w, 60);
    expect(events.some((e) => /L3 changeover to housing-B started/.test(e.message))).toBe(true);
    expect(stateOf(w, 'L3-C1')).toBe('maintenance');
    const early = applyCommand(w, { equipmentId: 'L3', action: 'start' });
    expect(early.ok).toBe(false);
    expect(early.message).toMatch(/in maintenance/);
    const done = run(w, 61);
    expect(done.some((e) => /changeover to housing-B complete/.test(e.message))).toBe(true);
    expect(stateOf(w, 'L3-C1')).toBe('idle');
    expect(applyCommand(w, { equipmentId: 'L3', action: 'start' }).ok).toBe(true);
    run(w, 30);
    // One unit per 0.5 m pitch every 2.5 s: 0.2 m/s, 24 units/min.
    expect(sig(w, 'L3-C1', 'beltSpeed')).toBeCloseTo(0.2, 6);
    expect(sig(w, 'L3-C1', 'throughput')).toBeCloseTo(24, 6);
  });

  it('sets a line’s belt speed and a station’s true defect rate', () => {
    const w = quietWorld(9);
    act(w, { type: 'set', set: { parameter: 'belt-speed', line: 'L1', value: 0.45 } });
    act(w, { type: 'set', set: { parameter: 'defect-rate', equipment: 'L2-VIS', value: 0.2 } });
    run(w, 600);
    expect(sig(w, 'L1-C4', 'beltSpeed')).toBeCloseTo(0.45, 6);
    expect(sig(w, 'L2-VIS', 'defectRate')).toBeGreaterThan(12);
    expect(sig(w, 'L1-VIS', 'defectRate')).toBeLessThan(5);
  });

  it('sends a scripted command and answers a message step without touching the plant', () => {
    const w = quietWorld(2);
    const before = snapshot(w);
    expect(
      applyScenarioAction(w, {
        type: 'message',
        text: 'Watch line 2.',
        texts: { 'zh-CN': '注意 2 号产线。' },
      }),
    ).toEqual({
      ok: true,
      message: 'Watch line 2.',
      text: { code: 'text.localized', params: { en: 'Watch line 2.', 'zh-CN': '注意 2 号产线。' } },
    });
    expect(snapshot(w)).toBe(before);
    expect(
      act(w, { type: 'command', command: { equipment: 'AGV-04', action: 'go-to', node: 'TA-31' } }),
    ).toMatch(/TA-31/);
    run(w, 120);
    expect(stateOf(w, 'AGV-04')).toBe('idle');
  });
});
