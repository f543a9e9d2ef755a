import { type Document, Logger, NodeIO, Primitive } from '@gltf-transform/core';
import { EXTMeshoptCompression, EXTTextureWebP, KHRONOS_EXTENSIONS } from '@gltf-transform/extensions';
import {
  cloneDocument,
  dedup,
  getBounds,
  meshopt,
  prune,
  simplify,
  textureCompress,
  weld,
} from '@gltf-transform/functions';
import { MeshoptDecoder, MeshoptEncoder, MeshoptSimplifier } from 'meshoptimizer';
import sharp from 'sharp';
import { MODEL_LOD_RATIOS, MODEL_TEXTURE_TARGET_PX, type ModelBox } from '../../protocol';

/** The compression and texture extensions are read only after validate.ts let them through. */
const EXTENSIONS = [
  ...KHRONOS_EXTENSIONS.filter((e) => e.EXTENSION_NAME !== 'KHR_draco_mesh_compression'),
  EXTTextureWebP,
  EXTMeshoptCompression,
];

/** Simplification error allowed per level, as a share of the mesh's radius (lod0 is never simplified). */
const LOD_ERROR = [0, 0.01, 0.05];
/** Most pick boxes (one per top-level node; more nodes: one box around everything). */
const MAX_PICK_BOXES = 8;

export interface OptimizedLod {
  level: number;
  glb: Uint8Array;
  vertices: number;
  triangles: number;
}

export interface Optimized {
  lods: OptimizedLod[];
  bounds: ModelBox;
  pick: ModelBox[];
}

/** glTF-Transform logs every step to the console; only errors matter here (they come back as refusals). */
const QUIET = new Logger(Logger.Verbosity.ERROR);

let io: NodeIO | null = null;
async function getIO(): Promise<NodeIO> {
  if (io) return io;
  await Promise.all([MeshoptEncoder.ready, MeshoptDecoder.ready, MeshoptSimplifier.ready]);
  // The decoder reads our own output back (tests, later tools); uploads never reach it compressed.
  io = new NodeIO()
    .setLogger(QUIET)
    .registerExtensions(EXTENSIONS)
    .registerDependencies({ 'meshopt.encoder': MeshoptEncoder, 'meshopt.decoder': MeshoptDecoder });
  return io;
}

/** Reads a GLB that validate.ts's checkGlb accepted; null with the reader's message when it still fails. */
export async function readGlb(
  bytes: Uint8Array,
): Promise<{ ok: true; doc: Document } | { ok: false; message: string }> {
  try {
    const doc = await (await getIO()).readBinary(bytes);
    doc.setLogger(QUIET);
    return { ok: true, doc };
  } catch (err) {
    return { ok: false, message: `the GLB could not be read (${(err as Error).message})` };
  }
}

/** Vertices and triangles of everything the document's meshes draw. */
export function countGeometry(doc: Document): { vertices: number; triangles: number } {
  let vertices = 0;
  let triangles = 0;
  for (const mesh of doc.getRoot().listMeshes())
    for (const p of mesh.listPrimitives()) {
      const n = p.getAttribute('POSITION')?.getCount() ?? 0;
      vertices += n;
      if (p.getMode() === Primitive.Mode.TRIANGLES)
        triangles += Math.floor((p.getIndices()?.getCount() ?? n) / 3);
    }
  return { vertices, triangles };
}

const box = (b: { min: number[]; max: number[] }): ModelBox => ({
  min: [b.min[0], b.min[1], b.min[2]],
  max: [b.max[0], b.max[1], b.max[2]],
});
const finite = (b: ModelBox) => [...b.min, ...b.max].every(Number.isFinite);

/**
 * Optimizes a validated model: dedup, prune (empty nodes kept: a robot's joints may be empty),
 * weld, textures resized to MODEL_TEXTURE_TARGET_PX with sharp; then one GLB per level of
 * MODEL_LOD_RATIOS (simplified with meshoptimizer), each meshopt-compressed. Node names and the
 * hierarchy stay, so the joints a robot arm maps still exist. Changes `doc`.
 */
export async function optimizeModel(doc: Document): Promise<Optimized> {
  const io = await getIO();
  await doc.transform(
    dedup(),
    prune({ keepLeaves: true }),
    weld(),
    textureCompress({ encoder: sharp, resize: [MODEL_TEXTURE_TARGET_PX, MODEL_TEXTURE_TARGET_PX] }),
  );
  const scene = doc.getRoot().getDefaultScene() ?? doc.getRoot().listScenes()[0];
  // Meshes outside every scene were pruned: a scene that draws nothing is not a model.
  if (!scene || countGeometry(doc).vertices === 0) throw new Error('its scene draws no mesh');
  const bounds = box(getBounds(scene));
  const parts = scene
    .listChildren()
    .map((n) => box(getBounds(n)))
    .filter(finite);
  const pick = parts.length > 1 && parts.length <= MAX_PICK_BOXES ? parts : [bounds];
  const lods: OptimizedLod[] = [];
  for (let level = 0; level < MODEL_LOD_RATIOS.length; level++) {
    const ratio = MODEL_LOD_RATIOS[level];
    const lod = level === MODEL_LOD_RATIOS.length - 1 ? doc : cloneDocument(doc);
    if (ratio < 1)
      await lod.transform(
        simplify({ simplifier: MeshoptSimplifier, ratio, error: LOD_ERROR[level] }),
        prune({ keepLeaves: true }),
      );
    const counts = countGeometry(lod);
    await lod.transform(meshopt({ encoder: MeshoptEncoder, level: 'medium' }));
    lods.push({ level, glb: await io.writeBinary(lod), ...counts });
    // Lets the tick and other requests run between the heavy steps.
    await new Promise((r) => setImmediate(r));
  }
  return { lods, bounds, pick };
}
