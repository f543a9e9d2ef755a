import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import {
  can,
  MODEL_ID_PATTERN,
  MODEL_MAX_UPLOAD_BYTES,
  type ModelList,
  type ModelMeta,
  type ModelSummary,
  modelMetaSchema,
} from '../../protocol';
import type { AuthService, Principal } from '../auth/types';
import type { ModelStore } from '../models/modelStore';
import { optimizeOffThread } from '../models/optimizeJob';
import { checkGlb } from '../models/validate';
import { type ApiRequest, requirePrincipal } from './authRoutes';
import { sendJson, sendRefusal } from './json';
import { readRawBody } from './rawBody';

/** How long an upload may take to arrive, ms (20 MiB over a slow link). */
export const MODEL_UPLOAD_TIMEOUT_MS = 120_000;
/** The upload's content type: a GLB (binary glTF 2.0). */
export const GLB_TYPE = 'model/gltf-binary';
/** Largest metadata (query `meta` or header `X-Model-Meta`), characters. */
const MAX_META_CHARS = 4096;

const MODEL_PATH = /^\/api\/models(?:\/([^/]+)(?:\/lod\/([0-9])\.glb)?)?$/;

/** Uploads are optimized one at a time: one decoded model in memory, one busy CPU at most. */
let queue: Promise<unknown> = Promise.resolve();
function serially<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Plant models: `GET /api/models` (any logged-in user), `GET /api/models/:id`,
 * `GET /api/models/:id/lod/:n.glb` (the optimized GLB, immutable), `POST /api/models` (a GLB body,
 * metadata in `?meta=` or `X-Model-Meta`) and `DELETE /api/models/:id`; writes need `design:edit`
 * and are audited before they act. Returns false for other paths; async routes return their
 * promise (never rejects).
 */
export function handleModelApi(
  a: ApiRequest,
  store: ModelStore | null,
  auth: AuthService,
  now: () => number,
): boolean | Promise<void> {
  const m = MODEL_PATH.exec(a.path);
  if (!m) return false;
  const [, id, lod] = m;
  const methods = id === undefined ? ['GET', 'POST'] : lod === undefined ? ['GET', 'DELETE'] : ['GET'];
  const method = a.req.method ?? 'GET';
  if (!methods.includes(method) && !(method === 'HEAD' && methods.includes('GET'))) {
    sendRefusal(a.res, 405, 'INVALID', `use ${methods.join(' or ')}`, {
      headers: { allow: methods.join(', ') },
    });
    return true;
  }
  const p = requirePrincipal(a);
  if (!p) return true;
  const write = method === 'POST' || method === 'DELETE';
  if (write && !can(p.role, 'design:edit')) {
    sendRefusal(a.res, 403, 'FORBIDDEN', `the ${p.role} role may not change plant models`);
    return true;
  }
  if (!store) {
    sendRefusal(a.res, 404, 'NOT_FOUND', 'this server keeps no models');
    return true;
  }
  if (id === undefined) {
    if (method === 'POST') return upload(a, p, store, auth, now);
    const body: ModelList = { ok: true, models: store.list() };
    sendJson(a.res, 200, body);
    return true;
  }
  const found = MODEL_ID_PATTERN.test(id) ? store.get(id) : null;
  if (!found) {
    sendRefusal(a.res, 404, 'NOT_FOUND', `no model ${id}`);
    return true;
  }
  if (method === 'DELETE') {
    const entry = auth.audit.begin({
      at: now(),
      user: p.user,
      role: p.role,
      source: a.source,
      action: 'model:delete',
      target: id,
      params: { name: found.name },
    });
    try {
      store.remove(id);
    } catch (err) {
      auth.audit.finish(entry, 'error', 'INTERNAL', 'the model could not be removed');
      throw err;
    }
    auth.audit.finish(entry, 'ok', null, `removed "${found.name}"`);
    sendJson(a.res, 200, { ok: true });
    return true;
  }
  if (lod === undefined) {
    sendJson(a.res, 200, { ok: true, model: found });
    return true;
  }
  const path = store.lodPath(id, Number(lod));
  if (!path) {
    sendRefusal(a.res, 404, 'NOT_FOUND', `model ${id} has no level ${lod}`);
    return true;
  }
  a.res.writeHead(200, {
    'content-type': GLB_TYPE,
    'content-length': statSync(path).size,
    // A model's files never change (a new upload is a new id); private: it needs a login.
    'cache-control': 'private, max-age=31536000, immutable',
  });
  if (method === 'HEAD') a.res.end();
  else
    createReadStream(path)
      .on('error', () => a.res.destroy())
      .pipe(a.res);
  return true;
}

