import { describe, expect, it } from 'vitest';
import { draftFromLocation } from '../../client/design/designPath';
import {
  addEquipment,
  commit,
  copyId,
  type DraftLayout,
  duplicateEquipment,
  equipmentOf,
  equipmentOfError,
  findEquipment,
  HISTORY_LIMIT,
  moveEquipment,
  normalizeDeg,
  redo,
  removeEquipment,
  renameEquipment,
  rotateEquipment,
  snapTo,
  startHistory,
  undo,
} from '../../client/design/layoutEdits';
import { EQUIPMENT_KINDS, parseLayout } from '../../protocol';
import { defaultLayout } from '../helpers/server';

const base: DraftLayout = {
  name: 'Test',
  zones: [
    { id: 'HALL', name: 'Hall', kind: 'hall', min: [0, 0], max: [20, 10] },
    { id: 'YARD', name: 'Yard', kind: 'outdoor', min: [30, 0], max: [40, 10] },
  ],
  lines: [{ id: 'L1', name: 'L1', zone: 'HALL', flow: ['R-01', 'C-01'], targetPerHour: 60 }],
  equipment: [
    {
      id: 'R-01',
      name: 'Robot',
      kind: 'robot-arm',
      zone: 'HALL',
      line: 'L1',
      position: [2, 0, 3],
      rotation: 90,
    },
    {
      id: 'C-01',
      name: 'Belt',
      kind: 'conveyor',
      zone: 'HALL',
      line: 'L1',
      position: [6, 0, 3],
      props: { length: 4 },
    },
  ],
};

