import { describe, expect, it } from 'vitest';
import type { ScenarioAction } from '../../../protocol/scenario';
import { applyCommand, applyScenarioAction, simulatedFaults, type World } from '../../../server/sim';
import { quietWorld, run, runUntil, sig, stateOf } from './scenarioWorld';

/** ISO 10816-3 zone boundaries, mm/s RMS (group 2, rigid foundation). */
const ZONE_C = 2.8;
const ZONE_D = 4.5;

function act(w: World, action: ScenarioAction): void {
  const r = applyScenarioAction(w, action);
  if (!r.ok) throw new Error(r.message);
}

describe('scripted machine faults', () => {
  it('heats a robot joint at its ramp above the untouched plant, trips it at 85 °C and refuses a reset until it cooled', () => {
    const w = quietWorld(3);
    const control = quietWorld(3);
    act(w, {
      type: 'fault',
      fault: { kind: 'joint-overheat', equipment: 'L1-R2', joint: 2, rateKPerMin: 6 },
    });
    run(w, 120);
    run(control, 120);
    // The ramp rides on the plant's own thermal model: exactly rate × time above the same arm untouched.
    expect(sig(w, 'L1-R2', 'j2Temp') - sig(control, 'L1-R2', 'j2Temp')).toBeCloseTo(12, 1);
    expect(sig(w, 'L1-R2', 'j3Temp')).toBeCloseTo(sig(control, 'L1-R2', 'j3Temp'), 6);

    const events = run(w, 600, () => stateOf(w, 'L1-R2') === 'fault');
    const trip = events.find((e) => e.type === 'fault' && e.equipmentId === 'L1-R2');
    expect(trip?.simulated).toBe(true);
    expect(trip?.message).toMatch(/J2 motor over-temperature \(8[5-9]\.\d °C\)/);
    expect(stateOf(w, 'L1-VIS')).toBe('starved');
    const early = applyCommand(w, { equipmentId: 'L1-R2', action: 'reset' });
    expect(early.ok).toBe(false);
    expect(early.message).toMatch(/reset allowed below 60 °C/);

    expect(runUntil(w, 600, () => sig(w, 'L1-R2', 'j2Temp') < 60)).not.toBeNaN();
    expect(applyCommand(w, { equipmentId: 'L1-R2', action: 'reset' }).ok).toBe(true);
    const after = run(w, 5);
    expect(after.some((e) => e.type === 'recovery' && e.equipmentId === 'L1-R2' && e.simulated)).toBe(true);
    expect(stateOf(w, 'L1-R2')).toBe('running');
    expect(simulatedFaults(w)).toEqual([]);
  });

  it('heats a joint only while its servo is powered: a stopped robot cools and never trips', () => {
    const w = quietWorld(3);
    act(w, {
      type: 'fault',
      fault: { kind: 'joint-overheat', equipment: 'L2-R4', joint: 3, rateKPerMin: 8 },
    });
    run(w, 180);
    const hot = sig(w, 'L2-R4', 'j3Temp');
    expect(applyCommand(w, { equipmentId: 'L2-R4', action: 'stop' }).ok).toBe(true);
    const events = run(w, 900);
    expect(sig(w, 'L2-R4', 'j3Temp')).toBeLessThan(hot - 10);
    expect(events.some((e) => e.type === 'fault')).toBe(false);
    expect(simulatedFaults(w)).toEqual([
      { kind: 'joint-overheat', target: 'L2-R4', sinceS: expect.any(Number), phase: 'active' },
    ]);
  });

  it('wears a bearing through ISO 10816 zone C, then zone D, then fails; a reset is refused and a clear repairs it', () => {
    const w = quietWorld(5);
    const injectedS = w.simTimeS;
    act(w, { type: 'fault', fault: { kind: 'bearing-wear', equipment: 'L1-C3', failAfterS: 300 } });
    let zoneC = Number.NaN;
    let zoneD = Number.NaN;
    const events = run(w, 400, () => {
      const v = sig(w, 'L1-C3', 'vibration');
      if (v > ZONE_C && Number.isNaN(zoneC)) zoneC = w.simTimeS;
      if (v > ZONE_D && Number.isNaN(zoneD)) zoneD = w.simTimeS;
      return stateOf(w, 'L1-C3') === 'fault';
    });
    const failure = events.find((e) => e.type === 'fault' && e.equipmentId === 'L1-C3');
    expect(failure?.simulated).toBe(true);
    expect(failure?.message).toMatch(/bearing failed/);
    expect(zoneC).toBeLessThan(zoneD);
    expect(zoneD).toBeLessThan(failure!.simTimeS);
    // Zone C about halfway to failure: minutes of warning before it.
    expect(zoneC - injectedS).toBeGreaterThan(100);
    expect(failure!.simTimeS - injectedS).toBeCloseTo(300, -1);

    const reset = applyCommand(w, { equipmentId: 'L1', action: 'reset' });
    expect(reset.ok).toBe(false);
    expect(reset.message).toMatch(/must be replaced/);
    act(w, { type: 'clear', equipment: 'L1-C3' });
    run(w, 30);
    expect(stateOf(w, 'L1-C3')).toBe('running');
    expect(sig(w, 'L1-C3', 'vibration')).toBeLessThan(ZONE_C);
  });

  it('wears a bearing only while its machine runs', () => {
    const w = quietWorld(5);
    act(w, { type: 'fault', fault: { kind: 'bearing-wear', equipment: 'L3-R3', failAfterS: 120 } });
    expect(applyCommand(w, { equipmentId: 'L3', action: 'stop' }).ok).toBe(true);
    const idle = run(w, 400);
    expect(idle.some((e) => e.type === 'fault')).toBe(false);
    expect(sig(w, 'L3-R3', 'vibration')).toBeLessThan(ZONE_C);
    expect(applyCommand(w, { equipmentId: 'L3', action: 'start' }).ok).toBe(true);
    const startedS = w.simTimeS;
    const failedS = runUntil(w, 300, () => stateOf(w, 'L3-R3') === 'fault');
    expect(failedS - startedS).toBeGreaterThan(110);
    expect(failedS - startedS).toBeLessThan(140);
  });

  it('jams a conveyor: its line stops (blocked upstream, starved downstream) until someone resets it', () => {
    const w = quietWorld(4);
    act(w, { type: 'fault', fault: { kind: 'conveyor-jam', equipment: 'L2-C2' } });
    const events = run(w, 200);
    expect(events.filter((e) => e.equipmentId === 'L2-C2').map((e) => [e.type, e.simulated])).toEqual([
      ['fault', true],
    ]);
    expect([stateOf(w, 'L2-C2'), stateOf(w, 'L2-C1'), stateOf(w, 'L2-VIS')]).toEqual([
      'fault',
      'blocked',
      'starved',
    ]);
    expect(applyCommand(w, { equipmentId: 'L2-C2', action: 'reset' }).ok).toBe(true);
    const after = run(w, 10);
    expect(after.some((e) => e.type === 'recovery' && e.equipmentId === 'L2-C2' && e.simulated)).toBe(true);
    expect(stateOf(w, 'L2-VIS')).toBe('running');
  });

  it('dips a line’s power: all its robots and conveyors trip together and restart when the voltage is back', () => {
    const w = quietWorld(4);
    act(w, { type: 'fault', fault: { kind: 'power-dip', line: 'L3', durationS: 2, autoRestart: true } });
    run(w, 1);
    for (const id of ['L3-C1', 'L3-R1', 'L3-R4', 'L3-C3']) expect(stateOf(w, id), id).toBe('fault');
    expect(stateOf(w, 'L1-C1')).toBe('running');
    run(w, 2);
    expect(stateOf(w, 'L3-C1')).toBe('running');
    expect(simulatedFaults(w)).toEqual([]);
  });

  it('leaves a line tripped after a power dip without auto-restart: a reset is refused during the dip and accepted after', () => {
    const w = quietWorld(4);
    act(w, { type: 'fault', fault: { kind: 'power-dip', line: 'L1', durationS: 5, autoRestart: false } });
    run(w, 1);
    const during = applyCommand(w, { equipmentId: 'L1', action: 'reset' });
    expect(during.ok).toBe(false);
    expect(during.message).toMatch(/voltage is still low/);
    run(w, 60);
    expect(stateOf(w, 'L1-R3')).toBe('fault');
    expect(applyCommand(w, { equipmentId: 'L1', action: 'reset' }).ok).toBe(true);
    run(w, 5);
    expect(stateOf(w, 'L1-R3')).toBe('running');
    expect(stateOf(w, 'L1-VIS')).toBe('running');
  });

  it('defocuses a camera: its focus falls, good units are rejected, and a recalibration ends it', () => {
    const w = quietWorld(6);
    act(w, {
      type: 'fault',
      fault: { kind: 'camera-defocus', equipment: 'L1-VIS', focusPct: 70, falseRejectRate: 0.12 },
    });
    run(w, 400);
    expect(sig(w, 'L1-VIS', 'focus')).toBe(70);
    expect(sig(w, 'L1-VIS', 'defectRate')).toBeGreaterThan(6);
    expect(stateOf(w, 'L1-VIS')).toBe('running');
    expect(applyCommand(w, { equipmentId: 'L1-VIS', action: 'recalibrate' }).ok).toBe(true);
    run(w, 25);
    expect(simulatedFaults(w)).toEqual([]);
    expect(sig(w, 'L1-VIS', 'focus')).toBeGreaterThan(95);
    run(w, 900);
    expect(sig(w, 'L1-VIS', 'defectRate')).toBeLessThan(3);
  });

  it('raises a transformer’s top oil by the scripted rise over the untouched plant, and the drone patrol reports it', () => {
    const w = quietWorld(4);
    const control = quietWorld(4);
    act(w, {
      type: 'fault',
      fault: { kind: 'transformer-overheat', equipment: 'TX-02', riseK: 40, rampS: 300 },
    });
    run(control, 150);
    run(w, 150);
    expect(sig(w, 'TX-02', 'oilTemp') - sig(control, 'TX-02', 'oilTemp')).toBeCloseTo(20, 1);
    run(control, 450);
    const events = run(w, 450);
    expect(sig(w, 'TX-02', 'oilTemp') - sig(control, 'TX-02', 'oilTemp')).toBeCloseTo(40, 1);
    expect(sig(w, 'TX-02', 'windingTemp') - sig(control, 'TX-02', 'windingTemp')).toBeCloseTo(40, 1);
    expect(sig(w, 'TX-01', 'oilTemp')).toBeCloseTo(sig(control, 'TX-01', 'oilTemp'), 6);
    const reports = events.filter((e) => e.equipmentId === 'DR-02' && /patrol complete/.test(e.message));
    expect(reports.at(-1)?.message).toMatch(/hottest TX-02/);
  });
});
