import { describe, expect, it } from 'vitest';
import type { ScenarioLogEntry } from '../../../protocol/scenario';
import {
  fileContext,
  type LoadedScenario,
  parseScenarioText,
  SCENARIOS_DIR,
  type ScenarioContext,
} from '../../../server/scenarios/loadScenario';
import { runScenario, type ScriptedTrainee } from '../../../server/scenarios/runScenario';

const ctx = fileContext(SCENARIOS_DIR) as ScenarioContext;

const DRILL = `
name: Jam drill
description: Conveyor L1-C2 jams two minutes into the shift.
learningGoal: Acknowledge a conveyor fault within 30 s and reset it.
seed: 4
speed: 5
durationS: 420
timeline:
  - atS: 0
    message: Watch line 1.
  - atS: 120
    fault: { kind: conveyor-jam, equipment: L1-C2 }
  - atS: 130
    fault: { kind: conveyor-jam, equipment: L1-C2 }
expectations:
  - { id: ack, type: alarm-ack, rule: conveyor-fault, equipment: L1-C2, withinS: 30, afterS: 120 }
  - { id: reset, type: command, equipment: [L1-C2, L1], action: reset, afterS: 120, byS: 240 }
  - { id: running, type: line-running, line: L1, afterS: 120, byS: 270 }
`;

function drill(): LoadedScenario {
  const r = parseScenarioText(DRILL, 'yaml', 'jam-drill', ctx);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r;
}

/** Acknowledges the jam alarm `ackAfterS` after it rises, then resets the conveyor (unless ackAfterS is null). */
function trainee(ackAfterS: number | null): ScriptedTrainee {
  let raisedS = Number.NaN;
  let done = false;
  return (t) => {
    for (const tr of t.transitions)
      if (tr.alarmId === 'conveyor-fault@L1-C2' && tr.to === 'unacknowledged') raisedS = t.simTimeS;
    if (ackAfterS === null || done || !(t.simTimeS - raisedS >= ackAfterS)) return;
    t.ack(['conveyor-fault@L1-C2']);
    t.command({ equipmentId: 'L1-C2', action: 'reset' });
    done = true;
  };
}

const kinds = (log: ScenarioLogEntry[]) => new Set(log.map((e) => e.kind));

describe('running a scenario headless', () => {
  it('scores a trainee who acknowledges in time and resets the jam as meeting every expectation', () => {
    const { scenario, layout } = drill();
    const run = runScenario(scenario, layout, { trainee: trainee(10), user: 'ana' });
    expect(run.results.map((r) => [r.id, r.met, r.reason])).toEqual([
      ['ack', true, 'acknowledged-in-time'],
      ['reset', true, 'sent-in-time'],
      ['running', true, 'running-in-time'],
    ]);
    expect(run.results[0].elapsedS).toBeCloseTo(10, 0);
    expect(run.record.alarms.find((a) => a.user)).toMatchObject({
      alarmId: 'conveyor-fault@L1-C2',
      user: 'ana',
    });
  });

  it('scores a late acknowledgement as missed, with the time it took', () => {
    const { scenario, layout } = drill();
    const run = runScenario(scenario, layout, { trainee: trainee(45) });
    const ack = run.results[0];
    expect([ack.met, ack.reason]).toEqual([false, 'acknowledged-late']);
    expect(ack.elapsedS).toBeGreaterThan(30);
    expect(ack.detail).toMatch(/acknowledged by trainee after .* \(limit 30 s\)/);
    expect(run.results[1].met).toBe(true);
  });

  it('scores a trainee who does nothing as missing each expectation for its own reason', () => {
    const { scenario, layout } = drill();
    const run = runScenario(scenario, layout, { trainee: trainee(null) });
    expect(run.results.map((r) => [r.met, r.reason])).toEqual([
      [false, 'not-acknowledged'],
      [false, 'never-sent'],
      [false, 'never-running'],
    ]);
    expect(run.endS).toBeCloseTo(420, 6);
  });

  it('logs plant events, alarm transitions, applied steps and trainee commands with their sim times', () => {
    const { scenario, layout } = drill();
    const run = runScenario(scenario, layout, { trainee: trainee(10) });
    expect(kinds(run.log)).toEqual(new Set(['event', 'alarm', 'step', 'command']));
    expect(run.log[0]).toEqual({
      simS: 0,
      kind: 'step',
      step: 0,
      atS: 0,
      action: 'message',
      ok: true,
      message: 'Watch line 1.',
      text: { code: 'text.localized', params: { en: 'Watch line 1.' } },
    });
    const times = run.log.map((e) => e.simS);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const jam = run.log.find((e) => e.kind === 'event' && e.event.equipmentId === 'L1-C2');
    expect(jam).toMatchObject({ kind: 'event', event: { type: 'fault', simulated: true } });
    expect(jam!.simS).toBeCloseTo(120, 6);
    const raise = run.log.find((e) => e.kind === 'alarm' && e.transition.alarmId === 'conveyor-fault@L1-C2');
    expect(raise!.simS).toBeGreaterThanOrEqual(jam!.simS);
    const seqs = run.log.flatMap((e) => (e.kind === 'event' ? [e.event.seq] : []));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('logs a step the plant cannot take then as not done, and goes on', () => {
    const { scenario, layout } = drill();
    const steps = runScenario(scenario, layout).log.filter((e) => e.kind === 'step');
    expect(steps.map((e) => (e.kind === 'step' ? [e.step, e.ok, e.message] : []))).toEqual([
      [0, true, 'Watch line 1.'],
      [1, true, 'L1-C2 jammed'],
      [2, false, 'L1-C2 already has a scripted conveyor-jam'],
    ]);
  });

  it('steps the plant the same at any speed: only how often alarms are evaluated changes', () => {
    const { scenario, layout } = drill();
    const plantOnly = (speed: number) =>
      JSON.stringify(
        runScenario(scenario, layout, { speed }).log.filter((e) => e.kind === 'event' || e.kind === 'step'),
      );
    expect(plantOnly(50)).toBe(plantOnly(0.5));
  });

  it('runs with another seed when asked, and stops early at untilS', () => {
    const { scenario, layout } = drill();
    const a = runScenario(scenario, layout, { untilS: 200 });
    const b = runScenario(scenario, layout, { untilS: 200, seed: 5 });
    expect(a.endS).toBeCloseTo(200, 6);
    expect([a.seed, b.seed]).toEqual([4, 5]);
    expect(JSON.stringify(a.log)).not.toBe(JSON.stringify(b.log));
  });
});

describe('a 5G cell outage in a scenario', () => {
  it('raises the cell-down alarm on the cell that went off air', () => {
    const r = parseScenarioText(
      `
name: Cell outage
description: 5G-C3 goes off air.
learningGoal: Notice a cell outage.
durationS: 60
timeline:
  - atS: 10
    fault: { kind: cell-outage, equipment: 5G-C3 }
`,
      'yaml',
      'cell-outage',
      ctx,
    );
    if (!r.ok) throw new Error(r.errors.join('\n'));
    // At 5x one 10 Hz tick is 0.5 s of plant time: the alarm is evaluated once per tick.
    const run = runScenario(r.scenario, r.layout, { speed: 5 });
    const raised = run.log.find(
      (e) =>
        e.kind === 'alarm' &&
        e.transition.alarmId === 'cell-down@5G-C3' &&
        e.transition.to === 'unacknowledged',
    );
    expect(raised?.simS).toBeGreaterThanOrEqual(10);
    expect(raised?.simS).toBeLessThanOrEqual(11);
  });
});
