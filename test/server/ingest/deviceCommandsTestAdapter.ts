import type { MqttClient } from 'mqtt';
import { MACHINE_COMMANDS, MACHINE_STATES, type MachineState } from '../../../protocol';
import {
  DEVICE_CONFIRM_TIMEOUT_MS,
  type DeviceCommand,
  type DeviceCommandResult,
  MACHINE_COMMAND_EFFECT,
  type SourceAdapter,
  waitForEffect,
} from '../../../server/ingest/adapter';
import type { IngestSink } from '../../../server/ingest/ingestSink';
import type { LiveValues } from '../../../server/ingest/liveValues';

/**
 * A routing-test adapter: the real mqtt-json adapter of its source for everything it receives,
 * plus a `command` (which the mqtt-json protocol does not have) that publishes the command on
 * `cmd/<equipment>` and confirms it by the state the device then reports through the real ingest,
 * as the protocol adapters do. It stands in for them while the routing is tested; it is not one.
 */
export class RoutingTestAdapter implements SourceAdapter {
  /** Every command it was asked to send, in order. */
  readonly calls: DeviceCommand[] = [];
  /** Equipment whose commands it refuses without sending (as an adapter with no way to send). */
  readonly refuse = new Map<string, string>();
  /** How long it waits for the effect, ms (tests shorten it to see 'unconfirmed'). */
  confirmMs = DEVICE_CONFIRM_TIMEOUT_MS;

  constructor(
    private readonly inner: SourceAdapter,
    private readonly publisher: MqttClient,
    private readonly live: () => LiveValues,
  ) {}

  start(sink: IngestSink): void {
    this.inner.start(sink);
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }

  health() {
    return this.inner.health();
  }

  async command(cmd: DeviceCommand): Promise<DeviceCommandResult> {
    this.calls.push(cmd);
    const why = this.refuse.get(cmd.equipmentId);
    if (why) return { status: 'refused', detail: why };
    if (!(MACHINE_COMMANDS as readonly string[]).includes(cmd.action))
      return { status: 'refused', detail: `no way to send ${cmd.action}` };
    await this.publisher.publishAsync(
      `cmd/${cmd.equipmentId}`,
      JSON.stringify({ commandId: cmd.commandId, action: cmd.action }),
    );
    const want: readonly MachineState[] =
      MACHINE_COMMAND_EFFECT[cmd.action as (typeof MACHINE_COMMANDS)[number]];
    const live = this.live();
    const seen = await waitForEffect(
      () => live.state[cmd.eq] !== 255 && want.includes(MACHINE_STATES[live.state[cmd.eq]]),
      this.confirmMs,
    );
    return seen
      ? { status: 'confirmed', detail: `state ${MACHINE_STATES[live.state[cmd.eq]]}` }
      : { status: 'unconfirmed', detail: `no ${want.join('/')} within ${this.confirmMs} ms` };
  }
}

/** What a simulated device does with a command it receives. */
export type DeviceBehaviour = 'obey' | 'slow' | 'ignore';

/** The state a device that obeys reports after a machine command. */
export const OBEYED_STATE: Record<(typeof MACHINE_COMMANDS)[number], MachineState> = {
  start: 'running',
  stop: 'idle',
  reset: 'idle',
  'e-stop': 'fault',
};
