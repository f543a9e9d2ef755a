import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingLogEntry } from '../../../protocol';
import { SCENARIOS_DIR } from '../../../server/scenarios/loadScenario';
import { startTestServer, type TestServer } from '../../helpers/server';
import { api, control, createSession, FAST } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ scenarios: SCENARIOS_DIR, security: FAST });
});
afterAll(async () => {
  await server?.close();
});

/** Resolves once the async `pred` holds (polled every 100 ms, not slept: a loaded machine only takes longer). */
async function waitFor(pred: () => Promise<boolean>, what: () => string, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Log {
  simTimeS: number;
  events: TrainingLogEntry[];
}

describe('two training sessions of one scenario and seed on one server', () => {
  it('agree on every alarm transition (sim time and value) and event, whenever each was started', async () => {
    const token = await server.login('trainer');
    const log = async (id: string): Promise<Log> => {
      const r = await api(server, 'GET', `/api/sessions/${id}/events`, token);
      expect(r.status).toBe(200);
      return r.body as unknown as Log;
    };
    const open = async () => {
      const s = await createSession(server, 'bearing-wear-diagnosis', { seed: 11, speed: 20 });
      const trainer = await server.client('trainer', { token, session: s.code });
      expect((await control(trainer, { action: 'start' })).ok).toBe(true);
      return { ...s, trainer };
    };
    const a = await open();
    // The second starts later, so the loop's ticks split the two runs' steps differently.
    await waitFor(
      async () => (await log(a.id)).simTimeS >= 3,
      () => 'the first session to run',
    );
    const b = await open();
    const sims = { a: 0, b: 0 };
    const raised = { a: false, b: false };
    const refresh = async () => {
      for (const [k, s] of [
        ['a', a],
        ['b', b],
      ] as const) {
        const l = await log(s.id);
        sims[k] = l.simTimeS;
        raised[k] = l.events.some((e) => e.kind === 'alarm' && e.transition.to === 'unacknowledged');
      }
      return raised.a && raised.b;
    };
    await waitFor(refresh, () => `an alarm in both (sim times ${JSON.stringify(sims)})`);
    // Faster now, each at its own moment: the first alarm returns to normal at ~270 s.
    expect((await control(a.trainer, { action: 'speed', speed: 50 })).ok).toBe(true);
    expect((await control(b.trainer, { action: 'speed', speed: 50 })).ok).toBe(true);
    await waitFor(
      async () => (await refresh()) && Math.min(sims.a, sims.b) >= 275,
      () => `both at 275 s (sim times ${JSON.stringify(sims)})`,
    );
    expect((await control(a.trainer, { action: 'pause' })).ok).toBe(true);
    expect((await control(b.trainer, { action: 'pause' })).ok).toBe(true);
    const [la, lb] = [await log(a.id), await log(b.id)];
    const common = Math.min(la.simTimeS, lb.simTimeS);
    type Decided = { alarmId: string; to: string; simS: number; value: number | null } | TrainingLogEntry;
    const decided = (l: Log): Decided[] =>
      l.events.flatMap((e): Decided[] => {
        if (e.simS > common) return [];
        if (e.kind === 'alarm')
          return [
            {
              alarmId: e.transition.alarmId,
              to: e.transition.to,
              simS: e.simS,
              value: e.transition.alarm.value,
            },
          ];
        return e.kind === 'event' || e.kind === 'step' ? [e] : [];
      });
    const alarms = la.events.flatMap((e) =>
      e.kind === 'alarm' && e.simS <= common ? [e.transition.to] : [],
    );
    expect(alarms).toEqual(expect.arrayContaining(['unacknowledged', 'rtn-unacknowledged']));
    expect(JSON.stringify(decided(lb))).toBe(JSON.stringify(decided(la)));
  });
});
