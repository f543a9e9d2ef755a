import {
  MODEL_MAX_IMAGES,
  MODEL_MAX_INDICES,
  MODEL_MAX_JSON_BYTES,
  MODEL_MAX_MESHES,
  MODEL_MAX_NODES,
  MODEL_MAX_TEXTURE_PIXELS,
  MODEL_MAX_TEXTURE_PX,
  MODEL_MAX_UPLOAD_BYTES,
  MODEL_MAX_VERTICES,
  type ModelMeta,
  ROBOT_JOINTS,
} from '../../protocol';
import { readImageSize } from './imageHeader';

/**
 * The first check of an upload, on its bytes and its JSON chunk only, before glTF-Transform reads
 * it (which allocates every accessor): a self-contained GLB 2.0 within the limits. Only GLB: every
 * buffer and image must be in the file (no `uri` at all, not even `data:`), so reading it never
 * touches the disk or the network and its size is its whole size.
 */

/** Extensions an upload may require: plain data the reader understands (no compression, no KTX2). */
export const SUPPORTED_REQUIRED_EXTENSIONS: ReadonlySet<string> = new Set([
  'KHR_materials_emissive_strength',
  'KHR_materials_ior',
  'KHR_materials_specular',
  'KHR_materials_unlit',
  'KHR_mesh_quantization',
  'KHR_texture_transform',
  'EXT_texture_webp',
]);

/** Extensions refused even when only used: compressed inputs need decoders the server does not run. */
const REFUSED_EXTENSIONS: Readonly<Record<string, string>> = {
  KHR_draco_mesh_compression: 'Draco-compressed input is not accepted; upload the uncompressed model',
  EXT_meshopt_compression: 'meshopt-compressed input is not accepted; upload the uncompressed model',
  KHR_texture_basisu: 'KTX2 textures are not accepted; use PNG, JPEG or WebP',
};

const GLB_MAGIC = 0x46546c67; // 'glTF'
const CHUNK_JSON = 0x4e4f534a;
const CHUNK_BIN = 0x004e4942;

/** Bytes per component of glTF's component types. */
const COMPONENT_BYTES: Readonly<Record<number, number>> = {
  5120: 1,
  5121: 1,
  5122: 2,
  5123: 2,
  5125: 4,
  5126: 4,
};
const TYPE_SIZE: Readonly<Record<string, number>> = {
  SCALAR: 1,
  VEC2: 2,
  VEC3: 3,
  VEC4: 4,
  MAT2: 4,
  MAT3: 9,
  MAT4: 16,
};

export type GlbCheck =
  | { ok: true; vertices: number; indices: number; texturePixels: number }
  | { ok: false; message: string };

type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const list = (x: unknown): Json[] => (Array.isArray(x) ? x.map((e) => (isObj(e) ? e : {})) : []);
const int = (x: unknown, dflt = -1): number => (Number.isSafeInteger(x) ? (x as number) : dflt);

class Refused extends Error {}
const refuse = (message: string): never => {
  throw new Refused(message);
};

/** Checks an uploaded GLB against the limits and `meta` (joint nodes); never throws. */
export function checkGlb(bytes: Uint8Array, meta: Pick<ModelMeta, 'joints'>): GlbCheck {
  try {
    return check(bytes, meta);
  } catch (err) {
    if (err instanceof Refused) return { ok: false, message: err.message };
    return { ok: false, message: `the GLB could not be read (${(err as Error).message})` };
  }
}

