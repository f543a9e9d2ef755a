import { z } from 'zod';
import { VERSION_ID_PATTERN } from './design';
import type { LayoutDiff } from './layoutDiff';

/**
 * Publishing design versions to the live plant, and rolling back. Both are two-step, like
 * deliberate equipment commands: the first request answers what would change and a single-use
 * confirmation; the same request with that confirmation publishes.
 */

/** The version id that names the plant file the server started from (built-in or `--plant`). */
export const BASE_PLANT_VERSION = 'base';
/** How long a publish confirmation stays valid, ms (time to read the change summary). */
export const PUBLISH_CONFIRMATION_TTL_MS = 120_000;

const confirmation = z
  .string({ error: 'expected the confirmation token' })
  .min(1, { error: 'must not be empty' })
  .max(100, { error: 'expected at most 100 characters' });

/** `POST /api/designs/:id/publish`: a saved version of that draft. */
export const publishRequestSchema = z.strictObject({
  version: z
    .string({ error: 'expected a version id' })
    .regex(VERSION_ID_PATTERN, { error: 'expected a version id (v- and 12 hex digits)' }),
  confirmation: confirmation.optional(),
});
export type PublishRequest = z.infer<typeof publishRequestSchema>;

/** `POST /api/plant/rollback`: a version published before, or "base" (the plant file). */
export const rollbackRequestSchema = z.strictObject({
  version: z.union(
    [
      z.literal(BASE_PLANT_VERSION),
      z.string().regex(VERSION_ID_PATTERN, { error: 'expected "base" or a version id' }),
    ],
    { error: 'expected "base" or a version id' },
  ),
  confirmation: confirmation.optional(),
});
export type RollbackRequest = z.infer<typeof rollbackRequestSchema>;

/** What a publish would change, in counts (the full diff comes beside it). */
export interface PublishSummary {
  equipmentBefore: number;
  equipmentAfter: number;
  equipmentAdded: number;
  equipmentRemoved: number;
  equipmentMoved: number;
  equipmentChanged: number;
  /** Zones, lines, drone routes, viewpoints and AGV path changes together. */
  otherChanges: number;
  /** Alarms now not normal whose equipment (or rule binding) the new layout lacks: they end. */
  alarmsEnding: number;
}

/** First step's answer: nothing changed yet. */
export interface PublishPreview {
  ok: true;
  published: false;
  version: string;
  summary: PublishSummary;
  diff: LayoutDiff;
  /** Send this back as `confirmation` (single use, this user, this version) before it expires. */
  confirmation: string;
  /** Wall ms since epoch. */
  confirmationExpiresAt: number;
}

/** Second step's answer: the live plant runs the version now. */
export interface PublishDone {
  ok: true;
  published: true;
  version: string;
  summary: PublishSummary;
  /** The publication as listed by `GET /api/plant/versions`. */
  entry: PublishedVersion;
}

export type PublishAnswer = PublishPreview | PublishDone;

/** One entry of `GET /api/plant/versions`. Times: wall ms since epoch. */
export interface PublishedVersion {
  /** 0 for the plant file the server started from; then 1, 2, 3... per publication. */
  seq: number;
  /** A design version id, or "base". */
  version: string;
  designId: string | null;
  /** The draft's name now (null for "base" or a draft that is gone). */
  designName: string | null;
  message: string;
  /** Who published it (null for the plant file). */
  publishedBy: string | null;
  publishedAt: number;
  /** Published again from this list. */
  rollback: boolean;
  /** The live plant runs this entry now (exactly one entry is live). */
  live: boolean;
}

/** `GET /api/plant/versions` answer: the plant file first, then every publication, oldest first. */
export interface PublishedVersionsAnswer {
  ok: true;
  versions: PublishedVersion[];
  live: { version: string; equipment: number };
  /** Whether publishing is possible on this server, and why not (a plant fed by `--sources`). */
  publishable: boolean;
  reason?: string;
}
