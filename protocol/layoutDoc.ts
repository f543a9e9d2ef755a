import * as Y from 'yjs';

/**
 * A draft layout as a Y.Doc, so that several engineers can edit one draft at once and their edits
 * merge. Structure (root Y.Map `layout`):
 *
 * - scalar top-level fields (`name`, `names`, `site`, `siteNames`, anything unknown): JSON values;
 * - `zones`, `lines`, `equipment`, `droneRoutes`, `viewpoints`: Y.Map<id, entry>, where an entry
 *   is a Y.Map { o: order key, f: Y.Map<field, JSON> }. Items are keyed by id, so concurrent edits
 *   of different items merge, and fields are separate keys, so concurrent edits of different fields
 *   of one item (one moves a robot, one renames it) merge too. The order key (a fractional index,
 *   compared as a string, ties broken by id) keeps the array order;
 * - `paths`: a Y.Map of the same kind: `nodes` keyed by id, `edges` keyed by the sorted pair of
 *   node ids (entry { o, f: { v: [from, to] } }), other fields as JSON.
 *
 * A collection that cannot be keyed (not an array, an item without a string id, a duplicate id:
 * a draft may be invalid while it is edited) is kept whole as one JSON value instead, so every
 * layout survives the round trip JSON -> doc -> JSON unchanged. Pure: no sockets, no DOM.
 */

/** The root map's name in the Y.Doc. */
export const LAYOUT_ROOT = 'layout';
const ORDER = 'o';
const FIELDS = 'f';

type Obj = Record<string, unknown>;

/** How the items of one collection are keyed and split into fields. */
interface Keyed {
  key: (item: unknown) => string | null;
  fields: (item: unknown) => Obj;
  item: (fields: Obj) => unknown;
}
/** A Y.Map-backed object: which of its fields are keyed collections or nested objects. */
interface Shape {
  lists: Record<string, Keyed>;
  objects: Record<string, Shape>;
}

const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

const BY_ID: Keyed = {
  key: (it) => (isObj(it) && typeof it.id === 'string' ? it.id : null),
  fields: (it) => it as Obj,
  item: (f) => f,
};
/** AGV aisles are two-way: keyed by the sorted pair, the stored value keeps the given direction. */
const EDGES: Keyed = {
  key: (e) =>
    Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'string'
      ? JSON.stringify(e[0] < e[1] ? [e[0], e[1]] : [e[1], e[0]])
      : null,
  fields: (e) => ({ v: e }),
  item: (f) => f.v,
};
const PATHS: Shape = { lists: { nodes: BY_ID, edges: EDGES }, objects: {} };
const ROOT: Shape = {
  lists: { zones: BY_ID, lines: BY_ID, equipment: BY_ID, droneRoutes: BY_ID, viewpoints: BY_ID },
  objects: { paths: PATHS },
};
/** The order of top-level keys in the JSON a doc gives (the plant file's own order). */
const KEY_ORDER = [
  'name',
  'names',
  'site',
  'siteNames',
  'zones',
  'lines',
  'equipment',
  'paths',
  'droneRoutes',
  'viewpoints',
];

/** Deep equality of JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !jsonEqual((a as Obj)[k], (b as Obj)[k])) return false;
  }
  return true;
}

// ---- order keys (fractional indexing over base-36 digits; a key never ends in '0') ----

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    let n = 0;
    while ((a[n] ?? '0') === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const da = a ? DIGITS.indexOf(a[0]) : 0;
  const db = b !== null ? DIGITS.indexOf(b[0]) : DIGITS.length;
  if (db - da > 1) return DIGITS[Math.round((da + db) / 2)];
  if (b !== null && b.length > 1) return b.slice(0, 1);
  return DIGITS[da] + midpoint(a.slice(1), null);
}

/** An order key strictly between `a` and `b` (null: open end); a < b. */
export function keyBetween(a: string | null, b: string | null): string {
  return midpoint(a ?? '', b);
}

/** `n` evenly spaced order keys of equal length, ascending. */
export function initialKeys(n: number): string[] {
  let width = 1;
  while (36 ** width < (n + 1) * 36) width++;
  const step = Math.floor(36 ** width / (n + 1));
  const out: string[] = [];
  for (let i = 1; i <= n; i++) {
    const s = (i * step).toString(36).padStart(width, '0');
    out.push(s.endsWith('0') ? `${s.slice(0, -1)}1` : s);
  }
  return out;
}

/** Orders (key, id) pairs: by order key, ties (two concurrent inserts at one spot) by id. */
const before = (ka: string, ia: string, kb: string, ib: string) => ka < kb || (ka === kb && ia < ib);

/**
 * New order keys for the items of `target` (ids in the wanted order) whose current key (`keyOf`,
 * undefined for a new item) is out of place; the longest run already in order keeps its keys, so
 * a move or an insert rewrites as few keys as it can (concurrent reorders then rarely collide).
 */
