import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { designPresenceSchema, MAX_AWARENESS_CLIENTS } from '../../protocol';

/**
 * Checks of what members send before it reaches a draft: a Yjs update is applied to a copy of the
 * doc first (a malformed one throws or leaves parts waiting for changes nobody has; either way the
 * draft stays as it was), and an awareness update is decoded and held to the sender's own name.
 */

/** Null when `update` applies cleanly to (a copy of) `doc`; otherwise what is wrong with it. */
export function updateProblem(doc: Y.Doc, update: Uint8Array): string | null {
  const copy = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    try {
      Y.applyUpdate(copy, update);
    } catch {
      return 'not a Yjs update';
    }
    if (copy.store.pendingStructs !== null || copy.store.pendingDs !== null)
      return 'the update depends on changes the server does not have (join again to exchange state)';
    return null;
  } finally {
    copy.destroy();
  }
}

/**
 * The awareness client ids `update` speaks for, when each is one the sender already owns or a new
 * one nobody else owns (at most MAX_AWARENESS_CLIENTS in all), and each state is null (gone) or a
 * presence with `user.name` equal to the sender's own user; otherwise what is wrong with it.
 */
export function awarenessProblem(
  update: Uint8Array,
  user: string,
  owned: ReadonlySet<number>,
  others: ReadonlySet<number>,
): number[] | string {
  const ids: number[] = [];
  try {
    const d = decoding.createDecoder(update);
    const n = decoding.readVarUint(d);
    if (n > MAX_AWARENESS_CLIENTS) return `at most ${MAX_AWARENESS_CLIENTS} awareness entries`;
    for (let i = 0; i < n; i++) {
      const client = decoding.readVarUint(d);
      decoding.readVarUint(d);
      const state = JSON.parse(decoding.readVarString(d)) as unknown;
      if (others.has(client)) return `awareness client ${client} belongs to someone else`;
      if (state !== null) {
        const parsed = designPresenceSchema.safeParse(state);
        if (!parsed.success) return 'expected a presence { user: { name, color }, camera?, selected? }';
        if (parsed.data.user.name !== user) return 'a presence must carry your own user name';
      }
      ids.push(client);
    }
    if (decoding.hasContent(d)) return 'trailing bytes after the awareness update';
  } catch {
    return 'not an awareness update';
  }
  const all = new Set([...owned, ...ids]);
  if (all.size > MAX_AWARENESS_CLIENTS)
    return `at most ${MAX_AWARENESS_CLIENTS} awareness clients per connection`;
  return ids;
}
