/** Command vocabulary shared by the command handlers (no behaviour here). */

export {
  AGV_COMMANDS,
  type CommandAction,
  DRONE_COMMANDS,
  MACHINE_COMMANDS,
  VISION_COMMANDS,
} from '../../protocol/commands';

import type { CommandAction } from '../../protocol/commands';

/**
 * An operator command to one piece of equipment, or to a whole line when `equipmentId` is a line
 * id ('L1'). Only `go-to` takes parameters: the path node to drive to.
 */
export type SimCommand =
  | { equipmentId: string; action: Exclude<CommandAction, 'go-to'>; params?: Record<string, unknown> }
  | { equipmentId: string; action: 'go-to'; params: { node: string } };

/** Refusal codes of a command (a subset of the protocol's list). */
export type CommandRefusal = 'NOT_FOUND' | 'INVALID' | 'CONFLICT';

/** The answer to a command: accepted (the world changed, an event is queued) or refused (nothing changed). */
export type CommandResult =
  | { ok: true; message: string }
  | { ok: false; code: CommandRefusal; message: string };

/** Answers an accepted command. */
export const accepted = (message: string): CommandResult => ({ ok: true, message });
/** Answers a refused command. */
export const refused = (code: CommandRefusal, message: string): CommandResult => ({
  ok: false,
  code,
  message,
});
