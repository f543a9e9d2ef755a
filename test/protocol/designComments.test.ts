import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addReply,
  addThread,
  COMMENT_TEXT_MAX,
  checkCommentChange,
  commentsOf,
  deleteThread,
  MAX_REPLIES,
  MAX_THREADS,
  mentionsUser,
  newCommentId,
  parseMentions,
  readThreads,
  reopenThread,
  resolveThread,
  splitMentions,
} from '../../protocol/designComments';
import { docToLayout, layoutToDoc } from '../../protocol/layoutDoc';

const layout = { name: 'Draft', equipment: [{ id: 'R1', kind: 'robot', position: [1, 0, 2] }] };

/** Two docs holding the same draft (the second loaded from the first, as a page from the server). */
function pair(): [Y.Doc, Y.Doc] {
  const a = layoutToDoc(layout);
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return [a, b];
}
/** Each side sends the other what it lacks. */
function sync(a: Y.Doc, b: Y.Doc): void {
  const ua = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const ub = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, ua);
  Y.applyUpdate(a, ub);
}
/** What the server sees: `change` made on a copy of `doc` by `user`, checked against `doc`. */
function check(doc: Y.Doc, user: string, change: (copy: Y.Doc) => void): string | null {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const touched = new Set<string>();
  commentsOf(copy).observeDeep((events) => {
    for (const e of events) {
      if (e.path.length === 0) for (const k of e.changes.keys.keys()) touched.add(k);
      else touched.add(String(e.path[0]));
    }
  });
  change(copy);
  return checkCommentChange(doc, copy, touched, user);
}
const ok = (r: { ok: boolean; id?: string }) => {
  expect(r.ok).toBe(true);
  return (r as { id: string }).id;
};

