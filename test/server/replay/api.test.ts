import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLAY_MAX_SPAN_S, type ReplayBookmark, type ReplayTimeline } from '../../../protocol';
import { sleep, startTestServer, type TestServer } from '../../helpers/server';
import { fire, refusal, send } from '../access/support';
import { api, until } from '../training/support';
import { ask, QUICK } from './support';

let server: TestServer;
let id = '';

beforeAll(async () => {
  server = await startTestServer({
    seed: 9,
    speed: 5,
    record: { tuning: QUICK },
    security: { requestRate: { perS: 10_000, burst: 10_000 } },
  });
  id = server.app.liveRecordingId!;
  // The recorder commits in chunks: wait until ten seconds are stored.
  await until(() => (server.recordings!.get(id)?.toSimS ?? 0) > 10, 15_000, 'ten recorded seconds');
});
afterAll(async () => {
  await server?.close();
});

describe('the recordings HTTP API', () => {
  it('answers 401 without a token, 404 for unknown recordings and routes, 400 for bad ids, 405 for other methods', async () => {
    expect((await api(server, 'GET', '/api/recordings')).status).toBe(401);
    expect((await api(server, 'GET', `/api/recordings/${id}/timeline`, 'not-a-token')).status).toBe(401);
    expect(
      (await api(server, 'POST', `/api/recordings/${id}/bookmarks`, null, { simS: 1, label: 'x' })).status,
    ).toBe(401);
    const viewer = await server.login('viewer');
    const nf = await api(server, 'GET', '/api/recordings/live-0000000000000000/timeline', viewer);
    expect(nf).toMatchObject({ status: 404, body: { ok: false, code: 'NOT_FOUND' } });
    expect((await api(server, 'GET', '/api/recordings/x/nope', viewer)).status).toBe(404);
    const bad = await api(server, 'GET', '/api/recordings/bad$id/timeline', viewer);
    expect(bad).toMatchObject({ status: 400, body: { code: 'INVALID' } });
    expect((await api(server, 'DELETE', '/api/recordings', viewer)).status).toBe(405);
    expect((await api(server, 'GET', `/api/recordings/${id}/bookmarks`, viewer)).status).toBe(405);
    expect((await api(server, 'POST', `/api/recordings/${id}/timeline`, viewer, {})).status).toBe(405);
  });

  it('gives one recording and its timeline to any logged-in role', async () => {
    const viewer = await server.login('viewer');
    const one = await api(server, 'GET', `/api/recordings/${id}`, viewer);
    expect(one).toMatchObject({
      status: 200,
      body: { ok: true, recording: { id, kind: 'live', sessionId: 'live' } },
    });
    const tl = await api(server, 'GET', `/api/recordings/${id}/timeline`, viewer);
    expect(tl.status).toBe(200);
    expect(tl.body).toMatchObject({ ok: true, id, ended: false, bookmarks: [] });
    expect(Array.isArray(tl.body.alarms)).toBe(true);
  });

  it('adds bookmarks for operators and up, audited; viewers get 403 and bad bodies 400', async () => {
    const viewer = await server.login('viewer');
    const op = await server.login('operator');
    const forbidden = await api(server, 'POST', `/api/recordings/${id}/bookmarks`, viewer, {
      simS: 2,
      label: 'x',
    });
    expect(forbidden).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    const ok = await api(server, 'POST', `/api/recordings/${id}/bookmarks`, op, {
      simS: 3,
      label: ' jam starts ',
    });
    expect(ok.status).toBe(201);
    const bm = ok.body.bookmark as ReplayBookmark;
    expect(bm).toMatchObject({ simS: 3, label: 'jam starts', user: 'op1' });
    const tl = await api(server, 'GET', `/api/recordings/${id}/timeline`, viewer);
    expect((tl.body.bookmarks as ReplayBookmark[]).map((b) => b.label)).toEqual(['jam starts']);
    const audit = server.auth.audit.query({ limit: 1000 }).filter((e) => e.action === 'recording:bookmark');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      user: 'op1',
      target: id,
      result: 'ok',
      params: { simS: 3, label: 'jam starts' },
    });
    for (const body of [
      { simS: 3 },
      { label: 'x' },
      { simS: 'NaN', label: 'x' },
      { simS: null, label: 'x' },
      { simS: -1, label: 'x' },
      { simS: 1e12, label: 'x' },
      { simS: 3, label: '' },
      { simS: 3, label: 'a'.repeat(201) },
      { simS: 3, label: 'bell\u0007' },
      { simS: 3, label: 'x', extra: 1 },
      [],
      'just text',
    ]) {
      const r = await api(server, 'POST', `/api/recordings/${id}/bookmarks`, op, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.code).toBe('INVALID');
    }
    const notJson = await api(server, 'POST', `/api/recordings/${id}/bookmarks`, op, '{oops', {});
    expect(notJson.status).toBe(400);
    const wrongType = await api(server, 'POST', `/api/recordings/${id}/bookmarks`, op, 'x', {
      'content-type': 'text/plain',
    });
    expect(wrongType.status).toBe(415);
    const past = await api(server, 'POST', `/api/recordings/${id}/bookmarks`, op, {
      simS: 1e6,
      label: 'later',
    });
    expect(past).toMatchObject({ status: 400, body: { code: 'INVALID' } });
    expect(past.body.message).toMatch(/within the recording/);
    const unknown = await api(server, 'POST', '/api/recordings/live-0000000000000000/bookmarks', op, {
      simS: 1,
      label: 'x',
    });
    expect(unknown.status).toBe(404);
    // Refusals changed nothing.
    expect(
      server.auth.audit.query({ limit: 1000 }).filter((e) => e.action === 'recording:bookmark'),
    ).toHaveLength(1);
  });

  it('lists no recordings and answers 404 for any recording on a server that keeps none', async () => {
    const s = await startTestServer();
    try {
      const token = await s.login('admin');
      expect(await api(s, 'GET', '/api/recordings', token)).toMatchObject({
        status: 200,
        body: { ok: true, recordings: [] },
      });
      expect(await api(s, 'GET', '/api/recordings/live-0', token)).toMatchObject({
        status: 404,
        body: { code: 'NOT_FOUND' },
      });
      const c = await s.client('admin');
      expect(refusal(await ask(c, 'replay:open', { id: 'live-0' })).code).toBe('NOT_FOUND');
    } finally {
      await s.close();
    }
  });
});

