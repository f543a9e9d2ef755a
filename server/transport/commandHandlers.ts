import { CONFIRM_ACTIONS, type EquipmentCommand, equipmentCommandSchema } from '../../protocol';
import type { AuditInput, AuditLog } from '../auth/types';
import type { RoutedResult } from '../ingest/deviceCommandsRoute';
import type { SimCommand } from '../sim';
import { precheck } from './commandPrecheck';
import type { ConfirmationBinding, Confirmations } from './confirmations';
import {
  auditBase,
  audited,
  type GuardDeps,
  guardedOn,
  invalid,
  type ReplyOf,
  type RequestContext,
} from './guard';
import { type PlantHost, withSession } from './plantHost';
import type { TwinSocket } from './types';

/** What the command handler needs besides the pipeline's deps. */
export interface CommandDeps extends GuardDeps {
  audit: AuditLog;
  /** Single-use confirmations, one store for the whole app. */
  confirmations: Confirmations;
  /** Wall clock, ms since epoch. */
  now: () => number;
}

/** Safety actions: one click, never confirmed, never rate-limited. */
const SAFETY = new Set<unknown>(['stop', 'e-stop']);

/** Whether a raw (not yet validated) payload asks for a safety action. */
function isSafety(payload: unknown): boolean {
  return (
    typeof payload === 'object' && payload !== null && SAFETY.has((payload as { action?: unknown }).action)
  );
}

/**
 * Wires `equipment:command` of one socket. After the pipeline's checks: (1) a command id this user
 * already sent to the simulation is answered with the stored reply (applied once, answered the same
 * way, also after a restart: the reply lives in the audit database); (2) a deliberate action
 * without a confirmation gets a single-use one, bound to this user and request; (3) a confirmation
 * must match exactly; (4) the command is audited, applied to the simulation and the audit entry
 * finished with the reply that is kept for replays.
 */
export function attachCommandSocket(socket: TwinSocket, host: PlantHost, deps: CommandDeps): void {
  guardedOn(
    socket,
    'equipment:command',
    {
      permission: 'equipment:command',
      schema: equipmentCommandSchema,
      rateExempt: isSafety,
      run: (cmd, ctx) => {
        const reply = runCommand(cmd, ctx, host, deps);
        if (!(reply instanceof Promise)) {
          host.noteRequest?.(ctx, 'equipment:command', cmd.equipmentId, reply);
          return reply;
        }
        return reply.then((r) => {
          host.noteRequest?.(ctx, 'equipment:command', cmd.equipmentId, r);
          return r;
        });
      },
    },
    deps,
  );
}

/** What `equipment:command` answers. */
type CommandReply = ReplyOf<'equipment:command'>;

/**
 * Device commands whose answer is not stored yet, by user + NUL + command id, per audit log (one
 * per app, so a retry on another socket of the same user joins too). The in-flight half of the
 * audit's stored replies: a retry while the device is being waited for gets the same answer and
 * sends nothing.
 */
const inFlightByAudit = new WeakMap<AuditLog, Map<string, Promise<CommandReply>>>();

function inFlightOf(audit: AuditLog): Map<string, Promise<CommandReply>> {
  const have = inFlightByAudit.get(audit);
  if (have) return have;
  const m = new Map<string, Promise<CommandReply>>();
  inFlightByAudit.set(audit, m);
  return m;
}

