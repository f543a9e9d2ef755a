import { describe, expect, it } from 'vitest';
import {
  bannerAlarm,
  type EquipmentPlace,
  filterAlarms,
  formatValueLimit,
  NO_FILTER,
  rangeIds,
  sortAlarms,
} from '../../client/hud/alarms/alarmView';
import type { Alarm, AlarmPriority, AlarmState } from '../../protocol';

function a(
  id: string,
  priority: AlarmPriority,
  state: AlarmState,
  raisedAt: number,
  equipmentId = 'RA-01',
): Alarm {
  return {
    id,
    ruleId: id,
    equipmentId,
    priority,
    state,
    active: true,
    message: id,
    value: null,
    limit: null,
    raisedAt,
    raisedSimS: 0,
    seq: 1,
  };
}

const places = new Map<string, EquipmentPlace>([
  ['RA-01', { zone: 'hall-a', kind: 'robot-arm', name: 'Robot 1' }],
  ['AGV-01', { zone: 'warehouse', kind: 'agv', name: 'AGV 1' }],
]);
const placeOf = (id: string) => places.get(id);

const list = [
  a('low-old', 'low', 'unacknowledged', 1),
  a('crit-old', 'critical', 'acknowledged', 2),
  a('crit-new', 'critical', 'unacknowledged', 5, 'AGV-01'),
  a('high-shelved', 'high', 'shelved', 9),
  a('med', 'medium', 'rtn-unacknowledged', 4, 'AGV-01'),
];

describe('alarm list view', () => {
  it('sorts by priority, newest first within a priority, hidden states last', () => {
    expect(sortAlarms([...list], 'priority').map((x) => x.id)).toEqual([
      'crit-new',
      'crit-old',
      'med',
      'low-old',
      'high-shelved',
    ]);
  });

  it('sorts by time, newest first, when asked', () => {
    expect(sortAlarms([...list], 'time').map((x) => x.id)).toEqual([
      'high-shelved',
      'crit-new',
      'med',
      'crit-old',
      'low-old',
    ]);
  });

  it('filters by priority, state, zone and kind together', () => {
    const f = { ...NO_FILTER, priorities: new Set<AlarmPriority>(['critical', 'medium']) };
    expect(filterAlarms(list, f, placeOf).map((x) => x.id)).toEqual(['crit-old', 'crit-new', 'med']);
    expect(filterAlarms(list, { ...f, state: 'unacked' }, placeOf).map((x) => x.id)).toEqual([
      'crit-new',
      'med',
    ]);
    expect(filterAlarms(list, { ...NO_FILTER, zone: 'warehouse' }, placeOf).map((x) => x.id)).toEqual([
      'crit-new',
      'med',
    ]);
    expect(filterAlarms(list, { ...NO_FILTER, kind: 'robot-arm' }, placeOf)).toHaveLength(3);
    expect(filterAlarms(list, { ...NO_FILTER, state: 'shelved' }, placeOf).map((x) => x.id)).toEqual([
      'high-shelved',
    ]);
  });

  it('puts the newest highest-priority unacknowledged alarm in the banner', () => {
    expect(bannerAlarm(list)?.id).toBe('crit-new');
    expect(bannerAlarm([a('x', 'low', 'acknowledged', 1)])).toBeNull();
  });

  it('selects the range between the anchor and a shift-clicked row', () => {
    const order = ['a', 'b', 'c', 'd'];
    expect(rangeIds(order, 'd', 'b')).toEqual(['b', 'c', 'd']);
    expect(rangeIds(order, null, 'b')).toEqual(['b']);
  });

  it('shows value against limit with the unit', () => {
    expect(formatValueLimit({ value: 92.44, limit: 85, unit: '°C' })).toBe('92.4 / 85 °C');
    expect(formatValueLimit({ value: null, limit: null })).toBe('–');
  });
});