describe('replay requests over the socket', () => {
  it('refuses malformed payloads with INVALID and unknown recordings with NOT_FOUND', async () => {
    const c = await server.client('viewer');
    const cases: [string, unknown][] = [
      ['replay:open', {}],
      ['replay:open', { id: 42 }],
      ['replay:open', { id: '' }],
      ['replay:open', { id: '../../etc/passwd' }],
      ['replay:open', { id: 'a'.repeat(65) }],
      ['replay:open', { id, extra: true }],
      ['replay:open', null],
      ['replay:open', 'live'],
      ['replay:open', Buffer.from('binary')],
      ['replay:open', { id: { $gt: '' } }],
      ['replay:seek', { id }],
      ['replay:seek', { id, simS: Number.NaN }],
      ['replay:seek', { id, simS: Number.POSITIVE_INFINITY }],
      ['replay:seek', { id, simS: '5' }],
      ['replay:seek', { id, simS: -0.5 }],
      ['replay:seek', { id, simS: 1e300 }],
      ['replay:seek', { id: 7, simS: 1 }],
      ['replay:frames', { id, fromS: 0 }],
      ['replay:frames', { id, fromS: 5, toS: 5 }],
      ['replay:frames', { id, fromS: 6, toS: 5 }],
      ['replay:frames', { id, fromS: 0, toS: REPLAY_MAX_SPAN_S + 0.5 }],
      ['replay:frames', { id, fromS: 0, toS: 1e9 }],
      ['replay:frames', { id, fromS: Number.NaN, toS: 1 }],
      ['replay:frames', { id, fromS: 0, toS: '10' }],
      ['replay:frames', { id, fromS: 0, toS: 1, more: 1 }],
    ];
    for (const [event, payload] of cases) {
      const a = await send(c, event, payload);
      expect(a.ok, `${event} ${JSON.stringify(payload)}`).toBe(false);
      expect(refusal(a).code, `${event} ${JSON.stringify(payload)}: ${refusal(a).message}`).toBe('INVALID');
    }
    for (const [event, payload] of [
      ['replay:open', { id: 'live-0000000000000000' }],
      ['replay:seek', { id: 'trn-0', simS: 1 }],
      ['replay:frames', { id: 'nope', fromS: 0, toS: 1 }],
    ] as const) {
      const r = refusal(await send(c, event, payload));
      expect(r.code).toBe('NOT_FOUND');
      expect(r.message).toMatch(/no recording with id/);
    }
    // No ack: nothing to answer, and the socket stays up.
    fire(c, 'replay:seek', { id, simS: 1 });
    fire(c, 'replay:frames', { id, fromS: 0, toS: 1 }, 'not-an-ack');
    await sleep(100);
    expect(c.connected).toBe(true);
    expect(await send(c, 'replay:seek', { id, simS: 1 })).toMatchObject({ ok: true });
  });

  it('clamps a seek past the end to the recording and answers an empty window beyond it', async () => {
    const c = await server.client('viewer');
    const open = (await ask(c, 'replay:open', { id })) as unknown as { ok: true; timeline: ReplayTimeline };
    const late = await send(c, 'replay:seek', { id, simS: 1e8 });
    expect(late.ok).toBe(true);
    const st = (late as unknown as { state: { simTimeS: number } }).state;
    expect(st.simTimeS).toBeGreaterThanOrEqual(open.timeline.toSimS - 1e-9);
    const w = await send(c, 'replay:frames', { id, fromS: 1e8, toS: 1e8 + 10 });
    expect(w).toMatchObject({ ok: true, ends: [], items: [] });
  });

  it('rate-limits replay requests like every other request', async () => {
    const s = await startTestServer({ record: true, security: { requestRate: { perS: 1, burst: 3 } } });
    try {
      const c = await s.client('viewer');
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => send(c, 'replay:open', { id: s.app.liveRecordingId })),
      );
      expect(answers.some((a) => !a.ok && a.code === 'RATE_LIMITED')).toBe(true);
    } finally {
      await s.close();
    }
  });
});
