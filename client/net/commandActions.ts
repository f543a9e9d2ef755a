import { type CommandAccepted, DEVICE_ANSWER_MAX_MS, type EquipmentCommandRequest } from '../../protocol';
import { type ActionResult, request } from './request';

/**
 * How long one attempt at a command waits for the server's answer, ms: longer than the server
 * waits for a real device (DEVICE_ANSWER_MAX_MS) plus the network, so a slow device is answered,
 * not retried.
 */
export const COMMAND_TIMEOUT_MS = DEVICE_ANSWER_MAX_MS + 3000;

/** The answer of an equipment command (never rejects). */
export type CommandResult = ActionResult<CommandAccepted>;

/**
 * A fresh command id (1–64 of A–Z a–z 0–9 _ -). crypto.randomUUID exists only in secure contexts,
 * and a control-room PC may well open the twin over plain http on the plant network.
 */
export function newCommandId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (typeof c?.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Runs `attempt` and, if it timed out, once more. Safe only because the request is idempotent: the
 * retry carries the same command id, and the server applies a command id once and answers a
 * repeat the same way, so a lost answer never becomes a second effect.
 */
export async function withOneRetry<T extends object>(
  attempt: () => Promise<ActionResult<T>>,
): Promise<ActionResult<T>> {
  const first = await attempt();
  if (first.ok || first.code !== 'TIMEOUT') return first;
  return attempt();
}

/**
 * Sends `equipment:command` (the request as given: same id on the retry, and on the confirmation
 * re-send). Resolves with the server's answer, CONFIRMATION_REQUIRED included.
 */
export function sendCommand(req: EquipmentCommandRequest): Promise<CommandResult> {
  return withOneRetry(() =>
    request<CommandAccepted>(
      (s, done) => s.timeout(COMMAND_TIMEOUT_MS).emit('equipment:command', req, done),
      `send ${req.action} to ${req.equipmentId}`,
    ),
  );
}
