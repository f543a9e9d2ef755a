import { z } from 'zod';
import { MAX_BOOKMARK_LABEL, MAX_SIM_TIME_S, REPLAY_MAX_SPAN_S } from '../limits';

/** Recording ids: `live-…` / `trn-…` as the server makes them (letters, digits, "_", "-"). */
export const RECORDING_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const recordingId = z
  .string({ error: 'expected a recording id' })
  .regex(RECORDING_ID, { error: 'expected a recording id (letters, digits, "_", "-"; at most 64)' });

/** A simulation time, s: finite and >= 0 (zod refuses NaN and infinities). */
const simTime = z
  .number({ error: 'expected a simulation time in s' })
  .min(0, { error: 'expected a simulation time >= 0' })
  .max(MAX_SIM_TIME_S, { error: 'expected a simulation time below 1e9 s' });

/** `replay:open { id }`. */
export const replayOpenSchema = z.object({ id: recordingId }).strict();
export type ReplayOpenRequest = z.input<typeof replayOpenSchema>;

/** `replay:seek { id, simS }`: the recorded state at simulation time `simS`, s. */
export const replaySeekSchema = z.object({ id: recordingId, simS: simTime }).strict();
export type ReplaySeekRequest = z.input<typeof replaySeekSchema>;

/** `replay:frames { id, fromS, toS }`: window (fromS, toS] in simulation s, 0 < toS - fromS <= REPLAY_MAX_SPAN_S. */
export const replayFramesSchema = z
  .object({ id: recordingId, fromS: simTime, toS: simTime })
  .strict()
  .superRefine((r, ctx) => {
    if (!(r.toS > r.fromS))
      ctx.addIssue({ code: 'custom', path: ['toS'], message: 'expected toS after fromS' });
    else if (r.toS - r.fromS > REPLAY_MAX_SPAN_S + 1e-9)
      ctx.addIssue({
        code: 'custom',
        path: ['toS'],
        message: `expected a window of at most ${REPLAY_MAX_SPAN_S} s`,
      });
  });
export type ReplayFramesRequest = z.input<typeof replayFramesSchema>;

/** `POST /api/recordings/:id/bookmarks { simS, label }`. */
export const bookmarkSchema = z
  .object({
    simS: simTime,
    label: z
      .string({ error: 'expected a label' })
      .trim()
      .min(1, { error: 'a label is required' })
      .max(MAX_BOOKMARK_LABEL, { error: `expected at most ${MAX_BOOKMARK_LABEL} characters` })
      // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
      .regex(/^[^\u0000-\u001f\u007f]*$/, { error: 'expected no control characters' }),
  })
  .strict();
export type BookmarkRequest = z.input<typeof bookmarkSchema>;