describe('comment threads in a draft doc', () => {
  it('adds a thread, a reply, resolves and reopens it, and reads it back in order', () => {
    const [doc] = pair();
    const id = ok(
      addThread(doc, { author: 'eng1', anchor: { equipment: 'R1' }, text: '  Too close  ', now: 10 }),
    );
    ok(addReply(doc, id, { author: 'eng2', text: 'second', now: 30 }));
    ok(addReply(doc, id, { author: 'eng1', text: 'first', now: 20 }));
    let [t] = readThreads(doc);
    expect(t).toMatchObject({ id, author: 'eng1', text: 'Too close', resolved: false, createdAt: 10 });
    expect(t.resolvedBy).toBeUndefined();
    expect(t.replies.map((r) => r.text)).toEqual(['first', 'second']);
    ok(resolveThread(doc, id, 'eng2', 40));
    [t] = readThreads(doc);
    expect(t).toMatchObject({ resolved: true, resolvedBy: 'eng2' });
    ok(reopenThread(doc, id));
    expect(readThreads(doc)[0].resolved).toBe(false);
  });

  it('keeps comments out of the layout JSON', () => {
    const [doc] = pair();
    const before = docToLayout(doc);
    addThread(doc, { author: 'eng1', anchor: { point: [1, 0, 1] }, text: 'here', now: 1 });
    expect(docToLayout(doc)).toEqual(before);
  });

  it('refuses empty and too long text, more threads or replies than the limits, and deleting another’s thread', () => {
    const [doc] = pair();
    const anchor = { equipment: 'R1' };
    expect(addThread(doc, { author: 'a', anchor, text: '   ', now: 1 })).toEqual({
      ok: false,
      error: 'empty',
    });
    expect(addThread(doc, { author: 'a', anchor, text: 'x'.repeat(COMMENT_TEXT_MAX + 1), now: 1 })).toEqual({
      ok: false,
      error: 'tooLong',
    });
    expect(addThread(doc, { author: 'a', anchor: { equipment: '' }, text: 'x', now: 1 })).toEqual({
      ok: false,
      error: 'badAnchor',
    });
    const id = ok(addThread(doc, { author: 'a', anchor, text: 'x'.repeat(COMMENT_TEXT_MAX), now: 1 }));
    expect(addReply(doc, 'c-nonexistent0000', { author: 'a', text: 'x', now: 1 })).toEqual({
      ok: false,
      error: 'notFound',
    });
    for (let i = 0; i < MAX_REPLIES; i++) ok(addReply(doc, id, { author: 'a', text: `r${i}`, now: i }));
    expect(addReply(doc, id, { author: 'a', text: 'one more', now: 1 })).toEqual({
      ok: false,
      error: 'tooMany',
    });
    for (let i = 1; i < MAX_THREADS; i++) ok(addThread(doc, { author: 'a', anchor, text: 't', now: i }));
    expect(addThread(doc, { author: 'a', anchor, text: 't', now: 1 })).toEqual({
      ok: false,
      error: 'tooMany',
    });
    expect(deleteThread(doc, id, 'b')).toEqual({ ok: false, error: 'notYours' });
    ok(deleteThread(doc, id, 'a'));
    expect(readThreads(doc)).toHaveLength(MAX_THREADS - 1);
  });

  it('merges replies written at once on two pages, and a reply with a concurrent resolve', () => {
    const [a, b] = pair();
    const id = ok(addThread(a, { author: 'eng1', anchor: { equipment: 'R1' }, text: 'q', now: 1 }));
    sync(a, b);
    ok(addReply(a, id, { author: 'eng1', text: 'from a', now: 5 }));
    ok(addReply(b, id, { author: 'eng2', text: 'from b', now: 5 }));
    ok(resolveThread(b, id, 'eng2', 6));
    sync(a, b);
    expect(readThreads(a)).toEqual(readThreads(b));
    const [t] = readThreads(a);
    expect(t.replies.map((r) => r.text).sort()).toEqual(['from a', 'from b']);
    expect(t).toMatchObject({ resolved: true, resolvedBy: 'eng2' });
  });

  it('leaves a whole resolution or none when one page resolves and another reopens at once', () => {
    const [a, b] = pair();
    const id = ok(addThread(a, { author: 'eng1', anchor: { equipment: 'R1' }, text: 'q', now: 1 }));
    resolveThread(a, id, 'eng3', 2);
    sync(a, b);
    resolveThread(a, id, 'eng1', 3);
    reopenThread(b, id);
    sync(a, b);
    const [t] = readThreads(a);
    expect(readThreads(b)).toEqual([t]);
    expect(t.resolved ? t.resolvedBy : undefined).toBe(t.resolved ? 'eng1' : undefined);
  });

  it('makes distinct ids of the comment id form', () => {
    const ids = new Set(Array.from({ length: 200 }, newCommentId));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^c-[0-9a-z]{12,24}$/);
  });
});

describe('mentions', () => {
  it('finds @name tokens of user names, each once, not in e-mail addresses', () => {
    expect(parseMentions('@eng2 please look, cc @admin_1 and @eng2.')).toEqual(['eng2', 'admin_1']);
    expect(parseMentions('mail a.b@example.com or @x')).toEqual(['x']);
    expect(parseMentions('(@eng.two) @-nope @')).toEqual(['eng.two']);
    expect(parseMentions('no mentions')).toEqual([]);
  });

  it('splits text into plain runs and mentions that join back to the text', () => {
    const text = 'Hi @eng2, see @eng1!';
    const parts = splitMentions(text);
    expect(parts).toEqual([
      { text: 'Hi ' },
      { text: '@eng2', mention: 'eng2' },
      { text: ', see ' },
      { text: '@eng1', mention: 'eng1' },
      { text: '!' },
    ]);
    expect(parts.map((p) => p.text).join('')).toBe(text);
  });

  it('says whether a thread mentions a user in its text or a reply', () => {
    const [doc] = pair();
    const id = ok(addThread(doc, { author: 'a', anchor: { equipment: 'R1' }, text: 'hey @b', now: 1 }));
    addReply(doc, id, { author: 'b', text: 'ask @c', now: 2 });
    const [t] = readThreads(doc);
    expect([mentionsUser(t, 'b'), mentionsUser(t, 'c'), mentionsUser(t, 'a')]).toEqual([true, true, false]);
  });
});

