import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addReply,
  addThread,
  COMMENT_TEXT_MAX,
  commentsOf,
  deleteThread,
  readThreads,
  resolveThread,
} from '../../../protocol/designComments';
import { applyLayoutChange, docToLayout } from '../../../protocol/layoutDoc';
import { shadowOf, updateProblem } from '../../../server/design/collabCheck';
import { type CollabClient, joinDraft } from '../../helpers/collabClient';
import { startTestServer, type TestServer, tempDataDir } from '../../helpers/server';
import { apiPatient as api, FAST } from '../training/support';

type Obj = Record<string, unknown>;

const POLL = { timeout: 20_000, interval: 50 };
let server: TestServer;
let eng = '';
let admin = '';
const open: CollabClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ seed: 3, security: FAST });
  [eng, admin] = await Promise.all([server.login('engineer'), server.login('admin')]);
});
afterAll(async () => {
  for (const c of open) c.close();
  await server?.close();
});

async function newDraft(s: TestServer = server, token = eng): Promise<string> {
  const r = await api(s, 'POST', '/api/designs', token, { name: 'commented' });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return (r.body.design as { id: string }).id;
}
async function join(id: string, token = eng, s: TestServer = server): Promise<CollabClient> {
  const c = await joinDraft(s.url, token, id);
  open.push(c);
  return c;
}
/** What `change` writes into a copy of `c`'s doc, as one update (sent by hand, not mirrored). */
function updateOf(c: CollabClient, change: (doc: Y.Doc) => void): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(c.doc));
  const before = Y.encodeStateVector(copy);
  change(copy);
  return Y.encodeStateAsUpdate(copy, before);
}
const firstRobot = (l: Obj) =>
  (l.equipment as { id: string; kind: string }[]).find((e) => e.kind === 'robot-arm')?.id ?? '';
const stored = async (id: string, s: TestServer = server, token = eng) =>
  (await api(s, 'GET', `/api/designs/${id}`, token)).body.layout as Obj;

describe('comments on a design draft over Socket.IO', () => {
  it('brings a thread, a reply and a resolve from one engineer to the other, the layout untouched', async () => {
    const id = await newDraft();
    const a = await join(id);
    const b = await join(id, admin);
    const layout = docToLayout(a.doc);
    const robot = firstRobot(layout);
    const t = addThread(a.doc, {
      author: 'eng1',
      anchor: { equipment: robot },
      text: '@admin1 too close',
      now: 1,
    });
    if (!t.ok) throw new Error(t.error);
    await expect.poll(() => a.acks.length, POLL).toBe(1);
    expect(a.acks).toEqual([{ ok: true }]);
    await expect.poll(() => readThreads(b.doc).map((x) => x.text), POLL).toEqual(['@admin1 too close']);
    expect(addReply(b.doc, t.id, { author: 'admin1', text: 'moved it', now: 2 }).ok).toBe(true);
    expect(resolveThread(b.doc, t.id, 'admin1', 3).ok).toBe(true);
    await expect.poll(() => readThreads(a.doc)[0]?.resolvedBy, POLL).toBe('admin1');
    expect(readThreads(a.doc)).toEqual(readThreads(b.doc));
    expect(readThreads(a.doc)[0].replies.map((r) => r.author)).toEqual(['admin1']);
    expect([...a.acks, ...b.acks].every((r) => r.ok)).toBe(true);
    // Comments are no part of the layout: the stored JSON is the layout as it was.
    expect(await stored(id)).toEqual(layout);
  });

  it('refuses a comment or a reply under another user’s name and an oversized one, the draft unchanged', async () => {
    const id = await newDraft();
    const a = await join(id);
    const b = await join(id, admin);
    const t = addThread(a.doc, { author: 'eng1', anchor: { point: [1, 0, 1] }, text: 'mine', now: 1 });
    if (!t.ok) throw new Error(t.error);
    await expect.poll(() => readThreads(b.doc).length, POLL).toBe(1);
    let seen = 0;
    b.socket.on('design:update' as never, (() => seen++) as never);
    const refusals: [Uint8Array, RegExp][] = [
      [
        updateOf(a, (d) =>
          addThread(d, { author: 'admin1', anchor: { point: [0, 0, 0] }, text: 'forged', now: 2 }),
        ),
        /your own user name/,
      ],
      [
        updateOf(a, (d) => addReply(d, t.id, { author: 'admin1', text: 'forged', now: 2 })),
        /your own user name/,
      ],
      [
        updateOf(a, (d) => {
          const m = new Y.Map<unknown>();
          for (const [k, v] of Object.entries({
            anchor: { point: [0, 0, 0] },
            author: 'eng1',
            createdAt: 2,
            text: 'x'.repeat(COMMENT_TEXT_MAX + 1),
            resolution: null,
          }))
            m.set(k, v);
          m.set('replies', new Y.Map());
          commentsOf(d).set('c-000000000000', m);
        }),
        /expected a thread/,
      ],
      [updateOf(b, (d) => commentsOf(d).delete(t.id)), /only its author/],
    ];
    for (const [i, [update, text]] of refusals.entries()) {
      const c = i === 3 ? b : a;
      const r = await c.send(update);
      expect(r, String(text)).toMatchObject({ ok: false, code: 'INVALID' });
      expect(r.ok ? '' : r.message).toMatch(text);
    }
    expect(seen).toBe(0);
    expect(readThreads(b.doc).map((x) => x.text)).toEqual(['mine']);
    // The refusals left the server's doc as it was: a newcomer sees only the one thread, and
    // edits and comments still go through.
    const c = await join(id);
    expect(readThreads(c.doc).map((x) => [x.author, x.text])).toEqual([['eng1', 'mine']]);
    expect(addReply(a.doc, t.id, { author: 'eng1', text: 'still works', now: 3 }).ok).toBe(true);
    await expect.poll(() => readThreads(b.doc)[0]?.replies.length, POLL).toBe(1);
  });

  it('keeps the layout flush working beside comments (GET reads the edit, not the comments)', async () => {
    const id = await newDraft();
    const a = await join(id);
    const from = docToLayout(a.doc);
    addThread(a.doc, { author: 'eng1', anchor: { point: [2, 0, 2] }, text: 'before the edit', now: 1 });
    applyLayoutChange(a.doc, from, { ...from, name: 'Renamed with comments' });
    await expect.poll(() => a.acks.length, POLL).toBe(2);
    expect(a.acks.every((r) => r.ok)).toBe(true);
    const got = await stored(id);
    expect(got).toEqual({ ...from, name: 'Renamed with comments' });
    expect(JSON.stringify(got)).not.toContain('before the edit');
  });

  it('keeps comments through eviction and a server restart (SQLite file)', async () => {
    const dataDir = tempDataDir();
    const s1 = await startTestServer({ dataDir, security: FAST });
    const t1 = await s1.login('engineer');
    const id = await newDraft(s1, t1);
    const a = await joinDraft(s1.url, t1, id);
    addThread(a.doc, { author: 'eng1', anchor: { point: [3, 0, 4] }, text: 'kept', now: 1 });
    await expect.poll(() => a.acks.length, POLL).toBe(1);
    a.close();
    await expect.poll(() => s1.app.designCollab?.openDrafts, POLL).toEqual([]);
    await s1.close();

    const s2 = await startTestServer({ dataDir, security: FAST });
    try {
      const b = await joinDraft(s2.url, await s2.login('engineer'), id);
      try {
        expect(readThreads(b.doc).map((x) => [x.text, x.anchor])).toEqual([['kept', { point: [3, 0, 4] }]]);
      } finally {
        b.close();
      }
    } finally {
      await s2.close();
    }
  });
});

