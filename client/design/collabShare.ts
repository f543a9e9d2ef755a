import type * as Y from 'yjs';
import { applyLayoutChange } from '../../protocol/layoutDoc';
import type { DraftLayout } from './layoutEdits';

/**
 * `next` with every part that is JSON-equal to the same part of `prev` replaced by prev's object,
 * so that a remote change of one machine re-renders that machine, not the whole draft.
 */
export function shareUnchanged<T>(prev: unknown, next: T): T {
  if (prev === next || typeof next !== 'object' || next === null) return next;
  if (typeof prev !== 'object' || prev === null || Array.isArray(prev) !== Array.isArray(next)) return next;
  let same = true;
  if (Array.isArray(next)) {
    const p = prev as unknown[];
    const out = next.map((v, i) => {
      const s = shareUnchanged(p[i], v);
      if (s !== p[i]) same = false;
      return s;
    });
    return (same && p.length === out.length ? prev : out) as T;
  }
  const p = prev as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const keys = Object.keys(next);
  for (const k of keys) {
    const s = shareUnchanged(p[k], (next as Record<string, unknown>)[k]);
    if (s !== p[k] || !Object.hasOwn(p, k)) same = false;
    out[k] = s;
  }
  return (same && Object.keys(p).length === keys.length ? prev : out) as T;
}

/** Writes an edit (the present `from` mapped to `to`) into the draft's doc with `origin`. */
export function applyChange(doc: Y.Doc, from: DraftLayout, to: DraftLayout, origin: unknown): void {
  applyLayoutChange(doc, from as Record<string, unknown>, to as Record<string, unknown>, origin);
}