describe('the server’s check of a comment change', () => {
  const anchor = { equipment: 'R1' };
  const withThread = () => {
    const [doc] = pair();
    const id = ok(addThread(doc, { author: 'eng1', anchor, text: 'q', now: 1 }));
    ok(addReply(doc, id, { author: 'eng1', text: 'r', now: 2 }));
    return { doc, id };
  };

  it('allows a user’s own thread, reply, resolve, reopen and delete', () => {
    const { doc, id } = withThread();
    expect(
      check(doc, 'eng2', (c) => addThread(c, { author: 'eng2', anchor, text: 'new', now: 3 })),
    ).toBeNull();
    expect(check(doc, 'eng2', (c) => addReply(c, id, { author: 'eng2', text: 'ok', now: 3 }))).toBeNull();
    expect(check(doc, 'eng2', (c) => resolveThread(c, id, 'eng2', 3))).toBeNull();
    resolveThread(doc, id, 'eng2', 3);
    expect(check(doc, 'eng1', (c) => reopenThread(c, id))).toBeNull();
    expect(check(doc, 'eng1', (c) => deleteThread(c, id, 'eng1'))).toBeNull();
  });

  it('refuses a forged author, a forged resolver, edits of what was written and deleting another’s thread', () => {
    const { doc, id } = withThread();
    expect(check(doc, 'eng2', (c) => addThread(c, { author: 'eng1', anchor, text: 'x', now: 3 }))).toMatch(
      /your own user name/,
    );
    expect(check(doc, 'eng2', (c) => addReply(c, id, { author: 'eng1', text: 'x', now: 3 }))).toMatch(
      /your own user name/,
    );
    expect(check(doc, 'eng2', (c) => resolveThread(c, id, 'eng1', 3))).toMatch(/someone else/);
    expect(
      check(doc, 'eng1', (c) => (commentsOf(c).get(id) as Y.Map<unknown>).set('text', 'rewritten')),
    ).toMatch(/cannot be changed/);
    expect(check(doc, 'eng2', (c) => commentsOf(c).delete(id))).toMatch(/only its author/);
    const replies = () => (commentsOf(doc).get(id) as Y.Map<unknown>).get('replies') as Y.Map<unknown>;
    const rid = [...replies().keys()][0];
    expect(
      check(doc, 'eng2', (c) =>
        ((commentsOf(c).get(id) as Y.Map<unknown>).get('replies') as Y.Map<unknown>).delete(rid),
      ),
    ).toMatch(/only its author/);
  });

  it('refuses a malformed thread: bad id, bad shape, empty or oversized text', () => {
    const { doc } = withThread();
    expect(check(doc, 'eng1', (c) => commentsOf(c).set('nope', 1))).toMatch(/comment id/);
    expect(check(doc, 'eng1', (c) => commentsOf(c).set('c-000000000000', { author: 'eng1' }))).toMatch(
      /expected a thread/,
    );
    expect(
      check(doc, 'eng1', (c) =>
        addThread(c, { author: 'eng1', anchor, text: 'x', now: 1, id: 'c-aaaaaaaaaaaa' }),
      ),
    ).toBeNull();
    for (const text of ['', 'x'.repeat(COMMENT_TEXT_MAX + 1)])
      expect(
        check(doc, 'eng1', (c) => {
          const t = new Y.Map<unknown>();
          for (const [k, v] of Object.entries({
            anchor,
            author: 'eng1',
            createdAt: 1,
            text,
            resolution: null,
          }))
            t.set(k, v);
          t.set('replies', new Y.Map());
          commentsOf(c).set('c-bbbbbbbbbbbb', t);
        }),
      ).toMatch(/expected a thread/);
  });
});