describe('layout edits', () => {
  it('moves equipment on the floor and keeps its height, leaving the input untouched', () => {
    const next = moveEquipment(base, 'R-01', 5.5, 7);
    expect(findEquipment(next, 'R-01')?.position).toEqual([5.5, 0, 7]);
    expect(findEquipment(base, 'R-01')?.position).toEqual([2, 0, 3]);
    // Unchanged entries are shared, not copied.
    expect(equipmentOf(next)[1]).toBe(equipmentOf(base)[1]);
  });

  it('ignores moves to a non-number and edits of unknown equipment', () => {
    expect(moveEquipment(base, 'R-01', Number.NaN, 1)).toBe(base);
    expect(moveEquipment(base, 'NOPE', 1, 1)).toBe(base);
    expect(rotateEquipment(base, 'R-01', Number.POSITIVE_INFINITY)).toBe(base);
  });

  it('rotates equipment, normalizing the angle to (-180, 180]', () => {
    expect(findEquipment(rotateEquipment(base, 'R-01', 270), 'R-01')?.rotation).toBe(-90);
    expect(findEquipment(rotateEquipment(base, 'R-01', -180), 'R-01')?.rotation).toBe(180);
    expect(normalizeDeg(375)).toBe(15);
  });

  it('snaps to the 0.5 m grid and 15° steps without float dust', () => {
    expect(snapTo(3.26, 0.5)).toBe(3.5);
    expect(snapTo(-1.24, 0.5)).toBe(-1);
    expect(snapTo(52, 15)).toBe(45);
    expect(snapTo(0.1 + 0.2, 0.1)).toBe(0.3);
  });

  it('adds every kind with a fresh unique id, in the zone under it, with the props the loader requires', () => {
    let l = base;
    const ids = new Set<string>();
    for (const kind of EQUIPMENT_KINDS) {
      const r = addEquipment(l, kind, 35, 5);
      l = r.layout;
      expect(ids.has(r.id)).toBe(false);
      ids.add(r.id);
      const e = findEquipment(l, r.id);
      expect(e?.kind).toBe(kind);
      expect(e?.zone).toBe('YARD');
    }
    const again = addEquipment(l, 'conveyor', 1, 1);
    expect(again.id).toBe('CONV-02');
    expect(findEquipment(again.layout, 'CONV-02')?.zone).toBe('HALL');
  });

  it('adds equipment the plant loader accepts into the shipped plant', () => {
    const live = defaultLayout() as unknown as DraftLayout;
    const r = addEquipment(live, 'conveyor', 40, 30);
    expect(parseLayout(r.layout).ok).toBe(true);
    const robot = addEquipment(live, 'robot-arm', 40, 30);
    expect(parseLayout(robot.layout).ok).toBe(true);
  });

  it('removes equipment (its line references stay for the server to report)', () => {
    const next = removeEquipment(base, 'C-01');
    expect(equipmentOf(next).map((e) => e.id)).toEqual(['R-01']);
    expect((next.lines as { flow: string[] }[])[0].flow).toContain('C-01');
  });

  it('duplicates equipment beside it with a new id, out of its line', () => {
    const r = duplicateEquipment(base, 'R-01');
    expect(r?.id).toBe('R-02');
    const copy = r ? findEquipment(r.layout, r.id) : null;
    expect(copy?.position).toEqual([4, 0, 3]);
    expect(copy?.line).toBeUndefined();
    expect(copy?.rotation).toBe(90);
    expect(duplicateEquipment(base, 'NOPE')).toBeNull();
    const agvs: DraftLayout = {
      equipment: ['AGV-09', 'AGV-10', 'L1-R2'].map((id) => ({ id, kind: 'agv', position: [0, 0, 0] })),
    };
    expect(copyId(agvs, 'AGV-09')).toBe('AGV-11');
    expect(copyId(agvs, 'L1-R1')).toBe('L1-R3');
    expect(copyId(agvs, 'MEC')).toBe('MEC-2');
  });

  it('renames equipment and the line flows that name it; a duplicate id is kept for the server to report', () => {
    const next = renameEquipment(base, 'R-01', 'ROB-9');
    expect(findEquipment(next, 'ROB-9')).not.toBeNull();
    expect((next.lines as { flow: string[] }[])[0].flow).toEqual(['ROB-9', 'C-01']);
    const dup = renameEquipment(base, 'R-01', 'C-01');
    expect(equipmentOf(dup).map((e) => e.id)).toEqual(['C-01', 'C-01']);
  });

  it('names the equipment of an error line by its index', () => {
    expect(equipmentOfError(base, 'equipment[1].id: duplicate id "C-01"')).toBe('C-01');
    expect(equipmentOfError(base, 'lines[0].flow[1]: unknown equipment "X"')).toBeNull();
    expect(equipmentOfError(base, 'equipment[9].zone: unknown zone')).toBeNull();
  });

  it('skips malformed entries of an invalid draft instead of failing', () => {
    const bad: DraftLayout = {
      equipment: [null, { id: 'X' }, { id: 'Y', kind: 'agv', position: [1, 0, 1] }],
    };
    expect(equipmentOf(bad).map((e) => e.id)).toEqual(['Y']);
    expect(equipmentOf({ equipment: 'nope' })).toEqual([]);
    expect(findEquipment(moveEquipment(bad, 'Y', 2, 2), 'Y')?.position).toEqual([2, 0, 2]);
  });
});

describe('undo history', () => {
  it('undoes and redoes edits; a new edit drops the redo future', () => {
    let h = startHistory(base);
    const a = moveEquipment(base, 'R-01', 1, 1);
    const b = moveEquipment(a, 'R-01', 2, 2);
    h = commit(commit(h, a), b);
    h = undo(h);
    expect(h.present).toBe(a);
    h = undo(h);
    expect(h.present).toBe(base);
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe(a);
    const c = rotateEquipment(a, 'R-01', 45);
    h = commit(h, c);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
  });

  it('keeps at most the bounded number of steps', () => {
    let h = startHistory(base);
    let l = base;
    for (let i = 0; i < HISTORY_LIMIT + 20; i++) {
      l = moveEquipment(l, 'R-01', i, 0);
      h = commit(h, l);
    }
    expect(h.past.length).toBe(HISTORY_LIMIT);
    expect(commit(h, h.present)).toBe(h);
  });
});

describe('design URLs', () => {
  it('reads the draft id from the path or the query, and nothing malformed', () => {
    expect(draftFromLocation('/design/d-0123456789ab', '')).toBe('d-0123456789ab');
    expect(draftFromLocation('/design', '?draft=d-0123456789ab')).toBe('d-0123456789ab');
    expect(draftFromLocation('/design', '')).toBeNull();
    expect(draftFromLocation('/design/../etc', '')).toBeNull();
  });
});
