import { describe, expect, it } from 'vitest';
import { addToSelection, equipmentInArea } from '../../client/design/edits/areaSelect';
import { rezone, zoneFor } from '../../client/design/edits/autoZone';
import { errorTarget } from '../../client/design/edits/errorTargets';
import {
  addRoute,
  addWaypoint,
  moveWaypoint,
  removeRoute,
  removeWaypoint,
  renameRoute,
  reorderWaypoint,
  routeErrors,
  routeOf,
  routesOf,
  setRouteField,
} from '../../client/design/edits/routeEdits';
import { viewpointOf } from '../../client/design/edits/viewpointEdits';
import { type DraftLayout, findEquipment, moveEquipment } from '../../client/design/layoutEdits';

const base: DraftLayout = {
  name: 'Test',
  zones: [
    { id: 'HALL', kind: 'hall', min: [0, 0], max: [20, 10] },
    { id: 'WH', kind: 'warehouse', min: [20, 0], max: [40, 10] },
  ],
  equipment: [
    { id: 'R-01', kind: 'robot-arm', zone: 'HALL', position: [2, 0, 3] },
    { id: 'C-01', kind: 'conveyor', zone: 'HALL', position: [6, 0, 3], props: { length: 4 } },
    { id: 'DR-01', kind: 'drone', zone: 'WH', position: [30, 0, 5] },
    { id: 'PAD-01', kind: 'charging-dock', zone: 'WH', position: [30, 0, 5], props: { for: 'drone' } },
  ],
  droneRoutes: [
    {
      id: 'RT-01',
      drone: 'DR-01',
      dock: 'PAD-01',
      indoor: true,
      speed: 1.3,
      waypoints: [
        [30, 3, 5],
        [35, 3, 5],
      ],
    },
  ],
  viewpoints: [{ id: 'VP-01', name: 'Top', position: [10, 30, 20], target: [10, 0, 5] }],
};

describe('drone route edits', () => {
  it('adds a route of a drone from its dock with a fresh id, no waypoints and the default speed', () => {
    const r = addRoute(base, 'DR-01', 'PAD-01', false);
    expect(r.id).toBe('RT-02');
    expect(routeOf(r.layout, 'RT-02')).toEqual({
      id: 'RT-02',
      drone: 'DR-01',
      dock: 'PAD-01',
      indoor: false,
      speed: 1.3,
      waypoints: [],
    });
    expect(routesOf(base)).toHaveLength(1);
  });

  it('sets the drone, dock, indoor flag and speed, and returns the same layout when nothing changes', () => {
    let l = setRouteField(base, 'RT-01', 'speed', 4.5);
    l = setRouteField(l, 'RT-01', 'indoor', false);
    l = setRouteField(l, 'RT-01', 'dock', 'C-01');
    expect(routeOf(l, 'RT-01')).toMatchObject({ speed: 4.5, indoor: false, dock: 'C-01' });
    expect(setRouteField(base, 'RT-01', 'speed', 1.3)).toBe(base);
    expect(setRouteField(base, 'NOPE', 'speed', 2)).toBe(base);
  });

  it('adds waypoints at the end or at an index, rounded to centimetres, and refuses non-finite ones', () => {
    let l = addWaypoint(base, 'RT-01', [40.123, 4, 8.456]);
    l = addWaypoint(l, 'RT-01', [31, 3, 9], 1);
    expect(routeOf(l, 'RT-01')?.waypoints).toEqual([
      [30, 3, 5],
      [31, 3, 9],
      [35, 3, 5],
      [40.12, 4, 8.46],
    ]);
    expect(addWaypoint(base, 'RT-01', [1, Number.NaN, 2])).toBe(base);
    expect(addWaypoint(base, 'RT-01', [1, 2])).toBe(base);
  });

  it('moves, reorders and removes waypoints, leaving the input untouched', () => {
    const before = JSON.stringify(base);
    const moved = moveWaypoint(base, 'RT-01', 1, [36, 5, 6]);
    expect(routeOf(moved, 'RT-01')?.waypoints[1]).toEqual([36, 5, 6]);
    expect(moveWaypoint(base, 'RT-01', 1, [35, 3, 5])).toBe(base);
    expect(moveWaypoint(base, 'RT-01', 5, [1, 1, 1])).toBe(base);
    const swapped = reorderWaypoint(base, 'RT-01', 1, -1);
    expect(routeOf(swapped, 'RT-01')?.waypoints).toEqual([
      [35, 3, 5],
      [30, 3, 5],
    ]);
    expect(reorderWaypoint(base, 'RT-01', 1, 1)).toBe(base);
    expect(routeOf(removeWaypoint(base, 'RT-01', 0), 'RT-01')?.waypoints).toEqual([[35, 3, 5]]);
    expect(JSON.stringify(base)).toBe(before);
  });

  it('renames and deletes a route', () => {
    expect(routeOf(renameRoute(base, 'RT-01', 'RT-X'), 'RT-X')?.drone).toBe('DR-01');
    expect(renameRoute(base, 'RT-01', '')).toBe(base);
    expect(routesOf(removeRoute(base, 'RT-01'))).toEqual([]);
    expect(removeRoute(base, 'RT-09')).toBe(base);
  });

  it('reads a draft of any shape without throwing', () => {
    const odd: DraftLayout = { droneRoutes: [null, 3, { id: 'A', waypoints: [[1, 2], 'x', [1, 2, 3]] }] };
    expect(routesOf(odd)).toEqual([
      { id: 'A', drone: '', dock: '', indoor: false, speed: Number.NaN, waypoints: [[1, 2, 3]] },
    ]);
    expect(routesOf({ droneRoutes: 'no' })).toEqual([]);
  });

  it('files the server’s errors under the route they name, by index in the layout', () => {
    const l = addRoute(base, 'C-01', 'R-01').layout;
    const m = routeErrors(l, [
      'droneRoutes[1].drone: "C-01" is not a drone',
      'droneRoutes[1].dock: "R-01" is not a charging-dock',
      'droneRoutes[1].waypoints: a route needs at least 2 waypoints',
      'droneRoutes[7].speed: out of range',
      'zones[0].min: expected 2 numbers',
    ]);
    expect([...m.keys()]).toEqual(['RT-02']);
    expect(m.get('RT-02')).toHaveLength(3);
    expect(errorTarget(l, 'droneRoutes[1].dock: x')).toEqual({ kind: 'droneRoutes', id: 'RT-02' });
  });
});

