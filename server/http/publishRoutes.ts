import {
  can,
  DESIGN_ID_PATTERN,
  type PublishAnswer,
  type PublishedVersionsAnswer,
  publishRequestSchema,
  type Role,
  rollbackRequestSchema,
} from '../../protocol';
import type { AuthService } from '../auth/types';
import type { LivePublish, PublishRefusal, Switched } from '../design/livePublish';
import { type ApiRequest, requirePrincipal } from './authRoutes';
import { readValidBody } from './body';
import { sendJson, sendRefusal } from './json';

/** Largest publish or rollback body, bytes (a version id and a token). */
export const MAX_PUBLISH_BODY = 1024;

const PUBLISH_PATH = /^\/api\/designs\/([^/]*)\/publish$/;
const VERSIONS = '/api/plant/versions';
const ROLLBACK = '/api/plant/rollback';

/**
 * `POST /api/designs/:id/publish` and `POST /api/plant/rollback` (admins: `plant:publish`), both
 * two-step (the first answers the change summary and a confirmation, the second publishes), and
 * `GET /api/plant/versions` (engineers and admins). False for other paths; a body-reading request
 * returns its promise (never rejects). `publish` null: 404 (a server without designs).
 */
export function handlePublishApi(
  a: ApiRequest,
  publish: LivePublish | null,
  auth: AuthService,
  now: () => number,
): boolean | Promise<void> {
  const m = PUBLISH_PATH.exec(a.path);
  if (!m && a.path !== VERSIONS && a.path !== ROLLBACK) return false;
  const method = a.req.method ?? 'GET';
  const want = a.path === VERSIONS ? 'GET' : 'POST';
  if (method !== want && !(want === 'GET' && method === 'HEAD')) {
    sendRefusal(a.res, 405, 'INVALID', `use ${want}`, { headers: { allow: want } });
    return true;
  }
  const p = requirePrincipal(a);
  if (!p) return true;
  if (!can(p.role, 'design:edit')) {
    sendRefusal(a.res, 403, 'FORBIDDEN', `the ${p.role} role may not edit plant designs`);
    return true;
  }
  if (want === 'POST' && !can(p.role, 'plant:publish')) {
    sendRefusal(a.res, 403, 'FORBIDDEN', `only admins publish to the live plant, not the ${p.role} role`);
    return true;
  }
  if (!publish) {
    sendRefusal(a.res, 404, 'NOT_FOUND', 'this server keeps no designs');
    return true;
  }
  if (want === 'GET') {
    const reason = publish.refusedReason;
    const body: PublishedVersionsAnswer = {
      ok: true,
      versions: publish.list(),
      live: { version: publish.liveVersion(), equipment: publish.equipment() },
      publishable: reason === null,
      ...(reason === null ? {} : { reason }),
    };
    sendJson(a.res, 200, body);
    return true;
  }
  let designId: string | null = null;
  if (m) {
    if (!DESIGN_ID_PATTERN.test(m[1])) {
      sendRefusal(a.res, 400, 'INVALID', 'expected a design id (d- and 12 hex digits)');
      return true;
    }
    designId = m[1];
  }
  return run({ a, user: p.user, role: p.role, publish, auth, now }, designId);
}

interface Ctx {
  a: ApiRequest;
  user: string;
  role: Role;
  publish: LivePublish;
  auth: AuthService;
  now: () => number;
}

function refuse(a: ApiRequest, r: PublishRefusal): void {
  if (r.errors) sendJson(a.res, r.status, { ok: false, code: r.code, message: r.message, errors: r.errors });
  else sendRefusal(a.res, r.status, r.code, r.message);
}

async function run(c: Ctx, designId: string | null): Promise<void> {
  const schema = designId === null ? rollbackRequestSchema : publishRequestSchema;
  const data = await readValidBody(c.a.req, c.a.res, MAX_PUBLISH_BODY, schema);
  if (!data) return;
  const { version, confirmation } = data;
  if (confirmation === undefined) {
    // The first step changes nothing, so it is not audited.
    const r = c.publish.preview(c.user, version, designId);
    if (!r.ok) return refuse(c.a, r);
    const body: PublishAnswer = {
      ok: true,
      published: false,
      version,
      summary: r.summary,
      diff: r.diff,
      confirmation: r.confirmation,
      confirmationExpiresAt: r.expiresAt,
    };
    return sendJson(c.a.res, 200, body);
  }
  // Refusals that change nothing are not audited; the confirmation is used only when it may act.
  const checked = c.publish.check(version, designId);
  if (!checked.ok) return refuse(c.a, checked);
  const used = c.publish.confirm(c.user, version, designId, confirmation);
  if (!used.ok) return refuse(c.a, used);
  const action = designId === null ? 'design:rollback' : 'design:publish';
  const entry = c.auth.audit.begin({
    at: c.now(),
    user: c.user,
    role: c.role,
    source: c.a.source,
    action,
    target: version,
    params: designId === null ? { version } : { version, design: designId },
  });
  let r: Switched | PublishRefusal;
  try {
    r = c.publish.publish(c.user, version, designId);
  } catch (err) {
    c.auth.audit.finish(entry, 'error', 'INTERNAL', `${action} failed`);
    throw err;
  }
  if (!('entry' in r)) {
    c.auth.audit.finish(entry, 'refused', r.code, r.message);
    return refuse(c.a, r);
  }
  const s = r.summary;
  c.auth.audit.finish(
    entry,
    'ok',
    null,
    `live plant runs ${version}: ${s.equipmentAfter} equipment (+${s.equipmentAdded} -${s.equipmentRemoved}), ${r.retired.length} alarm(s) ended`,
  );
  const body: PublishAnswer = { ok: true, published: true, version, summary: s, entry: r.entry };
  sendJson(c.a.res, 200, body);
}
