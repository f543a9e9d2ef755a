import { describe, expect, it } from 'vitest';
import { signalIndex } from '../../../protocol';
import { createWorld, injectFault, SIM_DT_S, stepWorld } from '../../../server/sim';
import { defaultLayout } from '../../helpers/server';

/** ISO 10816-3 zone B/C boundary, mm/s RMS (group 2, rigid foundation). */
const ZONE_C = 2.8;

describe('vibration (ISO 10816-3 RMS velocity)', () => {
  it('stays in zone A/B on healthy conveyors and robot arms', () => {
    const w = createWorld(defaultLayout(), 2, { faults: false });
    const vc = signalIndex('conveyor', 'vibration');
    const va = signalIndex('robot-arm', 'vibration');
    let max = 0;
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3000; i++) {
      stepWorld(w, SIM_DT_S);
      for (const e of w.equipment) {
        const k = e.kind === 'conveyor' ? vc : e.kind === 'robot-arm' ? va : -1;
        if (k < 0) continue;
        max = Math.max(max, e.signals[k]);
        min = Math.min(min, e.signals[k]);
      }
    }
    expect(max).toBeLessThan(ZONE_C);
    expect(min).toBeGreaterThan(0);
  });

  it('rises into zone C on a robot arm whose joint brake drags, before the thermal trip', () => {
    const w = createWorld(defaultLayout(), 2, { faults: false });
    for (let i = 0; i < 50; i++) stepWorld(w, SIM_DT_S);
    expect(injectFault(w, 'L1-R3')).toBe(true);
    const arm = w.equipment.find((e) => e.id === 'L1-R3')!;
    const va = signalIndex('robot-arm', 'vibration');
    let peak = 0;
    for (let i = 0; i < 600; i++) {
      stepWorld(w, SIM_DT_S);
      peak = Math.max(peak, arm.signals[va]);
    }
    expect(peak).toBeGreaterThan(ZONE_C);
  });
});
