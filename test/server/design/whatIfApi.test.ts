import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Layout, WhatIfAnswer, WhatIfProgress } from '../../../protocol';
import { MAX_WHATIF_BODY } from '../../../server/http/whatIfRoutes';
import { SCENARIOS_DIR } from '../../../server/scenarios/loadScenario';
import { sleep, startTestServer, type TestServer } from '../../helpers/server';
import { apiPatient as api, FAST, type HttpAnswer } from '../training/support';
import { withExtraAgv } from './whatIfFixtures';

let server: TestServer;
let eng = '';

beforeAll(async () => {
  server = await startTestServer({ seed: 3, security: FAST, scenarios: SCENARIOS_DIR });
  eng = await server.login('engineer');
});
afterAll(async () => {
  await server?.close();
});

const liveNow = (): Layout => JSON.parse(JSON.stringify(server.session.layout));

/** A new draft holding `layout` (default: a copy of the live one). */
async function draftOf(layout?: unknown, s = server, token = eng): Promise<string> {
  const r = await api(s, 'POST', '/api/designs', token, { name: 'what-if' });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const id = (r.body.design as { id: string }).id;
  if (layout !== undefined) {
    const put = await api(s, 'PUT', `/api/designs/${id}/layout`, token, { layout });
    expect(put.status).toBe(200);
  }
  return id;
}

const whatIf = (id: string, body: unknown, token: string | null = eng, s = server) =>
  api(s, 'POST', `/api/designs/${id}/whatif`, token, body);
const answer = (r: HttpAnswer) => r.body as unknown as WhatIfAnswer;
const whatIfAudit = (s = server) =>
  s.auth.audit.query({ limit: 100_000 }).filter((e) => e.action === 'design:whatif');