describe('automatic zone of moved equipment', () => {
  it('gives equipment moved wholly into another zone that zone', () => {
    const l = rezone(moveEquipment(base, 'R-01', 25, 5), ['R-01']);
    expect(findEquipment(l, 'R-01')?.zone).toBe('WH');
  });

  it('keeps the zone while the box straddles the border or stands outside every zone', () => {
    // A 4 m conveyor centred 1 m from the border reaches into both zones.
    const straddling = moveEquipment(base, 'C-01', 21, 5);
    expect(rezone(straddling, ['C-01'])).toBe(straddling);
    const outside = moveEquipment(base, 'R-01', 60, 5);
    expect(rezone(outside, ['R-01'])).toBe(outside);
  });

  it('keeps the own zone where zones overlap and it still holds the box', () => {
    const overlap: DraftLayout = {
      ...base,
      zones: [...(base.zones as unknown[]), { id: 'BIG', min: [-50, -50], max: [50, 50] }],
    };
    expect(zoneFor(overlap, findEquipment(overlap, 'R-01')!)).toBe('HALL');
    const moved = rezone(moveEquipment(overlap, 'R-01', 45, 45), ['R-01']);
    expect(findEquipment(moved, 'R-01')?.zone).toBe('BIG');
  });

  it('takes a turned box’s real extent: a long conveyor turned 90° fits where it did not', () => {
    const l = moveEquipment(base, 'C-01', 21, 5);
    expect(rezone(l, ['C-01'])).toBe(l);
    const turned = { ...l, equipment: (l.equipment as object[]).map((e) => ({ ...e, rotation: 90 })) };
    expect(findEquipment(rezone(turned, ['C-01']), 'C-01')?.zone).toBe('WH');
  });

  it('touches only the equipment named', () => {
    const l = moveEquipment(moveEquipment(base, 'R-01', 25, 5), 'C-01', 26, 5);
    const r = rezone(l, ['R-01']);
    expect(findEquipment(r, 'R-01')?.zone).toBe('WH');
    expect(findEquipment(r, 'C-01')?.zone).toBe('HALL');
  });
});

describe('area selection', () => {
  it('picks the equipment whose centre is in the rectangle, corners in any order', () => {
    expect(equipmentInArea(base, 7, 10, 0, 0)).toEqual(['R-01', 'C-01']);
    expect(equipmentInArea(base, 2, 3, 2, 3)).toEqual(['R-01']);
    expect(equipmentInArea(base, 100, 100, 200, 200)).toEqual([]);
    expect(equipmentInArea(base, Number.NaN, 0, 1, 1)).toEqual([]);
  });

  it('adds to the selection without repeating what was selected', () => {
    expect(addToSelection(['C-01'], ['R-01', 'C-01'])).toEqual(['C-01', 'R-01']);
  });
});

describe('viewpoint go to', () => {
  it('reads a viewpoint’s position and target, and null for an unknown or malformed one', () => {
    expect(viewpointOf(base, 'VP-01')).toEqual({ position: [10, 30, 20], target: [10, 0, 5] });
    expect(viewpointOf(base, 'VP-09')).toBeNull();
    expect(viewpointOf({ viewpoints: [{ id: 'X', position: [1, 2], target: [0, 0, 0] }] }, 'X')).toBeNull();
  });
});
