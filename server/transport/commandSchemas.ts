import { z } from 'zod';
import { COMMAND_ACTIONS, type CommandAction, commandsFor, type Layout } from '../../protocol';

/** Layout ids (equipment, lines, path nodes): as the layout schema accepts them. */
const layoutId = (what: string) =>
  z.string({ error: `expected ${what} id string` }).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, {
    error: `expected ${what} id of letters, digits, "-", "_" or "." (max 40)`,
  });

/** Longest confirmation token accepted (issued ones are 24 characters). */
const MAX_CONFIRMATION = 64;

/** `equipment:command { commandId, equipmentId, action, params?, confirmation? }`. */
export const commandSchema = z
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

export type CommandRequest = z.output<typeof commandSchema>;

/**
 * Whether a command could be carried out on this plant at all, before a confirmation is issued
 * for it (asking someone to confirm a command that cannot exist would waste the deliberate click):
 * the target exists, the action is one of its kind's, and a go-to node is on the path graph.
 * State-dependent refusals (faulted, already flying) are the simulation's to give on execution.
 */
export function precheck(
  layout: Layout,
  c: CommandRequest,
): { ok: true } | { ok: false; code: 'NOT_FOUND' | 'INVALID'; message: string } {
  const eq = layout.equipment.find((e) => e.id === c.equipmentId);
  const line = eq ? undefined : layout.lines.find((l) => l.id === c.equipmentId);
  if (!eq && !line)
    return { ok: false, code: 'NOT_FOUND', message: `no equipment or line "${c.equipmentId}"` };
  const kind = eq ? eq.kind : 'line';
  const offered = commandsFor(kind);
  if (!offered.includes(c.action)) {
    const list = offered.length ? `: ${offered.join(', ')}` : '';
    return { ok: false, code: 'INVALID', message: `"${c.action}" is not a command of a ${kind}${list}` };
  }
  const node = c.params?.node;
  if (node !== undefined && !layout.paths?.nodes.some((n) => n.id === node))
    return { ok: false, code: 'NOT_FOUND', message: `no path node "${node}"` };
  return { ok: true };
}
