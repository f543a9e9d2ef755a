import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLayout } from '../../protocol';

/** The default plant as raw JSON, loosely typed so tests can break it. */
interface RawPlant {
  equipment: Record<string, unknown>[];
  paths: { edges: string[][] };
}

function defaultJson(): RawPlant {
  return JSON.parse(readFileSync(new URL('../../assets/plants/default.json', import.meta.url), 'utf8'));
}

function errorsOf(input: unknown): string[] {
  const r = parseLayout(input);
  return r.ok ? [] : r.errors;
}

describe('plant layout validation', () => {
  it('accepts the default plant file', () => {
    const r = parseLayout(defaultJson());
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (!r.ok) return;
    expect(r.layout.equipment.length).toBeGreaterThanOrEqual(60);
    const kinds = new Set(r.layout.equipment.map((e) => e.kind));
    for (const k of [
      'robot-arm',
      'agv',
      'drone',
      'conveyor',
      'vision-station',
      'base-station',
      'edge-server',
    ] as const)
      expect(kinds.has(k), k).toBe(true);
    expect(r.layout.lines).toHaveLength(3);
  });

  it('names the path of a position with the wrong number of coordinates', () => {
    const bad = defaultJson();
    bad.equipment[12].position = [1, 2];
    expect(errorsOf(bad)).toContain('equipment[12].position: expected 3 numbers');
  });

  it('rejects an unknown equipment kind', () => {
    const bad = defaultJson();
    bad.equipment[3].kind = 'teleporter';
    const errors = errorsOf(bad);
    expect(
      errors.some((e) => e.startsWith('equipment[3]') && e.includes('expected "kind" to be one of')),
    ).toBe(true);
  });

  it('names equipment that stands outside every zone, and accepts it on a zone edge', () => {
    const bad = defaultJson();
    const id = bad.equipment[7].id as string;
    bad.equipment[7].position = [5000, 0, -5000];
    expect(errorsOf(bad)).toContain(
      `equipment[7].position: "${id}" at x 5000, z -5000 m is outside every zone`,
    );
    const zone = (bad as unknown as { zones: { min: number[]; max: number[] }[] }).zones[0];
    bad.equipment[7].position = [zone.max[0], 0, zone.min[1]];
    expect(errorsOf(bad).filter((e) => e.startsWith('equipment[7].position'))).toEqual([]);
  });

  it('rejects a reference to an unknown zone', () => {
    const bad = defaultJson();
    bad.equipment[5].zone = 'NOWHERE';
    expect(errorsOf(bad)).toContain('equipment[5].zone: unknown zone "NOWHERE"');
  });

  it('rejects a duplicate equipment id', () => {
    const bad = defaultJson();
    bad.equipment[7].id = bad.equipment[6].id;
    expect(errorsOf(bad)).toContain(`equipment[7].id: duplicate id "${bad.equipment[6].id}"`);
  });

  it('rejects an aisle to an unknown path node', () => {
    const bad = defaultJson();
    bad.paths.edges.push(['HA-05', 'GHOST']);
    const i = bad.paths.edges.length - 1;
    expect(errorsOf(bad)).toContain(`paths.edges[${i}][1]: unknown path node "GHOST"`);
  });

  it('rejects an AGV stop node on a through-aisle', () => {
    const bad = defaultJson();
    const rack = bad.equipment.find((e) => e.kind === 'rack') as { props: { node: string } };
    const i = bad.equipment.findIndex((e) => e.kind === 'rack');
    bad.paths.edges.push([rack.props.node, 'HA-05']);
    expect(errorsOf(bad).some((e) => e.startsWith(`equipment[${i}].props.node: AGV stop node`))).toBe(true);
  });

  it('rejects input that is not an object', () => {
    for (const input of [null, 42, 'plant', [1, 2, 3]]) {
      const errors = errorsOf(input);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0].startsWith('(root)')).toBe(true);
    }
  });
});
