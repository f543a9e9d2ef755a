import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingEnded, TrainingState } from '../../../protocol';
import { handshakeRefusal, nextEvent, startTestServer, type TestServer } from '../../helpers/server';
import { api, FIXTURES } from './support';

let server: TestServer;
let trainer: string;
let operator: string;
let viewer: string;

beforeAll(async () => {
  server = await startTestServer({ scenarios: FIXTURES, maxTrainingSessions: 2 });
  [trainer, operator, viewer] = await Promise.all([
    server.login('trainer'),
    server.login('operator'),
    server.login('viewer'),
  ]);
});
afterAll(async () => {
  await server?.close();
});

describe('GET /api/scenarios', () => {
  it('lists the scenario catalog to any logged-in role and 401 without a token', async () => {
    expect((await api(server, 'GET', '/api/scenarios')).status).toBe(401);
    const r = await api(server, 'GET', '/api/scenarios', viewer);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      ok: true,
      scenarios: [
        {
          id: 'jam-drill',
          name: 'Jam drill',
          description: 'Conveyor L1-C2 jams two seconds into the shift.',
          learningGoal: 'Acknowledge a conveyor fault within 30 s and reset it.',
        },
      ],
    });
    expect((await api(server, 'POST', '/api/scenarios', viewer, {})).status).toBe(405);
  });
});

describe('/api/sessions', () => {
  it('creates a session for trainers only, answering { ok, id, code }, and refuses bad bodies with 400', async () => {
    expect((await api(server, 'POST', '/api/sessions', null, { scenario: 'jam-drill' })).status).toBe(401);
    const forbidden = await api(server, 'POST', '/api/sessions', operator, { scenario: 'jam-drill' });
    expect(forbidden).toMatchObject({ status: 403, body: { ok: false, code: 'FORBIDDEN' } });
    for (const bad of [
      {},
      { scenario: 'jam-drill', speed: 51 },
      { scenario: 'jam-drill', seed: -1 },
      { scenario: 'jam-drill', x: 1 },
      [],
    ]) {
      const r = await api(server, 'POST', '/api/sessions', trainer, bad);
      expect(r, JSON.stringify(bad)).toMatchObject({ status: 400, body: { ok: false, code: 'INVALID' } });
    }
    expect((await api(server, 'POST', '/api/sessions', trainer, '{nope')).status).toBe(400);
    const wrongType = await api(server, 'POST', '/api/sessions', trainer, 'x', {
      'content-type': 'text/plain',
    });
    expect(wrongType.status).toBe(415);
    const unknown = await api(server, 'POST', '/api/sessions', trainer, { scenario: 'no-such-scenario' });
    expect(unknown).toMatchObject({ status: 404, body: { ok: false, code: 'NOT_FOUND' } });

    const r = await api(server, 'POST', '/api/sessions', trainer, {
      scenario: 'jam-drill',
      seed: 9,
      speed: 2,
    });
    expect(r.status).toBe(201);
    expect(Object.keys(r.body).sort()).toEqual(['code', 'id', 'ok']);
    const one = await api(server, 'GET', `/api/sessions/${r.body.code}`, trainer);
    expect(one.body.session).toMatchObject({ id: r.body.id, seed: 9, speed: 2, running: false, simTimeS: 0 });
    const list = await api(server, 'GET', '/api/sessions', trainer);
    expect((list.body.sessions as TrainingState[]).map((s) => s.id)).toContain(r.body.id);
    expect((await api(server, 'GET', '/api/sessions', operator)).status).toBe(403);
    expect((await api(server, 'GET', '/api/sessions', null)).status).toBe(401);
    expect((await api(server, 'DELETE', `/api/sessions/${r.body.id}`, trainer)).status).toBe(200);
  });

  it('limits concurrent sessions with a clear 409 CONFLICT', async () => {
    const made: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await api(server, 'POST', '/api/sessions', trainer, { scenario: 'jam-drill' });
      expect(r.status).toBe(201);
      made.push(r.body.id as string);
    }
    const full = await api(server, 'POST', '/api/sessions', trainer, { scenario: 'jam-drill' });
    expect(full).toMatchObject({ status: 409, body: { ok: false, code: 'CONFLICT' } });
    expect(full.body.message).toMatch(/2 training sessions/);
    for (const id of made) await api(server, 'DELETE', `/api/sessions/${id}`, trainer);
  });

  it('ends a session on DELETE: its sockets are told and closed, its id and code are gone', async () => {
    const r = await api(server, 'POST', '/api/sessions', trainer, { scenario: 'jam-drill' });
    const { id, code } = r.body as unknown as { id: string; code: string };
    const trainee = await server.client('operator', { session: code });
    const ended = nextEvent<TrainingEnded>(trainee, 'training:ended');
    const gone = nextEvent<string>(trainee, 'disconnect');
    expect((await api(server, 'DELETE', `/api/sessions/${id}`, operator)).status).toBe(403);
    expect((await api(server, 'DELETE', `/api/sessions/${id}`, trainer)).body).toEqual({ ok: true, id });
    expect(await ended).toMatchObject({ id });
    expect(await gone).toBe('io server disconnect');
    expect((await api(server, 'DELETE', `/api/sessions/${id}`, trainer)).status).toBe(404);
    expect((await api(server, 'GET', `/api/sessions/${code}`, trainer)).status).toBe(404);
    expect(await handshakeRefusal(server.url, { token: operator, session: code })).toMatchObject({
      code: 'NOT_FOUND',
    });
    // Creating and ending are audited, with who did it.
    const audit = server.auth.audit.query({ limit: 1000 });
    expect(audit.some((e) => e.action === 'training:end' && e.target === id && e.result === 'ok')).toBe(true);
    expect(
      audit.some((e) => e.action === 'training:create' && e.user === server.users.trainer.username),
    ).toBe(true);
    // The login itself is untouched: the live plant still lets the trainee in.
    await server.client('operator', { token: operator });
  });

  it('serves the event log and the report of a session: 404 unknown, 403 for operators, 400 bad query', async () => {
    const r = await api(server, 'POST', '/api/sessions', trainer, { scenario: 'jam-drill' });
    const id = r.body.id as string;
    expect((await api(server, 'GET', '/api/sessions/abc123/events', trainer)).status).toBe(404);
    expect((await api(server, 'GET', `/api/sessions/${id}/events`, operator)).status).toBe(403);
    expect((await api(server, 'GET', `/api/sessions/${id}/report`, null)).status).toBe(401);
    expect((await api(server, 'GET', `/api/sessions/${id}/events?limit=x`, trainer)).status).toBe(400);
    const ev = await api(server, 'GET', `/api/sessions/${id}/events`, trainer);
    expect(ev.status).toBe(200);
    // The message step due at 0 s is applied when the session is built.
    expect(ev.body.events).toEqual([
      {
        kind: 'step',
        simS: 0,
        step: 0,
        atS: 0,
        action: 'message',
        ok: true,
        message: 'Watch line 1.',
        text: { code: 'text.localized', params: { en: 'Watch line 1.' } },
      },
    ]);
    const rep = await api(server, 'GET', `/api/sessions/${id}/report`, trainer);
    expect(rep.body).toMatchObject({ ok: true, id, scenarioId: 'jam-drill', trainees: [] });
    await api(server, 'DELETE', `/api/sessions/${id}`, trainer);
  });
});
