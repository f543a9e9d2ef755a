import { io, type Socket } from 'socket.io-client';
import {
  type AckResult,
  type ClientToServerEvents,
  type ReplayFramesAnswer,
  type ReplayFramesRequest,
  type ReplayOpened,
  type ReplaySeekRequest,
  type ReplayState,
  type ReplayWindow,
  type ServerToClientEvents,
  unpackReplayWindow,
} from '../../protocol';

/** The typed client socket. */
export type ReplaySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Wait for a replay request's answer, ms (a seek decodes at most one keyframe group). */
const REQUEST_TIMEOUT_MS = 15_000;

/** A replay request's answer, or the client's own refusal (no connection, no answer in time). */
export type ReplayAnswer<T extends object> =
  | AckResult<T>
  | { ok: false; code: 'TIMEOUT' | 'OFFLINE' | 'INTERNAL'; message: string };

/** Connects with the login token (WebSocket only, its own manager, like the plant connection). */
export function openReplaySocket(token: string): ReplaySocket {
  return io({
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelayMax: 5000,
    auth: { token, replay: true, screen: 'replay' },
  });
}

function ask<T extends object>(
  socket: ReplaySocket,
  what: string,
  send: (s: ReplaySocket, done: (err: Error | null, r: AckResult<T>) => void) => void,
): Promise<ReplayAnswer<T>> {
  return new Promise((resolve) => {
    if (!socket.connected) {
      resolve({ ok: false, code: 'OFFLINE', message: `Cannot ${what}: not connected to the server` });
      return;
    }
    send(socket, (err, r) => {
      if (err) resolve({ ok: false, code: 'TIMEOUT', message: `Cannot ${what}: no answer in time` });
      else if (!r || typeof r !== 'object')
        resolve({ ok: false, code: 'INTERNAL', message: `Cannot ${what}: unexpected answer` });
      else resolve(r);
    });
  });
}

/** The three replay requests over one socket. */
export interface ReplayRequests {
  open(id: string): Promise<ReplayAnswer<ReplayOpened>>;
  seek(req: ReplaySeekRequest): Promise<ReplayAnswer<{ state: ReplayState }>>;
  frames(req: ReplayFramesRequest): Promise<ReplayAnswer<ReplayWindow>>;
}

/** Replay requests over `socket` (each with a timeout; never rejects). */
export function replayRequests(socket: ReplaySocket): ReplayRequests {
  const t = () => socket.timeout(REQUEST_TIMEOUT_MS);
  return {
    open: (id) => ask(socket, 'open the recording', (_s, done) => void t().emit('replay:open', { id }, done)),
    seek: (req) => ask(socket, 'seek', (_s, done) => void t().emit('replay:seek', req, done)),
    frames: async (req) => {
      const r = await ask<ReplayFramesAnswer>(
        socket,
        'load frames',
        (_s, done) => void t().emit('replay:frames', req, done),
      );
      if (!r.ok) return r;
      try {
        // One binary with every frame of the window (Socket.IO caps attachments per message).
        return { ok: true, ...unpackReplayWindow(r) };
      } catch (err) {
        return { ok: false, code: 'INTERNAL', message: `Cannot load frames: ${(err as Error).message}` };
      }
    },
  };
}
