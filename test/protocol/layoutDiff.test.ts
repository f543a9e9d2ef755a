import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffLayouts, MAX_CHANGED_PATHS } from '../../protocol';

// biome-ignore lint/suspicious/noExplicitAny: the raw plant JSON is edited freely in these tests.
type Raw = any;

const plant = (): Raw =>
  JSON.parse(readFileSync(new URL('../../assets/plants/default.json', import.meta.url), 'utf8'));

describe('layout diff', () => {
  it('finds nothing between a layout and its copy', () => {
    const d = diffLayouts(plant(), plant());
    expect(d.total).toBe(0);
    expect(d.equipment).toEqual({ added: [], removed: [], changed: [], moved: [] });
  });

  it('names equipment added, removed (with where it stood), moved and turned, with the floor distance', () => {
    const a = plant();
    const b = plant();
    const robot = b.equipment.find((e: Raw) => e.kind === 'robot-arm');
    const [x, y, z] = robot.position;
    robot.position = [x + 3, y, z + 4];
    robot.rotation = (robot.rotation ?? 0) + 90;
    const gone = b.equipment.pop();
    b.equipment.push({ ...b.equipment.find((e: Raw) => e.kind === 'conveyor'), id: 'L9-C9' });
    const d = diffLayouts(a, b);
    expect(d.equipment.added).toEqual([{ id: 'L9-C9', kind: 'conveyor' }]);
    expect(d.equipment.removed).toEqual([
      {
        id: gone.id,
        kind: gone.kind,
        position: gone.position,
        rotation: gone.rotation ?? 0,
        ...(gone.props ? { props: gone.props } : {}),
      },
    ]);
    expect(d.equipment.moved).toHaveLength(1);
    const m = d.equipment.moved[0];
    expect(m.id).toBe(robot.id);
    expect(m.from).toEqual([x, y, z]);
    expect(m.to).toEqual([x + 3, y, z + 4]);
    expect(m.distanceM).toBeCloseTo(5, 9);
    expect(m.rotationTo - m.rotationFrom).toBe(90);
    // A move is not also a change of its other fields.
    expect(d.equipment.changed).toEqual([]);
    expect(d.total).toBe(3);
  });

  it('ignores moves below a millimetre (a float round trip is not an edit)', () => {
    const b = plant();
    b.equipment[0].position[0] += 0.0004;
    expect(diffLayouts(plant(), b).total).toBe(0);
  });

  it('lists changed fields by dotted path, props included, sorted', () => {
    const b = plant();
    const conveyor = b.equipment.find((e: Raw) => e.kind === 'conveyor');
    conveyor.props.speed = (conveyor.props.speed ?? 1) + 0.5;
    conveyor.name = 'Renamed belt';
    const d = diffLayouts(plant(), b);
    expect(d.equipment.changed).toEqual([
      { id: conveyor.id, kind: 'conveyor', fields: ['name', 'props.speed'] },
    ]);
  });

  it('caps the changed paths of one entry', () => {
    const a = plant();
    const b = plant();
    a.equipment[0].props = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`p${i}`, i]));
    b.equipment[0].props = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`p${i}`, -i - 1]));
    expect(diffLayouts(a, b).equipment.changed[0].fields).toHaveLength(MAX_CHANGED_PATHS);
  });

  it('compares zones, lines, viewpoints and drone routes by id', () => {
    const b = plant();
    b.zones[0].max = [b.zones[0].max[0] + 10, b.zones[0].max[1]];
    b.lines[0].flow = [...b.lines[0].flow].reverse();
    b.viewpoints.push({ id: 'vp-new', name: 'New', position: [0, 10, 0], target: [0, 0, 0] });
    const removedRoute = b.droneRoutes.shift();
    const d = diffLayouts(plant(), b);
    expect(d.zones.changed).toEqual([{ id: b.zones[0].id, kind: b.zones[0].kind, fields: ['max'] }]);
    expect(d.lines.changed).toEqual([{ id: b.lines[0].id, fields: ['flow'] }]);
    expect(d.viewpoints.added).toEqual([{ id: 'vp-new' }]);
    expect(d.droneRoutes.removed).toEqual([{ id: removedRoute.id }]);
  });

  it('treats aisles as two-way: a reversed edge is the same aisle; added, removed and moved nodes show', () => {
    const a = plant();
    const b = plant();
    b.paths.edges = b.paths.edges.map(([x, y]: string[]) => [y, x]);
    expect(diffLayouts(a, b).total).toBe(0);
    const [p, q] = b.paths.edges.pop();
    b.paths.nodes.push({ id: 'n-new', position: [1, 1] });
    b.paths.edges.push(['n-new', b.paths.nodes[0].id]);
    b.paths.nodes[1].position = [b.paths.nodes[1].position[0] + 2, b.paths.nodes[1].position[1]];
    const d = diffLayouts(a, b).paths;
    expect(d.edgesRemoved).toEqual([p < q ? [p, q] : [q, p]]);
    expect(d.nodesAdded).toEqual(['n-new']);
    expect(d.edgesAdded).toHaveLength(1);
    expect(d.edgesAdded[0]).toContain('n-new');
    expect(d.nodesMoved.map((n) => n.id)).toEqual([b.paths.nodes[1].id]);
  });

  it('diffs invalid layouts too: entries without an id are skipped, the first of two duplicates counts', () => {
    const a = { equipment: [{ id: 'A', kind: 'agv', position: [0, 0, 0] }, { kind: 'agv' }] };
    const b = {
      equipment: [
        { id: 'A', kind: 'agv', position: [1, 0, 0] },
        { id: 'A', kind: 'agv', position: [9, 0, 0] },
        'junk',
      ],
      zones: 'not a list',
    };
    const d = diffLayouts(a, b);
    expect(d.equipment.moved.map((m) => m.to)).toEqual([[1, 0, 0]]);
    expect(d.total).toBe(1);
    expect(diffLayouts(null, 42).total).toBe(0);
  });

  it('names top-level changes (plant name and site)', () => {
    const b = plant();
    b.name = 'Plant B';
    b.site = 'Suzhou';
    expect(diffLayouts(plant(), b).plant.sort()).toEqual(['name', 'site']);
  });
});
