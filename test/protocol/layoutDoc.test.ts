import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  applyLayoutChange,
  docToLayout,
  initialKeys,
  keyBetween,
  layoutToDoc,
  reorderKeys,
  replaceLayout,
} from '../../protocol/layoutDoc';

type Obj = Record<string, unknown>;
type Item = Obj & { id: string };

const PLANTS = join(__dirname, '../../assets/plants');
const plants = readdirSync(PLANTS).filter((f) => f.endsWith('.json'));
const load = (f: string): Obj => JSON.parse(readFileSync(join(PLANTS, f), 'utf8'));
const plant = () => load(plants[0]);
const equipment = (l: Obj) => l.equipment as Item[];

/** Two docs that share `layout` (the second loaded from the first, as a client from the server). */
function pair(layout: Obj): [Y.Doc, Y.Doc] {
  const a = layoutToDoc(layout);
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return [a, b];
}
/** Each side sends the other what it lacks (what a reconnect does). */
function sync(a: Y.Doc, b: Y.Doc): void {
  const ua = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const ub = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, ua);
  Y.applyUpdate(a, ub);
}
/** An edit as the client makes one: the present layout mapped to the next, written as a change. */
function edit(doc: Y.Doc, change: (l: Obj) => Obj): void {
  const from = docToLayout(doc);
  applyLayoutChange(doc, from, change(from));
}
const mapItem = (l: Obj, key: string, id: string, f: (it: Item) => Item): Obj => ({
  ...l,
  [key]: (l[key] as Item[]).map((it) => (it.id === id ? f(it) : it)),
});

