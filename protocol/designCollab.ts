import { z } from 'zod';
import { DESIGN_ID_PATTERN } from './design';

/**
 * Live collaborative editing of design drafts over the authenticated Socket.IO connection (the
 * design page connects with `auth: { token, design: true }`; engineers and admins only, like the
 * design HTTP API). The draft is a Y.Doc (structure: layoutDoc.ts); its changes travel as Yjs
 * updates (binary), who is there and what they look at as y-protocols awareness updates (binary).
 *
 * - `design:join` { id } -> { state, awareness }: the server's whole doc as one Yjs update and the
 *   awareness of everyone in the draft. A client that edited offline applies `state`, then sends
 *   what the server lacks (`Y.encodeStateAsUpdate(doc, Y.encodeStateVectorFromUpdate(state))`).
 * - `design:update` { id, update } both ways: a Yjs update; the server applies it to a copy first
 *   (a malformed one changes nothing), then to the draft, and sends it to everyone else there.
 * - `design:awareness` { id, update } both ways: an awareness update; each socket may only speak
 *   for its own awareness client ids, with its own user name. When a socket leaves, the server
 *   removes its entries and tells the others.
 * - `design:leave` { id }.
 *
 * A socket is in at most one draft at a time (joining another leaves the first).
 */

/** Largest Yjs update one `design:update` may carry, bytes. */
export const MAX_DESIGN_UPDATE_BYTES = 256 * 1024;
/** Largest awareness update, bytes (a name, a colour, a camera and a selection). */
export const MAX_AWARENESS_BYTES = 4 * 1024;
/** Updates (doc and awareness together) one socket may send per second, sustained, and in a burst. */
export const DESIGN_UPDATE_RATE = { perS: 30, burst: 120 } as const;
/** Awareness client ids one socket may speak for (one per page; room for a reload race). */
export const MAX_AWARENESS_CLIENTS = 4;

const designId = z
  .string({ error: 'expected a design id' })
  .regex(DESIGN_ID_PATTERN, { error: 'expected a design id (d- and 12 hex digits)' });

/** `design:join` and `design:leave`. */
export const designRoomSchema = z.strictObject({ id: designId });
export type DesignRoomRequest = z.infer<typeof designRoomSchema>;

/** Binary as Socket.IO hands it over: a Buffer under Node, an ArrayBuffer in the browser. */
export type CollabBytes = Uint8Array | ArrayBuffer;

/**
 * `design:update` and `design:awareness`: the draft and the bytes. Only `id` is checked by a
 * schema here; the bytes are checked as binary of at most the event's limit, then decoded.
 */
export const designBytesSchema = z.strictObject({ id: designId, update: z.custom<CollabBytes>() });
export interface DesignBytes {
  id: string;
  update: CollabBytes;
}

/** `design:join` answer. */
export interface DesignJoined {
  /** The draft's Y.Doc as one Yjs update. */
  state: CollabBytes;
  /** Everyone's awareness in the draft now, as one awareness update. */
  awareness: CollabBytes;
}

/** The awareness state a design page announces (checked by the server: `user.name` must be its own). */
export const designPresenceSchema = z.strictObject({
  user: z.strictObject({
    name: z.string().max(100),
    /** CSS colour `#rrggbb` (picked from the name on the page). */
    color: z.string().regex(/^#[0-9a-f]{6}$/),
  }),
  /** The camera: position and target [x, y, z], m. */
  camera: z
    .strictObject({
      p: z.array(z.number()).length(3),
      t: z.array(z.number()).length(3),
    })
    .nullable()
    .optional(),
  /** Selected equipment id. */
  selected: z.string().max(100).nullable().optional(),
});
export type DesignPresence = z.infer<typeof designPresenceSchema>;

/** Turns binary as received (Buffer, Uint8Array, ArrayBuffer) into a Uint8Array; null otherwise. */
export function asBytes(x: unknown): Uint8Array | null {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  return null;
}
