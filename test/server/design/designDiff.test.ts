import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Layout, LayoutDiff } from '../../../protocol';
import { loadPlantFile } from '../../../server/plantFile';
import { startTestServer, type TestServer } from '../../helpers/server';
import { apiPatient as api } from '../training/support';

let server: TestServer;
let eng = '';

beforeAll(async () => {
  server = await startTestServer({ seed: 5, security: { requestRate: { perS: 10_000, burst: 10_000 } } });
  eng = await server.login('engineer');
});
afterAll(async () => {
  await server?.close();
});

const liveNow = (): Layout => JSON.parse(JSON.stringify(server.session.layout));

async function newDraft(): Promise<string> {
  const r = await api(server, 'POST', '/api/designs', eng, { name: 'diffed' });
  expect(r.status).toBe(201);
  return (r.body.design as { id: string }).id;
}

const diffOf = async (id: string, from: string, to: string) => {
  const r = await api(server, 'GET', `/api/designs/${id}/diff?from=${from}&to=${to}`, eng);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body).toMatchObject({ ok: true, from, to });
  return r.body.diff as LayoutDiff;
};

describe('design diff over HTTP', () => {
  it('shows what a draft moved and removed against the live plant, and between two versions', async () => {
    const id = await newDraft();
    expect((await diffOf(id, 'live', 'draft')).total).toBe(0);
    const v1 = await api(server, 'POST', `/api/designs/${id}/versions`, eng, { message: 'as live' });
    const edited = liveNow();
    const robot = edited.equipment.find((e) => e.kind === 'robot-arm');
    if (!robot) throw new Error('the default plant has a robot');
    robot.position = [robot.position[0] + 2, robot.position[1], robot.position[2]];
    const removed = edited.equipment.pop();
    await api(server, 'PUT', `/api/designs/${id}/layout`, eng, { layout: edited });
    const v2 = await api(server, 'POST', `/api/designs/${id}/versions`, eng, { message: 'moved' });

    const d = await diffOf(id, 'live', 'draft');
    expect(d.equipment.moved.map((m) => [m.id, m.distanceM])).toEqual([[robot.id, 2]]);
    expect(d.equipment.removed).toEqual([
      { id: removed?.id, kind: removed?.kind, position: removed?.position, rotation: 0, props: {} },
    ]);
    const vid = (r: typeof v1) => (r.body.version as { id: string }).id;
    expect(await diffOf(id, vid(v1), vid(v2))).toEqual(d);
    // Backwards, the removed machine is added back.
    expect((await diffOf(id, vid(v2), vid(v1))).equipment.added).toEqual([
      { id: removed?.id, kind: removed?.kind },
    ]);
  });

  it('refuses a missing or unknown side with a clear message and a version it does not know with 404', async () => {
    const id = await newDraft();
    const missing = await api(server, 'GET', `/api/designs/${id}/diff?from=live`, eng);
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe('to: expected "live", "draft" or a version id');
    const bad = await api(server, 'GET', `/api/designs/${id}/diff?from=live&to=yesterday`, eng);
    expect(bad.status).toBe(400);
    const twice = await api(server, 'GET', `/api/designs/${id}/diff?from=live&to=draft&to=live`, eng);
    expect(twice.body.message).toBe('to: given more than once');
    const unknown = await api(server, 'GET', `/api/designs/${id}/diff?from=live&to=v-000000000000`, eng);
    expect(unknown).toMatchObject({ status: 404, body: { message: 'no version v-000000000000' } });
    expect((await api(server, 'POST', `/api/designs/${id}/diff?from=live&to=draft`, eng, {})).status).toBe(
      405,
    );
    expect((await api(server, 'GET', `/api/designs/${id}/diff/x?from=live&to=draft`, eng)).status).toBe(404);
  });

  it('is for engineers and admins only', async () => {
    const id = await newDraft();
    const op = await server.login('operator');
    const r = await api(server, 'GET', `/api/designs/${id}/diff?from=live&to=draft`, op);
    expect(r.status).toBe(403);
    expect((await api(server, 'GET', `/api/designs/${id}/diff?from=live&to=draft`, null)).status).toBe(401);
  });
});

describe('design export', () => {
  it('downloads a valid draft as a plant file that the plant loader loads', async () => {
    const id = (await api(server, 'POST', '/api/designs', eng, { name: '二号车间 rework' })).body.design as {
      id: string;
    };
    const edited = liveNow();
    edited.equipment[0].position = [
      edited.equipment[0].position[0] + 1,
      edited.equipment[0].position[1],
      edited.equipment[0].position[2],
    ];
    await api(server, 'PUT', `/api/designs/${id.id}/layout`, eng, { layout: edited });
    const res = await fetch(`${server.url}/api/designs/${id.id}/export`, {
      headers: { authorization: `Bearer ${eng}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="rework.json"; filename*=UTF-8''${encodeURIComponent('二号车间 rework')}.json`,
    );
    const dir = mkdtempSync(join(tmpdir(), 'export-'));
    try {
      const file = join(dir, 'plant.json');
      writeFileSync(file, await res.text());
      const loaded = loadPlantFile(file);
      expect(loaded.ok ? [] : loaded.errors).toEqual([]);
      if (loaded.ok) expect(loaded.layout).toEqual(edited);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to export a draft with errors, naming the first', async () => {
    const id = await newDraft();
    const layout = liveNow();
    layout.equipment.push({ ...layout.equipment[0] });
    await api(server, 'PUT', `/api/designs/${id}/layout`, eng, { layout });
    const r = await api(server, 'GET', `/api/designs/${id}/export`, eng);
    expect(r.status).toBe(422);
    expect(r.body.message).toBe(
      `the draft has errors, fix them before export: equipment[${layout.equipment.length - 1}].id: duplicate id "${layout.equipment[0].id}"`,
    );
  });
});
