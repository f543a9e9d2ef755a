import * as Y from 'yjs';
import { z } from 'zod';

/**
 * Comments on a design draft, carried in the draft's Y.Doc next to the layout (root Y.Map
 * `comments`, never inside `layout`: the layout JSON, its diffs, versions and exports do not see
 * them), so they sync live, survive offline editing and are stored with the doc.
 *
 * Structure: `comments` is a Y.Map<thread id, Y.Map> with the keys `anchor`, `author`, `createdAt`,
 * `text` (JSON values, written once), `resolution` (null, or { by, at } as ONE value, so that a
 * resolve and a concurrent reopen leave one of the two, never half of each) and `replies`
 * (Y.Map<reply id, { author, createdAt, text }>: concurrent replies are separate keys and all
 * merge). Pure: no sockets, no DOM. The server holds every update to `checkCommentChange`.
 */

/** The root map's name in the Y.Doc. */
export const COMMENTS_ROOT = 'comments';
/** Longest comment or reply, characters (after trimming). */
export const COMMENT_TEXT_MAX = 2000;
/** Threads one draft may hold (a page offers no new one beyond this). */
export const MAX_THREADS = 200;
/** Replies one thread may hold (a page offers no new one beyond this). */
export const MAX_REPLIES = 100;
/**
 * What the server allows beyond MAX_THREADS and MAX_REPLIES: the pages of several engineers may
 * each add the last one at once, and an update that merged cleanly must not be refused forever.
 */
export const COMMENT_LIMIT_SLACK = 20;

/** Thread and reply ids: `c-` and 12 to 24 base-36 digits (random, made on the page). */
export const COMMENT_ID_PATTERN = /^c-[0-9a-z]{12,24}$/;

const author = z.string().min(1).max(100);
const text = z.string().trim().min(1).max(COMMENT_TEXT_MAX);
const time = z.number().int().nonnegative();

/** Where a thread is pinned: a piece of equipment (follows it when moved) or a point, m. */
export const commentAnchorSchema = z.union([
  z.strictObject({ equipment: z.string().min(1).max(100) }),
  z.strictObject({ point: z.array(z.number().finite().min(-1e6).max(1e6)).length(3) }),
]);
export type CommentAnchor = z.infer<typeof commentAnchorSchema>;

const replyStored = z.strictObject({ author, createdAt: time, text });
/** A thread as its Y.Map reads as JSON (what the server checks). */
const threadStored = z.strictObject({
  anchor: commentAnchorSchema,
  author,
  createdAt: time,
  text,
  resolution: z.strictObject({ by: author, at: time }).nullable().optional(),
  replies: z.record(z.string().regex(COMMENT_ID_PATTERN), replyStored),
});
type ThreadStored = z.infer<typeof threadStored>;

/** A reply as the pages show it. */
export interface CommentReply {
  id: string;
  author: string;
  /** ms since the epoch (the writer's clock). */
  createdAt: number;
  text: string;
}

/** A thread as the pages show it; replies oldest first. */
export interface CommentThread {
  id: string;
  anchor: CommentAnchor;
  author: string;
  createdAt: number;
  text: string;
  resolved: boolean;
  resolvedBy?: string;
  replies: CommentReply[];
}

/** Why a comment operation was not done (a page shows it in the user's language). */
export type CommentError = 'empty' | 'tooLong' | 'tooMany' | 'notFound' | 'notYours' | 'badAnchor';
export type CommentResult = { ok: true; id: string } | { ok: false; error: CommentError };

/** The comments root of `doc`. */
export const commentsOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(COMMENTS_ROOT);

/** A fresh thread or reply id (random: ids made on two pages at once never meet). */
export function newCommentId(): string {
  const bytes = new Uint8Array(10);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += (b % 36).toString(36);
  return `c-${s}${Date.now().toString(36).slice(-4)}`;
}

/** The stored form of one thread entry, or null when it is not a valid thread. */
function storedThread(value: unknown): ThreadStored | null {
  const json = value instanceof Y.AbstractType ? value.toJSON() : value;
  const r = threadStored.safeParse(json);
  return r.success ? r.data : null;
}

