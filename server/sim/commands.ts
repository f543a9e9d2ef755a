import { commandsFor } from '../../protocol/commands';
import { agvCommand, droneCommand } from './commandsMobile';
import { lineCommand, machineCommand, stepRecalibrations, visionCommand } from './commandsPlant';
import { type CommandAction, type CommandResult, refused, type SimCommand } from './commandTypes';
import type { SimWorld } from './state';
import type { World } from './types';

/** The commands the inspector offers for a kind (shared with the client through the protocol). */
export { commandsFor };

/**
 * Applies an operator command to the world now, as stepWorld does: deterministic, no clock, no
 * RNG draw. An accepted command changes the world and queues a plain-language event that the
 * next stepWorld returns; a refusal (unknown equipment, action not of that kind, bad parameters,
 * or not possible in the current state) changes nothing and says why.
 */
export function applyCommand(world: World, cmd: SimCommand): CommandResult {
  const w = world as SimWorld;
  const id: unknown = cmd?.equipmentId;
  const action: unknown = cmd?.action;
  if (typeof id !== 'string' || typeof action !== 'string') {
    return refused('INVALID', 'cmd.refused.incomplete');
  }
  const eq = w.indexById.get(id);
  const line = eq === undefined ? w.lines.findIndex((l) => l.id === id) : -1;
  if (eq === undefined && line < 0)
    return refused('NOT_FOUND', 'cmd.refused.unknownTarget', { equipment: id });
  const kind = eq === undefined ? 'line' : w.equipment[eq].kind;
  const offered = commandsFor(kind);
  if (!(offered as readonly string[]).includes(action)) {
    return offered.length
      ? refused('INVALID', 'cmd.refused.notACommandOf', { action, kind, actions: offered.join(', ') })
      : refused('INVALID', 'cmd.refused.noCommandsFor', { action, kind });
  }
  const a = action as CommandAction;
  if (eq === undefined) return lineCommand(w, w.lines[line], a);
  if (kind === 'agv') return agvCommand(w, eq, a, cmd.params);
  if (kind === 'drone') return droneCommand(w, eq, a);
  if (kind === 'vision-station') return visionCommand(w, eq);
  return machineCommand(w, eq, a);
}

/** Per step: finishes command-started activities that take time (recalibrations). */
export function stepCommands(w: SimWorld): void {
  if (w.recalibrations.length) stepRecalibrations(w);
}
