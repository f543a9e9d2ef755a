import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { asBytes, DESIGN_UPDATE_RATE, MAX_DESIGN_UPDATE_BYTES } from '../../../protocol';
import { applyLayoutChange, docToLayout } from '../../../protocol/layoutDoc';
import { type CollabClient, connectDesign, joinDraft } from '../../helpers/collabClient';
import { startTestServer, type TestServer, tempDataDir } from '../../helpers/server';
import { apiPatient as api, FAST } from '../training/support';

type Obj = Record<string, unknown>;
type Item = Obj & { id: string };

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
  const r = await api(s, 'POST', '/api/designs', token, { name: 'together' });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return (r.body.design as { id: string }).id;
}
async function join(id: string, token = eng, s: TestServer = server): Promise<CollabClient> {
  const c = await joinDraft(s.url, token, id);
  open.push(c);
  return c;
}
/** An edit as a design page makes one: the present layout mapped to the next. */
function edit(c: CollabClient, change: (l: Obj) => Obj): void {
  const from = docToLayout(c.doc);
  applyLayoutChange(c.doc, from, change(from));
}
const moveFirst =
  (to: number[]) =>
  (l: Obj): Obj => ({
    ...l,
    equipment: (l.equipment as Item[]).map((e, i) => (i === 0 ? { ...e, position: to } : e)),
  });
const stored = async (id: string, s: TestServer = server, token = eng) =>
  (await api(s, 'GET', `/api/designs/${id}`, token)).body.layout as Obj;
const first = (l: Obj) => (l.equipment as Item[])[0];

