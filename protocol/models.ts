import { z } from 'zod';
import { EQUIPMENT_KINDS } from './kinds';

/**
 * Plant models: GLB files that engineers upload for an equipment kind, one piece of equipment or
 * the building shell. The server validates them, optimizes them (meshopt, smaller textures, LOD
 * levels) and serves the result; the default plant works without any.
 */

/** Model ids: `m-` and 12 hex digits (made by the server). */
export const MODEL_ID_PATTERN = /^m-[0-9a-f]{12}$/;

/** Largest upload, bytes (20 MiB). */
export const MODEL_MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/** Largest JSON chunk of a GLB, bytes (a model within the node and mesh limits needs far less). */
export const MODEL_MAX_JSON_BYTES = 4 * 1024 * 1024;
/** Most vertices over all primitives of an upload (sum of POSITION accessor counts). */
export const MODEL_MAX_VERTICES = 500_000;
/** Most indices over all primitives (3 per triangle: 1 M triangles). */
export const MODEL_MAX_INDICES = 3_000_000;
/** Largest texture side as its image header states it, px. */
export const MODEL_MAX_TEXTURE_PX = 4096;
/** Most decoded texture pixels over all images (four 4096 px squares), px. */
export const MODEL_MAX_TEXTURE_PIXELS = 4 * 4096 * 4096;
/** Most nodes, meshes, materials, images (each). */
export const MODEL_MAX_NODES = 2000;
export const MODEL_MAX_MESHES = 1000;
export const MODEL_MAX_IMAGES = 64;
/** Textures are resized to at most this side when optimized, px. */
export const MODEL_TEXTURE_TARGET_PX = 1024;
/** Share of the vertices each level keeps: lod0 is the full model, then simplified ones. */
export const MODEL_LOD_RATIOS = [1, 0.5, 0.15] as const;
/** Names of models: 1 to 80 characters after trimming. */
export const MODEL_NAME_MAX = 80;

/** Joints of an articulated robot arm, base to wrist. */
export const ROBOT_JOINTS = ['j1', 'j2', 'j3', 'j4', 'j5', 'j6'] as const;
export type RobotJoint = (typeof ROBOT_JOINTS)[number];

const nodeName = z
  .string({ error: 'expected a node name' })
  .min(1, { error: 'must not be empty' })
  .max(200, { error: 'expected at most 200 characters' });

/** What a model stands for: every piece of a kind, one piece of equipment, or the building shell. */
export const modelTargetSchema = z.union(
  [
    z.strictObject({
      kind: z.enum(EQUIPMENT_KINDS, { error: `expected one of ${EQUIPMENT_KINDS.join(', ')}` }),
    }),
    z.strictObject({
      equipment: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: 'expected an equipment id' }),
    }),
    z.strictObject({ shell: z.literal(true) }),
  ],
  { error: 'expected { kind }, { equipment } or { shell: true }' },
);
export type ModelTarget = z.infer<typeof modelTargetSchema>;

/**
 * An upload's metadata (`POST /api/models?meta=<JSON>` or the `X-Model-Meta` header; the body is
 * the GLB). `joints` maps the joints of a robot arm to node names in the model (all six).
 */
export const modelMetaSchema = z
  .strictObject({
    name: z
      .string({ error: 'expected a string' })
      .trim()
      .min(1, { error: 'must not be empty' })
      .max(MODEL_NAME_MAX, { error: `expected at most ${MODEL_NAME_MAX} characters` }),
    target: modelTargetSchema,
    joints: z
      .strictObject({ j1: nodeName, j2: nodeName, j3: nodeName, j4: nodeName, j5: nodeName, j6: nodeName })
      .optional(),
  })
  .refine(
    (m) => !m.joints || !('shell' in m.target || ('kind' in m.target && m.target.kind !== 'robot-arm')),
    {
      error: 'joints map only a robot arm: a robot-arm kind or one piece of equipment',
      path: ['joints'],
    },
  );
export type ModelMeta = z.infer<typeof modelMetaSchema>;

/** An axis-aligned box in the model's frame, m: its corners. */
export interface ModelBox {
  min: [number, number, number];
  max: [number, number, number];
}

/** One level of detail as stored. */
export interface ModelLod {
  /** 0 is the full model. */
  level: number;
  bytes: number;
  vertices: number;
  triangles: number;
  /** Where to fetch it (needs a login; immutable, cached for a year). */
  url: string;
}

/** A stored model, as listed (`GET /api/models`) and answered to an upload (201). */
export interface ModelSummary {
  id: string;
  name: string;
  target: ModelTarget;
  /** Robot joints to node names, when mapped. */
  joints: Partial<Record<RobotJoint, string>> | null;
  /** The upload's size, bytes. */
  uploadedBytes: number;
  /** The optimized full model's size (lod0), bytes. */
  bytes: number;
  lods: ModelLod[];
  /** The model's bounds, m (y up, as glTF). */
  bounds: ModelBox;
  /** What clicks hit: boxes around the model's top-level parts (at most 8), m. */
  pick: ModelBox[];
  createdBy: string;
  /** Wall ms since epoch. */
  createdAt: number;
}

/** `GET /api/models` answer. */
export interface ModelList {
  ok: true;
  models: ModelSummary[];
}
