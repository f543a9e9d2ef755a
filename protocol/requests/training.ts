import { z } from 'zod';
import { MAX_SPEED, MIN_SPEED } from '../limits';
import { SCENARIO_FAULT_KINDS } from '../scenario';
import { faultSchema } from './faults';

/** A time scale, MIN_SPEED..MAX_SPEED. */
export const speedSchema = z
  .number({ error: `expected a speed from ${MIN_SPEED} to ${MAX_SPEED}` })
  .min(MIN_SPEED, { error: `expected a speed from ${MIN_SPEED} to ${MAX_SPEED}` })
  .max(MAX_SPEED, { error: `expected a speed from ${MIN_SPEED} to ${MAX_SPEED}` });

/** What the trainer does to a training session's clock (`training:control`). */
export const TRAINING_CONTROL_ACTIONS = ['start', 'pause', 'resume', 'step', 'speed', 'restart'] as const;
export type TrainingControlAction = (typeof TRAINING_CONTROL_ACTIONS)[number];

/** `training:control { action, speed? }`: speed is required with 'speed', allowed with start/resume. */
export const trainingControlSchema = z
  .object({
    action: z.enum(TRAINING_CONTROL_ACTIONS, {
      error: `expected one of ${TRAINING_CONTROL_ACTIONS.join(', ')}`,
    }),
    speed: speedSchema.optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.action === 'speed' && r.speed === undefined)
      ctx.addIssue({ code: 'custom', path: ['speed'], message: 'speed needs a speed' });
    if (r.speed !== undefined && !['speed', 'start', 'resume'].includes(r.action))
      ctx.addIssue({ code: 'custom', path: ['speed'], message: `${r.action} takes no speed` });
  });
export type TrainingControlRequest = z.input<typeof trainingControlSchema>;
/** A `training:control` request as the server holds it once parsed. */
export type TrainingControl = z.output<typeof trainingControlSchema>;

const target = z
  .string({ error: 'expected an equipment or line id' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { error: 'expected an equipment or line id' });

/**
 * `training:inject`: a fault as scenario files write it (parameters with a default may be left out),
 * or `{ clear }`: the end of the injected faults on equipment (or a line, for a power dip), all or
 * of one kind.
 */
export const trainingInjectSchema = z.union(
  [
    z.object({ fault: faultSchema }).strict(),
    z
      .object({
        clear: z
          .object({
            equipment: target,
            kind: z
              .enum(SCENARIO_FAULT_KINDS, { error: `expected one of ${SCENARIO_FAULT_KINDS.join(', ')}` })
              .optional(),
          })
          .strict(),
      })
      .strict(),
  ],
  { error: 'expected { fault: { kind, equipment, ... } } or { clear: { equipment, kind? } }' },
);
export type TrainingInjectRequest = z.input<typeof trainingInjectSchema>;
/** A `training:inject` request as the server holds it once parsed (the fault's defaults filled in). */
export type TrainingInject = z.output<typeof trainingInjectSchema>;

/** `POST /api/sessions { scenario, seed?, speed? }`: a new training session. */
export const trainingSessionCreateSchema = z
  .object({
    scenario: z.string({ error: 'expected a scenario id' }).regex(/^[a-z0-9][a-z0-9-]{0,63}$/, {
      error: 'expected a scenario id (lower-case letters, digits, "-")',
    }),
    seed: z
      .number({ error: 'expected a whole number' })
      .int({ error: 'expected a whole number' })
      .min(0, { error: 'expected a seed >= 0' })
      .max(0xffffffff, { error: 'expected a seed below 2^32' })
      .optional(),
    speed: speedSchema.optional(),
  })
  .strict();
export type TrainingSessionCreateRequest = z.input<typeof trainingSessionCreateSchema>;
