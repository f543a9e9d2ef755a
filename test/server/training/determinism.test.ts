import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../../protocol/scenario';
import { loadScenarioLibrary } from '../../../server/scenarios/loadScenario';
import { runScenario } from '../../../server/scenarios/runScenario';
import { TrainingSession } from '../../../server/training/trainingSession';
import type { RequestContext } from '../../../server/transport/guard';
import { startTestServer, type TestServer } from '../../helpers/server';
import { api, control, createSession, FAST, FIXTURES, stepTimes } from './support';

/** A fixed wall clock: wall times in the log (activity, alarm timestamps) are then the same in both runs. */
const FROZEN_MS = 1_760_000_000_000;
const library = loadScenarioLibrary(FIXTURES);
const drill = library.scenarios.get('jam-drill')!;
const trainerCtx = { user: 'trainer1', role: 'trainer' } as RequestContext;

function session(scenario: Scenario = drill.scenario, speed = 5): TrainingSession {
  return new TrainingSession({
    id: 'unit',
    code: 'UNIT23',
    scenario,
    layout: drill.layout,
    seed: scenario.seed,
    speed,
    createdBy: 'trainer1',
    createdAt: FROZEN_MS,
    now: () => FROZEN_MS,
    io: () => null,
  });
}

describe('a training session as a pure run', () => {
  it('logs the same plant events, timeline steps and alarm transitions as the headless scenario runner', () => {
    const s = session();
    for (let i = 0; i < 300; i++) s.control({ action: 'step' }, trainerCtx);
    const mine = s.events().events.filter((e) => e.kind !== 'activity');
    const theirs = runScenario(drill.scenario, drill.layout, { untilS: 30, startMs: FROZEN_MS }).log;
    expect(theirs.some((e) => e.kind === 'alarm')).toBe(true);
    expect(JSON.stringify(mine)).toBe(JSON.stringify(theirs));
  });

  it('ticked in random real-time chunks at any speed, logs and scores exactly what a stepped one does', () => {
    const trainee = { user: 'ana', role: 'operator' } as RequestContext;
    const short = { ...drill.scenario, durationS: 120 };
    const run = (drive: (s: TrainingSession) => void) => {
      const s = session(short, 50);
      s.noteRequest(trainee, 'join', null, { ok: true }); // a trainee to score
      drive(s);
      const log = s.events().events.filter((e) => e.kind !== 'activity');
      return { simS: s.state().simTimeS, log: JSON.stringify(log), report: JSON.stringify(s.report()) };
    };
    const stepped = run((s) => {
      for (let i = 0; i < 1200; i++) s.control({ action: 'step' }, trainerCtx);
    });
    let x = 7;
    const chunked = run((s) => {
      s.control({ action: 'start', speed: 7.3 }, trainerCtx);
      while (s.running) {
        x = (x * 48271) % 2147483647; // seeded: 1 to 250 ms of real time per tick
        const simS = s.state().simTimeS;
        s.tick(0.001 + (x / 2147483647) * 0.249);
        if (s.state().simTimeS > 60 && simS <= 60) s.control({ action: 'speed', speed: 50 }, trainerCtx);
      }
    });
    expect(stepped.log).toContain('"kind":"alarm"');
    expect(chunked.simS).toBe(stepped.simS); // it stops exactly at the end, however a tick falls
    expect(chunked.log).toBe(stepped.log);
    expect(JSON.parse(stepped.report)[0].results.length).toBeGreaterThan(0);
    expect(chunked.report).toBe(stepped.report);
  });

  it('pauses itself once at the end of the scenario and says it finished', () => {
    const s = session({ ...drill.scenario, durationS: 3 }, 50);
    s.control({ action: 'start' }, trainerCtx);
    for (let i = 0; i < 5 && s.running; i++) s.tick(0.1);
    expect(s.state()).toMatchObject({ running: false, finished: true });
    // Exactly at its end, though one tick at 50x holds 5 s of plant time.
    expect(s.state().simTimeS).toBeCloseTo(3, 9);
    s.control({ action: 'resume' }, trainerCtx);
    s.tick(0.1);
    expect(s.state().simTimeS).toBeGreaterThan(3.5);
  });
});

describe('determinism over real sockets', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ scenarios: FIXTURES, security: FAST, now: () => FROZEN_MS });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('gives the identical event log for the same scenario and seed, twice', async () => {
    const logs: unknown[] = [];
    const token = await server.login('trainer');
    for (let run = 0; run < 2; run++) {
      const { id, code } = await createSession(server, 'jam-drill', { seed: 11 });
      const trainer = await server.client('trainer', { token, session: code });
      await stepTimes(trainer, 40);
      const r = await api(server, 'GET', `/api/sessions/${id}/events`, token);
      expect(r.status).toBe(200);
      logs.push(r.body.events);
      trainer.close();
    }
    const [a, b] = logs as { kind: string; simS: number }[][];
    expect(a.some((e) => e.kind === 'alarm')).toBe(true);
    expect(a.some((e) => e.kind === 'step')).toBe(true);
    expect(a.every((e) => typeof e.simS === 'number')).toBe(true);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('restarts with the same seed into the same run', async () => {
    const token = await server.login('trainer');
    const { id, code } = await createSession(server, 'jam-drill');
    const trainer = await server.client('trainer', { token, session: code });
    const sim = async () => {
      await stepTimes(trainer, 30);
      const r = await api(server, 'GET', `/api/sessions/${id}/events`, token);
      return (r.body.events as { kind: string }[]).filter((e) => e.kind !== 'activity');
    };
    const first = await sim();
    expect((await control(trainer, { action: 'restart' })).ok).toBe(true);
    expect(await sim()).toEqual(first);
  });
});
