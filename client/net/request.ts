import type { AckResult, ErrorCode } from '../../protocol';
import type { TwinSocket } from './connectTwin';

/** Refusals the client adds to the server's: no answer in time, or no connection. */
export type ClientRefusal = { ok: false; code: ErrorCode | 'TIMEOUT' | 'OFFLINE'; message: string };
/** The answer of a socket request: the server's AckResult, or a client-side refusal. Never rejects. */
export type ActionResult<T extends object = object> = AckResult<T> | ClientRefusal;

let socket: TwinSocket | null = null;

/** Called by connectTwin: alarm and equipment requests go through this socket (null when closed). */
export function setActionSocket(s: TwinSocket | null): void {
  socket = s;
}

/**
 * Sends one acknowledged request over the plant socket and resolves with the server's answer, or
 * with OFFLINE / TIMEOUT / INTERNAL when there is none to give. `what` completes "Cannot …".
 */
export function request<T extends object>(
  send: (s: TwinSocket, done: (err: Error | null, result: AckResult<T>) => void) => void,
  what: string,
): Promise<ActionResult<T>> {
  return new Promise((resolve) => {
    if (!socket?.connected) {
      resolve({ ok: false, code: 'OFFLINE', message: `Cannot ${what}: not connected to the server` });
      return;
    }
    send(socket, (err, result) => {
      if (err)
        resolve({ ok: false, code: 'TIMEOUT', message: `Cannot ${what}: the server did not answer in time` });
      else if (!result || typeof result !== 'object')
        resolve({ ok: false, code: 'INTERNAL', message: `Cannot ${what}: unexpected answer` });
      else resolve(result);
    });
  });
}
