import { DEVICE_ANSWER_MAX_MS } from '../../protocol';
import type { DeviceCommand, DeviceCommandResult, SourceAdapter } from './adapter';

/**
 * Sending operators' commands to real devices: which equipment may take them, one send per
 * command id and equipment (a retry while the first is in flight joins it), and an answer within
 * DEVICE_ANSWER_MAX_MS whatever the adapter does.
 */

/** How an operator command to a piece of equipment is carried out. */
export type CommandRoute = 'simulation' | 'device' | 'read-only';

/** What the sender needs from the ingest. */
export interface DeviceCommandsDeps {
  /** The sources' adapters, by source index. */
  adapters: readonly SourceAdapter[];
  /** Per equipment: index of the source that feeds it, -1 for none. */
  sourceOf: Int16Array;
  /** Per equipment: 1 when its mapping allows commands (entry `commands`, else the source's). */
  commands: Uint8Array;
  /** Per equipment: whether the simulation runs it (not owned by the ingest). */
  simulated: (eq: number) => boolean;
  /** Longest wait for an adapter's answer, ms (tests shorten it). */
  answerMs?: number;
}

/** Why an adapter's answer is missing: it neither confirmed nor said it could not send. */
const NO_ANSWER = (s: number) => `the adapter gave no answer within ${s} s; the command may have been sent`;

export class DeviceCommands {
  /** Sends in flight, by `commandId` + NUL + equipment index. */
  private readonly inFlight = new Map<string, Promise<DeviceCommandResult>>();
  private readonly answerMs: number;

  constructor(private readonly deps: DeviceCommandsDeps) {
    this.answerMs = deps.answerMs ?? DEVICE_ANSWER_MAX_MS;
  }

  /**
   * 'simulation' for equipment the simulation runs; 'device' when its source's mapping allows
   * commands and its adapter can send them; 'read-only' for the rest (a source without commands,
   * an adapter without a command path, or unmapped equipment shown offline).
   */
  route(eq: number): CommandRoute {
    if (this.deps.simulated(eq)) return 'simulation';
    const si = this.deps.sourceOf[eq];
    if (si < 0 || this.deps.commands[eq] !== 1) return 'read-only';
    return typeof this.deps.adapters[si]?.command === 'function' ? 'device' : 'read-only';
  }

  /**
   * Sends `cmd` to its device once: a second call with the same command id and equipment while
   * the first is in flight gets the first's answer and sends nothing. Never rejects; equipment
   * that takes no commands is refused without sending anything.
   */
  send(cmd: DeviceCommand): Promise<DeviceCommandResult> {
    const key = `${cmd.commandId}\u0000${cmd.eq}`;
    const joined = this.inFlight.get(key);
    if (joined) return joined;
    if (this.route(cmd.eq) !== 'device')
      return Promise.resolve({ status: 'refused', detail: `${cmd.equipmentId} takes no commands` });
    const adapter = this.deps.adapters[this.deps.sourceOf[cmd.eq]];
    const p = this.withDeadline(adapter, cmd).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  /** Commands in flight now. */
  get pending(): number {
    return this.inFlight.size;
  }

  private withDeadline(adapter: SourceAdapter, cmd: DeviceCommand): Promise<DeviceCommandResult> {
    return new Promise((resolve) => {
      const s = Math.round(this.answerMs / 100) / 10;
      const timer = setTimeout(() => resolve({ status: 'unconfirmed', detail: NO_ANSWER(s) }), this.answerMs);
      const done = (r: DeviceCommandResult) => {
        clearTimeout(timer);
        resolve(r);
      };
      let sent: Promise<DeviceCommandResult>;
      try {
        sent = (adapter.command as NonNullable<SourceAdapter['command']>).call(adapter, cmd);
      } catch (err) {
        // The contract says adapters never throw; one that does may have sent already, so the
        // honest answer is "not confirmed", never "refused".
        done({ status: 'unconfirmed', detail: `the adapter failed: ${errorText(err)}` });
        return;
      }
      Promise.resolve(sent).then(
        (r) => done(validResult(r)),
        (err) => done({ status: 'unconfirmed', detail: `the adapter failed: ${errorText(err)}` }),
      );
    });
  }
}

/** An adapter's answer, or 'unconfirmed' when it is not one of the three shapes. */
function validResult(r: unknown): DeviceCommandResult {
  const o = r as Partial<DeviceCommandResult> | null;
  const detail = typeof o?.detail === 'string' ? o.detail : '';
  if (o && (o.status === 'confirmed' || o.status === 'unconfirmed' || o.status === 'refused'))
    return { status: o.status, detail };
  return { status: 'unconfirmed', detail: 'the adapter gave an answer it should not' };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
