import { beforeEach, describe, expect, it } from 'vitest';
import { useDesignStore } from '../../client/design/designStore';
import {
  copyMany,
  moveMany,
  pasteEquipment,
  removeMany,
  rotateMany,
  snapToNeighbours,
} from '../../client/design/edits/selectionEdits';
import { type DraftLayout, equipmentOf, findEquipment } from '../../client/design/layoutEdits';

// Two 1.3 m robot arms (reach 1.2: the nominal box) and an AGV (1.3 × 0.9 m).
const base: DraftLayout = {
  name: 'Test',
  lines: [{ id: 'L1', flow: ['R-01'] }],
  equipment: [
    { id: 'R-01', name: 'Robot', kind: 'robot-arm', line: 'L1', position: [2, 0, 3], rotation: 0 },
    { id: 'R-02', name: 'Robot 2', kind: 'robot-arm', position: [6, 0, 3], rotation: 90 },
    { id: 'AGV-01', name: 'AGV', kind: 'agv', position: [10, 0, 4.5], props: { home: 'N1' } },
  ],
};

describe('multi-selection edits', () => {
  it('moves several pieces by the same offset and leaves the rest shared', () => {
    const next = moveMany(base, ['R-01', 'R-02'], 1.5, -1);
    expect(findEquipment(next, 'R-01')?.position).toEqual([3.5, 0, 2]);
    expect(findEquipment(next, 'R-02')?.position).toEqual([7.5, 0, 2]);
    expect(equipmentOf(next)[2]).toBe(equipmentOf(base)[2]);
    expect(moveMany(base, ['R-01'], 0, 0)).toBe(base);
    expect(moveMany(base, ['NOPE'], 1, 1)).toBe(base);
    expect(moveMany(base, ['R-01'], Number.NaN, 1)).toBe(base);
  });

  it('turns a group rigidly about a pivot: each turns in place and swings round it', () => {
    const next = rotateMany(base, ['R-01', 'R-02'], 2, 3, 90);
    // R-02 was 4 m east of the pivot; +90° about +y takes +x to −z.
    expect(findEquipment(next, 'R-02')?.position).toEqual([2, 0, -1]);
    expect(findEquipment(next, 'R-02')?.rotation).toBe(180);
    expect(findEquipment(next, 'R-01')?.position).toEqual([2, 0, 3]);
    expect(findEquipment(next, 'R-01')?.rotation).toBe(90);
    expect(rotateMany(base, ['R-01'], 0, 0, 0)).toBe(base);
  });

  it('removes several pieces at once', () => {
    const next = removeMany(base, ['R-01', 'AGV-01']);
    expect(equipmentOf(next).map((e) => e.id)).toEqual(['R-02']);
    expect(removeMany(base, ['NOPE'])).toBe(base);
  });

  it('pastes copies beside the originals with fresh ids and no line, leaving the originals', () => {
    const items = copyMany(base, ['R-01', 'R-02']);
    const r = pasteEquipment(base, items);
    expect(r.ids).toEqual(['R-03', 'R-04']);
    const a = findEquipment(r.layout, 'R-03');
    expect(a?.position).toEqual([4, 0, 3]);
    expect(a).not.toHaveProperty('line');
    expect(findEquipment(r.layout, 'R-04')?.rotation).toBe(90);
    expect(equipmentOf(r.layout)).toHaveLength(5);
    expect(findEquipment(r.layout, 'R-01')?.line).toBe('L1');
    // The copies are deep: editing one does not reach the clipboard.
    (items[0].position as number[])[0] = 99;
    expect(findEquipment(r.layout, 'R-03')?.position[0]).toBe(4);
    expect(pasteEquipment(base, []).layout).toBe(base);
  });
});

describe('snap to other equipment', () => {
  it('pulls an edge onto a neighbour’s edge within 0.3 m, per axis', () => {
    // R-01's east edge is at 2.65; R-02's west edge at 5.35. A move of 2.5 puts them 0.2 m apart.
    const d = snapToNeighbours(base, ['R-01'], 2.5, 0);
    expect(d.dx).toBeCloseTo(2.7, 6);
    // z: the centres already line up (3 = 3), so a 0 move stays 0.
    expect(d.dz).toBe(0);
  });

  it('leaves a move alone with nothing within reach, or on an axis not allowed to snap', () => {
    expect(snapToNeighbours(base, ['R-01'], 1, 0)).toEqual({ dx: 1, dz: 0 });
    expect(snapToNeighbours(base, ['R-01'], 2.5, 0, { x: false, z: true }).dx).toBe(2.5);
    // An edge lined up with a far piece (R-02 15 m south) is no reason to leave the grid.
    const far = moveMany(base, ['R-02', 'AGV-01'], 0, 15);
    expect(snapToNeighbours(far, ['R-01'], 2.5, 0).dx).toBe(2.5);
  });

  it('moves a group as one: the nearest pair of lines wins', () => {
    const d = snapToNeighbours(base, ['R-01', 'R-02'], 3.9, 0);
    // R-02's centre (6 + 3.9 = 9.9) meets the AGV's centre at 10.
    expect(d.dx).toBeCloseTo(4, 6);
  });
});

describe('the design store’s selection', () => {
  beforeEach(() => {
    useDesignStore.getState().open({ id: 'd-1' } as never, base, []);
  });

  it('adds and takes out with toggle, the last added being the one the gizmo holds', () => {
    const s = useDesignStore.getState();
    s.select('R-01');
    s.toggleSelect('R-02');
    expect(useDesignStore.getState().selection).toEqual(['R-01', 'R-02']);
    expect(useDesignStore.getState().selected).toBe('R-02');
    s.toggleSelect('R-02');
    expect(useDesignStore.getState().selected).toBe('R-01');
    s.select(null);
    expect(useDesignStore.getState().selection).toEqual([]);
  });

  it('drops removed pieces from the selection, and gets them back with undo', () => {
    const s = useDesignStore.getState();
    s.selectMany(['R-01', 'R-02']);
    s.edit((l) => removeMany(l, ['R-02']));
    expect(useDesignStore.getState().selection).toEqual(['R-01']);
    expect(useDesignStore.getState().selected).toBe('R-01');
    useDesignStore.getState().undo();
    expect(equipmentOf(useDesignStore.getState().history.present)).toHaveLength(3);
  });
});