function runCommand(
  cmd: EquipmentCommand,
  ctx: RequestContext,
  host: PlantHost,
  deps: CommandDeps,
): CommandReply | Promise<CommandReply> {
  const { audit, confirmations, now } = deps;
  const stored = audit.commandReply(ctx.user, cmd.commandId);
  // Stored by this function (keepReply below) for this user and command id: the same answer again.
  if (stored !== null) return stored as CommandReply;
  const inFlight = inFlightOf(audit);
  const key = `${ctx.user}\u0000${cmd.commandId}`;
  const joined = inFlight.get(key);
  if (joined) return joined;
  const node = cmd.params?.node ?? null;
  const params = node === null ? null : { node };
  const binding: ConfirmationBinding = {
    scope: host.id,
    user: ctx.user,
    equipmentId: cmd.equipmentId,
    action: cmd.action,
    node,
  };
  if (CONFIRM_ACTIONS.includes(cmd.action)) {
    if (cmd.confirmation === undefined) {
      const pre = precheck(host.plant().layout, cmd, host.plant());
      if (!pre.ok) return pre;
      const issued = confirmations.issue(binding, cmd.commandId);
      const message = `Confirm ${cmd.action} on ${cmd.equipmentId} within ${Math.round((issued.expiresAt - now()) / 1000)} s`;
      // Not stored as the command's reply (nothing reached the plant); the id is in the params.
      audit.record({
        ...auditBase(ctx, now),
        action: `command:${cmd.action}`,
        target: cmd.equipmentId,
        params: withSession(host, { ...params, commandId: cmd.commandId }),
        result: 'refused',
        code: 'CONFIRMATION_REQUIRED',
        message,
      });
      return {
        ok: false,
        code: 'CONFIRMATION_REQUIRED',
        message,
        confirmation: issued.token,
        confirmationExpiresAt: issued.expiresAt,
      };
    }
    const used = confirmations.consume(cmd.confirmation, binding);
    if (!used.ok) return invalid(`confirmation: ${used.message}`);
  }
  // The audit notes that a deliberate action was confirmed (never the token itself).
  const auditParams = CONFIRM_ACTIONS.includes(cmd.action) ? { ...params, confirmed: true } : params;
  // The schema guarantees that go-to, and only go-to, carries a node.
  const sim: SimCommand =
    cmd.action === 'go-to'
      ? { equipmentId: cmd.equipmentId, action: 'go-to', params: { node: node ?? '' } }
      : { equipmentId: cmd.equipmentId, action: cmd.action };
  const entry = {
    ...auditBase(ctx, now),
    action: `command:${cmd.action}`,
    target: cmd.equipmentId,
    params: withSession(host, auditParams),
    commandId: cmd.commandId,
  };
  const plant = host.plant();
  if (plant.goesToDevice(cmd.equipmentId)) {
    const p = auditedDevice(audit, entry, async () => {
      const r = await plant.commandDevice(sim, cmd.commandId);
      host.noteCommand?.(ctx, sim, r);
      return r.ok ? deviceAccepted(cmd.commandId, r) : r;
    });
    inFlight.set(key, p);
    // Forgotten once settled: by then the audit holds the answer for later retries.
    const forget = () => inFlight.delete(key);
    p.then(forget, forget);
    return p;
  }
  return audited(
    audit,
    entry,
    () => {
      const r = host.plant().command(sim);
      host.noteCommand?.(ctx, sim, r);
      return r.ok ? { ok: true, commandId: cmd.commandId, message: r.message, text: r.text } : r;
    },
    true,
  );
}

/** An accepted device command's answer (`confirmed` says what the device did). */
function deviceAccepted(commandId: string, r: RoutedResult & { ok: true }): CommandReply {
  return {
    ok: true,
    commandId,
    message: r.message,
    text: r.text,
    ...('confirmed' in r ? { confirmed: r.confirmed } : {}),
  };
}

/**
 * `audited` for an effect that settles later: the entry is written (and synced) before the
 * command goes out and finished with the answer, which is kept for exactly-once replays.
 */
async function auditedDevice(
  audit: AuditLog,
  entry: AuditInput,
  effect: () => Promise<CommandReply>,
): Promise<CommandReply> {
  const id = audit.begin(entry);
  let r: CommandReply;
  try {
    r = await effect();
  } catch (err) {
    audit.finish(id, 'error', 'INTERNAL', 'the request failed');
    throw err;
  }
  audit.finish(id, r.ok ? 'ok' : 'refused', r.ok ? null : r.code, r.message, r);
  return r;
}
