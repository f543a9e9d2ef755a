import type { CommandAction, MACHINE_COMMANDS, MachineState } from '../../protocol';
import type { IngestSink } from './ingestSink';
import type { SourceStats } from './sourceStats';

/** How long a device command waits for the device to show its effect before answering, ms. */
export const DEVICE_CONFIRM_TIMEOUT_MS = 5000;

/** An operator's command (already role-checked, confirmed and audited) for one real device. */
export interface DeviceCommand {
  /** The operator's command id (exactly-once key; also usable as a protocol request id). */
  commandId: string;
  equipmentId: string;
  /** Equipment index in the world. */
  eq: number;
  action: CommandAction;
  /** `go-to`: the target node of the plant's path graph. */
  node?: string;
}

/**
 * What a device command came to. `confirmed`: the device showed the effect (state change or
 * acknowledgement) in time. `unconfirmed`: it was sent but the effect was not seen within
 * DEVICE_CONFIRM_TIMEOUT_MS (said honestly: it may still happen). `refused`: nothing was sent (not
 * connected, or the file maps no way to send this action).
 */
export type DeviceCommandResult =
  | { status: 'confirmed'; detail: string }
  | { status: 'unconfirmed'; detail: string }
  | { status: 'refused'; detail: string };

/**
 * One protocol's connection to one source. Adapters only queue what they receive into the sink
 * (the loop applies it between steps) and count what they drop in their stats. Adapters whose
 * protocol carries commands implement `command`; the ingest calls it only for equipment whose
 * source (or entry) says `commands: true`.
 */
export interface SourceAdapter {
  /** Connects (and keeps reconnecting by itself); received values go to `sink`. */
  start(sink: IngestSink): void;
  /** Disconnects; nothing is queued after it resolves. */
  stop(): Promise<void>;
  /** Connection state, counters, last error and skew of this source. */
  health(): SourceStats;
  /** Sends an operator command to a device of this source; never throws. */
  command?(cmd: DeviceCommand): Promise<DeviceCommandResult>;
}

/** Poll interval while waiting for a device to show a command's effect, ms. */
const EFFECT_POLL_MS = 50;

/**
 * Resolves true as soon as `seen()` holds, false after `timeoutMs` (default
 * DEVICE_CONFIRM_TIMEOUT_MS). Adapters use it to confirm a command by what the device reports
 * (its state through the live values, or an acknowledgement message).
 */
export function waitForEffect(seen: () => boolean, timeoutMs = DEVICE_CONFIRM_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    if (seen()) return resolve(true);
    const started = Date.now();
    const timer = setInterval(() => {
      if (seen()) {
        clearInterval(timer);
        resolve(true);
      } else if (Date.now() - started >= timeoutMs) {
        clearInterval(timer);
        resolve(false);
      }
    }, EFFECT_POLL_MS);
  });
}

/**
 * The machine states that show a machine command took effect (start: running; stop: idle, or
 * starved/blocked since a stopped line may be waiting; reset: anything but fault; e-stop: fault or
 * idle or offline, as devices report an emergency stop differently).
 */
export const MACHINE_COMMAND_EFFECT: Readonly<
  Record<(typeof MACHINE_COMMANDS)[number], readonly MachineState[]>
> = {
  start: ['running'],
  stop: ['idle', 'blocked', 'starved'],
  reset: ['running', 'idle', 'blocked', 'starved', 'maintenance'],
  'e-stop': ['fault', 'idle', 'offline'],
};