function check(bytes: Uint8Array, meta: Pick<ModelMeta, 'joints'>): GlbCheck {
  if (bytes.length > MODEL_MAX_UPLOAD_BYTES)
    refuse(`the file is ${bytes.length} bytes; the limit is ${MODEL_MAX_UPLOAD_BYTES}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 20 || v.getUint32(0, true) !== GLB_MAGIC)
    refuse(
      'not a GLB file (binary glTF 2.0 starts with "glTF"); convert a .gltf with its files into one .glb',
    );
  if (v.getUint32(4, true) !== 2) refuse(`GLB version ${v.getUint32(4, true)}; only glTF 2.0 is accepted`);
  const length = v.getUint32(8, true);
  if (length > bytes.length)
    refuse(`the GLB is truncated: its header says ${length} bytes, ${bytes.length} came`);
  if (length < bytes.length) refuse(`the GLB has ${bytes.length - length} bytes after its end`);
  const jsonLength = v.getUint32(12, true);
  if (v.getUint32(16, true) !== CHUNK_JSON || 20 + jsonLength > length)
    refuse('the GLB is truncated or damaged: no complete JSON chunk');
  if (jsonLength > MODEL_MAX_JSON_BYTES)
    refuse(`the GLB's JSON chunk is ${jsonLength} bytes; the limit is ${MODEL_MAX_JSON_BYTES}`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(20, 20 + jsonLength)));
  } catch {
    refuse('the GLB JSON chunk is not valid JSON');
  }
  if (!isObj(json)) return refuse('the GLB JSON chunk is not an object');
  let bin: Uint8Array = new Uint8Array(0);
  const binAt = 20 + jsonLength + ((4 - (jsonLength % 4)) % 4);
  if (binAt + 8 <= length) {
    const binLength = v.getUint32(binAt, true);
    if (v.getUint32(binAt + 4, true) !== CHUNK_BIN || binAt + 8 + binLength > length)
      refuse('the GLB is truncated or damaged: its binary chunk runs past the end');
    bin = bytes.subarray(binAt + 8, binAt + 8 + binLength);
  }
  return checkJson(json, bin, meta);
}

