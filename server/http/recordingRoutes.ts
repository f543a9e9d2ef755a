import {
  bookmarkSchema,
  can,
  type RecordedLateAnswer,
  type Role,
  recordedLateQuerySchema,
} from '../../protocol';
import type { AuthService } from '../auth/types';
import type { Replay } from '../recording/replay';
import type { Recordings } from '../recordings';
import { summary } from '../recordings';
import { type ApiRequest, requirePrincipal } from './authRoutes';
import { readValidBody } from './body';
import { sendJson, sendRefusal } from './json';
import { parseQuery } from './query';

/** Largest `POST /api/recordings/:id/bookmarks` body, bytes. */
export const MAX_BOOKMARK_BODY = 4 * 1024;
/** A bookmark this far outside the stored extent is refused, simulation s. */
const EDGE_S = 1e-6;

const RECORDING_PATH = /^\/api\/recordings\/([^/]*)(\/timeline|\/bookmarks|\/late)?$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * The recordings API: `GET /api/recordings` (the ones the caller may see: the live plant's for
 * every logged-in role, training runs for trainers and admins), `GET /api/recordings/:id`,
 * `GET /api/recordings/:id/timeline`, `GET /api/recordings/:id/late` and `POST /api/recordings/:id/bookmarks { simS, label }`
 * (roles with recording:bookmark: operator, trainer, admin; audited before it acts). Without recordings the list is empty and every
 * other such path is 404. Returns
 * false for other paths; a body-reading request returns its promise (never rejects).
 */
export function handleRecordingApi(
  a: ApiRequest,
  recordings: Recordings | null,
  auth: AuthService,
  now: () => number,
): boolean | Promise<void> {
  const m = a.path === '/api/recordings' ? null : RECORDING_PATH.exec(a.path);
  if (a.path !== '/api/recordings' && !m) return false;
  const sub = m?.[2];
  if (!only(a, sub === '/bookmarks' ? ['POST'] : ['GET'])) return true;
  const p = requirePrincipal(a);
  if (!p) return true;
  if (!m) {
    // A server that keeps no recordings has none to list: an empty list, not an error, so
    // screens that show recordings beside something else (the training report) stay quiet.
    sendJson(a.res, 200, { ok: true, recordings: recordings ? recordings.list(p.role) : [] });
    return true;
  }
  if (!recordings) {
    sendRefusal(a.res, 404, 'NOT_FOUND', 'this server keeps no recordings');
    return true;
  }
  const id = m[1];
  if (!ID.test(id)) {
    sendRefusal(a.res, 400, 'INVALID', 'expected a recording id (letters, digits, "_", "-"; at most 64)');
    return true;
  }
  const r = recordings.replay(id, p.role);
  if (!r.ok) {
    sendRefusal(a.res, r.code === 'FORBIDDEN' ? 403 : 404, r.code, r.message);
    return true;
  }
  if (sub === '/bookmarks') {
    if (!can(p.role, 'recording:bookmark')) {
      sendRefusal(a.res, 403, 'FORBIDDEN', `the ${p.role} role may not add bookmarks`);
      return true;
    }
    return addBookmark(a, id, p.user, p.role, recordings, auth, now);
  }
  if (sub === '/late') sendLate(a, id, r.replay);
  else if (sub === '/timeline') sendJson(a.res, 200, { ok: true, id, ...r.replay.timeline() });
  else sendJson(a.res, 200, { ok: true, recording: summary(recordings.store.get(id) ?? r.replay.info) });
  return true;
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

async function addBookmark(
  a: ApiRequest,
  id: string,
  user: string,
  role: Role,
  recordings: Recordings,
  auth: AuthService,
  now: () => number,
): Promise<void> {
  const data = await readValidBody(a.req, a.res, MAX_BOOKMARK_BODY, bookmarkSchema);
  if (!data) return;
  const { simS, label } = data;
  // Looked up again: the recording may have gone to the retention while the body arrived.
  const r = recordings.replay(id, role);
  if (!r.ok) return sendRefusal(a.res, r.code === 'FORBIDDEN' ? 403 : 404, r.code, r.message);
  const tl = r.replay.timeline();
  if (simS < tl.fromSimS - EDGE_S || simS > tl.toSimS + EDGE_S)
    return sendRefusal(
      a.res,
      400,
      'INVALID',
      `simS: expected a time within the recording (${tl.fromSimS} to ${tl.toSimS} s)`,
    );
  const audit = auth.audit.begin({
    at: now(),
    user,
    role,
    source: a.source,
    action: 'recording:bookmark',
    target: id,
    params: { simS, label },
  });
  let bookmark: ReturnType<typeof r.replay.addBookmark>;
  try {
    bookmark = r.replay.addBookmark(simS, label, user, now());
  } catch (err) {
    auth.audit.finish(audit, 'error', 'INTERNAL', 'the bookmark could not be stored');
    throw err;
  }
  auth.audit.finish(audit, 'ok', null, `bookmark ${bookmark.id}`);
  sendJson(a.res, 201, { ok: true, bookmark });
}

/**
 * `GET /api/recordings/:id/late?from=S&to=S&equipment=ID&signal=S&limit=N`: the values of real
 * equipment recorded in that window of simulation time that never reached the scene (a device's
 * historical values, and values older than the one shown), in arrival order.
 */
function sendLate(a: ApiRequest, id: string, replay: Replay): void {
  const q = parseQuery(a.url, recordedLateQuerySchema);
  if (!q.ok) {
    sendRefusal(a.res, 400, 'INVALID', q.message);
    return;
  }
  const { from, to, equipment, signal, limit } = q.data;
  const fromS = from ?? replay.info.fromSimS - 1;
  const toS = to ?? Number.MAX_SAFE_INTEGER;
  let found: ReturnType<Replay['lateBetween']>;
  try {
    found = replay.lateBetween({ fromS, toS, equipment, signal, limit });
  } catch (err) {
    sendRefusal(a.res, 500, 'INTERNAL', err instanceof Error ? err.message : String(err));
    return;
  }
  const body: RecordedLateAnswer = { ok: true, id, ...found };
  sendJson(a.res, 200, body);
}
