import { randomBytes } from 'node:crypto';
import {
  can,
  createDesignSchema,
  createVersionSchema,
  DESIGN_ID_PATTERN,
  type DesignAnswer,
  type DesignDiffAnswer,
  type DesignSummary,
  designDiffQuerySchema,
  designLayoutSchema,
  diffLayouts,
  type Layout,
  parseLayout,
  type Role,
  VERSION_ID_PATTERN,
} from '../../protocol';
import type { Scenario } from '../../protocol/scenario';
import type { AuthService } from '../auth/types';
import type { DesignCollab } from '../design/collabDocs';
import type { WhatIfService } from '../design/whatIfService';
import type { DesignStore } from '../store/designStore';
import { type ApiRequest, requirePrincipal } from './authRoutes';
import { readValidBody } from './body';
import { sendJson, sendRefusal } from './json';
import { parseQuery } from './query';

/** Largest `PUT /api/designs/:id/layout` body, bytes (the shipped plant is ~40 KB; 100 times that). */
export const MAX_DESIGN_LAYOUT_BODY = 4 * 1024 * 1024;
/** Largest body of the other design writes (a name or a message), bytes. */
export const MAX_DESIGN_SMALL_BODY = 4 * 1024;

/** What the design routes work on. */
export interface DesignDeps {
  store: DesignStore;
  /** The layout the running plant uses now (never changed by these routes). */
  live: () => Layout;
  /** What-if runs (`/api/designs/:id/whatif`, whatIfRoutes.ts); absent: those routes answer 404. */
  whatIf?: WhatIfService | null;
  /** The live plant's seed: a what-if's default. */
  liveSeed?: () => number;
  /** Training scenarios a what-if may run on both layouts, by id; absent: none. */
  scenarios?: ReadonlyMap<string, { scenario: Scenario }>;
  /**
   * Drafts being edited live: written to the store before a route reads one, and a PUT layout
   * replaces the live doc (every editor sees it). Absent: drafts are HTTP only.
   */
  collab?: DesignCollab | null;
}

const DESIGN_PATH = /^\/api\/designs(?:\/([^/]*)(?:\/(layout|versions|diff|export)(?:\/([^/]*))?)?)?$/;

/** A fresh id: the prefix and 12 hex digits (48 random bits). */
const newId = (prefix: 'd' | 'v') => `${prefix}-${randomBytes(6).toString('hex')}`;

/**
 * Design drafts and versions (`/api/designs...`; publishing them is publishRoutes.ts). Every route needs `design:edit` (engineers and admins); every write
 * is audited before it acts. Drafts are copies: nothing here changes the running plant. Returns
 * false for other paths; a body-reading request returns its promise (never rejects).
 */
export function handleDesignApi(
  a: ApiRequest,
  design: DesignDeps | null,
  auth: AuthService,
  now: () => number,
): boolean | Promise<void> {
  const m = DESIGN_PATH.exec(a.path);
  if (!m) return false;
  const [, id, sub, vid] = m ?? [];
  // Only versions have sub-paths.
  if (sub !== undefined && sub !== 'versions' && vid !== undefined) return false;
  if (!only(a, methodsFor(id, sub, vid))) return true;
  const p = requirePrincipal(a);
  if (!p) return true;
  if (!can(p.role, 'design:edit')) {
    sendRefusal(a.res, 403, 'FORBIDDEN', `the ${p.role} role may not edit plant designs`);
    return true;
  }
  if (!design) {
    sendRefusal(a.res, 404, 'NOT_FOUND', 'this server keeps no designs');
    return true;
  }
  const post = a.req.method === 'POST';
  const ctx: WriteCtx = { a, user: p.user, role: p.role, design, auth, now };
  if (id === undefined) {
    if (post) return createDesign(ctx);
    sendJson(a.res, 200, { ok: true, designs: design.store.list() });
    return true;
  }
  if (!DESIGN_ID_PATTERN.test(id)) {
    sendRefusal(a.res, 400, 'INVALID', 'expected a design id (d- and 12 hex digits)');
    return true;
  }
  if (vid !== undefined && !VERSION_ID_PATTERN.test(vid)) {
    sendRefusal(a.res, 400, 'INVALID', 'expected a version id (v- and 12 hex digits)');
    return true;
  }
  const found = design.store.get(id);
  if (!found) {
    sendRefusal(a.res, 404, 'NOT_FOUND', `no design ${id}`);
    return true;
  }
  // What is being edited live reaches the store first, so every read below sees it.
  design.collab?.flush(id);
  if (sub === undefined) {
    sendDesign(a, design.store, found, 200);
    return true;
  }
  if (sub === 'layout') return saveLayout(ctx, id);
  if (sub === 'diff') {
    sendDiff(a, design, id);
    return true;
  }
  if (sub === 'export') {
    sendExport(a, design.store, found);
    return true;
  }
  if (vid === undefined) {
    if (post) return createVersion(ctx, id);
    sendJson(a.res, 200, { ok: true, versions: design.store.versions(id) });
    return true;
  }
  const version = design.store.version(vid);
  const layout = version?.designId === id ? design.store.versionLayoutJson(vid) : null;
  if (!version || layout === null) {
    sendRefusal(a.res, 404, 'NOT_FOUND', `design ${id} has no version ${vid}`);
    return true;
  }
  sendJson(a.res, 200, { ok: true, version, layout: JSON.parse(layout) });
  return true;
}

