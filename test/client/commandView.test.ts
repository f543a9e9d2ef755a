import { describe, expect, it } from 'vitest';
import { commandGroups, nodeLabel, nodeOptions, orderActions } from '../../client/hud/commands/commandView';
import type { Layout } from '../../protocol';
import { defaultLayout } from '../helpers/server';

const layout: Layout = defaultLayout();
const robot = layout.equipment.find((e) => e.kind === 'robot-arm' && e.line)!;
const agv = layout.equipment.find((e) => e.kind === 'agv')!;

describe('command buttons', () => {
  it('puts E-stop first and Stop second, the rest in vocabulary order', () => {
    expect(orderActions(['start', 'stop', 'reset', 'e-stop'])).toEqual(['e-stop', 'stop', 'start', 'reset']);
    expect(orderActions(['pause', 'resume', 'go-to', 'dock'])).toEqual(['pause', 'resume', 'go-to', 'dock']);
  });

  it('offers nothing to a viewer, or to nobody logged in', () => {
    expect(commandGroups('viewer', robot, layout)).toEqual([]);
    expect(commandGroups(null, agv, layout)).toEqual([]);
  });

  it('offers a robot on a line its own commands and its whole line’s to an operator and up', () => {
    for (const role of ['operator', 'trainer', 'admin'] as const) {
      const groups = commandGroups(role, robot, layout);
      expect(groups.map((g) => [g.target, g.line])).toEqual([
        [robot.id, false],
        [robot.line, true],
      ]);
      expect(groups[0].actions[0]).toBe('e-stop');
      expect(groups[1].actions).toEqual(['e-stop', 'stop', 'start', 'reset']);
      expect(groups[1].label).toBe(layout.lines.find((l) => l.id === robot.line)?.name);
    }
  });

  it('offers an AGV pause, resume, go-to and dock, and no line group', () => {
    expect(commandGroups('operator', agv, layout)).toEqual([
      { target: agv.id, label: agv.id, line: false, actions: ['pause', 'resume', 'go-to', 'dock'] },
    ]);
  });

  it('offers only the line’s commands for equipment on a line that has none of its own (a feeder)', () => {
    const feeder = layout.equipment.find((e) => e.kind === 'feeder' && e.line)!;
    const groups = commandGroups('operator', feeder, layout);
    expect(groups).toHaveLength(1);
    expect(groups[0].line).toBe(true);
  });

  it('offers nothing for kinds without commands (a 5G cell)', () => {
    const cell = layout.equipment.find((e) => e.kind === 'base-station')!;
    expect(commandGroups('admin', cell, layout)).toEqual([]);
  });
});

describe('go-to node picker', () => {
  const { stops, aisles } = nodeOptions(layout);

  it('lists named stops first — feeders, chargers, racks, then AGV homes — then the aisle nodes', () => {
    const kinds = stops.map((s) => s.kind);
    const firstOf = (k: string) => kinds.indexOf(k as never);
    expect(firstOf('feeder')).toBe(0);
    expect(firstOf('feeder')).toBeLessThan(firstOf('charging-dock'));
    expect(firstOf('charging-dock')).toBeLessThan(firstOf('rack'));
    expect(firstOf('rack')).toBeLessThan(firstOf('home'));
    expect(aisles.every((a) => a.kind === 'aisle')).toBe(true);
  });

  it('lists every path node exactly once', () => {
    const ids = [...stops, ...aisles].map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(layout.paths?.nodes.map((n) => n.id)));
  });

  it('labels stops by the equipment there and homes by their AGV', () => {
    const home = (node: string, a: string) => `${node} (home of ${a})`;
    const feeder = stops.find((s) => s.kind === 'feeder')!;
    const at = layout.equipment.find((e) => (e.props as { node?: string }).node === feeder.id)!;
    const unnamed = { ...feeder, name: at.name };
    expect(nodeLabel(unnamed, home)).toBe(`${at.name} · ${feeder.id}`);
    const parking = stops.find((s) => s.kind === 'home')!;
    expect(nodeLabel(parking, home)).toMatch(/^Parking \d+ · PK-\d+ \(home of AGV-\d+\)$/);
    expect(nodeLabel({ id: 'X-1', kind: 'aisle' }, home)).toBe('X-1');
  });

  it('names every node of the shipped plant in Chinese, from its own name or the equipment there', () => {
    const zh = nodeOptions(layout, 'zh-CN');
    const home = (node: string, a: string) => `${node}（${a} 的停放点）`;
    for (const o of [...zh.stops, ...zh.aisles]) expect(nodeLabel(o, home), o.id).toMatch(/[\u4e00-\u9fff]/);
    const feeder = zh.stops.find((s) => s.id === 'L1-FDR-D')!;
    expect(nodeLabel(feeder, home)).toBe('1 号产线上料点 · L1-FDR-D');
    expect(nodeLabel(zh.aisles.find((a) => a.id === 'HA-05')!, home)).toBe('总装车间 A 通道 05 · HA-05');
    // English keeps the English names.
    expect(nodeLabel(stops.find((s) => s.id === 'L1-FDR-D')!, home)).toBe(
      'Line 1 feeder drop-off · L1-FDR-D',
    );
  });

  it('falls back to the equipment name, then the id, for a plant whose nodes have no names', () => {
    const bare = {
      ...layout,
      paths: { ...layout.paths!, nodes: layout.paths!.nodes.map(({ id, position }) => ({ id, position })) },
    };
    const { stops: s, aisles: a } = nodeOptions(bare, 'zh-CN');
    const feeder = s.find((o) => o.id === 'L1-FDR-D')!;
    const at = bare.equipment.find((e) => e.id === 'L1-FDR')!;
    expect(feeder.name).toBe(at.names?.['zh-CN']);
    expect(a.every((o) => o.name === undefined)).toBe(true);
  });
});
