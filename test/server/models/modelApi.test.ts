import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_MAX_UPLOAD_BYTES, type ModelSummary } from '../../../protocol';
import { startTestServer, type TestServer } from '../../helpers/server';
import { bombPng, editGlbJson, glbWithImage, ROBOT_NODES, robotGlb, sphereGlb } from './fixtures';

let server: TestServer;
let eng = '';

beforeAll(async () => {
  server = await startTestServer({ security: { requestRate: { perS: 10_000, burst: 10_000 } } });
  eng = await server.login('engineer');
});
afterAll(async () => {
  await server?.close();
});

interface Answer {
  status: number;
  body: Record<string, unknown> & { ok: boolean; code?: string; message?: string };
}

/** Uploads `glb` with `meta` (as ?meta=); `headers` override the defaults. */
async function upload(
  glb: Uint8Array | null,
  meta: unknown,
  token: string | null = eng,
  headers: Record<string, string> = {},
  s: TestServer = server,
): Promise<Answer> {
  const h: Record<string, string> = { 'content-type': 'model/gltf-binary', ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  const q = meta === undefined ? '' : `?meta=${encodeURIComponent(JSON.stringify(meta))}`;
  const res = await fetch(`${s.url}/api/models${q}`, {
    method: 'POST',
    headers: h,
    body: glb ? Buffer.from(glb) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

async function get(path: string, token: string | null = eng, s: TestServer = server) {
  return fetch(`${s.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

const stored = () => readdirSync(join(server.dataDir, 'models'));
const modelAudit = () =>
  server.auth.audit.query({ limit: 100_000 }).filter((e) => e.action.startsWith('model:'));

describe('uploading plant models', () => {
  it('stores a valid GLB optimized, lists it and serves each level with fewer triangles', async () => {
    const glb = await sphereGlb({ seg: 64, texture: 1024 });
    const r = await upload(glb, { name: ' Feeder shell ', target: { kind: 'feeder' } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const m = r.body.model as ModelSummary;
    expect(m).toMatchObject({
      name: 'Feeder shell',
      target: { kind: 'feeder' },
      createdBy: 'eng1',
      joints: null,
    });
    expect(m.uploadedBytes).toBe(glb.length);
    expect(m.bytes).toBeLessThanOrEqual(glb.length);
    expect(m.lods.map((l) => l.level)).toEqual([0, 1, 2]);
    expect(m.lods[1].triangles).toBeLessThan(m.lods[0].triangles);
    expect(m.lods[2].triangles).toBeLessThan(m.lods[1].triangles);
    expect(m.pick.length).toBeGreaterThan(0);

    const list = await get('/api/models');
    expect(list.status).toBe(200);
    expect(((await list.json()) as { models: ModelSummary[] }).models).toContainEqual(m);

    for (const lod of m.lods) {
      const res = await get(lod.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('model/gltf-binary');
      expect(res.headers.get('cache-control')).toContain('immutable');
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(bytes.length).toBe(lod.bytes);
      expect(Buffer.from(bytes.subarray(0, 4)).toString('ascii')).toBe('glTF');
    }
    const [audit] = modelAudit().filter((e) => e.target === m.id);
    expect(audit).toMatchObject({ action: 'model:upload', user: 'eng1', result: 'ok' });
  });

  it("takes the metadata from the X-Model-Meta header and keeps a robot arm's joint map", async () => {
    const joints = Object.fromEntries(ROBOT_NODES.map((n, i) => [`j${i + 1}`, n]));
    const meta = { name: 'Cell 3 robot', target: { equipment: 'R1' }, joints };
    const r = await upload(await robotGlb(), undefined, eng, { 'x-model-meta': JSON.stringify(meta) });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.model).toMatchObject({ target: { equipment: 'R1' }, joints });
  });

  it('refuses hostile and broken files with a message naming the problem, storing nothing', async () => {
    const before = stored();
    const audits = modelAudit().length;
    const sphere = await sphereGlb({ seg: 8 });
    const random = new Uint8Array(2048).map((_, i) => (i * 31) % 256);
    const cases: [Uint8Array, RegExp][] = [
      [await glbWithImage(bombPng(30000, 30000)), /^texture 0 is 30000x30000 px, the limit is 4096$/],
      [
        editGlbJson(sphere, (j) => {
          (j.images as object[])[0] = { uri: 'http://evil.example/t.png' };
        }),
        /^image 0 refers to "http:\/\/evil.example\/t.png" outside the file/,
      ],
      [
        editGlbJson(sphere, (j) => {
          (j.accessors as { count: number }[])[0].count = 2_000_000_000;
        }),
        /^accessor 0 claims 2000000000 elements; the limit is 3000000$/,
      ],
      [sphere.subarray(0, sphere.length - 64), /^the GLB is truncated/],
      [random, /^not a GLB file/],
    ];
    for (const [glb, message] of cases) {
      const r = await upload(glb, { name: 'bad', target: { shell: true } });
      expect(r.status, r.body.message).toBe(422);
      expect(r.body).toMatchObject({ ok: false, code: 'INVALID' });
      expect(r.body.message).toMatch(message);
    }
    const joints = { j1: 'Base', j2: 'Shoulder', j3: 'Elbow', j4: 'Wrist1', j5: 'Wrist2', j6: 'Tool0' };
    const r = await upload(await robotGlb(), { name: 'robot', target: { kind: 'robot-arm' }, joints });
    expect(r).toMatchObject({ status: 422, body: { message: 'no node named "Tool0" (j6) in the model' } });
    expect(stored()).toEqual(before);
    expect(modelAudit()).toHaveLength(audits);
  });

  it('refuses a model that passes the checks but cannot be optimized, auditing the refusal', async () => {
    const before = stored();
    // A PNG header of a sensible size over bytes that are no image data; and a scene without meshes.
    const broken = await glbWithImage(bombPng(64, 64));
    const noScene = editGlbJson(await sphereGlb({ seg: 8 }), (j) => {
      (j.scenes as { nodes: number[] }[])[0].nodes = [];
    });
    for (const [glb, message] of [
      [broken, /^the model could not be optimized \(.+\)$/],
      [noScene, /^the model could not be optimized \(its scene draws no mesh\)$/],
    ] as const) {
      const r = await upload(glb, { name: 'unreadable', target: { shell: true } });
      expect(r.status, JSON.stringify(r.body)).toBe(422);
      expect(r.body.message).toMatch(message);
    }
    expect(stored()).toEqual(before);
    const refused = modelAudit().filter((e) => e.params?.name === 'unreadable');
    expect(refused.map((e) => e.result)).toEqual(['refused', 'refused']);
  });

  it('refuses an oversized body (413), another content type (415) and bad metadata (400)', async () => {
    const before = stored();
    const big = await upload(new Uint8Array(MODEL_MAX_UPLOAD_BYTES + 1), {
      name: 'big',
      target: { shell: true },
    });
    expect(big.status).toBe(413);
    expect(big.body.message).toBe(`the body is limited to ${MODEL_MAX_UPLOAD_BYTES} bytes`);
    const glb = await sphereGlb({ seg: 8 });
    const json = await upload(glb, { name: 'x', target: { shell: true } }, eng, {
      'content-type': 'model/gltf+json',
    });
    expect(json).toMatchObject({
      status: 415,
      body: { message: 'expected Content-Type: model/gltf-binary (a .glb file)' },
    });
    expect((await upload(glb, undefined)).status).toBe(400);
    const kind = await upload(glb, { name: 'x', target: { kind: 'spaceship' } });
    expect(kind.status).toBe(400);
    expect(kind.body.message).toMatch(/^metadata target/);
    const joints = { j1: 'a', j2: 'b', j3: 'c', j4: 'd', j5: 'e', j6: 'f' };
    const agv = await upload(glb, { name: 'x', target: { kind: 'agv' }, joints });
    expect(agv.body.message).toBe(
      'metadata joints: joints map only a robot arm: a robot-arm kind or one piece of equipment',
    );
    expect(stored()).toEqual(before);
  });

  it('lets engineers and admins upload and delete, any logged-in user read, nobody anonymous', async () => {
    const glb = await sphereGlb({ seg: 8 });
    const meta = { name: 'roles', target: { shell: true } };
    for (const role of ['viewer', 'operator', 'trainer'] as const) {
      const r = await upload(glb, meta, await server.login(role));
      expect(r).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    }
    expect((await upload(glb, meta, null)).status).toBe(401);
    expect((await get('/api/models', null)).status).toBe(401);
    const viewer = await server.login('viewer');
    expect((await get('/api/models', viewer)).status).toBe(200);
    const admin = await server.login('admin');
    const r = await upload(glb, meta, admin);
    expect(r.status).toBe(201);
    const id = (r.body.model as ModelSummary).id;
    expect((await get(`/api/models/${id}/lod/0.glb`, viewer)).status).toBe(200);
    const del = (token: string) =>
      fetch(`${server.url}/api/models/${id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await del(viewer)).status).toBe(403);
    expect((await del(eng)).status).toBe(200);
    expect((await del(eng)).status).toBe(404);
    expect((await get(`/api/models/${id}/lod/0.glb`, viewer)).status).toBe(404);
    expect(modelAudit().find((e) => e.action === 'model:delete' && e.target === id)).toMatchObject({
      result: 'ok',
    });
  });

  it('keeps its models across a restart on the same data directory', async () => {
    const dataDir = (await import('../../helpers/server')).tempDataDir();
    const first = await startTestServer({ dataDir });
    const token = await first.login('engineer');
    const r = await upload(
      await sphereGlb({ seg: 8 }),
      { name: 'kept', target: { shell: true } },
      token,
      {},
      first,
    );
    expect(r.status).toBe(201);
    const m = r.body.model as ModelSummary;
    await first.close();
    const second = await startTestServer({ dataDir });
    try {
      const token2 = await second.login('engineer');
      const list = (await (await get('/api/models', token2, second)).json()) as { models: ModelSummary[] };
      expect(list.models).toEqual([m]);
      const lod = await get(m.lods[0].url, token2, second);
      expect(new Uint8Array(await lod.arrayBuffer()).length).toBe(m.lods[0].bytes);
    } finally {
      await second.close();
    }
  });
});