interface WriteCtx {
  a: ApiRequest;
  user: string;
  role: Role;
  design: DesignDeps;
  auth: AuthService;
  now: () => number;
}

/** The methods a design path answers: lists take POST (create) besides GET; a layout is only PUT. */
function methodsFor(id?: string, sub?: string, vid?: string): string[] {
  if (id === undefined || (sub === 'versions' && vid === undefined)) return ['GET', 'POST'];
  return sub === 'layout' ? ['PUT'] : ['GET'];
}

/** Answers 405 unless the method is one of `methods` (HEAD counts as GET). */
function only(a: ApiRequest, methods: string[]): boolean {
  const m = a.req.method ?? 'GET';
  if (methods.includes(m) || (m === 'HEAD' && methods.includes('GET'))) return true;
  sendRefusal(a.res, 405, 'INVALID', `use ${methods.join(' or ')}`, {
    headers: { allow: methods.join(', ') },
  });
  return false;
}

/**
 * The draft's layout as a plant file (`--plant FILE` loads it), offered as a download named after
 * the draft. Only a valid layout is exported, so every exported file loads.
 */
function sendExport(a: ApiRequest, store: DesignStore, d: DesignSummary): void {
  const layout = JSON.parse(store.layoutJson(d.id) ?? 'null') as unknown;
  const errors = layoutErrors(layout);
  if (errors.length) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    sendRefusal(a.res, 422, 'INVALID', `the draft has errors, fix them before export: ${errors[0]}${more}`);
    return;
  }
  const file = `${d.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'plant'}.json`;
  const text = `${JSON.stringify(layout, null, 2)}\n`;
  a.res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    // An ASCII name for every browser, the draft's own (Chinese, say) where RFC 6266 is understood.
    'content-disposition': `attachment; filename="${file}"; filename*=UTF-8''${encodeURIComponent(d.name)}.json`,
    'cache-control': 'no-store',
  });
  a.res.end(a.req.method === 'HEAD' ? undefined : text);
}

/**
 * The differences between two layouts of a draft's world: the live plant now, the draft now, or
 * any stored version (versions are unique across drafts, so one of another draft compares too).
 */
function sendDiff(a: ApiRequest, design: DesignDeps, id: string): void {
  const q = parseQuery(a.url, designDiffQuerySchema);
  if (!q.ok) {
    sendRefusal(a.res, 400, 'INVALID', q.message);
    return;
  }
  const side = (s: string): unknown => {
    if (s === 'live') return design.live();
    const json = s === 'draft' ? design.store.layoutJson(id) : design.store.versionLayoutJson(s);
    return json === null ? undefined : (JSON.parse(json) as unknown);
  };
  const from = side(q.data.from);
  const to = side(q.data.to);
  const missing = from === undefined ? q.data.from : to === undefined ? q.data.to : null;
  if (missing !== null) {
    sendRefusal(a.res, 404, 'NOT_FOUND', `no version ${missing}`);
    return;
  }
  const body: DesignDiffAnswer = { ok: true, from: q.data.from, to: q.data.to, diff: diffLayouts(from, to) };
  sendJson(a.res, 200, body);
}

/** The plant loader's `path: message` lines for a stored layout (empty when valid). */
function layoutErrors(layout: unknown): string[] {
  const r = parseLayout(layout);
  return r.ok ? [] : r.errors;
}