function toThread(id: string, s: ThreadStored): CommentThread {
  const replies = Object.entries(s.replies)
    .map(([rid, r]) => ({ id: rid, ...r }))
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const t: CommentThread = {
    id,
    anchor: s.anchor,
    author: s.author,
    createdAt: s.createdAt,
    text: s.text,
    resolved: !!s.resolution,
    replies,
  };
  if (s.resolution) t.resolvedBy = s.resolution.by;
  return t;
}

/** The draft's threads, oldest first (entries that are not valid threads are left out). */
export function readThreads(doc: Y.Doc): CommentThread[] {
  const out: CommentThread[] = [];
  for (const [id, v] of commentsOf(doc).entries()) {
    const s = COMMENT_ID_PATTERN.test(id) ? storedThread(v) : null;
    if (s) out.push(toThread(id, s));
  }
  return out.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

function checkText(t: string): CommentError | null {
  const s = t.trim();
  if (!s) return 'empty';
  return s.length > COMMENT_TEXT_MAX ? 'tooLong' : null;
}

/** Starts a thread by `author` at `anchor`, in one transaction with `origin`. */
export function addThread(
  doc: Y.Doc,
  a: { author: string; anchor: CommentAnchor; text: string; now: number; id?: string },
  origin: unknown = null,
): CommentResult {
  const bad = checkText(a.text);
  if (bad) return { ok: false, error: bad };
  if (!commentAnchorSchema.safeParse(a.anchor).success) return { ok: false, error: 'badAnchor' };
  const root = commentsOf(doc);
  if (root.size >= MAX_THREADS) return { ok: false, error: 'tooMany' };
  const id = a.id ?? newCommentId();
  doc.transact(() => {
    const t = new Y.Map<unknown>();
    t.set('anchor', a.anchor);
    t.set('author', a.author);
    t.set('createdAt', a.now);
    t.set('text', a.text.trim());
    t.set('resolution', null);
    t.set('replies', new Y.Map<unknown>());
    root.set(id, t);
  }, origin);
  return { ok: true, id };
}

function threadMap(doc: Y.Doc, id: string): Y.Map<unknown> | null {
  const t = commentsOf(doc).get(id);
  return t instanceof Y.Map ? t : null;
}

/** Adds a reply by `author` to thread `thread`. */
export function addReply(
  doc: Y.Doc,
  thread: string,
  r: { author: string; text: string; now: number; id?: string },
  origin: unknown = null,
): CommentResult {
  const bad = checkText(r.text);
  if (bad) return { ok: false, error: bad };
  const replies = threadMap(doc, thread)?.get('replies');
  if (!(replies instanceof Y.Map)) return { ok: false, error: 'notFound' };
  if (replies.size >= MAX_REPLIES) return { ok: false, error: 'tooMany' };
  const id = r.id ?? newCommentId();
  doc.transact(() => replies.set(id, { author: r.author, createdAt: r.now, text: r.text.trim() }), origin);
  return { ok: true, id };
}

/** Marks thread `thread` resolved by `user` (anyone in the draft may). */
export function resolveThread(
  doc: Y.Doc,
  thread: string,
  user: string,
  now: number,
  origin: unknown = null,
): CommentResult {
  const t = threadMap(doc, thread);
  if (!t) return { ok: false, error: 'notFound' };
  doc.transact(() => t.set('resolution', { by: user, at: now }), origin);
  return { ok: true, id: thread };
}

/** Opens a resolved thread again. */
export function reopenThread(doc: Y.Doc, thread: string, origin: unknown = null): CommentResult {
  const t = threadMap(doc, thread);
  if (!t) return { ok: false, error: 'notFound' };
  doc.transact(() => t.set('resolution', null), origin);
  return { ok: true, id: thread };
}

/** Deletes thread `thread` with its replies: only its author may. */
export function deleteThread(
  doc: Y.Doc,
  thread: string,
  user: string,
  origin: unknown = null,
): CommentResult {
  const t = threadMap(doc, thread);
  if (!t) return { ok: false, error: 'notFound' };
  if (t.get('author') !== user) return { ok: false, error: 'notYours' };
  doc.transact(() => commentsOf(doc).delete(thread), origin);
  return { ok: true, id: thread };
}

/** One piece of a comment's text: plain, or an `@name` mention. */
export type CommentPart = { text: string } | { text: string; mention: string };

// `@` then a user name (USERNAME_PATTERN), not inside a word or an e-mail address; a trailing
// dot or hyphen ends the sentence, not the name.
const MENTION = /(^|[^A-Za-z0-9._@-])@([A-Za-z0-9](?:[A-Za-z0-9._-]{0,30}[A-Za-z0-9_])?)/g;

/** `text` split into plain runs and `@name` mentions, in order (joined they give `text`). */
export function splitMentions(text: string): CommentPart[] {
  const out: CommentPart[] = [];
  let last = 0;
  for (const m of text.matchAll(MENTION)) {
    const at = (m.index ?? 0) + m[1].length;
    if (at > last) out.push({ text: text.slice(last, at) });
    out.push({ text: `@${m[2]}`, mention: m[2] });
    last = at + 1 + m[2].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/** The user names `text` mentions (`@name`), each once, in order. */
export function parseMentions(text: string): string[] {
  const out: string[] = [];
  for (const p of splitMentions(text)) if ('mention' in p && !out.includes(p.mention)) out.push(p.mention);
  return out;
}

/** Whether `thread` (its text or a reply) mentions `user`. */
export function mentionsUser(thread: CommentThread, user: string): boolean {
  return [thread.text, ...thread.replies.map((r) => r.text)].some((t) => parseMentions(t).includes(user));
}

// ---- the server's check of an update ----

/**
 * What is wrong with the change of the threads `changed` from `before` (the draft) to `after` (a
 * copy with the member's update applied), sent by `user`; null when it is allowed. A new thread
 * or reply must be the sender's own; what was written stays as written (anchor, author, time,
 * text, replies), except that a resolution may be set or cleared by anyone, as the sender; a
 * thread or reply may be deleted by its author only; sizes and counts are bounded.
 */
export function checkCommentChange(
  before: Y.Doc,
  after: Y.Doc,
  changed: Iterable<string>,
  user: string,
): string | null {
  const was = commentsOf(before);
  const now = commentsOf(after);
  let added = false;
  for (const id of changed) {
    const a = was.has(id) ? storedThread(was.get(id)) : null;
    if (!now.has(id)) {
      if (a && a.author !== user) return `comment ${id}: only its author may delete a thread`;
      continue;
    }
    if (!COMMENT_ID_PATTERN.test(id)) return `comment ${id}: expected a comment id (c- and 12 to 24 digits)`;
    const b = storedThread(now.get(id));
    if (!b)
      return `comment ${id}: expected a thread { anchor, author, createdAt, text (1 to ${COMMENT_TEXT_MAX} characters), resolution, replies }`;
    if (!a) {
      if (was.has(id)) return `comment ${id}: not a valid thread before`;
      added = true;
      if (b.author !== user) return `comment ${id}: a new comment must carry your own user name`;
      if (b.resolution && b.resolution.by !== user) return `comment ${id}: resolved as someone else`;
      for (const r of Object.values(b.replies))
        if (r.author !== user) return `comment ${id}: a new reply must carry your own user name`;
    } else {
      if (
        !sameJson(a.anchor, b.anchor) ||
        a.author !== b.author ||
        a.createdAt !== b.createdAt ||
        a.text !== b.text
      )
        return `comment ${id}: a comment cannot be changed once written`;
      const ra = a.resolution ?? null;
      const rb = b.resolution ?? null;
      if (rb && !sameJson(ra, rb) && rb.by !== user) return `comment ${id}: resolved as someone else`;
      for (const [rid, r] of Object.entries(a.replies)) {
        const s = b.replies[rid];
        if (!s && r.author !== user) return `comment ${id}: only its author may delete a reply`;
        if (s && !sameJson(r, s)) return `comment ${id}: a reply cannot be changed once written`;
      }
      for (const [rid, r] of Object.entries(b.replies))
        if (!a.replies[rid] && r.author !== user)
          return `comment ${id}: a new reply must carry your own user name`;
    }
    const nb = Object.keys(b.replies).length;
    if (nb > MAX_REPLIES + COMMENT_LIMIT_SLACK && nb > Object.keys(a?.replies ?? {}).length)
      return `comment ${id}: at most ${MAX_REPLIES} replies`;
  }
  if (added && now.size > MAX_THREADS + COMMENT_LIMIT_SLACK)
    return `at most ${MAX_THREADS} comment threads per draft`;
  return null;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
