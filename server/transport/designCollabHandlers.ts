import {
  asBytes,
  can,
  DESIGN_ID_PATTERN,
  designRoomSchema,
  MAX_AWARENESS_BYTES,
  MAX_DESIGN_UPDATE_BYTES,
  type Refusal,
} from '../../protocol';
import type { RateLimiter } from '../auth/rateLimiter';
import type { DesignCollab } from '../design/collabDocs';
import { type GuardDeps, guardedOn, invalid, type Reply } from './guard';
import type { TwinServer, TwinSocket } from './types';

/** The Socket.IO room of a draft's members. */
export const designRoom = (id: string) => `design:${id}`;

/** Sends what the rooms say to the members of a draft, except the one it came from. */
export function collabOutlet(io: () => TwinServer | null) {
  const send = (
    event: 'design:update' | 'design:awareness',
    id: string,
    update: Uint8Array,
    from: string | null,
  ) => {
    const server = io();
    if (!server) return;
    const to = from ? server.to(designRoom(id)).except(from) : server.to(designRoom(id));
    to.emit(event, { id, update });
  };
  return {
    update: (id: string, update: Uint8Array, from: string | null) => send('design:update', id, update, from),
    awareness: (id: string, update: Uint8Array, from: string | null) =>
      send('design:awareness', id, update, from),
  };
}

type RawOn = { on: (event: string, listener: (...args: unknown[]) => void) => void };

/**
 * A design page's socket (handshake `design: true`): join and leave a draft through the request
 * pipeline; the binary `design:update` and `design:awareness` through the same checks in the same
 * order (payload, session, role, rate, schema) with a per-socket rate of their own, since a drag
 * sends many. A socket is in one draft at a time and leaves it when it disconnects.
 */
export function attachDesignSocket(
  socket: TwinSocket,
  collab: DesignCollab | null,
  deps: GuardDeps,
  /** Updates per socket (DESIGN_UPDATE_RATE), one for the app. */
  limiter: RateLimiter,
): void {
  let joined: string | null = null;
  const leave = () => {
    if (joined === null) return;
    collab?.leave(joined, socket.id);
    void socket.leave(designRoom(joined));
    joined = null;
  };
  const noDesigns: Refusal = { ok: false, code: 'NOT_FOUND', message: 'this server keeps no designs' };

  guardedOn(
    socket,
    'design:join',
    {
      permission: 'design:edit',
      schema: designRoomSchema,
      run: (req) => {
        if (!collab) return noDesigns;
        if (joined !== req.id) leave();
        const r = collab.join(req.id, socket.id);
        if (!r.ok) return r;
        joined = req.id;
        void socket.join(designRoom(req.id));
        return { ok: true, state: r.state, awareness: r.awareness };
      },
    },
    deps,
  );
  guardedOn(
    socket,
    'design:leave',
    {
      permission: 'design:edit',
      schema: designRoomSchema,
      run: (req) => {
        if (joined === req.id) leave();
        return { ok: true };
      },
    },
    deps,
  );
  socket.on('disconnect', leave);

  const binary = (event: 'design:update' | 'design:awareness', maxBytes: number) =>
    (socket as unknown as RawOn).on(event, (...args) => {
      const ack = args[args.length - 1];
      if (typeof ack !== 'function') return;
      let reply: Reply;
      try {
        reply = handleBinary(event, maxBytes, args.length === 2 ? args[0] : undefined) ?? { ok: true };
      } catch (err) {
        deps.log.error({ err, event }, 'request failed');
        reply = { ok: false, code: 'INTERNAL', message: 'the request could not be carried out' };
      }
      try {
        ack(reply);
      } catch (err) {
        deps.log.warn({ err, event }, 'ack failed');
      }
    });

  function handleBinary(event: string, maxBytes: number, payload: unknown): Refusal | null {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
      return invalid('expected ({ id, update }, ack)');
    const keys = Object.keys(payload);
    if (keys.length !== 2 || !keys.includes('id') || !keys.includes('update'))
      return invalid('expected exactly { id, update }');
    const { id, update } = payload as { id: unknown; update: unknown };
    const bytes = asBytes(update);
    if (!bytes) return invalid('update: expected binary data');
    if (bytes.byteLength > maxBytes) return invalid(`update: larger than ${maxBytes} bytes`);
    const { user, role, sid } = socket.data;
    if (sid !== null && deps.auth.sessionState(sid) !== 'ok')
      return { ok: false, code: 'UNAUTHENTICATED', message: 'your session has ended: log in again' };
    if (!can(role, 'design:edit'))
      return { ok: false, code: 'FORBIDDEN', message: `the ${role} role may not ${event}` };
    const t = limiter.take(socket.id);
    if (!t.ok)
      return {
        ok: false,
        code: 'RATE_LIMITED',
        message: `too many updates: try again in ${t.retryAfterMs} ms`,
        retryAfterMs: t.retryAfterMs,
      };
    if (typeof id !== 'string' || !DESIGN_ID_PATTERN.test(id))
      return invalid('id: expected a design id (d- and 12 hex digits)');
    if (!collab) return noDesigns;
    return event === 'design:update'
      ? collab.update(id, socket.id, user, bytes)
      : collab.awareness(id, socket.id, user, bytes);
  }

  binary('design:update', MAX_DESIGN_UPDATE_BYTES);
  binary('design:awareness', MAX_AWARENESS_BYTES);
}