function sendDesign(a: ApiRequest, store: DesignStore, d: DesignSummary, status: number): void {
  const layout = JSON.parse(store.layoutJson(d.id) ?? 'null') as unknown;
  const body: DesignAnswer = { ok: true, design: d, layout, errors: layoutErrors(layout) };
  sendJson(a.res, status, body);
}

/** Runs `act` between the audit's pending entry and its result; an exception is recorded as an error. */
function audited<T>(
  c: WriteCtx,
  action: string,
  target: string,
  params: Record<string, unknown>,
  act: () => { ok: true; value: T; message: string } | { ok: false; code: 'NOT_FOUND'; message: string },
): { ok: true; value: T } | { ok: false; code: 'NOT_FOUND'; message: string } {
  const entry = c.auth.audit.begin({
    at: c.now(),
    user: c.user,
    role: c.role,
    source: c.a.source,
    action,
    target,
    params,
  });
  try {
    const r = act();
    if (r.ok) c.auth.audit.finish(entry, 'ok', null, r.message);
    else c.auth.audit.finish(entry, 'refused', r.code, r.message);
    return r;
  } catch (err) {
    c.auth.audit.finish(entry, 'error', 'INTERNAL', `${action} could not be stored`);
    throw err;
  }
}

async function createDesign(c: WriteCtx): Promise<void> {
  const data = await readValidBody(c.a.req, c.a.res, MAX_DESIGN_SMALL_BODY, createDesignSchema);
  if (!data) return;
  const from = data.from ?? 'live';
  const id = newId('d');
  const r = audited(c, 'design:create', id, { name: data.name, from }, () => {
    // The copy is taken now: later changes to the source never reach the draft.
    const layoutJson =
      from === 'live' ? JSON.stringify(c.design.live()) : c.design.store.versionLayoutJson(from);
    if (layoutJson === null) return { ok: false, code: 'NOT_FOUND', message: `no version ${from}` };
    const d = c.design.store.create({
      id,
      name: data.name,
      createdBy: c.user,
      createdAt: c.now(),
      basedOn: from,
      layoutJson,
    });
    return { ok: true, value: d, message: `draft "${data.name}" from ${from}` };
  });
  if (!r.ok) return sendRefusal(c.a.res, 404, r.code, r.message);
  sendJson(c.a.res, 201, { ok: true, design: r.value });
}

async function saveLayout(c: WriteCtx, id: string): Promise<void> {
  const data = await readValidBody(c.a.req, c.a.res, MAX_DESIGN_LAYOUT_BODY, designLayoutSchema);
  if (!data) return;
  const layoutJson = JSON.stringify(data.layout);
  const errors = layoutErrors(data.layout);
  const equipment = Array.isArray(data.layout.equipment) ? data.layout.equipment.length : null;
  // The layout itself is not audited (up to MB); its size and state are.
  const params = { bytes: Buffer.byteLength(layoutJson), equipment, errors: errors.length };
  const collab = c.design.collab;
  const r = audited(c, 'design:layout', id, params, () =>
    (collab ? collab.replace(id, data.layout, layoutJson) : c.design.store.setLayout(id, layoutJson, c.now()))
      ? { ok: true, value: null, message: errors.length ? `saved with ${errors.length} error(s)` : 'saved' }
      : { ok: false, code: 'NOT_FOUND', message: `no design ${id}` },
  );
  if (!r.ok) return sendRefusal(c.a.res, 404, r.code, r.message);
  const d = c.design.store.get(id);
  if (!d) return sendRefusal(c.a.res, 404, 'NOT_FOUND', `no design ${id}`);
  sendDesign(c.a, c.design.store, d, 200);
}

async function createVersion(c: WriteCtx, id: string): Promise<void> {
  const data = await readValidBody(c.a.req, c.a.res, MAX_DESIGN_SMALL_BODY, createVersionSchema);
  if (!data) return;
  const vid = newId('v');
  const r = audited(c, 'design:version', id, { version: vid, message: data.message }, () => {
    const v = c.design.store.addVersion({
      id: vid,
      designId: id,
      message: data.message,
      author: c.user,
      createdAt: c.now(),
    });
    return v
      ? { ok: true, value: v, message: `version ${vid}` }
      : { ok: false, code: 'NOT_FOUND', message: `no design ${id}` };
  });
  if (!r.ok) return sendRefusal(c.a.res, 404, r.code, r.message);
  sendJson(c.a.res, 201, { ok: true, version: r.value });
}
