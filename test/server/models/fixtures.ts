import { Document, NodeIO } from '@gltf-transform/core';
import sharp from 'sharp';

/** GLB test models, made here with glTF-Transform (no binary fixtures in the repository). */

const io = new NodeIO();

/** A PNG made with sharp: `size` px square, a color gradient (a one-color texture would be pruned to a factor). */
export function png(size = 64): Promise<Buffer> {
  const px = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) px.set([(x * 255) / size, (y * 255) / size, 90], (y * size + x) * 3);
  return sharp(px, { raw: { width: size, height: size, channels: 3 } })
    .png()
    .toBuffer();
}

/** A UV sphere of radius `r` m: `seg` x `seg` quads (dense enough for LOD levels to show). */
function sphere(doc: Document, r: number, seg: number) {
  const pos: number[] = [];
  const uv: number[] = [];
  const idx: number[] = [];
  for (let i = 0; i <= seg; i++)
    for (let j = 0; j <= seg; j++) {
      const th = (i / seg) * Math.PI;
      const ph = (j / seg) * 2 * Math.PI;
      pos.push(r * Math.sin(th) * Math.cos(ph), r * Math.cos(th), r * Math.sin(th) * Math.sin(ph));
      uv.push(j / seg, i / seg);
    }
  for (let i = 0; i < seg; i++)
    for (let j = 0; j < seg; j++) {
      const a = i * (seg + 1) + j;
      const b = a + seg + 1;
      idx.push(a, b, a + 1, b, b + 1, a + 1);
    }
  const buffer = doc.getRoot().listBuffers()[0] ?? doc.createBuffer();
  const prim = doc
    .createPrimitive()
    .setAttribute(
      'POSITION',
      doc.createAccessor().setType('VEC3').setArray(new Float32Array(pos)).setBuffer(buffer),
    )
    .setAttribute(
      'TEXCOORD_0',
      doc.createAccessor().setType('VEC2').setArray(new Float32Array(uv)).setBuffer(buffer),
    )
    .setIndices(doc.createAccessor().setType('SCALAR').setArray(new Uint32Array(idx)).setBuffer(buffer));
  return doc.createMesh('sphere').addPrimitive(prim);
}

/** A textured sphere (`seg` segments, radius 0.5 m) as a GLB. */
export async function sphereGlb(opts: { seg?: number; texture?: number } = {}): Promise<Uint8Array> {
  const doc = new Document();
  doc.createBuffer();
  const mesh = sphere(doc, 0.5, opts.seg ?? 48);
  const tex = doc
    .createTexture('paint')
    .setImage(new Uint8Array(await png(opts.texture ?? 64)))
    .setMimeType('image/png');
  const mat = doc.createMaterial('paint').setBaseColorTexture(tex);
  for (const p of mesh.listPrimitives()) p.setMaterial(mat);
  doc.createScene().addChild(doc.createNode('body').setMesh(mesh));
  return io.writeBinary(doc);
}

/** A robot arm: a chain of nodes named Base, Shoulder, ... Flange (the last one empty), a sphere on each other. */
export const ROBOT_NODES = ['Base', 'Shoulder', 'Elbow', 'Wrist1', 'Wrist2', 'Flange'] as const;
export async function robotGlb(): Promise<Uint8Array> {
  const doc = new Document();
  doc.createBuffer();
  const scene = doc.createScene();
  let parent = null as ReturnType<Document['createNode']> | null;
  ROBOT_NODES.forEach((name, i) => {
    const node = doc.createNode(name).setTranslation([0, i === 0 ? 0 : 0.3, 0]);
    if (i < ROBOT_NODES.length - 1) node.setMesh(sphere(doc, 0.1, 12));
    if (parent) parent.addChild(node);
    else scene.addChild(node);
    parent = node;
  });
  return io.writeBinary(doc);
}

/** A GLB's JSON chunk, changed by `edit`, written back around the same binary chunk. */
export function editGlbJson(glb: Uint8Array, edit: (json: Record<string, unknown>) => void): Uint8Array {
  const v = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
  const jsonLength = v.getUint32(12, true);
  const json = JSON.parse(Buffer.from(glb.subarray(20, 20 + jsonLength)).toString('utf8'));
  edit(json);
  let text = Buffer.from(JSON.stringify(json));
  text = Buffer.concat([text, Buffer.alloc((4 - (text.length % 4)) % 4, 0x20)]);
  const rest = glb.subarray(20 + jsonLength);
  const out = Buffer.alloc(20 + text.length + rest.length);
  out.writeUInt32LE(0x46546c67, 0);
  out.writeUInt32LE(2, 4);
  out.writeUInt32LE(out.length, 8);
  out.writeUInt32LE(text.length, 12);
  out.writeUInt32LE(0x4e4f534a, 16);
  text.copy(out, 20);
  Buffer.from(rest).copy(out, 20 + text.length);
  return new Uint8Array(out);
}

/** A PNG whose header claims `w` x `h` px with almost no data (a decompression bomb's shape). */
export function bombPng(w: number, h: number): Uint8Array {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'ascii');
  ihdr.writeUInt32BE(w, 8);
  ihdr.writeUInt32BE(h, 12);
  ihdr.set([8, 2, 0, 0, 0], 16); // 8-bit RGB
  return new Uint8Array(
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr, Buffer.alloc(64)]),
  );
}

/** A sphere whose texture is `image` (any bytes, e.g. bombPng). */
export async function glbWithImage(image: Uint8Array): Promise<Uint8Array> {
  const doc = new Document();
  doc.createBuffer();
  const mesh = sphere(doc, 0.5, 4);
  const tex = doc.createTexture('bomb').setImage(image).setMimeType('image/png');
  for (const p of mesh.listPrimitives()) p.setMaterial(doc.createMaterial().setBaseColorTexture(tex));
  doc.createScene().addChild(doc.createNode('body').setMesh(mesh));
  return io.writeBinary(doc);
}
