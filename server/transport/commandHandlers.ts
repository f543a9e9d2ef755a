import { CONFIRM_ACTIONS } from '../../protocol';
import type { AuditLog } from '../auth/types';
import type { SimCommand } from '../sim';
import { type CommandRequest, commandSchema, precheck } from './commandSchemas';
import type { ConfirmationBinding, Confirmations } from './confirmations';
import {
  auditBase,
  audited,
  type GuardDeps,
  guardedOn,
  invalid,
  type Reply,
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
      schema: commandSchema,
      rateExempt: isSafety,
      run: (cmd, ctx) => {
        const reply = runCommand(cmd, ctx, host, deps);
        host.noteRequest?.(ctx, 'equipment:command', cmd.equipmentId, reply);
        return reply;
      },
    },
    deps,
  );
}

function runCommand(cmd: CommandRequest, ctx: RequestContext, host: PlantHost, deps: CommandDeps): Reply {
  const { audit, confirmations, now } = deps;
  const stored = audit.commandReply(ctx.user, cmd.commandId);
  if (stored !== null) return stored as Reply;
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
      const pre = precheck(host.plant().layout, cmd);
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
  return audited(
    audit,
    {
      ...auditBase(ctx, now),
      action: `command:${cmd.action}`,
      target: cmd.equipmentId,
      params: withSession(host, auditParams),
      commandId: cmd.commandId,
    },
    () => {
      const r = host.plant().command(sim);
      host.noteCommand?.(ctx, sim, r);
      return r.ok ? { ok: true, commandId: cmd.commandId, message: r.message, text: r.text } : r;
    },
    true,
  );
}
