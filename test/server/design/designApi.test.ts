import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Layout } from '../../../protocol';
import { MAX_DESIGN_LAYOUT_BODY } from '../../../server/http/designRoutes';
import { startTestServer, type TestServer } from '../../helpers/server';
import { apiPatient as api } from '../training/support';

let server: TestServer;

let eng = '';
let admin = '';

beforeAll(async () => {
  server = await startTestServer({ seed: 3, security: { requestRate: { perS: 10_000, burst: 10_000 } } });
  [eng, admin] = await Promise.all([server.login('engineer'), server.login('admin')]);
});
afterAll(async () => {
  await server?.close();
});

/** A deep copy of what the running plant uses now. */
const liveNow = (): Layout => JSON.parse(JSON.stringify(server.session.layout));

async function newDraft(name = 'bay 2 rework', from?: string): Promise<string> {
  const r = await api(server, 'POST', '/api/designs', eng, from === undefined ? { name } : { name, from });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return (r.body.design as { id: string }).id;
}

const designAudit = () =>
  server.auth.audit.query({ limit: 100_000 }).filter((e) => e.action.startsWith('design:'));

/** Everything the design store holds, to show that a refused request changed nothing. */
const snapshot = () =>
  JSON.stringify(
    server.designs.list().map((d) => ({
      d,
      layout: server.designs.layoutJson(d.id),
      versions: server.designs.versions(d.id),
    })),
  );

