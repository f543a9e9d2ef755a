import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AlarmTransition,
  PlantEvent,
  TrainingActivity,
  TrainingState,
  TrainingStepApplied,
} from '../../../protocol';
import {
  connectClient,
  handshakeRefusal,
  nextEvent,
  startTestServer,
  type TestServer,
} from '../../helpers/server';
import { refusal, send } from '../access/support';
import {
  collect,
  control,
  createSession,
  FAST,
  FIXTURES,
  inject,
  stateOf,
  stepTimes,
  until,
} from './support';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ scenarios: FIXTURES, security: FAST });
});
afterAll(async () => {
  await server?.close();
});

describe('joining a training session', () => {
  it('joins by join code in any case and by id, paused at t = 0 with the session state', async () => {
    const { id, code } = await createSession(server);
    expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
    for (const key of [code, code.toLowerCase(), id]) {
      const token = await server.login('operator');
      const c = connectClient(server.url, { token, session: key });
      const states = collect<TrainingState>(c, 'training:state');
      const snap = await nextEvent(c, 'plant:snapshot');
      expect(snap.simTimeS).toBe(0);
      await until(() => states.length > 0, 5000, 'training:state');
      expect(states[0]).toMatchObject({ id, code, scenarioId: 'jam-drill', running: false, simTimeS: 0 });
      c.close();
    }
  });

  it('refuses a handshake naming an unknown session with NOT_FOUND', async () => {
    const token = await server.login('operator');
    expect(await handshakeRefusal(server.url, { token, session: 'ZZZZZZ' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await handshakeRefusal(server.url, { token, session: 42 })).toMatchObject({ code: 'INVALID' });
  });

  it('still puts a socket without auth.session on the live plant', async () => {
    const c = await server.client('operator');
    expect(await send(c, 'training:control', { action: 'start' })).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    const t = await server.client('trainer');
    expect(await control(t, { action: 'start' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(server.session.paused).toBe(false);
  });
});

describe('trainer controls', () => {
  it('starts, pauses, steps one tick, changes speed and restarts with the same seed, telling the room', async () => {
    const { code } = await createSession(server);
    const trainer = await server.client('trainer', { session: code });
    const trainee = await server.client('operator', { session: code });
    const seen = collect<TrainingState>(trainee, 'training:state');

    const started = stateOf(await control(trainer, { action: 'start', speed: 20 }));
    expect(started).toMatchObject({ running: true, speed: 20 });
    await until(() => seen.some((s) => s.running && s.speed === 20), 5000, 'the room to hear the start');
    const frames = collect<ArrayBuffer>(trainee, 'telemetry:frame');
    await until(() => frames.length > 2, 5000, 'frames of the running session');
    expect(refusal(await control(trainer, { action: 'step' })).code).toBe('CONFLICT');

    const paused = stateOf(await control(trainer, { action: 'pause' }));
    expect(paused.running).toBe(false);
    expect(paused.simTimeS).toBeGreaterThan(0);
    const stepped = stateOf(await control(trainer, { action: 'step' }));
    expect(stepped.simTimeS).toBeCloseTo(paused.simTimeS + 0.1, 6);
    expect(stepped.running).toBe(false);

    expect(stateOf(await control(trainer, { action: 'speed', speed: 0.1 })).speed).toBe(0.1);
    expect(stateOf(await control(trainer, { action: 'speed', speed: 50 })).speed).toBe(50);
    expect(refusal(await control(trainer, { action: 'speed', speed: 51 })).code).toBe('INVALID');
    expect(refusal(await control(trainer, { action: 'speed' })).code).toBe('INVALID');
    expect(refusal(await control(trainer, { action: 'rewind' } as never)).code).toBe('INVALID');

    const snapshot = nextEvent(trainee, 'plant:snapshot');
    const restarted = stateOf(await control(trainer, { action: 'restart' }));
    expect(restarted).toMatchObject({ running: false, simTimeS: 0, run: 1, seed: 4 });
    expect((await snapshot).simTimeS).toBe(0);
  });

  it('answers each clock control with what the clock does now, as a text code beside its English', async () => {
    const { code } = await createSession(server);
    const trainer = await server.client('trainer', { session: code });
    expect(await control(trainer, { action: 'start', speed: 4 })).toMatchObject({
      ok: true,
      message: 'session started at 4× speed',
      text: { code: 'training.control.started', params: { speed: 4 } },
    });
    expect(refusal(await control(trainer, { action: 'step' }))).toMatchObject({
      code: 'CONFLICT',
      message: 'pause the session before stepping it',
      text: { code: 'training.control.pauseFirst' },
    });
    const paused = await control(trainer, { action: 'pause' });
    expect(paused).toMatchObject({ ok: true, text: { code: 'training.control.paused' } });
    const at = (paused as unknown as { text: { params: { simTime: number } } }).text.params.simTime;
    expect(at).toBe(Math.round(stateOf(paused).simTimeS));
    expect(await control(trainer, { action: 'speed', speed: 8 })).toMatchObject({
      text: { code: 'training.control.speed', params: { speed: 8 } },
      message: 'speed set to 8×',
    });
    expect(await control(trainer, { action: 'resume' })).toMatchObject({
      text: { code: 'training.control.resumed', params: { speed: 8 } },
    });
    expect(await control(trainer, { action: 'restart' })).toMatchObject({
      text: { code: 'training.control.restarted', params: { run: 2 } },
    });
    expect(
      refusal(await inject(trainer, { fault: { kind: 'conveyor-jam', equipment: 'NO-SUCH-1' } })),
    ).toMatchObject({
      code: 'NOT_FOUND',
      message: 'no equipment or line "NO-SUCH-1" in this plant',
      text: { code: 'training.refused.unknownTarget', params: { equipment: 'NO-SUCH-1' } },
    });
  });

  it('answers FORBIDDEN to operators and viewers for control and injection, who may still watch and acknowledge', async () => {
    const { code } = await createSession(server);
    const trainer = await server.client('trainer', { session: code });
    for (const role of ['viewer', 'operator'] as const) {
      const c = await server.client(role, { session: code });
      expect(await control(c, { action: 'start' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
      expect(await inject(c, { fault: { kind: 'conveyor-jam', equipment: 'L2-C1' } })).toMatchObject({
        ok: false,
        code: 'FORBIDDEN',
      });
      expect((await send(c, 'plant:resync')).ok).toBe(true);
    }
    expect(stateOf(await control(trainer, { action: 'pause' })).running).toBe(false);
    const op = await server.client('operator', { session: code });
    const ack = await send(op, 'alarm:ack', { ids: ['conveyor-fault@L1-C2'] });
    expect(ack).toMatchObject({ ok: false, code: 'NOT_FOUND' }); // allowed, just nothing to acknowledge yet
    const admin = await server.client('admin', { session: code });
    expect((await control(admin, { action: 'step' })).ok).toBe(true);
  });
});

describe('hand injection and what trainers see', () => {
  it('injects a fault on any equipment as simulated: its events and alarms are marked, trainers see it', async () => {
    const { code } = await createSession(server);
    const trainer = await server.client('trainer', { session: code });
    const trainee = await server.client('operator', { session: code });
    const activity = collect<TrainingActivity>(trainer, 'training:activity');
    const traineeActivity = collect<TrainingActivity>(trainee, 'training:activity');
    const events = collect<PlantEvent>(trainee, 'plant:event');
    const alarms = collect<AlarmTransition>(trainee, 'alarm:changed');

    const r = await inject(trainer, { fault: { kind: 'conveyor-jam', equipment: 'L2-C1' } });
    expect(r).toMatchObject({ ok: true, simTimeS: 0 });
    await stepTimes(trainer, 3);
    await until(() => alarms.some((t) => t.alarmId === 'conveyor-fault@L2-C1'), 5000, 'the jam alarm');
    const raise = alarms.find((t) => t.alarmId === 'conveyor-fault@L2-C1')!;
    expect(raise).toMatchObject({ to: 'unacknowledged', simulated: true, alarm: { simulated: true } });
    expect(events.some((e) => e.equipmentId === 'L2-C1' && e.simulated === true)).toBe(true);

    // The trainee acknowledges; the trainer sees it live, the trainee does not see trainer activity.
    expect((await send(trainee, 'alarm:ack', { ids: ['conveyor-fault@L2-C1'] })).ok).toBe(true);
    await until(
      () =>
        activity.some((a) => a.event === 'alarm:ack' && a.user === server.users.operator.username && a.ok),
      5000,
      'the trainer to see the acknowledgement',
    );
    expect(activity.some((a) => a.event === 'training:inject' && a.target === 'L2-C1' && a.ok)).toBe(true);
    expect(traineeActivity).toEqual([]);

    expect(await inject(trainer, { fault: { kind: 'conveyor-jam', equipment: 'NOPE-1' } })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await inject(trainer, { fault: { kind: 'meltdown', equipment: 'L2-C1' } } as never)).toMatchObject(
      {
        ok: false,
        code: 'INVALID',
      },
    );
    expect((await inject(trainer, { clear: { equipment: 'L2-C1' } })).ok).toBe(true);
  });

  it('sends the scenario timeline steps to the room as they are applied', async () => {
    const { code } = await createSession(server);
    const trainer = await server.client('trainer', { session: code });
    const steps = collect<TrainingStepApplied>(trainer, 'training:step');
    await stepTimes(trainer, 21);
    await until(() => steps.length > 0, 5000, 'training:step');
    expect(steps[0]).toMatchObject({ action: 'fault', atS: 2, ok: true });
    expect(steps[0].simS).toBeCloseTo(2, 6);
  });
});
