import { z } from 'zod';
import { COMMAND_ACTIONS, type CommandAction } from '../commands';
import { MAX_CONFIRMATION } from '../limits';

/** Layout ids (equipment, lines, path nodes): as the layout schema accepts them. */
const layoutId = (what: string) =>
  z.string({ error: `expected ${what} id string` }).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, {
    error: `expected ${what} id of letters, digits, "-", "_" or "." (max 40)`,
  });

/**
 * `equipment:command { commandId, equipmentId, action, params?, confirmation? }`. `commandId` is
 * chosen by the client (1–64 of A–Z a–z 0–9 _ -) and makes the command idempotent per user: a retry
 * with the same id is applied once and answered the same way. `equipmentId` is a piece of equipment
 * or a line id ('L1'). Only `go-to` takes params, and needs them: `{ node }`. `confirmation` is the
 * token a `CONFIRMATION_REQUIRED` answer carried.
 */
export const equipmentCommandSchema = z
  .object({
    commandId: z
      .string({ error: 'expected a command id string' })
      .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'expected 1-64 of letters, digits, "-" or "_"' }),
    equipmentId: layoutId('an equipment or line'),
    action: z.enum(COMMAND_ACTIONS as [CommandAction, ...CommandAction[]], {
      error: `expected one of ${COMMAND_ACTIONS.join(', ')}`,
    }),
    params: z
      .object({ node: layoutId('a path node').optional() }, { error: 'expected an object { node }' })
      .strict()
      .optional(),
    confirmation: z
      .string({ error: 'expected a confirmation string' })
      .regex(/^[A-Za-z0-9_-]+$/, { error: 'expected a confirmation token' })
      .max(MAX_CONFIRMATION, { error: 'expected a confirmation token' })
      .optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const node = c.params?.node;
    if (c.action === 'go-to' && node === undefined)
      ctx.addIssue({ code: 'custom', path: ['params', 'node'], message: 'go-to needs a path node' });
    if (c.action !== 'go-to' && c.params !== undefined)
      ctx.addIssue({ code: 'custom', path: ['params'], message: `${c.action} takes no parameters` });
  });
/** What a client sends with `equipment:command`. */
export type EquipmentCommandRequest = z.input<typeof equipmentCommandSchema>;
/** An `equipment:command` request as the server holds it once parsed. */
export type EquipmentCommand = z.output<typeof equipmentCommandSchema>;
