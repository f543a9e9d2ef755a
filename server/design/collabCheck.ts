import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { designPresenceSchema, MAX_AWARENESS_CLIENTS } from '../../protocol';

/**
 * Checks of what members send before it reaches a draft: a Yjs update is applied to a copy of the
 * doc first (a malformed one throws or leaves parts waiting for changes nobody has; either way the
 * draft stays as it was; the copy is kept, so a check costs the update, not the whole draft), and
 * an awareness update is decoded and held to the sender's own name.
 */

/** A copy of `doc` to try updates on (kept in step with it: see DesignCollab). */
export function shadowOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc({ gc: false });
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/**
 * Null when `update` applied cleanly to `shadow` (a copy of the draft); otherwise what is wrong
 * with it, and the shadow is no longer a faithful copy (the caller makes a new one).
 */
export function updateProblem(shadow: Y.Doc, update: Uint8Array): string | null {
  try {
    Y.applyUpdate(shadow, update);
  } catch {
    return 'not a Yjs update';
  }
  if (shadow.store.pendingStructs !== null || shadow.store.pendingDs !== null)
    return 'the update depends on changes the server does not have (join again to exchange state)';
  return null;
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
