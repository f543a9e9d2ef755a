import { z } from 'zod';
import { SCENARIO_FAULT_KINDS, type TrainingControlAction } from '../../protocol';
import { faultSchema } from '../scenarios/scenarioSchema';

/** Training time scale limits (as the server's --speed). */
export const MIN_TRAINING_SPEED = 0.1;
export const MAX_TRAINING_SPEED = 50;

const ACTIONS = [
  'start',
  'pause',
  'resume',
  'step',
  'speed',
  'restart',
] as const satisfies readonly TrainingControlAction[];

/** A time scale, 0.1..50. */
export const speedSchema = z
  .number({ error: `expected a speed from ${MIN_TRAINING_SPEED} to ${MAX_TRAINING_SPEED}` })
  .min(MIN_TRAINING_SPEED, { error: `expected a speed from ${MIN_TRAINING_SPEED} to ${MAX_TRAINING_SPEED}` })
  .max(MAX_TRAINING_SPEED, { error: `expected a speed from ${MIN_TRAINING_SPEED} to ${MAX_TRAINING_SPEED}` });

/** `training:control { action, speed? }`: speed is required with 'speed', allowed with start/resume. */
export const controlSchema = z
  .object({
    action: z.enum(ACTIONS, { error: `expected one of ${ACTIONS.join(', ')}` }),
    speed: speedSchema.optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.action === 'speed' && r.speed === undefined)
      ctx.addIssue({ code: 'custom', path: ['speed'], message: 'speed needs a speed' });
    if (r.speed !== undefined && !['speed', 'start', 'resume'].includes(r.action))
      ctx.addIssue({ code: 'custom', path: ['speed'], message: `${r.action} takes no speed` });
  });

export type ControlRequest = z.output<typeof controlSchema>;

const target = z
  .string({ error: 'expected an equipment or line id' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { error: 'expected an equipment or line id' });

/** `training:inject { fault }` (as scenario files write faults, defaults filled) or `{ clear }`. */
export const injectSchema = z.union(
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

export type InjectRequest = z.output<typeof injectSchema>;
