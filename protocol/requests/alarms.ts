import { z } from 'zod';
import { MAX_ACK_IDS, MAX_ALARM_ID, MAX_REASON, MAX_SHELVE_MIN } from '../limits';

/**
 * The alarm requests (`alarm:*` events). Each schema is the one truth about its payload: the server
 * parses with it, and the request type a client sends is its input type.
 */

const alarmId = z
  .string({ error: 'expected an alarm id string' })
  .min(1, { error: 'must not be empty' })
  .max(MAX_ALARM_ID, { error: `expected at most ${MAX_ALARM_ID} characters` })
  .regex(/^[A-Za-z0-9_.@-]+$/, { error: 'expected an alarm id (letters, digits, "-", "_", ".", "@")' });
const reason = z
  .string({ error: 'expected a reason string' })
  .trim()
  .min(1, { error: 'a reason is required' })
  .max(MAX_REASON, { error: `expected at most ${MAX_REASON} characters` });

/** `alarm:ack { ids }`. */
export const alarmAckSchema = z
  .object({
    ids: z
      .array(alarmId, { error: 'expected a list of alarm ids' })
      .min(1, { error: 'expected at least one id' })
      .max(MAX_ACK_IDS, { error: `expected at most ${MAX_ACK_IDS} ids` }),
  })
  .strict();
export type AlarmAckRequest = z.input<typeof alarmAckSchema>;

/** `alarm:shelve { id, minutes, reason }`; minutes of wall time. */
export const alarmShelveSchema = z
  .object({
    id: alarmId,
    minutes: z
      .number({ error: 'expected a number of minutes' })
      .positive({ error: 'expected minutes > 0' })
      .max(MAX_SHELVE_MIN, { error: `expected at most ${MAX_SHELVE_MIN} minutes` }),
    reason,
  })
  .strict();
export type AlarmShelveRequest = z.input<typeof alarmShelveSchema>;

/** `alarm:unshelve { id }`. */
export const alarmUnshelveSchema = z.object({ id: alarmId }).strict();
export type AlarmUnshelveRequest = z.input<typeof alarmUnshelveSchema>;

/** `alarm:out-of-service { id, enabled, reason? }`; the reason is required to take it out (enabled). */
export const alarmOutOfServiceSchema = z
  .object({
    id: alarmId,
    enabled: z.boolean({ error: 'expected true or false' }),
    reason: z.string({ error: 'expected a reason string' }).trim().max(MAX_REASON).optional(),
  })
  .strict()
  .refine((r) => !r.enabled || (r.reason !== undefined && r.reason.length > 0), {
    path: ['reason'],
    error: 'a reason is required',
  });
export type AlarmOutOfServiceRequest = z.input<typeof alarmOutOfServiceSchema>;

/** `alarm:since { seq }`: the transitions after `seq`. */
export const alarmSinceSchema = z
  .object({
    seq: z
      .number({ error: 'expected a sequence number' })
      .int({ error: 'expected a whole number' })
      .min(0, { error: 'expected a number >= 0' })
      .max(Number.MAX_SAFE_INTEGER),
  })
  .strict();
export type AlarmSinceRequest = z.input<typeof alarmSinceSchema>;
