import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bindComments, comments, unresolvedCount, useCommentsStore } from '../../client/design/commentsStore';
import { addThread, readThreads } from '../../protocol/designComments';

let unbind: (() => void) | null = null;
afterEach(() => {
  unbind?.();
  unbind = null;
});

describe('the comments store bound to a draft’s doc', () => {
  it('follows the doc: this page’s comments and those arriving from others', () => {
    const doc = new Y.Doc();
    unbind = bindComments(doc, 'eng1');
    expect(comments.add({ equipment: 'R1' }, 'mine')).toBe(true);
    const mine = useCommentsStore.getState().active;
    expect(useCommentsStore.getState().threads.map((t) => t.text)).toEqual(['mine']);
    // Someone else's thread, as an update from the server.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    addThread(other, { author: 'eng2', anchor: { point: [1, 0, 1] }, text: 'theirs', now: Date.now() + 1 });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)), 'remote');
    expect(useCommentsStore.getState().threads.map((t) => t.text)).toEqual(['mine', 'theirs']);
    expect(unresolvedCount(useCommentsStore.getState())).toBe(2);
    expect(comments.resolve(mine as string)).toBe(true);
    expect(unresolvedCount(useCommentsStore.getState())).toBe(1);
    expect(readThreads(doc)[0].resolvedBy).toBe('eng1');
  });

  it('says why an operation was not done, and forgets everything when unbound', () => {
    const doc = new Y.Doc();
    unbind = bindComments(doc, 'eng1');
    expect(comments.add({ equipment: 'R1' }, '   ')).toBe(false);
    expect(useCommentsStore.getState().error).toBe('empty');
    const other = new Y.Doc();
    const r = addThread(other, { author: 'eng2', anchor: { point: [0, 0, 0] }, text: 'x', now: 1 });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), 'remote');
    expect(comments.remove(r.ok ? r.id : '')).toBe(false);
    expect(useCommentsStore.getState().error).toBe('notYours');
    unbind();
    unbind = null;
    expect(useCommentsStore.getState()).toMatchObject({ threads: [], user: null, error: null });
    expect(comments.add({ equipment: 'R1' }, 'after')).toBe(false);
  });
});
