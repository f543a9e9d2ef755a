import type { EquipmentKind } from './kinds';
import type { CodedText } from './text';

/**
 * Equipment command vocabulary, shared by the simulation (which obeys), the server (which checks
 * and audits) and the inspector (which offers). No behaviour here.
 */

/** Commands of robot arms, conveyors and whole lines. */
export const MACHINE_COMMANDS = ['start', 'stop', 'reset', 'e-stop'] as const;
/** Commands of an AGV. */
export const AGV_COMMANDS = ['pause', 'resume', 'go-to', 'dock'] as const;
/** Commands of a drone. */
export const DRONE_COMMANDS = ['launch-patrol', 'return-to-dock'] as const;
/** Commands of a machine-vision station. */
export const VISION_COMMANDS = ['recalibrate'] as const;

/** Every command action the simulation knows. */
export type CommandAction =
  | (typeof MACHINE_COMMANDS)[number]
  | (typeof AGV_COMMANDS)[number]
  | (typeof DRONE_COMMANDS)[number]
  | (typeof VISION_COMMANDS)[number];

/** Every action, once (for schemas). */
export const COMMAND_ACTIONS: readonly CommandAction[] = [
  ...MACHINE_COMMANDS,
  ...AGV_COMMANDS,
  ...DRONE_COMMANDS,
  ...VISION_COMMANDS,
];

/**
 * Actions that need a second, deliberate confirmation (they set machines moving). Safety actions
 * (`stop`, `e-stop`) are never on this list: one click, never hindered.
 */
export const CONFIRM_ACTIONS: readonly CommandAction[] = ['start', 'reset', 'go-to', 'launch-patrol'];

/** How long a confirmation stays valid, ms (single use). */
export const CONFIRMATION_TTL_MS = 30_000;

const NONE: readonly CommandAction[] = [];

/** The commands the inspector offers for a kind ('line' for a production line); empty when none. */
export function commandsFor(kind: EquipmentKind | 'line'): readonly CommandAction[] {
  switch (kind) {
    case 'robot-arm':
    case 'conveyor':
    case 'line':
      return MACHINE_COMMANDS;
    case 'agv':
      return AGV_COMMANDS;
    case 'drone':
      return DRONE_COMMANDS;
    case 'vision-station':
      return VISION_COMMANDS;
    default:
      return NONE;
  }
}

/**
 * `equipment:command`. `commandId` is chosen by the client (1–64 of A–Z a–z 0–9 _ -) and makes the
 * command idempotent per user: a retry with the same id is applied once and answered the same way.
 * `equipmentId` is a piece of equipment or a line id ('L1'). Only `go-to` takes params: `{ node }`.
 * `confirmation` is the token a `CONFIRMATION_REQUIRED` answer carried.
 */
export interface EquipmentCommandRequest {
  commandId: string;
  equipmentId: string;
  action: CommandAction;
  params?: { node?: string };
  confirmation?: string;
}

/** What an accepted command answers: the plain-language effect (also sent as a plant event). */
export interface CommandAccepted {
  commandId: string;
  /** English, for logs and API users. */
  message: string;
  /** The same text as a code (EN_TEXTS key `cmd.*`) to render in the reader's language. */
  text?: CodedText;
}
