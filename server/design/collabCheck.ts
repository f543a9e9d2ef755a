import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { designPresenceSchema, MAX_AWARENESS_CLIENTS } from '../../protocol';
import { COMMENTS_ROOT, checkCommentChange } from '../../protocol/designComments';

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
 * with it, and the shadow is no longer a faithful copy (the caller makes a new one). With
 * `comments`, the threads it changes are held to checkCommentChange: `doc` is the draft as it was
 * (the shadow before the update), `user` the sender.
 */
export function updateProblem(
  shadow: Y.Doc,
  update: Uint8Array,
  comments?: { doc: Y.Doc; user: string },
): string | null {
  // The threads the update touches (a thread's own key, or anything inside it), and whether it
  // put list content into a map (which no page writes and toJSON would hide).
  const touched = new Set<string>();
  let listContent = false;
  const watch = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    for (const e of events) {
      if (e.path.length === 0) for (const k of e.changes.keys.keys()) touched.add(k);
      else touched.add(String(e.path[0]));
      if (e.changes.delta.length > 0) listContent = true;
    }
  };
  const root = shadow.getMap(COMMENTS_ROOT);
  if (comments) root.observeDeep(watch);
  try {
    Y.applyUpdate(shadow, update);
  } catch {
    return 'not a Yjs update';
  } finally {
    if (comments) root.unobserveDeep(watch);
  }
  if (shadow.store.pendingStructs !== null || shadow.store.pendingDs !== null)
    return 'the update depends on changes the server does not have (join again to exchange state)';
  if (!comments) return null;
  if (listContent) return 'comments: expected maps of threads and replies';
  return touched.size ? checkCommentChange(comments.doc, shadow, touched, comments.user) : null;
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
