import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../../protocol';
import { openModelStore } from '../../../server/models/modelStore';
import { optimizeModel, readGlb } from '../../../server/models/optimize';
import { MODEL_WORKER_FILE, optimizeOffThread } from '../../../server/models/optimizeJob';
import { tempDataDir } from '../../helpers/server';
import { ROBOT_NODES, robotGlb, sphereGlb } from './fixtures';

async function read(glb: Uint8Array) {
  const r = await readGlb(glb);
  if (!r.ok) throw new Error(r.message);
  return r.doc;
}

describe('optimizing a model', () => {
  it('compresses it, shrinks its texture and makes LOD levels with fewer triangles', async () => {
    const glb = await sphereGlb({ seg: 64, texture: 2048 });
    const out = await optimizeModel(await read(glb));
    expect(out.lods.map((l) => l.level)).toEqual([0, 1, 2]);
    expect(out.lods[0].glb.length).toBeLessThan(glb.length);
    expect(out.lods[0].triangles).toBe(64 * 64 * 2);
    expect(out.lods[1].triangles).toBeLessThan(out.lods[0].triangles);
    expect(out.lods[2].triangles).toBeLessThan(out.lods[1].triangles);
    expect(out.lods[2].glb.length).toBeLessThan(out.lods[0].glb.length);
    expect(out.bounds.min[0]).toBeCloseTo(-0.5, 3);
    expect(out.bounds.max[1]).toBeCloseTo(0.5, 3);
    expect(out.pick).toEqual([out.bounds]);
    // The stored level reads back (meshopt) with its texture at most 1024 px.
    const back = await read(out.lods[0].glb);
    expect(
      back
        .getRoot()
        .listExtensionsUsed()
        .map((e) => e.extensionName),
    ).toContain('EXT_meshopt_compression');
    const size = back.getRoot().listTextures()[0].getSize();
    expect(Math.max(...(size ?? [0]))).toBe(1024);
  });

  it('keeps the named joint nodes of a robot arm on every level, even an empty flange', async () => {
    const out = await optimizeModel(await read(await robotGlb()));
    for (const lod of out.lods) {
      const names = (await read(lod.glb))
        .getRoot()
        .listNodes()
        .map((n) => n.getName());
      expect(names).toEqual(expect.arrayContaining([...ROBOT_NODES]));
    }
  });
});

describe('optimizing off the main thread', () => {
  it('gives the same levels from the compiled worker as in this thread, and refuses what it cannot read', async () => {
    expect(existsSync(MODEL_WORKER_FILE)).toBe(true);
    const glb = await sphereGlb({ seg: 24 });
    const off = await optimizeOffThread(glb);
    if (!off.ok) throw new Error(off.message);
    const here = await optimizeModel(await read(glb));
    expect(off.out.lods.map((l) => l.triangles)).toEqual(here.lods.map((l) => l.triangles));
    expect(off.out.bounds).toEqual(here.bounds);
    const bad = await optimizeOffThread(new Uint8Array([1, 2, 3]));
    expect(bad.ok).toBe(false);
    expect(bad.ok ? '' : bad.message).toMatch(/^the GLB could not be read/);
  });
});

describe('the model store', () => {
  const summary = (id: string, createdAt: number): ModelSummary => ({
    id,
    name: id,
    target: { shell: true },
    joints: null,
    uploadedBytes: 10,
    bytes: 3,
    lods: [{ level: 0, bytes: 3, vertices: 3, triangles: 1, url: `/api/models/${id}/lod/0.glb` }],
    bounds: { min: [0, 0, 0], max: [1, 1, 1] },
    pick: [{ min: [0, 0, 0], max: [1, 1, 1] }],
    createdBy: 'eng1',
    createdAt,
  });

  it('keeps models across openings, newest first, and drops what a crash left half-written', () => {
    const dir = tempDataDir();
    const a = openModelStore(dir);
    a.add(summary('m-000000000001', 1), [new Uint8Array([1, 2, 3])]);
    a.add(summary('m-000000000002', 2), [new Uint8Array([4, 5, 6])]);
    // A crash between writing and the rename.
    mkdirSync(join(dir, 'models', '.tmp-m-000000000003'));
    writeFileSync(join(dir, 'models', '.tmp-m-000000000003', 'lod0.glb'), 'half');
    const b = openModelStore(dir);
    expect(b.list().map((m) => m.id)).toEqual(['m-000000000002', 'm-000000000001']);
    expect(readdirSync(join(dir, 'models')).sort()).toEqual(['m-000000000001', 'm-000000000002']);
    expect(b.lodPath('m-000000000001', 0)).toBe(join(dir, 'models', 'm-000000000001', 'lod0.glb'));
    expect(b.lodPath('m-000000000001', 1)).toBeNull();
    expect(b.remove('m-000000000001')).toBe(true);
    expect(b.remove('m-000000000001')).toBe(false);
    expect(existsSync(join(dir, 'models', 'm-000000000001'))).toBe(false);
    expect(
      openModelStore(dir)
        .list()
        .map((m) => m.id),
    ).toEqual(['m-000000000002']);
  });
});