describe('draft layout as a Y.Doc', () => {
  it.each(plants)('gives back the shipped plant %s unchanged after JSON -> doc -> update -> JSON', (f) => {
    const layout = load(f);
    const [, b] = pair(layout);
    expect(docToLayout(b)).toEqual(layout);
  });

  it('keeps invalid drafts whole: duplicate ids, items without ids, odd paths and unknown keys', () => {
    const layout = plant();
    const odd: Obj = {
      ...layout,
      equipment: [...equipment(layout), equipment(layout)[0]],
      zones: [{ name: 'no id' }],
      paths: {
        nodes: 'not a list',
        edges: [
          ['a', 'b'],
          ['b', 'a'],
        ],
        extra: 1,
      },
      custom: { deep: [1, 2, { x: null }] },
    };
    expect(docToLayout(pair(odd)[1])).toEqual(odd);
    const fixed = { ...odd, equipment: equipment(layout), zones: layout.zones };
    const [a, b] = pair(odd);
    applyLayoutChange(a, odd, fixed);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    expect(docToLayout(b)).toEqual(fixed);
  });

  it('keeps a "__proto__" key as data, never as a prototype', () => {
    const layout = JSON.parse(
      `{"name":"p","__proto__":{"polluted":true},"equipment":[{"id":"a","__proto__":{"x":1}}]}`,
    ) as Obj;
    const got = docToLayout(pair(layout)[1]);
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect((got as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(got).sort()).toEqual(Object.keys(layout).sort());
    expect(Object.getOwnPropertyDescriptor(got, '__proto__')?.value).toEqual({ polluted: true });
    expect(JSON.stringify(got.equipment)).toBe(JSON.stringify(layout.equipment));
  });

  it('merges concurrent edits of different machines', () => {
    const layout = plant();
    const [a, b] = pair(layout);
    const [first, second] = equipment(layout);
    edit(a, (l) => mapItem(l, 'equipment', first.id, (e) => ({ ...e, position: [1, 0, 1] })));
    edit(b, (l) => mapItem(l, 'equipment', second.id, (e) => ({ ...e, position: [2, 0, 2] })));
    sync(a, b);
    expect(docToLayout(a)).toEqual(docToLayout(b));
    const got = equipment(docToLayout(a));
    expect(got.find((e) => e.id === first.id)?.position).toEqual([1, 0, 1]);
    expect(got.find((e) => e.id === second.id)?.position).toEqual([2, 0, 2]);
  });

  it('merges concurrent edits of different fields of one machine', () => {
    const layout = plant();
    const [a, b] = pair(layout);
    const id = equipment(layout)[0].id;
    edit(a, (l) => mapItem(l, 'equipment', id, (e) => ({ ...e, position: [5, 0, 5] })));
    edit(b, (l) => mapItem(l, 'equipment', id, (e) => ({ ...e, name: 'Renamed' })));
    sync(a, b);
    const got = equipment(docToLayout(b)).find((e) => e.id === id);
    expect(got).toMatchObject({ position: [5, 0, 5], name: 'Renamed' });
    expect(docToLayout(a)).toEqual(docToLayout(b));
  });

  it('keeps both of two items added at the same place concurrently, in the same order on both sides', () => {
    const layout = plant();
    const [a, b] = pair(layout);
    const base = equipment(layout)[0];
    const add = (id: string) => (l: Obj) => ({ ...l, equipment: [{ ...base, id }, ...equipment(l)] });
    edit(a, add('new-a'));
    edit(b, add('new-b'));
    sync(a, b);
    const ids = equipment(docToLayout(a)).map((e) => e.id);
    expect(ids.slice(0, 2).sort()).toEqual(['new-a', 'new-b']);
    expect(ids).toHaveLength(equipment(layout).length + 2);
    expect(docToLayout(a)).toEqual(docToLayout(b));
  });

  it('merges an added AGV aisle with a moved node, and a removal with an edit elsewhere', () => {
    const layout = plant();
    const paths = layout.paths as { nodes: Item[]; edges: string[][] };
    const [a, b] = pair(layout);
    const [n0, n1] = paths.nodes;
    edit(a, (l) => {
      const p = l.paths as typeof paths;
      return { ...l, paths: { ...p, edges: [...p.edges, [n1.id, n0.id]] } };
    });
    edit(b, (l) => {
      const p = l.paths as typeof paths;
      return {
        ...l,
        paths: { ...p, nodes: p.nodes.map((n) => (n.id === n0.id ? { ...n, position: [9, 9] } : n)) },
      };
    });
    edit(b, (l) => ({ ...l, equipment: equipment(l).slice(1) }));
    sync(a, b);
    const got = docToLayout(a);
    const p = got.paths as typeof paths;
    expect(p.edges.at(-1)).toEqual([n1.id, n0.id]);
    expect(p.nodes.find((n) => n.id === n0.id)?.position).toEqual([9, 9]);
    expect(equipment(got).map((e) => e.id)).toEqual(
      equipment(layout)
        .slice(1)
        .map((e) => e.id),
    );
    expect(got).toEqual(docToLayout(b));
  });

  it('keeps the array order through moves, and writes only the moved item’s order key', () => {
    const layout = plant();
    const [a, b] = pair(layout);
    const ids = equipment(layout).map((e) => e.id);
    let writes = 0;
    b.on('update', () => writes++);
    edit(a, (l) => {
      const list = [...equipment(l)];
      const [moved] = list.splice(0, 1);
      list.splice(3, 0, moved);
      return { ...l, equipment: list };
    });
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    expect(writes).toBe(1);
    const want = [...ids];
    want.splice(3, 0, ...want.splice(0, 1));
    expect(equipment(docToLayout(b)).map((e) => e.id)).toEqual(want);
  });

  it('replaces the whole layout in one transaction and ends JSON-equal to it', () => {
    const layout = plant();
    const doc = layoutToDoc(layout);
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    const next = {
      ...layout,
      name: 'Other',
      equipment: equipment(layout).slice(2).reverse(),
      site: undefined,
    };
    replaceLayout(doc, JSON.parse(JSON.stringify(next)));
    expect(transactions).toBe(1);
    expect(docToLayout(doc)).toEqual(JSON.parse(JSON.stringify(next)));
  });

  it('makes order keys that sort between their neighbours, and renumbers when two are equal', () => {
    const keys = initialKeys(500);
    expect([...keys].sort()).toEqual(keys);
    expect(new Set(keys).size).toBe(500);
    for (const [lo, hi] of [
      [null, null],
      ['a', 'b'],
      ['a', 'a1'],
      [null, '01'],
      ['zz', null],
    ] as const) {
      const k = keyBetween(lo, hi);
      if (lo !== null) expect(k > lo).toBe(true);
      if (hi !== null) expect(k < hi).toBe(true);
    }
    const tied = reorderKeys(['x', 'n', 'y'], (id) => (id === 'n' ? undefined : 'm'));
    expect(tied.size).toBe(3);
  });
});
