import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmTransition, RecordingSummary, ReplayOpened } from '../../../protocol';
import { connectClient, nextEvent, startTestServer, type TestServer } from '../../helpers/server';
import { refusal, send } from '../access/support';
import { api, collect, control, createSession, FAST, FIXTURES, stepTimes, until } from '../training/support';
import { ask, byId, bytes, QUICK, seek, watch } from './support';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    scenarios: FIXTURES,
    security: FAST,
    record: { live: false, tuning: QUICK },
  });
});
afterAll(async () => {
  await server?.close();
});

/** The recordings a role's token lists. */
async function listed(token: string): Promise<RecordingSummary[]> {
  const r = await api(server, 'GET', '/api/recordings', token);
  expect(r.status).toBe(200);
  return r.body.recordings as RecordingSummary[];
}

describe('recording training sessions', () => {
  it('records a run; a restart ends it and starts a new recording; replay equals what the trainee saw', async () => {
    const { id, code } = await createSession(server, 'jam-drill', { seed: 12 });
    const session = server.app.training.find(id)!;
    const run0 = session.recordingId!;
    expect(run0).toMatch(/^trn-[0-9a-f]{16}$/);
    const trainer = await server.client('trainer', { session: code });
    const tToken = await server.login('operator');
    const trainee = connectClient(server.url, { token: tToken, session: code });
    const snap = await nextEvent(trainee, 'plant:snapshot');
    const seen = watch(trainee, snap);
    const raised = collect<AlarmTransition>(trainee, 'alarm:changed');
    // Steps are deterministic: 30 steps puts the jam (at 2 s) and its alarm in the run.
    await stepTimes(trainer, 30);
    await until(() => seen.frames.length === 30, 5000, 'the 30 frames');
    await until(() => raised.some((t) => t.to === 'unacknowledged'), 5000, 'the jam alarm');
    const alarmId = raised.find((t) => t.to === 'unacknowledged')!.alarmId;
    expect(await send(trainee, 'alarm:ack', { ids: [alarmId] })).toMatchObject({ ok: true });
    await until(() => raised.some((t) => t.to === 'acknowledged'), 5000, 'the acknowledgement');
    await stepTimes(trainer, 10);
    await until(() => seen.frames.length === 40, 5000, 'the 40 frames');
    const inProcess = session.plant().snapshot();

    const trainerToken = await server.login('trainer');
    const before = (await listed(trainerToken)).find((r) => r.id === run0)!;
    expect(before).toMatchObject({
      kind: 'training',
      sessionId: id,
      scenarioId: 'jam-drill',
      seed: 12,
      endedAt: null,
    });

    expect(await control(trainer, { action: 'restart' })).toMatchObject({ ok: true });
    const run1 = session.recordingId!;
    expect(run1).not.toBe(run0);
    await session.closed();
    const after = await listed(trainerToken);
    expect(after.find((r) => r.id === run0)!.endedAt).not.toBeNull();
    expect(after.find((r) => r.id === run1)).toMatchObject({
      kind: 'training',
      sessionId: id,
      endedAt: null,
    });

    // Replay of run 0 by a trainer on the live plant's socket.
    const viewer = await server.client('trainer');
    const opened = (await ask(viewer, 'replay:open', { id: run0 })) as unknown as ReplayOpened & { ok: true };
    expect(opened.ok).toBe(true);
    expect(opened.timeline.ended).toBe(true);
    expect(opened.timeline.toSimS).toBeCloseTo(4, 6);
    expect(opened.timeline.alarms.map((m) => m.alarmId)).toContain(alarmId);
    for (const n of [0, 1, 15, 20, 29, 30, 35, 40]) {
      const live = seen.at(n);
      const state = await seek(viewer, run0, live.simTimeS);
      expect(state.tick, `tick ${n}`).toBe(live.tick);
      expect(bytes(state.keyframe).equals(Buffer.from(live.keyframe)), `keyframe ${n}`).toBe(true);
      expect(byId(state.alarms), `alarms ${n}`).toEqual(byId(live.alarms));
      expect(state.alarmSeq).toBe(live.alarmSeq);
      expect(state.events).toEqual(live.events);
      expect(state.kpis).toEqual(live.kpis);
    }
    const end = await seek(viewer, run0, 4);
    expect(bytes(end.keyframe).equals(bytes(inProcess.keyframe))).toBe(true);
    expect(end.alarms.find((a) => a.id === alarmId)?.state).toBe('acknowledged');
    trainee.close();
  });

  it('ends the recording when the session ends', async () => {
    const { id } = await createSession(server);
    const session = server.app.training.find(id)!;
    const rec = session.recordingId!;
    const token = await server.login('trainer');
    expect((await api(server, 'DELETE', `/api/sessions/${id}`, token)).status).toBe(200);
    await session.closed();
    expect((await listed(token)).find((r) => r.id === rec)!.endedAt).not.toBeNull();
  });

  it('shows training recordings to trainers and admins only', async () => {
    const { id } = await createSession(server);
    const rec = server.app.training.find(id)!.recordingId!;
    for (const role of ['viewer', 'operator'] as const) {
      const token = await server.login(role);
      expect((await listed(token)).some((r) => r.kind === 'training')).toBe(false);
      const r = await api(server, 'GET', `/api/recordings/${rec}/timeline`, token);
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('FORBIDDEN');
      const c = await server.client(role);
      expect(refusal(await ask(c, 'replay:open', { id: rec })).code).toBe('FORBIDDEN');
      expect(refusal(await ask(c, 'replay:seek', { id: rec, simS: 0 })).code).toBe('FORBIDDEN');
    }
    const admin = await server.login('admin');
    expect((await listed(admin)).some((r) => r.id === rec)).toBe(true);
    // The live plant is not recorded on this server (live: false).
    expect((await listed(admin)).some((r) => r.kind === 'live')).toBe(false);
    expect(server.app.liveRecordingId).toBeNull();
  });
});
