import { describe, expect, it } from 'vitest';
import {
  addNode,
  connectNodes,
  edgesOf,
  freshNodeId,
  moveNode,
  nodeOfError,
  nodesOf,
  removeEdge,
  removeNode,
} from '../../client/design/edits/pathEdits';
import type { DraftLayout } from '../../client/design/layoutEdits';
import { parseLayout } from '../../protocol';
import { defaultLayout } from '../helpers/server';

const base: DraftLayout = {
  name: 'Test',
  paths: {
    nodes: [
      { id: 'A', position: [0, 0] },
      { id: 'B', position: [10, 0] },
      { id: 'N-01', position: [10, 5] },
    ],
    edges: [
      ['A', 'B'],
      ['B', 'N-01'],
    ],
  },
};

describe('AGV path edits', () => {
  it('adds a node with the next free N-id, creating paths when the draft has none', () => {
    const r = addNode(base, 3, 4);
    expect(r?.id).toBe('N-02');
    expect(nodesOf(r!.layout).at(-1)).toEqual({ id: 'N-02', position: [3, 4] });
    expect(nodesOf(base)).toHaveLength(3);
    const fresh = addNode({}, 1, 1);
    expect(fresh?.layout.paths).toEqual({ nodes: [{ id: 'N-01', position: [1, 1] }], edges: [] });
    expect(addNode(base, Number.NaN, 0)).toBeNull();
    expect(freshNodeId({})).toBe('N-01');
  });

  it('moves a node and leaves the rest shared', () => {
    const next = moveNode(base, 'A', 2, 3);
    expect(nodesOf(next)[0].position).toEqual([2, 3]);
    expect(nodesOf(next)[1]).toBe(nodesOf(base)[1]);
    expect(moveNode(base, 'A', 0, 0)).toBe(base);
    expect(moveNode(base, 'Z', 1, 1)).toBe(base);
  });

  it('connects two nodes once, never a node to itself or to an unknown one', () => {
    const next = connectNodes(base, 'A', 'N-01');
    expect(edgesOf(next).map((e) => [e.a, e.b])).toEqual([
      ['A', 'B'],
      ['B', 'N-01'],
      ['A', 'N-01'],
    ]);
    expect(connectNodes(next, 'N-01', 'A')).toBe(next);
    expect(connectNodes(base, 'A', 'A')).toBe(base);
    expect(connectNodes(base, 'A', 'Z')).toBe(base);
  });

  it('removes an edge by index, and a node with its edges', () => {
    expect(edgesOf(removeEdge(base, 0)).map((e) => [e.a, e.b])).toEqual([['B', 'N-01']]);
    expect(removeEdge(base, 5)).toBe(base);
    const next = removeNode(base, 'B');
    expect(nodesOf(next).map((n) => n.id)).toEqual(['A', 'N-01']);
    expect(edgesOf(next)).toEqual([]);
    expect(removeNode(base, 'Z')).toBe(base);
  });

  it('finds the node the loader’s errors are about, in the loader’s own words', () => {
    const plant = structuredClone(defaultLayout()) as unknown as DraftLayout;
    const rack = (plant.equipment as { kind: string; props: { node: string } }[]).find(
      (e) => e.kind === 'rack',
    )!;
    const stop = rack.props.node;
    const other = nodesOf(plant).find((n) => n.id !== stop)!.id;
    const r = parseLayout(connectNodes(plant, stop, other));
    expect(r.ok).toBe(false);
    const errors = r.ok ? [] : r.errors;
    const line = errors.find((e) => e.includes(`AGV stop node "${stop}"`));
    expect(line).toBeDefined();
    expect(nodeOfError(plant, line!)).toBe(stop);
    expect(nodeOfError(base, 'paths.nodes[1].id: duplicate id "B"')).toBe('B');
    expect(nodeOfError(base, 'paths.edges[1][1]: unknown path node "N-01"')).toBe('N-01');
    expect(nodeOfError(base, 'equipment[0].position: expected 3 numbers')).toBeNull();
  });
});
