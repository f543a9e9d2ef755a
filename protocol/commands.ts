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

/** What an accepted command answers: the plain-language effect (also sent as a plant event). */
export interface CommandAccepted {
  commandId: string;
  /** English, for logs and API users. */
  message: string;
  /** The same text as a code (EN_TEXTS key `cmd.*`) to render in the reader's language. */
  text?: CodedText;
  /**
   * Only for commands that went to real equipment: true when the device showed the effect in time,
   * false when the command was sent but not confirmed within the device timeout (it may still
   * happen: the operator should check the equipment). Absent for the simulation.
   */
  confirmed?: boolean;
}

/**
 * The longest the server takes to answer a command that goes to real equipment, ms: the device
 * confirmation timeout (5 s) plus a margin for sending it. A client's ack timeout must exceed it,
 * or it would time out and retry while the device is still being waited for.
 */
export const DEVICE_ANSWER_MAX_MS = 6500;
