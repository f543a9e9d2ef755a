import { z } from 'zod';
import type { LayoutDiff } from './layoutDiff';

/**
 * Design mode's API: drafts of the plant layout that engineers edit, and the immutable versions
 * saved from them. A draft never touches the live plant; publishing a version to it comes later.
 */

/** Draft ids: `d-` and 12 hex digits (made by the server). */
export const DESIGN_ID_PATTERN = /^d-[0-9a-f]{12}$/;
/** Version ids: `v-` and 12 hex digits (made by the server; unique across all drafts). */
export const VERSION_ID_PATTERN = /^v-[0-9a-f]{12}$/;

/** Names of drafts: 1 to 80 characters after trimming. */
export const DESIGN_NAME_MAX = 80;
/** Version messages: 1 to 200 characters after trimming. */
export const VERSION_MESSAGE_MAX = 200;

const versionId = z
  .string({ error: 'expected "live" or a version id' })
  .regex(VERSION_ID_PATTERN, { error: 'expected "live" or a version id (v- and 12 hex digits)' });

/** `POST /api/designs`: a new draft, a copy of the live layout (default) or of a stored version. */
export const createDesignSchema = z.strictObject({
  name: z
    .string({ error: 'expected a string' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(DESIGN_NAME_MAX, { error: `expected at most ${DESIGN_NAME_MAX} characters` }),
  from: z.union([z.literal('live'), versionId], { error: 'expected "live" or a version id' }).optional(),
});
export type CreateDesignRequest = z.infer<typeof createDesignSchema>;

/**
 * `PUT /api/designs/:id/layout`: the draft's whole layout. Any JSON object is kept (a draft is
 * being edited, so it may be invalid); its problems come back as `errors`.
 */
export const designLayoutSchema = z.strictObject({
  layout: z.record(z.string(), z.unknown(), { error: 'expected a layout object' }),
});
export type DesignLayoutRequest = z.infer<typeof designLayoutSchema>;

/** `POST /api/designs/:id/versions`: saves the draft's layout as it is now, with a message. */
export const createVersionSchema = z.strictObject({
  message: z
    .string({ error: 'expected a string' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(VERSION_MESSAGE_MAX, { error: `expected at most ${VERSION_MESSAGE_MAX} characters` }),
});
export type CreateVersionRequest = z.infer<typeof createVersionSchema>;

/** A draft as listed. Times: wall ms since epoch. */
export interface DesignSummary {
  id: string;
  name: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  /** What it was copied from: 'live' (the running plant's layout then) or a version id. */
  basedOn: string;
  /** Versions saved from it. */
  versions: number;
}

/** A saved version (its layout comes with `GET /api/designs/:id/versions/:vid`). */
export interface DesignVersion {
  id: string;
  designId: string;
  message: string;
  author: string;
  /** Wall ms since epoch. */
  createdAt: number;
}

/** `GET /api/designs/:id` and `PUT /api/designs/:id/layout` answer. */
export interface DesignAnswer {
  ok: true;
  design: DesignSummary;
  layout: unknown;
  /** The plant loader's `path: message` lines for the layout; empty when it is valid. */
  errors: string[];
}

/** One side of a diff: the live plant now, the draft as it is now, or a stored version. */
const diffSide = z.union([z.literal('live'), z.literal('draft'), versionId], {
  error: 'expected "live", "draft" or a version id',
});

/** `GET /api/designs/:id/diff?from=..&to=..`: what changed from one layout to the other. */
export const designDiffQuerySchema = z.strictObject({
  from: diffSide,
  to: diffSide,
});
export type DesignDiffQuery = z.infer<typeof designDiffQuerySchema>;

/** `GET /api/designs/:id/diff` answer: the sides as asked and the differences from `from` to `to`. */
export interface DesignDiffAnswer {
  ok: true;
  from: string;
  to: string;
  diff: LayoutDiff;
}
