import { describe, expect, it } from 'vitest';
import { applyChange, shareUnchanged } from '../../client/design/collabShare';
import { type EditBinding, useDesignStore } from '../../client/design/designStore';
import { docToLayout, layoutToDoc } from '../../protocol/layoutDoc';
import { defaultLayout } from '../helpers/server';

type Obj = Record<string, unknown>;
const summary = {
  id: 'd-000000000001',
  name: 'x',
  createdBy: 'eng1',
  createdAt: 0,
  updatedAt: 0,
  basedOn: 'live',
  versions: 0,
};

describe('the design store bound to a shared doc', () => {
  it('keeps unchanged parts of the layout as the same objects when a remote change arrives', () => {
    const prev = JSON.parse(JSON.stringify(defaultLayout())) as Obj;
    const next = JSON.parse(JSON.stringify(prev)) as Obj & { equipment: Obj[] };
    next.equipment[1] = { ...next.equipment[1], position: [1, 0, 1] };
    const shared = shareUnchanged(prev, next);
    const p = prev as { equipment: Obj[]; zones: unknown };
    expect(shared).toEqual(next);
    expect(shared.equipment[0]).toBe(p.equipment[0]);
    expect(shared.equipment[1]).not.toBe(p.equipment[1]);
    expect((shared as Obj).zones).toBe(p.zones);
    expect(shareUnchanged(prev, JSON.parse(JSON.stringify(prev)))).toBe(prev);
  });

  it('sends edits through the binding without local history, and takes remote layouts as the present', () => {
    const layout = JSON.parse(JSON.stringify(defaultLayout())) as Obj;
    const doc = layoutToDoc(layout);
    const undone: string[] = [];
    const binding: EditBinding = {
      apply: (from, to) => applyChange(doc, from, to, 'local'),
      undo: () => undone.push('undo'),
      redo: () => undone.push('redo'),
    };
    const store = useDesignStore.getState();
    store.open(summary, layout, []);
    useDesignStore.setState({ binding });
    useDesignStore.getState().edit((l) => ({ ...l, name: 'Edited' }));
    expect(docToLayout(doc).name).toBe('Edited');
    expect(useDesignStore.getState().history.present.name).toBe('Edited');
    expect(useDesignStore.getState().history.past).toHaveLength(0);
    useDesignStore.getState().undo();
    useDesignStore.getState().redo();
    expect(undone).toEqual(['undo', 'redo']);
    expect(useDesignStore.getState().history.present.name).toBe('Edited');

    const remote = { ...useDesignStore.getState().history.present, site: 'Elsewhere' };
    useDesignStore.getState().receive(remote, true);
    expect(useDesignStore.getState().history.present).toBe(remote);
    expect(useDesignStore.getState().saved).toBe(remote);
    useDesignStore.setState({ binding: null });
    doc.destroy();
  });
});
