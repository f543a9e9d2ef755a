/** Command vocabulary shared by the command handlers (no behaviour here). */

export {
  AGV_COMMANDS,
  type CommandAction,
  DRONE_COMMANDS,
  MACHINE_COMMANDS,
  VISION_COMMANDS,
} from '../../protocol/commands';

import type { CommandAction } from '../../protocol/commands';
import type { CodedText } from '../../protocol/text';
import { type EnText, enText, type ParamsArg, type TextCode } from '../../protocol/textEn';

/**
 * An operator command to one piece of equipment, or to a whole line when `equipmentId` is a line
 * id ('L1'). Only `go-to` takes parameters: the path node to drive to.
 */
export type SimCommand =
  | { equipmentId: string; action: Exclude<CommandAction, 'go-to'>; params?: Record<string, unknown> }
  | { equipmentId: string; action: 'go-to'; params: { node: string } };

/** Refusal codes of a command (a subset of the protocol's list). */
export type CommandRefusal = 'NOT_FOUND' | 'INVALID' | 'CONFLICT';

/**
 * The answer to a command: accepted (the world changed, an event is queued) or refused (nothing
 * changed); `message` is the English rendering of `text`.
 */
export type CommandResult =
  | { ok: true; message: string; text: CodedText }
  | { ok: false; code: CommandRefusal; message: string; text: CodedText };

/** Answers an accepted command. */
export function accepted<C extends TextCode>(code: C, ...params: ParamsArg<C>): CommandResult {
  return { ok: true, ...enText(code, ...params) };
}
/** Answers a refused command. */
export function refused<C extends TextCode>(
  refusal: CommandRefusal,
  code: C,
  ...params: ParamsArg<C>
): CommandResult {
  return refusedWith(refusal, enText(code, ...params));
}
/** Answers a refused command with a text built elsewhere (a blocker's reason). */
export function refusedWith(refusal: CommandRefusal, t: EnText): CommandResult {
  return { ok: false, code: refusal, ...t };
}