describe('design drafts over HTTP', () => {
  it('creates a draft from the live layout, a copy that edits never carry to the running plant', async () => {
    const before = liveNow();
    const id = await newDraft();
    const got = await api(server, 'GET', `/api/designs/${id}`, eng);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      ok: true,
      design: { id, name: 'bay 2 rework', createdBy: 'eng1', basedOn: 'live', versions: 0 },
      errors: [],
    });
    expect(got.body.layout).toEqual(before);

    // Move the first machine 5 m along x.
    const edited = liveNow();
    const [x, y, z] = edited.equipment[0].position;
    edited.equipment[0].position = [x + 5, y, z];
    const put = await api(server, 'PUT', `/api/designs/${id}/layout`, eng, { layout: edited });
    expect(put).toMatchObject({ status: 200, body: { ok: true, errors: [] } });
    expect((put.body.layout as Layout).equipment[0].position).toEqual([x + 5, y, z]);
    expect(server.session.layout).toEqual(before);
    expect(server.session.layout.equipment[0].position).toEqual([x, y, z]);
    expect(server.session.world.equipment).toHaveLength(before.equipment.length);
  });

  it('lists drafts with their version counts', async () => {
    const id = await newDraft('listed');
    const list = await api(server, 'GET', '/api/designs', eng);
    expect(list.status).toBe(200);
    const mine = (list.body.designs as { id: string }[]).find((d) => d.id === id);
    expect(mine).toMatchObject({ id, name: 'listed', createdBy: 'eng1', basedOn: 'live', versions: 0 });
    expect(Object.keys(mine ?? {}).sort()).toEqual(
      ['basedOn', 'createdAt', 'createdBy', 'id', 'name', 'updatedAt', 'versions'].sort(),
    );
  });

  it('keeps an invalid layout in a draft and names its problems by path (a duplicate equipment id)', async () => {
    const id = await newDraft('duplicate');
    const layout = liveNow();
    layout.equipment.push({ ...layout.equipment[0] });
    const n = layout.equipment.length - 1;
    const put = await api(server, 'PUT', `/api/designs/${id}/layout`, eng, { layout });
    expect(put.status).toBe(200);
    expect(put.body.errors).toContain(`equipment[${n}].id: duplicate id "${layout.equipment[0].id}"`);
    const got = await api(server, 'GET', `/api/designs/${id}`, eng);
    expect(got.body.errors).toEqual(put.body.errors);
    expect((got.body.layout as Layout).equipment).toHaveLength(n + 1);
  });

  it('saves immutable versions, lists them, and serves each as it was saved', async () => {
    const id = await newDraft('versioned');
    const first = liveNow();
    const v1 = await api(server, 'POST', `/api/designs/${id}/versions`, eng, { message: '  as live  ' });
    expect(v1.status).toBe(201);
    const version1 = v1.body.version as { id: string };
    expect(version1).toMatchObject({ designId: id, message: 'as live', author: 'eng1' });
    expect(Object.keys(version1).sort()).toEqual(['author', 'createdAt', 'designId', 'id', 'message']);

    const changed = liveNow();
    changed.equipment = changed.equipment.slice(0, 3);
    await api(server, 'PUT', `/api/designs/${id}/layout`, eng, { layout: changed });
    const v2 = await api(server, 'POST', `/api/designs/${id}/versions`, admin, { message: 'three machines' });
    expect(v2.status).toBe(201);
    const version2 = v2.body.version as { id: string };
    expect(version2).toMatchObject({ author: 'admin1' });

    const list = await api(server, 'GET', `/api/designs/${id}/versions`, eng);
    expect((list.body.versions as { id: string }[]).map((v) => v.id)).toEqual([version1.id, version2.id]);
    const one = await api(server, 'GET', `/api/designs/${id}/versions/${version1.id}`, eng);
    expect(one).toMatchObject({ status: 200, body: { ok: true, version: version1 } });
    expect(one.body.layout).toEqual(first);
    const two = await api(server, 'GET', `/api/designs/${id}/versions/${version2.id}`, eng);
    expect((two.body.layout as Layout).equipment).toHaveLength(3);
    expect((await api(server, 'GET', `/api/designs/${id}`, eng)).body.design).toMatchObject({ versions: 2 });
    // A version is not reachable under another draft's id.
    const other = await newDraft('other');
    expect((await api(server, 'GET', `/api/designs/${other}/versions/${version1.id}`, eng)).status).toBe(404);
    // Versions have no write route.
    expect((await api(server, 'PUT', `/api/designs/${id}/versions/${version1.id}`, eng, {})).status).toBe(
      405,
    );
  });

  it('creates a draft from a stored version, holding that version and not the live layout', async () => {
    const src = await newDraft('source');
    const small = liveNow();
    small.equipment = small.equipment.slice(0, 2);
    await api(server, 'PUT', `/api/designs/${src}/layout`, eng, { layout: small });
    const v = (await api(server, 'POST', `/api/designs/${src}/versions`, eng, { message: 'two' })).body
      .version as { id: string };
    const id = await newDraft('from version', v.id);
    const got = await api(server, 'GET', `/api/designs/${id}`, eng);
    expect(got.body.design).toMatchObject({ basedOn: v.id, versions: 0 });
    expect(got.body.layout).toEqual(small);
    const missing = await api(server, 'POST', '/api/designs', eng, { name: 'x', from: 'v-000000000000' });
    expect(missing).toMatchObject({ status: 404, body: { ok: false, code: 'NOT_FOUND' } });
  });

  it('answers the published versions: only the plant file yet, live', async () => {
    const r = await api(server, 'GET', '/api/plant/versions', eng);
    expect(r).toMatchObject({
      status: 200,
      body: {
        ok: true,
        versions: [{ seq: 0, version: 'base', live: true, publishedBy: null }],
        live: { version: 'base', equipment: server.session.layout.equipment.length },
        publishable: true,
      },
    });
    expect((r.body.versions as unknown[]).length).toBe(1);
  });

  it('refuses bad input of every kind with a clear error and changes nothing', async () => {
    const id = await newDraft('guarded');
    const before = snapshot();
    const cases: [string, string, unknown, number, string?][] = [
      ['GET', '/api/designs/not-an-id', undefined, 400, 'design id'],
      ['GET', '/api/designs/d-000000000000', undefined, 404],
      ['GET', `/api/designs/${id}/versions/v-bad`, undefined, 400, 'version id'],
      ['GET', `/api/designs/${id}/versions/v-000000000000`, undefined, 404],
      ['PUT', '/api/designs/d-000000000000/layout', { layout: {} }, 404],
      ['POST', '/api/designs/d-000000000000/versions', { message: 'm' }, 404],
      ['PUT', `/api/designs/${id}/layout`, '{"layout": {', 400, 'not valid JSON'],
      ['PUT', `/api/designs/${id}/layout`, { layout: [] }, 400, 'layout'],
      ['PUT', `/api/designs/${id}/layout`, { layout: 'plant' }, 400, 'layout'],
      ['PUT', `/api/designs/${id}/layout`, {}, 400, 'layout'],
      ['PUT', `/api/designs/${id}/layout`, { layout: {}, extra: 1 }, 400],
      ['PUT', `/api/designs/${id}/layout`, 'null', 400],
      ['POST', '/api/designs', { name: '' }, 400, 'name'],
      ['POST', '/api/designs', { name: '   ' }, 400, 'name'],
      ['POST', '/api/designs', { name: 42 }, 400, 'name'],
      ['POST', '/api/designs', { name: 'x'.repeat(81) }, 400, 'name'],
      ['POST', '/api/designs', { name: 'x', from: 'yesterday' }, 400, 'from'],
      ['POST', '/api/designs', [], 400],
      ['POST', `/api/designs/${id}/versions`, { message: '' }, 400, 'message'],
      ['POST', `/api/designs/${id}/versions`, { message: ['m'] }, 400, 'message'],
      ['DELETE', `/api/designs/${id}`, undefined, 405],
      ['POST', `/api/designs/${id}`, {}, 405],
      ['GET', `/api/designs/${id}/layout`, undefined, 405],
      ['PUT', `/api/designs/${id}/layout/more`, { layout: {} }, 404],
      ['GET', `/api/designs/${id}/nope`, undefined, 404],
    ];
    for (const [method, path, body, status, says] of cases) {
      const r = await api(server, method, path, eng, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
      expect(r.body.ok).toBe(false);
      expect(typeof r.body.message).toBe('string');
      if (says) expect(r.body.message).toContain(says);
    }
    // Not JSON at all, by its content type.
    const text = await api(server, 'PUT', `/api/designs/${id}/layout`, eng, 'layout', {
      'content-type': 'text/plain',
    });
    expect(text).toMatchObject({ status: 415, body: { code: 'INVALID' } });
    // Too big: refused before it is read.
    const huge = JSON.stringify({ layout: { pad: 'x'.repeat(MAX_DESIGN_LAYOUT_BODY) } });
    const big = await fetch(`${server.url}/api/designs/${id}/layout`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${eng}`, 'content-type': 'application/json' },
      body: huge,
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ ok: false, code: 'INVALID' });
    expect(snapshot()).toBe(before);
    // The server is still fine.
    expect((await api(server, 'GET', `/api/designs/${id}`, eng)).status).toBe(200);
  });

  it('audits every write before it acts, with who, what and the result', async () => {
    const id = await newDraft('audited');
    await api(server, 'PUT', `/api/designs/${id}/layout`, eng, { layout: { equipment: [] } });
    const v = (await api(server, 'POST', `/api/designs/${id}/versions`, eng, { message: 'empty' })).body
      .version as { id: string };
    const mine = designAudit().filter((e) => e.target === id);
    expect(mine.map((e) => [e.action, e.user, e.role, e.result]).reverse()).toEqual([
      ['design:create', 'eng1', 'engineer', 'ok'],
      ['design:layout', 'eng1', 'engineer', 'ok'],
      ['design:version', 'eng1', 'engineer', 'ok'],
    ]);
    const [version, layout, create] = mine;
    expect(create.params).toMatchObject({ name: 'audited', from: 'live' });
    expect(layout.params).toMatchObject({ equipment: 0 });
    expect((layout.params as { errors: number }).errors).toBeGreaterThan(0);
    expect(version.params).toMatchObject({ version: v.id, message: 'empty' });
    // A refused write (unknown source version) is audited as refused; bad input is not audited at all.
    const n = designAudit().length;
    await api(server, 'POST', '/api/designs', eng, { name: 'x', from: 'v-000000000000' });
    await api(server, 'POST', '/api/designs', eng, { name: '' });
    const after = designAudit();
    expect(after).toHaveLength(n + 1);
    expect(after[0]).toMatchObject({ action: 'design:create', result: 'refused', code: 'NOT_FOUND' });
  });
});