export function reorderKeys(
  target: readonly string[],
  keyOf: (id: string) => string | undefined,
): Map<string, string> {
  // Longest increasing subsequence (patience sorting) of the existing keys in target order.
  const tails: number[] = [];
  const prevOf: number[] = new Array(target.length).fill(-1);
  for (let i = 0; i < target.length; i++) {
    const k = keyOf(target[i]);
    if (k === undefined) continue;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = tails[mid];
      if (before(keyOf(target[t]) as string, target[t], k, target[i])) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prevOf[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = prevOf[i]) keep.add(i);
  const nextKept: (string | null)[] = new Array(target.length).fill(null);
  let next: string | null = null;
  for (let i = target.length - 1; i >= 0; i--) {
    nextKept[i] = next;
    if (keep.has(i)) next = keyOf(target[i]) as string;
  }
  const out = new Map<string, string>();
  let prev: string | null = null;
  for (let i = 0; i < target.length; i++) {
    if (keep.has(i)) {
      prev = keyOf(target[i]) as string;
      continue;
    }
    const hi = nextKept[i];
    if (hi !== null && prev !== null && prev >= hi) {
      // Two kept items share a key (concurrent inserts): no room between them; renumber all.
      const fresh = initialKeys(target.length);
      return new Map(target.map((id, j) => [id, fresh[j]]));
    }
    const k = keyBetween(prev, hi);
    out.set(target[i], k);
    prev = k;
  }
  return out;
}

// ---- JSON -> doc ----

/** The items of `v` with their keys, or null when `v` cannot be keyed (kept whole as JSON). */
function keyedList(v: unknown, kind: Keyed): { key: string; item: unknown }[] | null {
  if (!Array.isArray(v)) return null;
  const seen = new Set<string>();
  const out: { key: string; item: unknown }[] = [];
  for (const item of v) {
    const key = kind.key(item);
    if (key === null || seen.has(key)) return null;
    seen.add(key);
    out.push({ key, item });
  }
  return out;
}

function buildEntry(fields: Obj, order: string): Y.Map<unknown> {
  const f = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) f.set(k, v);
  const entry = new Y.Map<unknown>();
  entry.set(ORDER, order);
  entry.set(FIELDS, f);
  return entry;
}

function buildList(items: { key: string; item: unknown }[], kind: Keyed): Y.Map<unknown> {
  const keys = initialKeys(items.length);
  const m = new Y.Map<unknown>();
  items.forEach(({ key, item }, i) => {
    m.set(key, buildEntry(kind.fields(item), keys[i]));
  });
  return m;
}

/** The doc-side value of field `k` of an object of `shape`. */
function buildValue(shape: Shape, k: string, v: unknown): unknown {
  const kind = shape.lists[k];
  if (kind) {
    const items = keyedList(v, kind);
    return items ? buildList(items, kind) : v;
  }
  const sub = shape.objects[k];
  if (sub && isObj(v)) return buildObject(sub, v);
  return v;
}

function buildObject(shape: Shape, obj: Obj): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) m.set(k, buildValue(shape, k, v));
  return m;
}

// ---- doc -> JSON ----

/**
 * Sets own property `k` (also `__proto__`, which plain assignment would take as the object's
 * prototype: a draft is anyone's JSON and must come back as it went in).
 */
