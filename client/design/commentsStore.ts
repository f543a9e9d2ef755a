import type * as Y from 'yjs';
import { create } from 'zustand';
import {
  addReply,
  addThread,
  type CommentAnchor,
  type CommentError,
  type CommentResult,
  type CommentThread,
  commentsOf,
  deleteThread,
  readThreads,
  reopenThread,
  resolveThread,
} from '../../protocol/designComments';

/** The origin of this page's comment transactions (sent like edits, never in the layout's undo). */
const COMMENT = 'comment';

/** The Comments panel's state: the draft's threads (from its Y.Doc) and what the panel shows. */
export interface CommentsState {
  /** Every thread of the draft, oldest first (kept in step with the doc). */
  threads: CommentThread[];
  /** This page's user (the author of what it writes). */
  user: string | null;
  open: boolean;
  /** A click on the floor pins a new comment there. */
  pinMode: boolean;
  /** Where the next comment goes when it is not on the selected equipment: a floor point, m. */
  point: [number, number, number] | null;
  showResolved: boolean;
  /** The thread opened in the panel (its replies and reply box shown). */
  active: string | null;
  /** Why the last operation was not done. */
  error: CommentError | null;
}

const initial = (): CommentsState => ({
  threads: [],
  user: null,
  open: false,
  pinMode: false,
  point: null,
  showResolved: false,
  active: null,
  error: null,
});

export const useCommentsStore = create<CommentsState>(initial);

/** Threads not resolved (the top bar's count). */
export const unresolvedCount = (s: CommentsState) => s.threads.reduce((n, t) => n + (t.resolved ? 0 : 1), 0);

let bound: Y.Doc | null = null;

/**
 * Reads the draft's threads from `doc` as they change (this page's writes and everyone else's)
 * into the store, for `user`; returns the unbinding. Threads change at human rate: the whole list
 * is read again on each change.
 */
export function bindComments(doc: Y.Doc, user: string): () => void {
  bound = doc;
  const root = commentsOf(doc);
  const read = () => useCommentsStore.setState({ threads: readThreads(doc) });
  useCommentsStore.setState({ ...initial(), user });
  read();
  root.observeDeep(read);
  return () => {
    root.unobserveDeep(read);
    if (bound === doc) bound = null;
    useCommentsStore.setState(initial());
  };
}

function done(r: CommentResult): boolean {
  useCommentsStore.setState({ error: r.ok ? null : r.error });
  return r.ok;
}

/** What the panel does: each writes into the bound doc (sent to everyone) and says whether it did. */
export const comments = {
  add(anchor: CommentAnchor, text: string): boolean {
    const { user } = useCommentsStore.getState();
    if (!bound || !user) return false;
    const r = addThread(bound, { author: user, anchor, text, now: Date.now() }, COMMENT);
    if (r.ok) useCommentsStore.setState({ active: r.id, point: null, pinMode: false });
    return done(r);
  },
  reply(thread: string, text: string): boolean {
    const { user } = useCommentsStore.getState();
    if (!bound || !user) return false;
    return done(addReply(bound, thread, { author: user, text, now: Date.now() }, COMMENT));
  },
  resolve(thread: string): boolean {
    const { user } = useCommentsStore.getState();
    if (!bound || !user) return false;
    return done(resolveThread(bound, thread, user, Date.now(), COMMENT));
  },
  reopen(thread: string): boolean {
    return !!bound && done(reopenThread(bound, thread, COMMENT));
  },
  remove(thread: string): boolean {
    const { user } = useCommentsStore.getState();
    return !!bound && !!user && done(deleteThread(bound, thread, user, COMMENT));
  },
  /** Opens thread `id` in the panel (a pin was clicked). */
  show(id: string): void {
    const t = useCommentsStore.getState().threads.find((x) => x.id === id);
    useCommentsStore.setState({ open: true, active: id, ...(t?.resolved ? { showResolved: true } : {}) });
  },
};
