import { z } from 'zod';
import { limitParam, timeParam } from './requests/queries';
import type { Quality } from './sources';

/**
 * `GET /api/equipment/:id/history?signal=S&from=MS&to=MS&limit=N`: the values of one signal of
 * real equipment that never reached the live scene: those a device sent as historical
 * (store-and-forward) and those that arrived late (older than the value shown). Live values are in
 * the recordings, not here.
 */

/** Most values one history answer holds. */
export const MAX_VALUE_HISTORY = 10_000;

/** The query string of `GET /api/equipment/:id/history`; times are source times, ms since epoch. */
export const valueHistoryQuerySchema = z
  .object({
    signal: z
      .string({ error: 'expected a signal name, e.g. ?signal=beltSpeed' })
      .regex(/^[A-Za-z][A-Za-z0-9]{0,39}$/, { error: 'expected a signal name, e.g. ?signal=beltSpeed' }),
    from: timeParam.optional(),
    to: timeParam.optional(),
    limit: limitParam(MAX_VALUE_HISTORY, 1000),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    error: 'from must not be after to',
    path: ['from'],
  });
export type ValueHistoryQuery = z.output<typeof valueHistoryQuerySchema>;

/** One stored value. */
export interface HistoricalValue {
  value: number;
  quality: Quality;
  /** When the device measured it, ms since epoch. */
  sourceTimestamp: number;
  /** When the twin received it, ms since epoch. */
  receivedAt: number;
}

/**
 * A value of real equipment that never reached the live scene (sent as historical, or older than
 * the value shown), as the live recording keeps it beside the frames of the tick it arrived in.
 */
export interface LateValue {
  equipment: string;
  signal: string;
  value: number;
  quality: Quality;
  sourceTimestamp: number;
  receivedAt: number;
  /** True when the device marked it historical (store-and-forward); false when it came late. */
  historical: boolean;
}

/** A time in a recording, simulation s (decimal, at least 0). */
const simSParam = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,6})?$/, { error: 'expected a simulation time in seconds, e.g. 120.5' })
  .transform(Number);

/** The query string of `GET /api/recordings/:id/late` (sim times; equipment and signal optional). */
export const recordedLateQuerySchema = z
  .object({
    from: simSParam.optional(),
    to: simSParam.optional(),
    equipment: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, { error: 'expected an equipment id' })
      .optional(),
    signal: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9]{0,39}$/, { error: 'expected a signal name, e.g. ?signal=beltSpeed' })
      .optional(),
    limit: limitParam(MAX_VALUE_HISTORY, 1000),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    error: 'from must not be after to',
    path: ['from'],
  });
export type RecordedLateQuery = z.output<typeof recordedLateQuerySchema>;

/** `GET /api/recordings/:id/late`: the late values recorded between two sim times, in arrival order. */
export interface RecordedLateAnswer {
  ok: true;
  id: string;
  values: (LateValue & { simS: number })[];
  /** True when more matched than MAX_VALUE_HISTORY (the first ones are given). */
  truncated: boolean;
}

/** `GET /api/equipment/:id/history`: values ordered by source time, oldest first. */
export interface ValueHistoryAnswer {
  ok: true;
  equipment: string;
  signal: string;
  values: HistoricalValue[];
}
