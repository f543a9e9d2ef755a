import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../../protocol';
import { chattering, computeAlarmStats, floodAt, topFrequent } from '../../../server/alarms/health';

const MIN = 60_000;
const T0 = 1_700_000_000_000;

describe('alarm-system health (ISA-18.2 / EEMUA 191)', () => {
  it('is not in flood at 10 alarms in 10 minutes, and is at the 11th', () => {
    const ten = Array.from({ length: 10 }, (_, i) => T0 + i * 30_000);
    expect(floodAt(ten, T0 + 5 * MIN)).toBe(false);
    expect(floodAt([...ten, T0 + 5 * MIN], T0 + 5 * MIN)).toBe(true);
  });

  it('stays in flood until the rate falls below 5, then leaves it', () => {
    // 11 raises in the first minute, then one every 2.5 minutes.
    const burst = Array.from({ length: 11 }, (_, i) => T0 + i * 5000);
    const tail = Array.from({ length: 8 }, (_, i) => T0 + (i + 1) * 150_000);
    const times = [...burst, ...tail];
    // At 10:30 the burst left the window; the window holds the tail's 4 raises (<5): flood over.
    expect(floodAt(times, T0 + 9 * MIN)).toBe(true);
    expect(floodAt(times, T0 + 10 * MIN + 56_000)).toBe(false);
  });

  it('keeps the flood while the count is between 5 and 10 (hysteresis)', () => {
    const burst = Array.from({ length: 11 }, (_, i) => T0 + i * 1000);
    const steady = Array.from({ length: 6 }, (_, i) => T0 + 9 * MIN + i * 1000);
    // At 10:30 the window holds the 6 steady raises: below the entry level but not below 5.
    expect(floodAt([...burst, ...steady], T0 + 10 * MIN + 30_000)).toBe(true);
  });

  it('calls an alarm chattering at 3 raises within a minute, not at 2', () => {
    const r = (id: string, s: number) => ({ alarmId: id, at: T0 + s * 1000 });
    const raises = [
      r('a', 0),
      r('a', 20),
      r('a', 50),
      r('b', 0),
      r('b', 50),
      r('c', 0),
      r('c', 40),
      r('c', 100),
    ];
    expect(chattering(raises, T0 + 2 * MIN)).toEqual(['a']);
  });

  it('lists the ten most frequent alarms, most first', () => {
    const raises = Array.from({ length: 12 }, (_, i) =>
      Array.from({ length: i + 1 }, () => ({ alarmId: `x${i}`, at: T0 })),
    ).flat();
    const top = topFrequent(raises);
    expect(top).toHaveLength(10);
    expect(top[0]).toEqual({ alarmId: 'x11', count: 12 });
  });

  it('counts per 10 minutes, standing, stale, active and unacknowledged', () => {
    const alarm = (id: string, state: Alarm['state'], raisedAt: number): Alarm => ({
      id,
      ruleId: 'r',
      equipmentId: 'E',
      priority: 'high',
      state,
      active: state !== 'rtn-unacknowledged',
      message: '',
      value: null,
      limit: null,
      raisedAt,
      raisedSimS: 0,
      seq: 1,
    });
    const now = T0 + 60 * MIN;
    const stats = computeAlarmStats(
      [
        { alarmId: 'a', at: now - 11 * MIN },
        { alarmId: 'b', at: now - MIN },
      ],
      [
        alarm('a', 'acknowledged', now - 40 * MIN),
        alarm('b', 'unacknowledged', now - 11 * MIN),
        alarm('c', 'rtn-unacknowledged', now),
      ],
      now,
    );
    expect(stats).toMatchObject({
      per10Min: 1,
      flood: false,
      standing: 1,
      stale: 1,
      active: 2,
      unacknowledged: 2,
    });
  });
});