describe('live editing of a design draft over Socket.IO', () => {
  it('lets two engineers edit different machines at once and both end with the same layout', async () => {
    const id = await newDraft();
    const a = await join(id);
    const b = await join(id, admin);
    const ids = (docToLayout(a.doc).equipment as Item[]).map((e) => e.id);
    edit(a, moveFirst([1.5, 0, 2.5]));
    edit(b, (l) => ({
      ...l,
      equipment: (l.equipment as Item[]).map((e) =>
        e.id === ids[1] ? { ...e, name: 'Renamed by admin' } : e,
      ),
    }));
    await expect
      .poll(() => JSON.stringify(docToLayout(a.doc)) === JSON.stringify(docToLayout(b.doc)), POLL)
      .toBe(true);
    const got = docToLayout(a.doc);
    expect(first(got).position).toEqual([1.5, 0, 2.5]);
    expect((got.equipment as Item[])[1].name).toBe('Renamed by admin');
    // The HTTP API reads what is being edited (written before it answers).
    expect(await stored(id)).toEqual(got);
    expect(a.acks.every((r) => r.ok) && b.acks.every((r) => r.ok)).toBe(true);
  });

  it('refuses a malformed, an oversized and a non-binary update with a clear error, the draft unchanged', async () => {
    const id = await newDraft();
    const a = await join(id);
    const b = await join(id);
    const before = JSON.stringify(docToLayout(a.doc));
    let seen = 0;
    b.socket.on('design:update' as never, (() => seen++) as never);
    const garbage = new Uint8Array([1, 200, 3, 4, 5, 250, 7, 8, 9, 10, 11, 12]);
    for (const [payload, code, text] of [
      [garbage, 'INVALID', /update/],
      [new Uint8Array(MAX_DESIGN_UPDATE_BYTES + 1), 'INVALID', /larger than/],
      ['not bytes', 'INVALID', /binary/],
      [{ nested: 1 }, 'INVALID', /binary/],
    ] as const) {
      const r = await a.send(payload);
      expect(r, String(payload)).toMatchObject({ ok: false, code });
      expect(r.ok ? '' : r.message).toMatch(text);
    }
    expect(await a.emit('design:update', { id: 'd-zz', update: new Uint8Array(2) })).toMatchObject({
      ok: false,
      code: 'INVALID',
    });
    expect(await a.emit('design:update', { id, update: new Uint8Array(2), extra: 1 })).toMatchObject({
      ok: false,
      code: 'INVALID',
    });
    // An update of another draft than the one joined.
    const other = await newDraft();
    const foreign = new Y.Doc();
    foreign.getMap('layout').set('name', 'x');
    expect(
      await a.emit('design:update', { id: other, update: Y.encodeStateAsUpdate(foreign) }),
    ).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    expect(JSON.stringify(docToLayout(a.doc))).toBe(before);
    expect(JSON.stringify(await stored(id))).toBe(before);
    expect(seen).toBe(0);
    // Still connected and working.
    edit(a, moveFirst([3, 0, 3]));
    await expect.poll(() => first(docToLayout(b.doc)).position, POLL).toEqual([3, 0, 3]);
  });

  it('refuses updates beyond the per-connection rate with RATE_LIMITED and a retry time', async () => {
    const id = await newDraft();
    const a = await join(id);
    const answers = await Promise.all(
      Array.from({ length: DESIGN_UPDATE_RATE.burst * 2 }, () => a.send(new Uint8Array([0, 0]))),
    );
    const limited = answers.filter((r) => !r.ok && r.code === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]).toMatchObject({ retryAfterMs: expect.any(Number) });
  });

  it('answers NOT_FOUND for an unknown draft and INVALID for a malformed join', async () => {
    const s = await connectDesign(server.url, eng);
    try {
      const ask = (p: unknown) => s.timeout(10_000).emitWithAck('design:join', p as { id: string });
      expect(await ask({ id: 'd-000000000000' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      expect(await ask({ id: 'nope' })).toMatchObject({ ok: false, code: 'INVALID' });
      expect(await ask({ id: 'd-000000000000', more: true })).toMatchObject({ ok: false, code: 'INVALID' });
    } finally {
      s.close();
    }
  });

  it.each(['viewer', 'operator'] as const)(
    'refuses a %s: no join, no update, the draft unchanged',
    async (role) => {
      const id = await newDraft();
      const a = await join(id);
      const before = JSON.stringify(docToLayout(a.doc));
      const s = await connectDesign(server.url, await server.login(role));
      try {
        expect(await s.timeout(10_000).emitWithAck('design:join', { id })).toMatchObject({
          ok: false,
          code: 'FORBIDDEN',
        });
        const rogue = new Y.Doc();
        Y.applyUpdate(rogue, Y.encodeStateAsUpdate(a.doc));
        const from = docToLayout(rogue);
        applyLayoutChange(rogue, from, moveFirst([99, 0, 99])(from));
        const r = await s.timeout(10_000).emitWithAck('design:update', {
          id,
          update: Y.encodeStateAsUpdate(rogue, Y.encodeStateVector(a.doc)),
        });
        expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN' });
      } finally {
        s.close();
      }
      expect(JSON.stringify(await stored(id))).toBe(before);
    },
  );

  it('sends a PUT of the whole layout to everyone in the draft', async () => {
    const id = await newDraft();
    const a = await join(id);
    const layout = docToLayout(a.doc);
    const next = { ...moveFirst([7, 0, 7])(layout), name: 'Put over HTTP' };
    const put = await api(server, 'PUT', `/api/designs/${id}/layout`, eng, { layout: next });
    expect(put.status).toBe(200);
    await expect.poll(() => docToLayout(a.doc), POLL).toEqual(next);
    expect(await stored(id)).toEqual(next);
  });

  it('keeps the draft through eviction and a server restart (SQLite file)', async () => {
    const dataDir = tempDataDir();
    const s1 = await startTestServer({ dataDir, security: FAST });
    const t1 = await s1.login('engineer');
    const id = await newDraft(s1, t1);
    const a = await joinDraft(s1.url, t1, id);
    edit(a, moveFirst([4, 0, 4]));
    await expect.poll(() => a.acks.length, POLL).toBe(1);
    a.close();
    // The last one out writes the draft and frees its doc.
    expect(s1.app.designCollab?.openDrafts).toEqual([id]);
    await expect.poll(() => s1.app.designCollab?.openDrafts, POLL).toEqual([]);
    const collabOpen = () => (s1.designs.docState(id) ? 'stored' : 'not stored');
    expect(collabOpen()).toBe('stored');
    expect(first(await stored(id, s1, t1)).position).toEqual([4, 0, 4]);
    await s1.close();

    const s2 = await startTestServer({ dataDir, security: FAST });
    try {
      const t2 = await s2.login('engineer');
      const b = await joinDraft(s2.url, t2, id);
      try {
        expect(first(docToLayout(b.doc)).position).toEqual([4, 0, 4]);
        edit(b, moveFirst([5, 0, 5]));
        await expect.poll(async () => first(await stored(id, s2, t2)).position, POLL).toEqual([5, 0, 5]);
      } finally {
        b.close();
      }
    } finally {
      await s2.close();
    }
  });

  it('merges edits made offline when the client joins again and sends what the server lacks', async () => {
    const id = await newDraft();
    const a = await join(id);
    const b = await join(id);
    b.socket.disconnect();
    // Offline: b edits its own doc, a edits meanwhile.
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(b.doc));
    const from = docToLayout(offline);
    applyLayoutChange(offline, from, { ...from, name: 'Named offline' });
    edit(a, moveFirst([6, 0, 6]));
    await expect.poll(() => a.acks.length, POLL).toBe(1);
    const c = await join(id);
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(c.doc));
    const missing = Y.encodeStateAsUpdate(offline, Y.encodeStateVector(c.doc));
    expect(await c.send(missing)).toEqual({ ok: true });
    await expect.poll(() => docToLayout(a.doc).name, POLL).toBe('Named offline');
    expect(first(docToLayout(offline)).position).toEqual([6, 0, 6]);
    expect(docToLayout(a.doc)).toEqual(docToLayout(offline));
  });

  it('shows who is in the draft and removes a gone socket’s presence; refuses another user’s name', async () => {
    const id = await newDraft();
    const a = await join(id);
    const b = await join(id, admin);
    const seenByB = new Awareness(new Y.Doc());
    b.socket.on(
      'design:awareness' as never,
      ((m: { update: unknown }) =>
        applyAwarenessUpdate(seenByB, asBytes(m.update) as Uint8Array, 'remote')) as never,
    );
    const mine = new Awareness(a.doc);
    mine.setLocalState({ user: { name: 'eng1', color: '#3366cc' }, selected: 'x', camera: null });
    const update = encodeAwarenessUpdate(mine, [mine.clientID]);
    expect(await a.emit('design:awareness', { id, update })).toEqual({ ok: true });
    await expect.poll(() => seenByB.getStates().get(mine.clientID)?.user?.name, POLL).toBe('eng1');

    mine.setLocalState({ user: { name: 'admin1', color: '#3366cc' } });
    const spoof = encodeAwarenessUpdate(mine, [mine.clientID]);
    expect(await a.emit('design:awareness', { id, update: spoof })).toMatchObject({
      ok: false,
      code: 'INVALID',
    });
    expect(await a.emit('design:awareness', { id, update: new Uint8Array([9, 9]) })).toMatchObject({
      ok: false,
      code: 'INVALID',
    });
    // A logout ends the socket (session watch) and its presence goes.
    await api(server, 'POST', '/api/logout', eng);
    await expect.poll(() => seenByB.getStates().has(mine.clientID), POLL).toBe(false);
    mine.destroy();
    seenByB.destroy();
    eng = await server.login('engineer');
  });
});