function put(out: Obj, k: string, v: unknown): void {
  if (k === '__proto__')
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

/** A Y.Map of JSON values as a plain object. */
function plain(m: Y.Map<unknown>): Obj {
  const out: Obj = {};
  for (const [k, v] of m.entries()) put(out, k, v instanceof Y.AbstractType ? v.toJSON() : v);
  return out;
}

function readList(m: Y.Map<unknown>, kind: Keyed): unknown[] {
  const rows: { order: string; key: string; fields: Y.Map<unknown> }[] = [];
  for (const [key, entry] of m.entries()) {
    if (!(entry instanceof Y.Map)) continue;
    const fields = entry.get(FIELDS);
    const order = entry.get(ORDER);
    if (fields instanceof Y.Map) rows.push({ order: typeof order === 'string' ? order : '', key, fields });
  }
  rows.sort((a, b) => (before(a.order, a.key, b.order, b.key) ? -1 : 1));
  return rows.map((r) => kind.item(plain(r.fields)));
}

function readObject(m: Y.Map<unknown>, shape: Shape): Obj {
  const out: Obj = {};
  for (const [k, v] of m.entries()) {
    const kind = shape.lists[k];
    const sub = shape.objects[k];
    if (v instanceof Y.Map) {
      if (kind) put(out, k, readList(v, kind));
      else if (sub) put(out, k, readObject(v, sub));
      else put(out, k, plain(v));
    } else put(out, k, v instanceof Y.AbstractType ? v.toJSON() : v);
  }
  return out;
}

/** The layout a doc holds, as JSON (top-level keys in the plant file's order). */
export function docToLayout(doc: Y.Doc): Obj {
  const raw = readObject(doc.getMap(LAYOUT_ROOT), ROOT);
  const out: Obj = {};
  for (const k of KEY_ORDER) if (Object.hasOwn(raw, k)) out[k] = raw[k];
  for (const k of Object.keys(raw).sort()) if (!Object.hasOwn(out, k)) put(out, k, raw[k]);
  return out;
}

/** Fills an empty doc with `layout` (the server does this once per draft; clients never do). */
export function layoutToDoc(layout: Obj, doc: Y.Doc = new Y.Doc()): Y.Doc {
  applyLayoutChange(doc, {}, layout);
  return doc;
}

// ---- the difference between two layouts, applied to a doc ----

function syncFields(f: Y.Map<unknown>, a: Obj, b: Obj): void {
  for (const k of Object.keys(a)) if (b[k] === undefined && a[k] !== undefined) f.delete(k);
  for (const [k, v] of Object.entries(b)) if (v !== undefined && !jsonEqual(a[k], v)) f.set(k, v);
}

function syncList(parent: Y.Map<unknown>, k: string, kind: Keyed, a: unknown, b: unknown): void {
  const bItems = keyedList(b, kind);
  const cur = parent.get(k);
  if (!bItems || !(cur instanceof Y.Map)) {
    parent.set(k, bItems ? buildList(bItems, kind) : b);
    return;
  }
  const aItems = keyedList(a, kind) ?? [];
  const aByKey = new Map(aItems.map((x) => [x.key, x.item]));
  const bKeys = new Set(bItems.map((x) => x.key));
  for (const { key } of aItems) if (!bKeys.has(key) && cur.has(key)) cur.delete(key);
  let added = false;
  for (const { key, item } of bItems) {
    const prev = aByKey.get(key);
    const entry = cur.get(key);
    const fields = entry instanceof Y.Map ? entry.get(FIELDS) : undefined;
    if (!(entry instanceof Y.Map) || !(fields instanceof Y.Map)) {
      // New here, or deleted by someone else while this edit changed it: the edit brings it back.
      cur.set(key, buildEntry(kind.fields(item), ''));
      added = true;
    } else if (prev === undefined) {
      // Added here while someone else added the same id: this edit's fields win.
      syncFields(fields, plain(fields), kind.fields(item));
    } else if (prev !== item) syncFields(fields, kind.fields(prev), kind.fields(item));
  }
  const aOrder = aItems.filter((x) => bKeys.has(x.key)).map((x) => x.key);
  const bOrder = bItems.map((x) => x.key);
  if (!added && aOrder.length === bOrder.length && aOrder.every((key, i) => key === bOrder[i])) return;
  const keyOf = (key: string) => {
    const e = cur.get(key);
    const o = e instanceof Y.Map ? e.get(ORDER) : undefined;
    return typeof o === 'string' && o !== '' ? o : undefined;
  };
  for (const [key, order] of reorderKeys(bOrder, keyOf)) (cur.get(key) as Y.Map<unknown>).set(ORDER, order);
}

function syncObject(m: Y.Map<unknown>, shape: Shape, a: Obj, b: Obj): void {
  for (const k of Object.keys(a)) if (b[k] === undefined && a[k] !== undefined && m.has(k)) m.delete(k);
  for (const [k, bv] of Object.entries(b)) {
    const av = a[k];
    if (bv === undefined || av === bv) continue;
    const kind = shape.lists[k];
    const sub = shape.objects[k];
    if (kind) {
      if (!jsonEqual(av, bv)) syncList(m, k, kind, av, bv);
    } else if (sub) {
      const cur = m.get(k);
      if (isObj(bv) && cur instanceof Y.Map) syncObject(cur, sub, isObj(av) ? av : readObject(cur, sub), bv);
      else if (!jsonEqual(av, bv)) m.set(k, buildValue(shape, k, bv));
    } else if (!jsonEqual(av, bv)) m.set(k, bv);
  }
}

/**
 * Writes the difference between layout `from` and layout `to` into `doc`, in one transaction
 * with `origin`: only what differs is written, so whatever someone else changed meanwhile and
 * this edit did not touch stays as they left it. `from` should be the layout the doc gave when
 * the edit began (the client's present); the server passes the doc's own layout to replace it.
 */
export function applyLayoutChange(doc: Y.Doc, from: Obj, to: Obj, origin: unknown = null): void {
  doc.transact(() => syncObject(doc.getMap(LAYOUT_ROOT), ROOT, from, to), origin);
}

/** Replaces the doc's layout with `to` in one transaction (PUT of a whole layout). */
export function replaceLayout(doc: Y.Doc, to: Obj, origin: unknown = null): void {
  applyLayoutChange(doc, docToLayout(doc), to, origin);
}
