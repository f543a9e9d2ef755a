import { z } from 'zod';
import { can } from '../../protocol';
import { enText } from '../../protocol/textEn';
import type { AuthService, Principal } from '../auth/types';
import type { TrainingManager } from '../training/trainingManager';
import type { TrainingSession } from '../training/trainingSession';
import { speedSchema } from '../transport/trainingSchemas';
import { type ApiRequest, requirePrincipal } from './authRoutes';
import { readValidBody } from './body';
import { sendJson, sendRefusal } from './json';
import { parseQuery } from './query';

/** Largest `POST /api/sessions` body, bytes. */
export const MAX_SESSION_BODY = 4 * 1024;

/** `POST /api/sessions { scenario, seed?, speed? }`. */
export const newSessionSchema = z
  .object({
    scenario: z.string({ error: 'expected a scenario id' }).regex(/^[a-z0-9][a-z0-9-]{0,63}$/, {
      error: 'expected a scenario id (lower-case letters, digits, "-")',
    }),
    seed: z
      .number({ error: 'expected a whole number' })
      .int({ error: 'expected a whole number' })
      .min(0, { error: 'expected a seed >= 0' })
      .max(0xffffffff, { error: 'expected a seed below 2^32' })
      .optional(),
    speed: speedSchema.optional(),
  })
  .strict();

const count = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, { error: 'expected a whole number' })
    .transform(Number)
    .pipe(z.number().max(max, { error: `expected at most ${max}` }));

/** `GET /api/sessions/:id/events?offset=&limit=` (entries of the log, oldest first). */
const eventsQuerySchema = z.object({ offset: count(1e9).optional(), limit: count(1e9).optional() }).strict();

const SESSION_PATH = /^\/api\/sessions\/([A-Za-z0-9]{1,64})(\/events|\/report)?$/;

/**
 * The training API: `GET /api/scenarios` (any logged-in user); `GET|POST /api/sessions`,
 * `GET|DELETE /api/sessions/:id`, `GET /api/sessions/:id/events` and `/report` (training:run;
 * `:id` is the id or the join code). Creating and ending sessions is audited before it acts.
 * Returns false for other paths; a body-reading request returns its promise (never rejects).
 */
export function handleTrainingApi(
  a: ApiRequest,
  training: TrainingManager,
  auth: AuthService,
  now: () => number,
): boolean | Promise<void> {
  const method = a.req.method ?? 'GET';
  if (a.path === '/api/scenarios') {
    if (!only(a, ['GET'])) return true;
    if (!requirePrincipal(a)) return true;
    sendJson(a.res, 200, { ok: true, scenarios: training.scenarios() });
    return true;
  }
  if (a.path === '/api/sessions') {
    if (!only(a, ['GET', 'POST'])) return true;
    const p = trainer(a);
    if (!p) return true;
    if (method === 'POST') return create(a, p, training, auth, now);
    sendJson(a.res, 200, { ok: true, sessions: training.list(), max: training.maxSessions });
    return true;
  }
  const m = SESSION_PATH.exec(a.path);
  if (!m) return false;
  const sub = m[2];
  if (!only(a, sub ? ['GET'] : ['GET', 'DELETE'])) return true;
  const p = trainer(a);
  if (!p) return true;
  const s = training.find(m[1]);
  if (!s) {
    sendRefusal(a.res, 404, 'NOT_FOUND', `no training session "${m[1]}"`);
    return true;
  }
  if (method === 'DELETE') end(a, p, s, training, auth, now);
  else if (sub === '/events') events(a, s);
  else if (sub === '/report') report(a, s);
  else sendJson(a.res, 200, { ok: true, session: s.state() });
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

/** The principal when it may run training sessions; 401 or 403 answered otherwise. */
function trainer(a: ApiRequest): Principal | null {
  const p = requirePrincipal(a);
  if (!p) return null;
  if (can(p.role, 'training:run')) return p;
  sendRefusal(a.res, 403, 'FORBIDDEN', `the ${p.role} role may not run training sessions`);
  return null;
}

async function create(
  a: ApiRequest,
  p: Principal,
  training: TrainingManager,
  auth: AuthService,
  now: () => number,
): Promise<void> {
  const req = await readValidBody(a.req, a.res, MAX_SESSION_BODY, newSessionSchema);
  if (!req) return;
  const id = auth.audit.begin({
    at: now(),
    user: p.user,
    role: p.role,
    source: a.source,
    action: 'training:create',
    target: req.scenario,
    params: { scenario: req.scenario, seed: req.seed ?? null, speed: req.speed ?? null },
  });
  const r = training.create({ ...req, user: p.user });
  if (!r.ok) {
    auth.audit.finish(id, 'refused', r.code, r.message);
    return sendRefusal(a.res, r.code === 'CONFLICT' ? 409 : 404, r.code, r.message);
  }
  auth.audit.finish(id, 'ok', null, `session ${r.session.id} (code ${r.session.code})`);
  sendJson(a.res, 201, { ok: true, id: r.session.id, code: r.session.code });
}

function end(
  a: ApiRequest,
  p: Principal,
  s: TrainingSession,
  training: TrainingManager,
  auth: AuthService,
  now: () => number,
): void {
  const id = auth.audit.begin({
    at: now(),
    user: p.user,
    role: p.role,
    source: a.source,
    action: 'training:end',
    target: s.id,
    params: { scenario: s.scenario.id },
  });
  training.end(s.id, enText('training.endedBy', { user: p.user }));
  auth.audit.finish(id, 'ok');
  sendJson(a.res, 200, { ok: true, id: s.id });
}

function events(a: ApiRequest, s: TrainingSession): void {
  const q = parseQuery(a.url, eventsQuerySchema);
  if (!q.ok) {
    sendRefusal(a.res, 400, 'INVALID', q.message);
    return;
  }
  const { events: all, dropped } = s.events();
  const offset = q.data.offset ?? 0;
  const page = all.slice(offset, q.data.limit === undefined ? undefined : offset + q.data.limit);
  const st = s.state();
  sendJson(a.res, 200, {
    ok: true,
    id: s.id,
    scenarioId: s.scenario.id,
    run: st.run,
    simTimeS: st.simTimeS,
    total: all.length,
    dropped,
    offset,
    events: page,
  });
}

function report(a: ApiRequest, s: TrainingSession): void {
  const st = s.state();
  sendJson(a.res, 200, {
    ok: true,
    id: s.id,
    scenarioId: s.scenario.id,
    scenarioName: s.scenario.name,
    seed: s.seed,
    run: st.run,
    simTimeS: st.simTimeS,
    finished: st.finished,
    trainees: s.report(),
  });
}