function checkJson(json: Json, bin: Uint8Array, meta: Pick<ModelMeta, 'joints'>): GlbCheck {
  if (!isObj(json.asset) || json.asset.version !== '2.0') refuse('asset.version must be "2.0"');
  const used = Array.isArray(json.extensionsUsed) ? json.extensionsUsed.map(String) : [];
  for (const e of used) if (REFUSED_EXTENSIONS[e]) refuse(`${e}: ${REFUSED_EXTENSIONS[e]}`);
  const required = Array.isArray(json.extensionsRequired) ? json.extensionsRequired.map(String) : [];
  const unknown = required.filter((e) => !SUPPORTED_REQUIRED_EXTENSIONS.has(e));
  if (unknown.length)
    refuse(`the model requires extensions this server does not support: ${unknown.join(', ')}`);

  const nodes = list(json.nodes);
  const meshes = list(json.meshes);
  const images = list(json.images);
  if (nodes.length > MODEL_MAX_NODES) refuse(`${nodes.length} nodes; the limit is ${MODEL_MAX_NODES}`);
  if (meshes.length > MODEL_MAX_MESHES) refuse(`${meshes.length} meshes; the limit is ${MODEL_MAX_MESHES}`);
  if (images.length > MODEL_MAX_IMAGES) refuse(`${images.length} images; the limit is ${MODEL_MAX_IMAGES}`);

  // Buffers: only the GLB's own binary chunk (buffer 0 without a uri).
  const buffers = list(json.buffers);
  buffers.forEach((b, i) => {
    if (b.uri !== undefined)
      refuse(`buffer ${i} refers to ${describeUri(b.uri)}; embed everything in the GLB`);
    if (i > 0) refuse(`buffer ${i}: a GLB holds one buffer, its binary chunk`);
    if (int(b.byteLength) < 0 || int(b.byteLength) > bin.length)
      refuse(`buffer ${i} claims ${String(b.byteLength)} bytes; the binary chunk has ${bin.length}`);
  });
  const views = list(json.bufferViews);
  views.forEach((bv, i) => {
    const off = int(bv.byteOffset, 0);
    const len = int(bv.byteLength);
    if (int(bv.buffer) !== 0 || buffers.length === 0)
      refuse(`bufferView ${i} refers to no buffer of the GLB`);
    if (off < 0 || len < 0 || off + len > bin.length)
      refuse(`bufferView ${i} (${len} bytes at ${off}) runs past the binary chunk (${bin.length} bytes)`);
  });

  // Accessors: every count checked against its buffer view before anything allocates it.
  const accessors = list(json.accessors);
  accessors.forEach((a, i) => {
    const count = int(a.count);
    const elem = (COMPONENT_BYTES[int(a.componentType)] ?? 0) * (TYPE_SIZE[String(a.type)] ?? 0);
    if (count < 0 || elem === 0) refuse(`accessor ${i} has no valid count, componentType and type`);
    if (count > MODEL_MAX_INDICES)
      refuse(`accessor ${i} claims ${count} elements; the limit is ${MODEL_MAX_INDICES}`);
    if (a.sparse !== undefined) refuse(`accessor ${i} is sparse; sparse accessors are not accepted`);
    if (a.bufferView === undefined) return; // all zeros: count * elem bytes, within the limit above
    const bv = views[int(a.bufferView)];
    if (!bv) refuse(`accessor ${i} refers to a missing bufferView`);
    const stride = int(bv.byteStride, elem) || elem;
    const need = int(a.byteOffset, 0) + (count === 0 ? 0 : stride * (count - 1) + elem);
    if (need > int(bv.byteLength))
      refuse(
        `accessor ${i} claims ${count} elements (${need} bytes); its bufferView has ${int(bv.byteLength)}`,
      );
  });

  // Vertices and indices over all primitives (each accessor counted once).
  const positions = new Set<number>();
  const indexSets = new Set<number>();
  for (const m of meshes)
    for (const p of list(m.primitives)) {
      if (isObj(p.attributes) && p.attributes.POSITION !== undefined)
        positions.add(int(p.attributes.POSITION));
      if (p.indices !== undefined) indexSets.add(int(p.indices));
    }
  const countOf = (ids: Set<number>) => [...ids].reduce((s, id) => s + int(accessors[id]?.count, 0), 0);
  const vertices = countOf(positions);
  const indices = countOf(indexSets);
  if (vertices > MODEL_MAX_VERTICES) refuse(`${vertices} vertices; the limit is ${MODEL_MAX_VERTICES}`);
  if (indices > MODEL_MAX_INDICES) refuse(`${indices} indices; the limit is ${MODEL_MAX_INDICES}`);
  if (vertices === 0) refuse('the model has no geometry (no mesh with positions)');

  // Images: embedded PNG, JPEG or WebP whose header states a size within the limits.
  let texturePixels = 0;
  images.forEach((img, i) => {
    if (img.uri !== undefined) refuse(`image ${i} refers to ${describeUri(img.uri)}; embed it in the GLB`);
    const bv = views[int(img.bufferView)];
    if (!bv) refuse(`image ${i} has no bufferView`);
    const off = int(bv.byteOffset, 0);
    const size = readImageSize(bin.subarray(off, off + int(bv.byteLength)));
    if (!size) refuse(`image ${i} is not a PNG, JPEG or WebP image`);
    const { width, height } = size as NonNullable<typeof size>;
    if (width > MODEL_MAX_TEXTURE_PX || height > MODEL_MAX_TEXTURE_PX)
      refuse(`texture ${i} is ${width}x${height} px, the limit is ${MODEL_MAX_TEXTURE_PX}`);
    texturePixels += width * height;
  });
  if (texturePixels > MODEL_MAX_TEXTURE_PIXELS)
    refuse(`the textures hold ${texturePixels} px together; the limit is ${MODEL_MAX_TEXTURE_PIXELS}`);

  if (meta.joints) {
    const names = new Set(nodes.map((n) => n.name).filter((n) => typeof n === 'string'));
    const missing = ROBOT_JOINTS.filter((j) => !names.has(meta.joints?.[j] ?? ''));
    if (missing.length)
      refuse(`no node named ${missing.map((j) => `"${meta.joints?.[j]}" (${j})`).join(', ')} in the model`);
  }
  return { ok: true, vertices, indices, texturePixels };
}

function describeUri(uri: unknown): string {
  const s = String(uri);
  if (s.startsWith('data:')) return 'a data: URI';
  return `"${s.length > 60 ? `${s.slice(0, 60)}…` : s}" outside the file`;
}
