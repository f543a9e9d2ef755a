import { describe, expect, it } from 'vitest';
import { kpiKey, kpiView } from '../../client/hud/kpiView';
import type { KpiUpdate } from '../../protocol';

const update = (oee: number, simTimeS = 10): KpiUpdate => ({
  simTimeS,
  lines: [
    {
      id: 'L1',
      name: 'Line 1',
      state: 'running',
      throughputPerHour: 412.4,
      total: 100,
      good: 97,
      fpy: 0.971,
      availability: 0.92,
      performance: 0.884,
      quality: 0.97,
      oee,
    },
  ],
  plant: {
    oee,
    throughputPerHour: 1200,
    agvUtilization: 0.5,
    connectedDevices: 42,
    latencyMs: 8.26,
    faults: 0,
  },
});

describe('kpiView', () => {
  it('formats plant and line figures for display', () => {
    const v = kpiView(update(0.7891));
    expect(v.oee).toBe('78.9 %');
    expect(v.agvUtilization).toBe('50 %');
    expect(v.devices).toBe('42');
    expect(v.latency).toBe('8.3 ms');
    expect(v.lines[0]).toMatchObject({
      oee: '78.9 %',
      availability: '92',
      performance: '88',
      quality: '97',
      throughput: '412',
      fpy: '97.1 %',
    });
  });

  it('shows placeholders before the first update', () => {
    expect(kpiView(null).lines).toEqual([]);
    expect(kpiView(null).oee).toBe('–');
  });

  it('keeps the same key when only undisplayed digits change', () => {
    expect(kpiKey(kpiView(update(0.78911, 10)))).toBe(kpiKey(kpiView(update(0.78912, 11))));
    expect(kpiKey(kpiView(update(0.7891)))).not.toBe(kpiKey(kpiView(update(0.7991))));
  });
});
