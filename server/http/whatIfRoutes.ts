import {
  can,
  DESIGN_ID_PATTERN,
  type Layout,
  parseLayout,
  type WhatIfAnswer,
  type WhatIfProgress,
  whatIfRequestSchema,
} from '../../protocol';
import type { AuthService } from '../auth/types';
import { scriptOf, type WhatIfScript } from '../design/whatIfScript';
import { choices } from '../scenarios/scenarioRefs';
import { type ApiRequest, requirePrincipal } from './authRoutes';
import { readValidBody } from './body';
import type { DesignDeps } from './designRoutes';
import { sendJson, sendRefusal } from './json';

/** Largest `POST /api/designs/:id/whatif` body, bytes (`{ hours, seed }` is ~30). */
export const MAX_WHATIF_BODY = 1024;

const WHATIF_PATH = /^\/api\/designs\/([^/]*)\/whatif$/;

/**
 * What-if runs of a draft (`/api/designs/:id/whatif`): POST simulates the draft's layout and the
 * live one from the same seed for the same simulated hours in a worker and answers both KPI sets
 * when done; GET answers the progress of that draft's run. Needs `design:edit`; a run is audited
 * before it starts. One run at a time per server: another POST meanwhile is refused 409. Returns
 * false for other paths; POST returns its promise (never rejects).
 */
export function handleWhatIfApi(
  a: ApiRequest,
  design: DesignDeps | null,
  auth: AuthService,
  now: () => number,
): boolean | Promise<void> {
  const m = WHATIF_PATH.exec(a.path);
  if (!m) return false;
  const id = m[1];
  const method = a.req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
    sendRefusal(a.res, 405, 'INVALID', 'use GET or POST', { headers: { allow: 'GET, POST' } });
    return true;
  }
  const p = requirePrincipal(a);
  if (!p) return true;
  if (!can(p.role, 'design:edit')) {
    sendRefusal(a.res, 403, 'FORBIDDEN', `the ${p.role} role may not run what-ifs of plant designs`);
    return true;
  }
  const whatIf = design?.whatIf;
  if (!design || !whatIf) {
    sendRefusal(a.res, 404, 'NOT_FOUND', 'this server keeps no designs');
    return true;
  }
  if (!DESIGN_ID_PATTERN.test(id)) {
    sendRefusal(a.res, 400, 'INVALID', 'expected a design id (d- and 12 hex digits)');
    return true;
  }
  if (!design.store.get(id)) {
    sendRefusal(a.res, 404, 'NOT_FOUND', `no design ${id}`);
    return true;
  }
  if (method !== 'POST') {
    const run = whatIf.progressOf(id);
    const body: WhatIfProgress = run
      ? { ok: true, running: true, progress: run.progress, hours: run.hours, seed: run.seed }
      : { ok: true, running: false, progress: 0 };
    sendJson(a.res, 200, body);
    return true;
  }
  return runWhatIf(a, design, p, auth, now, id);
}

async function runWhatIf(
  a: ApiRequest,
  design: DesignDeps,
  p: { user: string; role: NonNullable<ApiRequest['principal']>['role'] },
  auth: AuthService,
  now: () => number,
  id: string,
): Promise<void> {
  const data = await readValidBody(a.req, a.res, MAX_WHATIF_BODY, whatIfRequestSchema);
  if (!data) return;
  const whatIf = design.whatIf!;
  // Read after the body: the draft may have changed (or gone) while it arrived.
  design.collab?.flush(id);
  const json = design.store.layoutJson(id);
  if (json === null) return sendRefusal(a.res, 404, 'NOT_FOUND', `no design ${id}`);
  const parsed = parseLayout(JSON.parse(json));
  if (!parsed.ok) {
    const message = `the draft's layout has ${parsed.errors.length} error(s); fix them before a what-if`;
    return sendJson(a.res, 422, { ok: false, code: 'INVALID', message, errors: parsed.errors });
  }
  let script: WhatIfScript | undefined;
  let scenarioSeed: number | undefined;
  if (data.scenario !== undefined) {
    const known = design.scenarios?.get(data.scenario);
    if (!known) {
      const ids = [...(design.scenarios?.keys() ?? [])];
      return sendRefusal(
        a.res,
        422,
        'INVALID',
        `unknown scenario "${data.scenario}" (expected one of: ${choices(ids)})`,
      );
    }
    script = scriptOf(known.scenario);
    scenarioSeed = known.scenario.seed;
  }
  if (whatIf.busy)
    return sendRefusal(a.res, 409, 'CONFLICT', 'a what-if run is in progress; try again when it is done');
  const seed = data.seed ?? scenarioSeed ?? design.liveSeed?.() ?? 0;
  const live: Layout = design.live();
  const entry = auth.audit.begin({
    at: now(),
    user: p.user,
    role: p.role,
    source: a.source,
    action: 'design:whatif',
    target: id,
    params: {
      hours: data.hours,
      seed,
      equipment: parsed.layout.equipment.length,
      ...(script ? { scenario: script.id } : {}),
    },
  });
  const run = whatIf.start(id, parsed.layout, live, data.hours, seed, script);
  if (!run) {
    auth.audit.finish(entry, 'refused', 'CONFLICT', 'a what-if run is in progress');
    return sendRefusal(a.res, 409, 'CONFLICT', 'a what-if run is in progress; try again when it is done');
  }
  // A caller that hangs up does not want the answer: its run stops and frees the server.
  const onClose = () => {
    if (!a.res.writableEnded) whatIf.cancel(id);
  };
  a.res.on('close', onClose);
  const out = await run;
  a.res.off('close', onClose);
  if (!out.ok) {
    auth.audit.finish(entry, 'error', 'INTERNAL', out.message);
    if (a.res.writableEnded || a.res.destroyed) return;
    return sendRefusal(a.res, out.reason === 'cancelled' ? 503 : 500, 'INTERNAL', out.message);
  }
  const oee = (k: { plant: { oee: number } }) => k.plant.oee.toFixed(3);
  auth.audit.finish(
    entry,
    'ok',
    null,
    `${data.hours} h, seed ${seed}: OEE draft ${oee(out.draft)}, live ${oee(out.live)}; ${out.wallS.toFixed(1)} s`,
  );
  const body: WhatIfAnswer = {
    ok: true,
    draft: out.draft,
    live: out.live,
    hours: data.hours,
    seed,
    wallS: Math.round(out.wallS * 1000) / 1000,
  };
  if (script) body.scenario = script.id;
  if (!a.res.destroyed) sendJson(a.res, 200, body);
}
