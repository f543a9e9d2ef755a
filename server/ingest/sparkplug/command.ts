import type { MqttClient } from 'mqtt';
import { type CommandAction, MACHINE_STATES } from '../../../protocol';
import {
  type DeviceCommand,
  type DeviceCommandResult,
  MACHINE_COMMAND_EFFECT,
  waitForEffect,
} from '../adapter';
import type { LiveValues } from '../liveValues';
import type { NodeSession } from './nodeSession';
import { DataType, encodePayload } from './payload';

type MachineCommand = keyof typeof MACHINE_COMMAND_EFFECT;

/** Where a piece of equipment's commands go: its node, its device (null: the node itself), metrics. */
export interface CommandRoute {
  node: NodeSession;
  device: string | null;
  metrics: Partial<Record<MachineCommand, string>>;
}

/** The metric the file maps for an action, if any (only machine commands can be mapped). */
export function commandMetricOf(route: CommandRoute, action: CommandAction): string | undefined {
  return Object.hasOwn(MACHINE_COMMAND_EFFECT, action) && Object.hasOwn(route.metrics, action)
    ? route.metrics[action as MachineCommand]
    : undefined;
}

/**
 * Publishes the command as a DCMD (a device) or NCMD (the node's own metrics) setting `metric` to
 * the Boolean true, then waits for the machine to report a state that shows the effect
 * (MACHINE_COMMAND_EFFECT): confirmed, or unconfirmed after `confirmMs`.
 */
export async function sendMachineCommand(
  client: MqttClient,
  route: CommandRoute,
  metric: string,
  cmd: DeviceCommand,
  live: LiveValues,
  nowMs: number,
  confirmMs: number,
): Promise<DeviceCommandResult> {
  const { node, device } = route;
  const topic = device
    ? `spBv1.0/${node.group}/DCMD/${node.node}/${device}`
    : `spBv1.0/${node.group}/NCMD/${node.node}`;
  const payload = encodePayload({
    timestamp: nowMs,
    metrics: [{ name: metric, timestamp: nowMs, datatype: DataType.Boolean, value: true }],
  });
  try {
    await client.publishAsync(topic, Buffer.from(payload), { qos: 0 });
  } catch (err) {
    return { status: 'refused', detail: `publish failed: ${(err as Error).message}` };
  }
  const effect: readonly string[] = MACHINE_COMMAND_EFFECT[cmd.action as MachineCommand];
  const stateName = () => MACHINE_STATES[live.state[cmd.eq]] ?? 'none';
  const seen = await waitForEffect(() => effect.includes(stateName()), confirmMs);
  return seen
    ? { status: 'confirmed', detail: `${metric} written; ${cmd.equipmentId} reports ${stateName()}` }
    : {
        status: 'unconfirmed',
        detail: `${metric} written; ${cmd.equipmentId} still reports ${stateName()} after ${confirmMs} ms`,
      };
}