describe('what-if over HTTP', () => {
  it('simulates the draft and the live layout from the same seed and answers both, audited', async () => {
    const id = await draftOf(withExtraAgv(liveNow()));
    const r = await whatIf(id, { hours: 0.2, seed: 5 });
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
    const a = answer(r);
    expect(a).toMatchObject({ ok: true, hours: 0.2, seed: 5 });
    expect(a.wallS).toBeGreaterThan(0);
    expect(a.live.agvs.count).toBe(8);
    expect(a.draft.agvs.count).toBe(9);
    expect(a.draft.agvs.utilization).not.toBe(a.live.agvs.utilization);
    // AGV-09 stands at its home spur (x 100 m, z 2 m): its floor cell fills with AGV-seconds.
    const g = a.draft.heat.agvTraffic;
    const home = Math.floor((2 - g.originZ) / g.cellM) * g.cols + Math.floor((100 - g.originX) / g.cellM);
    expect(g.values[home]).toBeGreaterThan(a.live.heat.agvTraffic.values[home] ?? 0);
    expect(a.draft.lines.map((l) => l.id)).toEqual(a.live.lines.map((l) => l.id));
    expect(a.live.heat.rsrp.values).toHaveLength(a.live.heat.rsrp.cols * a.live.heat.rsrp.rows);
    // The running plant is untouched.
    expect(server.session.world.equipment).toHaveLength(liveNow().equipment.length);
    const entry = whatIfAudit().find((e) => e.target === id);
    expect(entry).toMatchObject({ user: 'eng1', result: 'ok', params: { hours: 0.2, seed: 5 } });
  });

  it('gives JSON-equal KPIs for the same seed, other KPIs for another, and defaults to the live seed', async () => {
    const id = await draftOf();
    const a = answer(await whatIf(id, { hours: 0.05, seed: 21 }));
    const b = answer(await whatIf(id, { hours: 0.05, seed: 21 }));
    expect(JSON.stringify(b.draft)).toBe(JSON.stringify(a.draft));
    expect(JSON.stringify(b.live)).toBe(JSON.stringify(a.live));
    // The draft is a copy of the live layout: the same plant, the same run.
    expect(JSON.stringify(a.draft)).toBe(JSON.stringify(a.live));
    const c = answer(await whatIf(id, { hours: 0.05, seed: 22 }));
    expect(JSON.stringify(c.live)).not.toBe(JSON.stringify(a.live));
    const d = await whatIf(id, { hours: 0.05 });
    expect(d.status).toBe(200);
    expect(answer(d).seed).toBe(3);
  });

  it('runs a shipped scenario on both layouts from its seed, with what each applied, audited', async () => {
    const id = await draftOf();
    const r = await whatIf(id, { hours: 0.1, scenario: 'flexible-changeover' });
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
    const a = answer(r);
    expect(a).toMatchObject({ scenario: 'flexible-changeover', seed: 8 });
    for (const side of [a.draft, a.live]) {
      expect(side.scenario?.id).toBe('flexible-changeover');
      expect(side.scenario?.entries).toContainEqual(
        expect.objectContaining({ kind: 'step', what: 'set order-mix L3', ok: true }),
      );
      expect(side.scenario?.entries).toContainEqual(
        expect.objectContaining({ kind: 'command', what: 'start L3', ok: true }),
      );
    }
    const entry = whatIfAudit().find((e) => e.target === id);
    expect(entry?.params).toMatchObject({ scenario: 'flexible-changeover', seed: 8 });
  });

  it('refuses an unknown scenario, naming the shipped ones, and a malformed scenario id', async () => {
    const id = await draftOf();
    const unknown = await whatIf(id, { hours: 0.1, scenario: 'no-such-case' });
    expect(unknown.status).toBe(422);
    expect(String(unknown.body.message)).toMatch(
      /^unknown scenario "no-such-case" \(expected one of: .*flexible-changeover/,
    );
    const bad = await whatIf(id, { hours: 0.1, scenario: '../etc' });
    expect(bad.status).toBe(400);
    expect(String(bad.body.message)).toContain('scenario');
  });

  it('keeps the plant ticking and reports progress while a run goes, and refuses a second run', async () => {
    const id = await draftOf();
    const viewer = await server.client('viewer');
    let frames = 0;
    viewer.on('telemetry:frame', () => frames++);
    const run = whatIf(id, { hours: 2, seed: 5 });
    // Simulation time and frames when the run was first and last seen in progress.
    const during = { simS: [0, 0], frames: [0, 0] };
    const seen: WhatIfProgress[] = [];
    let busy: HttpAnswer | null = null;
    for (;;) {
      const p = await api(server, 'GET', `/api/designs/${id}/whatif`, eng);
      const body = p.body as unknown as WhatIfProgress;
      if (!body.running && seen.length) break;
      if (body.running) {
        if (!seen.length) during.simS[0] = server.session.world.simTimeS;
        if (!seen.length) during.frames[0] = frames;
        during.simS[1] = server.session.world.simTimeS;
        during.frames[1] = frames;
        seen.push(body);
        busy ??= await whatIf(id, { hours: 0.1 });
      }
      await sleep(20);
    }
    const done = await run;
    expect(done.status).toBe(200);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toMatchObject({ running: true, hours: 2, seed: 5 });
    const progress = seen.map((s) => s.progress);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]);
    expect(progress.some((p) => p > 0 && p < 1)).toBe(true);
    expect(busy).toMatchObject({ status: 409, body: { ok: false, code: 'CONFLICT' } });
    // The loop went on: simulation time advanced and frames arrived while the run was in progress.
    expect(during.simS[1]).toBeGreaterThan(during.simS[0]);
    expect(during.frames[1]).toBeGreaterThan(during.frames[0]);
    // Another draft's run is not this one's.
    const other = await api(server, 'GET', `/api/designs/${await draftOf()}/whatif`, eng);
    expect(other.body).toMatchObject({ ok: true, running: false, progress: 0 });
  });

  it('refuses a draft whose layout has errors with them named by path, and runs nothing', async () => {
    const broken = liveNow();
    broken.equipment[1].id = broken.equipment[0].id;
    const id = await draftOf(broken);
    const audited = whatIfAudit().length;
    const r = await whatIf(id, { hours: 0.1 });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ ok: false, code: 'INVALID' });
    const errors = r.body.errors as string[];
    expect(errors.some((e) => e.startsWith('equipment[1].id') && e.includes('duplicate'))).toBe(true);
    expect(whatIfAudit()).toHaveLength(audited);
    const p = await api(server, 'GET', `/api/designs/${id}/whatif`, eng);
    expect(p.body).toMatchObject({ running: false });
  });

  it('refuses bad bodies, unknown drafts and other methods with a clear error', async () => {
    const id = await draftOf();
    const audited = whatIfAudit().length;
    const cases: [string, string, unknown, number, string?][] = [
      ['POST', `/api/designs/${id}/whatif`, {}, 400, 'hours'],
      ['POST', `/api/designs/${id}/whatif`, { hours: 0 }, 400, 'hours: must be > 0'],
      ['POST', `/api/designs/${id}/whatif`, { hours: -1 }, 400, 'hours'],
      ['POST', `/api/designs/${id}/whatif`, { hours: 25 }, 400, 'hours: expected at most 24'],
      ['POST', `/api/designs/${id}/whatif`, { hours: '1' }, 400, 'hours'],
      ['POST', `/api/designs/${id}/whatif`, { hours: 1, seed: 1.5 }, 400, 'seed'],
      ['POST', `/api/designs/${id}/whatif`, { hours: 1, seed: -1 }, 400, 'seed'],
      ['POST', `/api/designs/${id}/whatif`, { hours: 1, seed: 2 ** 31 }, 400, 'seed'],
      ['POST', `/api/designs/${id}/whatif`, { hours: 1, fast: true }, 400],
      ['POST', `/api/designs/${id}/whatif`, '{"hours": ', 400, 'not valid JSON'],
      ['POST', `/api/designs/${id}/whatif`, 'null', 400],
      ['POST', '/api/designs/d-000000000000/whatif', { hours: 0.1 }, 404],
      ['GET', '/api/designs/d-000000000000/whatif', undefined, 404],
      ['POST', '/api/designs/nope/whatif', { hours: 0.1 }, 400, 'design id'],
      ['PUT', `/api/designs/${id}/whatif`, { hours: 0.1 }, 405],
      ['DELETE', `/api/designs/${id}/whatif`, undefined, 405],
    ];
    for (const [method, path, body, status, says] of cases) {
      const r = await api(server, method, path, eng, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
      expect(r.body.ok).toBe(false);
      if (says) expect(r.body.message).toContain(says);
    }
    const big = await api(server, 'POST', `/api/designs/${id}/whatif`, eng, {
      hours: 0.1,
      pad: 'x'.repeat(MAX_WHATIF_BODY),
    });
    expect(big.status).toBe(413);
    expect(whatIfAudit()).toHaveLength(audited);
    // The server is still fine.
    expect((await whatIf(id, { hours: 0.05 })).status).toBe(200);
  });

  it('lets engineers and admins run what-ifs, and no one else (401 without a token, 403 other roles)', async () => {
    const id = await draftOf();
    expect(await whatIf(id, { hours: 0.05 }, null)).toMatchObject({
      status: 401,
      body: { code: 'UNAUTHENTICATED' },
    });
    expect((await api(server, 'GET', `/api/designs/${id}/whatif`, null)).status).toBe(401);
    for (const role of ['viewer', 'operator', 'trainer'] as const) {
      const token = await server.login(role);
      expect(await whatIf(id, { hours: 0.05 }, token), role).toMatchObject({
        status: 403,
        body: { code: 'FORBIDDEN' },
      });
      expect((await api(server, 'GET', `/api/designs/${id}/whatif`, token)).status).toBe(403);
    }
    expect((await whatIf(id, { hours: 0.05 }, await server.login('admin'))).status).toBe(200);
  });

  it('stops a run when its caller hangs up, freeing the server for the next', async () => {
    const id = await draftOf();
    const abort = new AbortController();
    const run = fetch(`${server.url}/api/designs/${id}/whatif`, {
      method: 'POST',
      headers: { authorization: `Bearer ${eng}`, 'content-type': 'application/json' },
      body: JSON.stringify({ hours: 24 }),
      signal: abort.signal,
    }).catch((err: Error) => err);
    const progress = async () =>
      (await api(server, 'GET', `/api/designs/${id}/whatif`, eng)).body as unknown as WhatIfProgress;
    while (!(await progress()).running) await sleep(20);
    abort.abort();
    expect(await run).toBeInstanceOf(Error);
    while ((await progress()).running) await sleep(20);
    expect((await whatIf(id, { hours: 0.05 })).status).toBe(200);
    expect(
      whatIfAudit()
        .filter((e) => e.target === id)
        .map((e) => e.result)
        .sort(),
    ).toEqual(['error', 'ok']);
  });

  it('stops a run in progress when the server closes', async () => {
    const own = await startTestServer({ seed: 2, security: FAST });
    let closed = false;
    try {
      const token = await own.login('engineer');
      const id = await draftOf(undefined, own, token);
      // 24 simulated hours of two layouts: far longer than this test waits.
      const run = whatIf(id, { hours: 24 }, token, own).catch((err: Error) => err);
      for (;;) {
        const p = await api(own, 'GET', `/api/designs/${id}/whatif`, token);
        if ((p.body as unknown as WhatIfProgress).running) break;
        await sleep(20);
      }
      await own.close();
      closed = true;
      const out = await run;
      // Answered "cancelled" before the socket closed, or the connection went with the server; either
      // way long before 24 simulated hours could have run.
      if (!(out instanceof Error)) expect(out).toMatchObject({ status: 503, body: { code: 'INTERNAL' } });
    } finally {
      if (!closed) await own.close();
    }
  });
});