describe('the server’s check of comment updates (collabCheck)', () => {
  it('accepts a reply written while its thread was being deleted by its author (both pages converge)', () => {
    const server = new Y.Doc();
    const t = addThread(server, { author: 'eng1', anchor: { point: [0, 0, 0] }, text: 'q', now: 1 });
    if (!t.ok) throw new Error(t.error);
    const page = new Y.Doc();
    Y.applyUpdate(page, Y.encodeStateAsUpdate(server));
    const shadow = shadowOf(server);
    // The author deletes it on the server's side; meanwhile the other page replies.
    const del = new Y.Doc();
    Y.applyUpdate(del, Y.encodeStateAsUpdate(server));
    const before = Y.encodeStateVector(del);
    deleteThread(del, t.id, 'eng1');
    const deletion = Y.encodeStateAsUpdate(del, before);
    expect(updateProblem(shadow, deletion, { doc: server, user: 'eng1' })).toBeNull();
    Y.applyUpdate(server, deletion);
    const sv = Y.encodeStateVector(page);
    addReply(page, t.id, { author: 'admin1', text: 'late', now: 2 });
    const reply = Y.encodeStateAsUpdate(page, sv);
    expect(updateProblem(shadow, reply, { doc: server, user: 'admin1' })).toBeNull();
    Y.applyUpdate(server, reply);
    Y.applyUpdate(page, Y.encodeStateAsUpdate(server, Y.encodeStateVector(page)));
    expect(readThreads(server)).toEqual([]);
    expect(readThreads(page)).toEqual([]);
  });

  it('refuses list content put into the comments map, and keeps checking nothing without a sender', () => {
    const server = new Y.Doc();
    const shadow = shadowOf(server);
    const rogue = new Y.Doc();
    rogue.get('comments', Y.Array).insert(0, ['hidden']);
    const update = Y.encodeStateAsUpdate(rogue);
    expect(updateProblem(shadow, update, { doc: server, user: 'eng1' })).toMatch(/expected maps/);
    expect(updateProblem(shadowOf(server), update)).toBeNull();
  });
});
