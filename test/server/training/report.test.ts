import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmTransition, TrainingActivity } from '../../../protocol';
import type { ExpectationResult } from '../../../protocol/scenario';
import { randomPassword, startTestServer, TEST_ACTOR, type TestServer } from '../../helpers/server';
import { send } from '../access/support';
import { api, collect, control, createSession, FAST, FIXTURES, until } from './support';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ scenarios: FIXTURES, security: FAST });
});
afterAll(async () => {
  await server?.close();
});

interface Report {
  trainees: { user: string; met: number; total: number; acks: number; results: ExpectationResult[] }[];
}

describe('scoring a trainee in a training session', () => {
  it('shows the expectation met for a trainee who acknowledges in time, and missed for one who does not', async () => {
    const password = randomPassword();
    expect((await server.auth.addUser('op2', 'operator', password, TEST_ACTOR)).ok).toBe(true);
    const { id, code } = await createSession(server);
    const trainer = await server.client('trainer', { session: code });
    const activity = collect<TrainingActivity>(trainer, 'training:activity');
    const attentive = await server.client('operator', { session: code });
    const idle = await server.client('operator', {
      token: await server.loginAs('op2', password),
      session: code,
    });
    expect(idle.connected).toBe(true);

    // The scripted trainee: acknowledges the jam alarm as soon as it rises.
    let acked = false;
    attentive.on('alarm:changed', (t: AlarmTransition) => {
      if (acked || t.alarmId !== 'conveyor-fault@L1-C2' || t.to !== 'unacknowledged') return;
      acked = true;
      void send(attentive, 'alarm:ack', { ids: [t.alarmId] });
    });
    expect((await control(trainer, { action: 'start', speed: 10 })).ok).toBe(true);
    await until(
      () => activity.some((a) => a.event === 'alarm:ack' && a.ok),
      10_000,
      'the trainee to acknowledge',
    );
    expect((await control(trainer, { action: 'pause' })).ok).toBe(true);

    const r = await api(server, 'GET', `/api/sessions/${id}/report`, await server.login('trainer'));
    expect(r.status).toBe(200);
    const { trainees } = r.body as unknown as Report;
    const byUser = new Map(trainees.map((t) => [t.user, t]));
    expect(byUser.get(server.users.operator.username)).toMatchObject({ met: 1, total: 1, acks: 1 });
    expect(byUser.get(server.users.operator.username)!.results[0]).toMatchObject({
      id: 'ack',
      met: true,
      reason: 'acknowledged-in-time',
    });
    expect(byUser.get('op2')).toMatchObject({ met: 0, total: 1, acks: 0 });
    expect(byUser.get('op2')!.results[0]).toMatchObject({ met: false, reason: 'not-acknowledged' });
    // The trainer did not act on the plant and is not scored.
    expect(byUser.has(server.users.trainer.username)).toBe(false);

    // The acknowledgement is in the session's event log, by its user, at its sim time.
    const ev = await api(server, 'GET', `/api/sessions/${id}/events`, await server.login('trainer'));
    const events = ev.body.events as { kind: string; simS: number; transition?: AlarmTransition }[];
    const ack = events.find(
      (e) => e.kind === 'alarm' && e.transition?.user === server.users.operator.username,
    );
    expect(ack?.transition).toMatchObject({
      alarmId: 'conveyor-fault@L1-C2',
      to: 'acknowledged',
      simulated: true,
    });
    expect(ack!.simS).toBeGreaterThanOrEqual(2);
  });
});
