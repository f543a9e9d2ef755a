import { describe, expect, it } from 'vitest';
import { MODEL_MAX_JSON_BYTES, MODEL_MAX_UPLOAD_BYTES, MODEL_MAX_VERTICES } from '../../../protocol';
import { readImageSize } from '../../../server/models/imageHeader';
import { checkGlb } from '../../../server/models/validate';
import { bombPng, editGlbJson, glbWithImage, png, ROBOT_NODES, robotGlb, sphereGlb } from './fixtures';

type Json = Record<string, unknown> & {
  accessors: Record<string, unknown>[];
  images: Record<string, unknown>[];
};
const joints = Object.fromEntries(ROBOT_NODES.map((n, i) => [`j${i + 1}`, n])) as Record<
  'j1' | 'j2' | 'j3' | 'j4' | 'j5' | 'j6',
  string
>;

const refusal = (r: ReturnType<typeof checkGlb>) => (r.ok ? 'accepted' : r.message);

describe('checking an uploaded GLB before reading it', () => {
  it('accepts a textured GLB and counts its vertices, indices and texture pixels', async () => {
    const r = checkGlb(await sphereGlb({ seg: 8, texture: 32 }), {});
    expect(r).toEqual({ ok: true, vertices: 81, indices: 384, texturePixels: 32 * 32 });
  });

  it('refuses random bytes, an empty file and a truncated GLB', async () => {
    const glb = await sphereGlb({ seg: 8 });
    const random = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
    expect(refusal(checkGlb(random, {}))).toMatch(/^not a GLB file/);
    expect(refusal(checkGlb(new Uint8Array(0), {}))).toMatch(/^not a GLB file/);
    expect(refusal(checkGlb(glb.subarray(0, glb.length - 10), {}))).toBe(
      `the GLB is truncated: its header says ${glb.length} bytes, ${glb.length - 10} came`,
    );
    expect(refusal(checkGlb(glb.subarray(0, 30), {}))).toMatch(/truncated/);
  });

  it('refuses a texture whose header claims 30000x30000 px in a few bytes (a decompression bomb)', async () => {
    const r = checkGlb(await glbWithImage(bombPng(30000, 30000)), {});
    expect(refusal(r)).toBe('texture 0 is 30000x30000 px, the limit is 4096');
  });

  it('refuses textures that together hold more pixels than the limit', async () => {
    const glb = await glbWithImage(bombPng(4096, 4096));
    const five = editGlbJson(glb, (j) => {
      const json = j as Json;
      for (let i = 0; i < 4; i++) json.images.push({ ...json.images[0] });
    });
    expect(refusal(checkGlb(five, {}))).toMatch(
      /^the textures hold 83886080 px together; the limit is 67108864$/,
    );
  });

  it('refuses images and buffers that refer to files, URLs or data: URIs', async () => {
    const glb = await sphereGlb({ seg: 8 });
    const withImage = (img: Record<string, unknown>) =>
      checkGlb(
        editGlbJson(glb, (j) => {
          (j as Json).images[0] = img;
        }),
        {},
      );
    expect(refusal(withImage({ uri: 'https://example.com/t.png' }))).toBe(
      'image 0 refers to "https://example.com/t.png" outside the file; embed it in the GLB',
    );
    expect(refusal(withImage({ uri: '../../etc/passwd' }))).toMatch(
      /^image 0 refers to "..\/..\/etc\/passwd"/,
    );
    expect(refusal(withImage({ uri: 'data:image/png;base64,AAAA' }))).toBe(
      'image 0 refers to a data: URI; embed it in the GLB',
    );
    const extBuffer = editGlbJson(glb, (j) => {
      (j.buffers as Record<string, unknown>[])[0].uri = 'model.bin';
    });
    expect(refusal(checkGlb(extBuffer, {}))).toMatch(/^buffer 0 refers to "model.bin" outside the file/);
  });

  it('refuses accessors that claim more elements than their data or the limits hold', async () => {
    const glb = await sphereGlb({ seg: 8 });
    const claim = (count: number) =>
      refusal(
        checkGlb(
          editGlbJson(glb, (j) => {
            (j as Json).accessors[0].count = count;
          }),
          {},
        ),
      );
    expect(claim(1_000_000_000)).toBe('accessor 0 claims 1000000000 elements; the limit is 3000000');
    expect(claim(100_000)).toMatch(
      /^accessor 0 claims 100000 elements \(\d+ bytes\); its bufferView has \d+$/,
    );
  });

  it('refuses more vertices than the limit even when every accessor is consistent', async () => {
    const glb = await sphereGlb({ seg: 8 });
    // A zero-filled accessor (no bufferView) of the limit plus one vertices.
    const big = editGlbJson(glb, (j) => {
      const a = (j as Json).accessors[0];
      delete a.bufferView;
      delete a.byteOffset;
      a.count = MODEL_MAX_VERTICES + 1;
    });
    expect(refusal(checkGlb(big, {}))).toBe(
      `${MODEL_MAX_VERTICES + 1} vertices; the limit is ${MODEL_MAX_VERTICES}`,
    );
  });

  it('refuses unknown required extensions and compressed input, naming them', async () => {
    const glb = await sphereGlb({ seg: 8 });
    const req = editGlbJson(glb, (j) => {
      j.extensionsUsed = ['VENDOR_magic'];
      j.extensionsRequired = ['VENDOR_magic'];
    });
    expect(refusal(checkGlb(req, {}))).toBe(
      'the model requires extensions this server does not support: VENDOR_magic',
    );
    const draco = editGlbJson(glb, (j) => {
      j.extensionsUsed = ['KHR_draco_mesh_compression'];
    });
    expect(refusal(checkGlb(draco, {}))).toMatch(/^KHR_draco_mesh_compression: Draco-compressed input/);
  });

  it('refuses a JSON chunk over its limit before parsing it', async () => {
    const glb = editGlbJson(await sphereGlb({ seg: 8 }), (j) => {
      j.extras = { padding: 'x'.repeat(MODEL_MAX_JSON_BYTES) };
    });
    expect(refusal(checkGlb(glb, {}))).toMatch(/^the GLB's JSON chunk is \d+ bytes; the limit is 4194304$/);
  });

  it('refuses a file over the upload limit', () => {
    const big = new Uint8Array(MODEL_MAX_UPLOAD_BYTES + 1);
    expect(refusal(checkGlb(big, {}))).toBe(
      `the file is ${MODEL_MAX_UPLOAD_BYTES + 1} bytes; the limit is ${MODEL_MAX_UPLOAD_BYTES}`,
    );
  });

  it('accepts a robot whose mapped joints are nodes of the model and names the missing ones', async () => {
    const glb = await robotGlb();
    expect(checkGlb(glb, { joints }).ok).toBe(true);
    expect(refusal(checkGlb(glb, { joints: { ...joints, j3: 'Forearm', j6: 'Tool0' } }))).toBe(
      'no node named "Forearm" (j3), "Tool0" (j6) in the model',
    );
  });
});

describe('reading image sizes from their headers', () => {
  it('reads PNG, JPEG and WebP sizes without decoding', async () => {
    const sharp = (await import('sharp')).default;
    const img = sharp({ create: { width: 37, height: 21, channels: 3, background: '#888' } });
    expect(readImageSize(await png(16))).toEqual({ format: 'png', width: 16, height: 16 });
    expect(readImageSize(await img.clone().jpeg().toBuffer())).toEqual({
      format: 'jpeg',
      width: 37,
      height: 21,
    });
    expect(readImageSize(await img.clone().webp().toBuffer())).toEqual({
      format: 'webp',
      width: 37,
      height: 21,
    });
    expect(readImageSize(await img.clone().webp({ lossless: true }).toBuffer())).toEqual({
      format: 'webp',
      width: 37,
      height: 21,
    });
    expect(readImageSize(new Uint8Array([1, 2, 3]))).toBeNull();
  });
});
