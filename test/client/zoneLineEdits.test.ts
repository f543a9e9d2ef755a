import { describe, expect, it } from 'vitest';
import { errorTarget } from '../../client/design/edits/errorTargets';
import {
  addViewpoint,
  removeViewpoint,
  renameViewpoint,
  viewpointsOf,
} from '../../client/design/edits/viewpointEdits';
import {
  addLine,
  addZone,
  appendToFlow,
  entryOf,
  moveInFlow,
  moveZoneCorner,
  removeEntry,
  removeFromFlow,
  renameLine,
  renameZone,
  setEntryField,
} from '../../client/design/edits/zoneLineEdits';
import { type DraftLayout, findEquipment } from '../../client/design/layoutEdits';

const base: DraftLayout = {
  name: 'Test',
  zones: [{ id: 'HALL', name: 'Hall', kind: 'hall', min: [0, 0], max: [20, 10] }],
  lines: [{ id: 'L1', name: 'L1', zone: 'HALL', flow: ['R-01', 'C-01'], targetPerHour: 60 }],
  equipment: [
    { id: 'R-01', kind: 'robot-arm', zone: 'HALL', line: 'L1', position: [2, 0, 3] },
    { id: 'C-01', kind: 'conveyor', zone: 'HALL', line: 'L1', position: [6, 0, 3], props: { length: 4 } },
    { id: 'V-01', kind: 'vision-station', zone: 'HALL', position: [9, 0, 3] },
  ],
};

describe('zone edits', () => {
  it('adds a zone from two corners in any order, normalized, with a fresh id', () => {
    const r = addZone(base, 30, 12, 25, 2);
    expect(r?.id).toBe('ZONE-01');
    expect(entryOf(r!.layout, 'zones', 'ZONE-01')).toEqual({
      id: 'ZONE-01',
      name: 'ZONE-01',
      kind: 'hall',
      min: [25, 2],
      max: [30, 12],
      height: 8,
    });
    expect(addZone(base, 1, 1, 1, 5)).toBeNull();
  });

  it('drags a corner with the opposite one staying, flipping past it', () => {
    const next = moveZoneCorner(base, 'HALL', 2, 25, 12);
    expect(entryOf(next, 'zones', 'HALL')).toMatchObject({ min: [0, 0], max: [25, 12] });
    const flipped = moveZoneCorner(base, 'HALL', 0, 30, -5);
    expect(entryOf(flipped, 'zones', 'HALL')).toMatchObject({ min: [20, -5], max: [30, 10] });
    expect(moveZoneCorner(base, 'HALL', 2, 20, 10)).toBe(base);
    expect(moveZoneCorner(base, 'HALL', 2, 0, 4)).toBe(base);
  });

  it('renames a zone with what stands in it, and sets and clears fields', () => {
    const next = renameZone(base, 'HALL', 'HALL-B');
    expect(findEquipment(next, 'R-01')?.zone).toBe('HALL-B');
    expect(entryOf(next, 'lines', 'L1')?.zone).toBe('HALL-B');
    const zh = setEntryField(base, 'zones', 'HALL', 'nameZh', '车间');
    expect(entryOf(zh, 'zones', 'HALL')?.names).toEqual({ 'zh-CN': '车间' });
    expect(
      entryOf(setEntryField(zh, 'zones', 'HALL', 'nameZh', undefined), 'zones', 'HALL'),
    ).not.toHaveProperty('names');
    expect(setEntryField(base, 'zones', 'HALL', 'kind', 'hall')).toBe(base);
    expect(removeEntry(base, 'zones', 'HALL').zones).toEqual([]);
  });
});

describe('line edits', () => {
  it('creates an empty line in a zone, then picks its flow in order, marking the equipment', () => {
    const r = addLine(base, 'HALL');
    expect(r.id).toBe('LINE-01');
    let l = appendToFlow(r.layout, 'LINE-01', 'V-01');
    l = appendToFlow(l, 'LINE-01', 'C-01');
    expect(entryOf(l, 'lines', 'LINE-01')?.flow).toEqual(['V-01', 'C-01']);
    expect(findEquipment(l, 'V-01')?.line).toBe('LINE-01');
    expect(appendToFlow(l, 'LINE-01', 'V-01')).toBe(l);
  });

  it('reorders and removes flow entries, taking the line off the removed equipment', () => {
    const up = moveInFlow(base, 'L1', 1, -1);
    expect(entryOf(up, 'lines', 'L1')?.flow).toEqual(['C-01', 'R-01']);
    expect(moveInFlow(base, 'L1', 0, -1)).toBe(base);
    const out = removeFromFlow(base, 'L1', 0);
    expect(entryOf(out, 'lines', 'L1')?.flow).toEqual(['C-01']);
    expect(findEquipment(out, 'R-01')).not.toHaveProperty('line');
  });

  it('renames a line with the equipment on it', () => {
    const next = renameLine(base, 'L1', 'L9');
    expect(findEquipment(next, 'C-01')?.line).toBe('L9');
    expect(entryOf(next, 'lines', 'L9')?.flow).toEqual(['R-01', 'C-01']);
  });
});

describe('viewpoint edits', () => {
  it('saves a camera as a viewpoint with a fresh id, renames and deletes it', () => {
    const r = addViewpoint(base, 'East', [10.123, 20, 30], [5, 0, 5]);
    expect(r?.id).toBe('VP-01');
    expect((r!.layout.viewpoints as unknown[])[0]).toEqual({
      id: 'VP-01',
      name: 'East',
      position: [10.12, 20, 30],
      target: [5, 0, 5],
    });
    const renamed = renameViewpoint(r!.layout, 'VP-01', 'West');
    expect(viewpointsOf(renamed)).toEqual([{ id: 'VP-01', name: 'West' }]);
    expect(viewpointsOf(removeViewpoint(renamed, 'VP-01'))).toEqual([]);
    expect(addViewpoint(base, '', [Number.NaN, 0, 0], [0, 0, 0])).toBeNull();
    expect(addViewpoint(base, '', [1, 2, 3], [0, 0, 0])?.layout.viewpoints).toEqual([
      { id: 'VP-01', name: 'VP-01', position: [1, 2, 3], target: [0, 0, 0] },
    ]);
  });
});

describe('what a server error names', () => {
  it('reads the zone, line or viewpoint at the error’s index, and nothing for other paths', () => {
    expect(errorTarget(base, 'zones[0].max: expected 2 numbers')).toEqual({ kind: 'zones', id: 'HALL' });
    expect(errorTarget(base, 'lines[0].flow[1]: unknown equipment "X"')).toEqual({ kind: 'lines', id: 'L1' });
    expect(errorTarget(base, 'viewpoints[0].name: must not be empty')).toBeNull();
    expect(errorTarget(base, 'equipment[0].zone: unknown zone "X"')).toBeNull();
    expect(errorTarget(base, 'zones[7].id: duplicate id "HALL"')).toBeNull();
  });
});