/** The upload's metadata from `?meta=` or `X-Model-Meta` (JSON), checked; answers the refusal itself. */
function readMeta(a: ApiRequest): ModelMeta | null {
  const header = a.req.headers['x-model-meta'];
  const text = a.url.searchParams.get('meta') ?? (typeof header === 'string' ? header : null);
  const bad = (message: string) => {
    sendRefusal(a.res, 400, 'INVALID', message, { headers: { connection: 'close' } });
    return null;
  };
  if (text === null)
    return bad('send the metadata as ?meta=JSON or the X-Model-Meta header: { name, target, joints? }');
  if (text.length > MAX_META_CHARS) return bad(`the metadata is limited to ${MAX_META_CHARS} characters`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return bad('the metadata is not valid JSON');
  }
  const r = modelMetaSchema.safeParse(json);
  if (r.success) return r.data;
  const i = r.error.issues[0];
  return bad(`metadata ${i?.path.length ? `${i.path.join('.')}: ` : ''}${i?.message ?? 'invalid'}`);
}

async function upload(
  a: ApiRequest,
  p: Principal,
  store: ModelStore,
  auth: AuthService,
  now: () => number,
): Promise<void> {
  const type = (a.req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== GLB_TYPE)
    return sendRefusal(a.res, 415, 'INVALID', `expected Content-Type: ${GLB_TYPE} (a .glb file)`, {
      headers: { connection: 'close' },
    });
  const meta = readMeta(a);
  if (!meta) return;
  const body = await readRawBody(a.req, MODEL_MAX_UPLOAD_BYTES, MODEL_UPLOAD_TIMEOUT_MS);
  if (!body.ok) {
    if (body.status !== 0)
      sendRefusal(a.res, body.status, 'INVALID', body.message, { headers: { connection: 'close' } });
    return;
  }
  const bytes = body.bytes;
  // Refusals of the file change nothing and are not audited (like every refusal before an effect).
  const checked = checkGlb(bytes, meta);
  if (!checked.ok) return sendRefusal(a.res, 422, 'INVALID', checked.message);
  const id = `m-${randomBytes(6).toString('hex')}`;
  const entry = auth.audit.begin({
    at: now(),
    user: p.user,
    role: p.role,
    source: a.source,
    action: 'model:upload',
    target: id,
    params: { name: meta.name, target: meta.target, bytes: bytes.length, vertices: checked.vertices },
  });
  // One at a time, in a worker thread: the tick never waits for weld, simplify or meshopt.
  const r = await serially(() => optimizeOffThread(bytes));
  if (!r.ok) {
    auth.audit.finish(entry, 'refused', 'INVALID', r.message);
    return sendRefusal(a.res, 422, 'INVALID', r.message);
  }
  const out = r.out;
  const done: ModelSummary = {
    id,
    name: meta.name,
    target: meta.target,
    joints: meta.joints ?? null,
    uploadedBytes: bytes.length,
    bytes: out.lods[0].glb.length,
    lods: out.lods.map((l) => ({
      level: l.level,
      bytes: l.glb.length,
      vertices: l.vertices,
      triangles: l.triangles,
      url: `/api/models/${id}/lod/${l.level}.glb`,
    })),
    bounds: out.bounds,
    pick: out.pick,
    createdBy: p.user,
    createdAt: now(),
  };
  try {
    store.add(
      done,
      out.lods.map((l) => l.glb),
    );
  } catch (err) {
    auth.audit.finish(entry, 'error', 'INTERNAL', 'the model could not be stored');
    throw err;
  }
  auth.audit.finish(entry, 'ok', null, `"${done.name}": ${done.uploadedBytes} -> ${done.bytes} bytes`);
  sendJson(a.res, 201, { ok: true, model: done });
}
