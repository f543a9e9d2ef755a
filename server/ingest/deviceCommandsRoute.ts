import { commandsFor } from '../../protocol';
import { accepted, type CommandResult, refused, type SimCommand } from '../sim/commandTypes';
import type { SimWorld } from '../sim/state';
import type { World } from '../sim/types';
import { DEVICE_CONFIRM_TIMEOUT_MS, type DeviceCommand, type DeviceCommandResult } from './adapter';
import type { CommandRoute } from './deviceCommands';

/**
 * Where an operator's command goes once it was role-checked, confirmed and audited: to the
 * simulation, to real devices (equipment whose source takes commands), or nowhere (read-only
 * equipment). A whole-line command goes to each of its machines' places; a line with any
 * read-only machine is refused before anything is done, as half a line stopping is worse than none.
 */

/** What routing needs from the overlay that owns real equipment (the ingest). */
export interface CommandOverlay {
  owns(equipmentId: string): boolean;
  /** How a command to this equipment index is carried out; without it owned equipment is read-only. */
  commandRoute?(eq: number): CommandRoute;
  /** Sends a command to equipment whose route is 'device'; never rejects. */
  command?(cmd: DeviceCommand): Promise<DeviceCommandResult>;
}

/** A command's answer; `confirmed` is there when real equipment was commanded. */
export type RoutedResult = CommandResult | (Extract<CommandResult, { ok: true }> & { confirmed: boolean });

/**
 * simulation: `applyCommand` as ever (it also refuses unknown targets); refused: read-only
 * equipment, changed nothing; device: these equipment indexes go to their devices, and the rest
 * of the line (when `withSimulation`) to the simulation.
 */
export type CommandPlan =
  | { to: 'simulation' }
  | { to: 'refused'; result: CommandResult }
  | { to: 'device'; line: string | null; devices: number[]; withSimulation: boolean };

const SIMULATION: CommandPlan = { to: 'simulation' };
/** The device confirmation timeout as the answer words it, s. */
const CONFIRM_S = DEVICE_CONFIRM_TIMEOUT_MS / 1000;

function routeOf(world: World, overlay: CommandOverlay, eq: number): CommandRoute {
  if (overlay.commandRoute) return overlay.commandRoute(eq);
  return overlay.owns(world.equipment[eq].id) ? 'read-only' : 'simulation';
}

/** The robot arms and conveyors of a line's flow (the machines a line command acts on), or null. */
export function lineMachines(world: World, lineId: string): number[] | null {
  const line = (world as SimWorld).lines.find((l) => l.id === lineId);
  if (!line) return null;
  return Array.from(line.flow).filter((e) => {
    const k = world.equipment[e].kind;
    return k === 'robot-arm' || k === 'conveyor';
  });
}

/** Decides where a command to `equipmentId` (equipment or line id) goes; changes nothing. */
export function planCommand(world: World, overlay: CommandOverlay | null, equipmentId: unknown): CommandPlan {
  if (!overlay || typeof equipmentId !== 'string') return SIMULATION;
  const eq = (world as SimWorld).indexById.get(equipmentId);
  if (eq !== undefined) {
    const route = routeOf(world, overlay, eq);
    if (route === 'simulation') return SIMULATION;
    if (route === 'read-only')
      return {
        to: 'refused',
        result: refused('CONFLICT', 'cmd.refused.readOnlySource', { equipment: equipmentId }),
      };
    return { to: 'device', line: null, devices: [eq], withSimulation: false };
  }
  const machines = lineMachines(world, equipmentId);
  if (!machines) return SIMULATION;
  const devices: number[] = [];
  let withSimulation = false;
  for (const m of machines) {
    const route = routeOf(world, overlay, m);
    if (route === 'read-only')
      return {
        to: 'refused',
        result: refused('CONFLICT', 'cmd.refused.lineReadOnly', {
          line: equipmentId,
          equipment: world.equipment[m].id,
        }),
      };
    if (route === 'device') devices.push(m);
    else withSimulation = true;
  }
  return devices.length ? { to: 'device', line: equipmentId, devices, withSimulation } : SIMULATION;
}

/**
 * Carries out a 'device' plan: an action the target's kind does not have, or a go-to node not
 * on the path graph, is refused (nothing sent); the simulated part of a line is applied first (a refusal there stops everything, nothing
 * is sent); then every device gets the command at once and the answer says what they did:
 * refused if any refused, else accepted with `confirmed` false if any did not confirm in time.
 */
export async function runDevicePlan(
  world: World,
  overlay: CommandOverlay,
  plan: Extract<CommandPlan, { to: 'device' }>,
  cmd: SimCommand,
  commandId: string,
  simulate: () => CommandResult,
): Promise<RoutedResult> {
  const kind = plan.line === null ? world.equipment[plan.devices[0]].kind : 'line';
  const offered = commandsFor(kind);
  if (!offered.includes(cmd.action))
    return refused('INVALID', 'cmd.refused.notACommandOf', {
      action: cmd.action,
      kind,
      actions: offered.join(', '),
    });
  const node = cmd.action === 'go-to' ? cmd.params.node : undefined;
  if (node !== undefined && !world.layout.paths?.nodes.some((n) => n.id === node))
    return refused('NOT_FOUND', 'cmd.refused.unknownNode', { node });
  if (plan.withSimulation) {
    const r = simulate();
    if (!r.ok) return r;
  }
  const send = overlay.command;
  if (!send) throw new Error('a device plan needs an overlay that sends commands');
  const results = await Promise.all(
    plan.devices.map((eq) => {
      const dc: DeviceCommand = { commandId, equipmentId: world.equipment[eq].id, eq, action: cmd.action };
      if (node !== undefined) dc.node = node;
      return send.call(overlay, dc);
    }),
  );
  const action = cmd.action;
  const idOf = (i: number) => world.equipment[plan.devices[i]].id;
  const refusedAt = results.findIndex((r) => r.status === 'refused');
  const unconfirmed = results.flatMap((r, i) => (r.status === 'unconfirmed' ? [idOf(i)] : []));
  if (plan.line === null) {
    const equipment = idOf(0);
    if (refusedAt >= 0)
      return refused('CONFLICT', 'cmd.device.refused', { equipment, action, detail: results[0].detail });
    if (unconfirmed.length)
      return {
        ...accepted('cmd.device.unconfirmed', { equipment, action, seconds: CONFIRM_S }),
        confirmed: false,
      } as RoutedResult;
    return { ...accepted('cmd.device.confirmed', { equipment, action }), confirmed: true } as RoutedResult;
  }
  const line = plan.line;
  if (refusedAt >= 0)
    return refused('CONFLICT', 'cmd.device.lineRefused', {
      line,
      equipment: idOf(refusedAt),
      action,
      detail: results[refusedAt].detail,
    });
  if (unconfirmed.length)
    return {
      ...accepted('cmd.device.lineUnconfirmed', {
        line,
        action,
        seconds: CONFIRM_S,
        equipment: unconfirmed.join(', '),
      }),
      confirmed: false,
    } as RoutedResult;
  return { ...accepted('cmd.device.lineConfirmed', { line, action }), confirmed: true } as RoutedResult;
}
