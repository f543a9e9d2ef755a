import { z } from 'zod';
import { formatPath } from '../../protocol';

/** Longest alarm id accepted (`${ruleId}@${equipmentId}`: 40 + 1 + 40). */
const MAX_ID = 100;
/** Most ids one `alarm:ack` may carry. */
export const MAX_ACK_IDS = 1000;
/** Longest shelve, minutes of wall time (one 12-hour shift). */
export const MAX_SHELVE_MIN = 720;

const alarmId = z
  .string({ error: 'expected an alarm id string' })
  .min(1, { error: 'must not be empty' })
  .max(MAX_ID, { error: `expected at most ${MAX_ID} characters` })
  .regex(/^[A-Za-z0-9_.@-]+$/, { error: 'expected an alarm id (letters, digits, "-", "_", ".", "@")' });
const reason = z
  .string({ error: 'expected a reason string' })
  .trim()
  .min(1, { error: 'a reason is required' })
  .max(200, { error: 'expected at most 200 characters' });

/** `alarm:ack { ids }`. */
export const ackSchema = z
  .object({
    ids: z
      .array(alarmId, { error: 'expected a list of alarm ids' })
      .min(1, { error: 'expected at least one id' })
      .max(MAX_ACK_IDS, { error: `expected at most ${MAX_ACK_IDS} ids` }),
  })
  .strict();

/** `alarm:shelve { id, minutes, reason }`; minutes of wall time. */
export const shelveSchema = z
  .object({
    id: alarmId,
    minutes: z
      .number({ error: 'expected a number of minutes' })
      .positive({ error: 'expected minutes > 0' })
      .max(MAX_SHELVE_MIN, { error: `expected at most ${MAX_SHELVE_MIN} minutes` }),
    reason,
  })
  .strict();

/** `alarm:unshelve { id }`. */
export const unshelveSchema = z.object({ id: alarmId }).strict();

/** `alarm:out-of-service { id, enabled, reason }`; the reason is required to take it out. */
export const outOfServiceSchema = z
  .object({
    id: alarmId,
    enabled: z.boolean({ error: 'expected true or false' }),
    reason: z.string({ error: 'expected a reason string' }).trim().max(200).optional(),
  })
  .strict()
  .refine((r) => !r.enabled || (r.reason !== undefined && r.reason.length > 0), {
    path: ['reason'],
    error: 'a reason is required',
  });

/** `alarm:since { seq }`. */
export const sinceSchema = z
  .object({
    seq: z
      .number({ error: 'expected a sequence number' })
      .int({ error: 'expected a whole number' })
      .min(0, { error: 'expected a number >= 0' })
      .max(Number.MAX_SAFE_INTEGER),
  })
  .strict();

/** The first problem of a failed parse, as one line (`minutes: expected minutes > 0`). */
export function firstIssue(error: z.ZodError): string {
  const i = error.issues[0];
  return i ? `${formatPath(i.path)}: ${i.message}` : 'invalid request';
}
