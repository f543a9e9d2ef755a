import { describe, expect, it } from 'vitest';
import type { AlarmState } from '../../../protocol';
import type {
  ExpectationResult,
  RecordedAlarm,
  RecordedCommand,
  RecordedLineState,
  ScenarioExpectation,
  TraineeRecord,
} from '../../../protocol/scenario';
import { clock } from '../../../server/scenarios/clock';
import { evaluateExpectations } from '../../../server/scenarios/expectations';

const ID = 'arm-joint-temp-high@L1-R2';
const alarm = (simS: number, from: AlarmState, to: AlarmState, user?: string): RecordedAlarm => ({
  simS,
  alarmId: ID,
  ruleId: 'arm-joint-temp-high',
  equipmentId: 'L1-R2',
  from,
  to,
  ...(user ? { user } : {}),
});
const raise = (t: number) => alarm(t, 'normal', 'unacknowledged');
const ack = (t: number, from: AlarmState = 'unacknowledged', to: AlarmState = 'acknowledged') =>
  alarm(t, from, to, 'ana');
const cmd = (simS: number, equipmentId: string, action: string, ok = true): RecordedCommand => ({
  simS,
  equipmentId,
  action,
  ok,
  message: ok ? 'done' : 'L1-R2 is emergency-stopped: reset it first',
});
const line = (simS: number, running: boolean): RecordedLineState => ({ simS, line: 'L1', running });
const record = (r: Partial<TraineeRecord>): TraineeRecord => ({
  endS: 1200,
  alarms: [],
  commands: [],
  lines: [],
  ...r,
});
const score = (e: ScenarioExpectation, r: Partial<TraineeRecord>): ExpectationResult =>
  evaluateExpectations({ expectations: [e] }, record(r))[0];
const pick = (r: ExpectationResult) => [r.met, r.reason, r.atS, r.elapsedS];

const ackExp: ScenarioExpectation = {
  id: 'ack',
  type: 'alarm-ack',
  label: 'ack it',
  rule: 'arm-joint-temp-high',
  equipment: 'L1-R2',
  withinS: 60,
  afterS: 100,
  required: true,
};

describe('scoring an alarm acknowledgement', () => {
  it.each<[string, RecordedAlarm[], unknown[]]>([
    ['acknowledged within the limit', [raise(200), ack(230)], [true, 'acknowledged-in-time', 230, 30]],
    ['acknowledged at exactly the limit', [raise(200), ack(260)], [true, 'acknowledged-in-time', 260, 60]],
    ['acknowledged too late', [raise(200), ack(275)], [false, 'acknowledged-late', 275, 75]],
    [
      'acknowledged after it returned to normal',
      [
        raise(200),
        alarm(220, 'unacknowledged', 'rtn-unacknowledged'),
        ack(240, 'rtn-unacknowledged', 'normal'),
      ],
      [true, 'acknowledged-in-time', 240, 40],
    ],
    ['never acknowledged', [raise(200)], [false, 'not-acknowledged', 200, undefined]],
    [
      'shelved instead',
      [raise(200), alarm(210, 'unacknowledged', 'shelved', 'ana')],
      [false, 'not-acknowledged', 200, undefined],
    ],
    ['raised only before afterS', [raise(50), ack(60)], [false, 'never-raised', undefined, undefined]],
    ['never raised', [], [false, 'never-raised', undefined, undefined]],
    // A re-alarm of an acknowledged alarm is not a new raise; the clock runs from the first raise after afterS.
    [
      'timed from its first raise after afterS, not a re-alarm',
      [
        raise(50),
        ack(60),
        alarm(120, 'acknowledged', 'unacknowledged'),
        alarm(300, 'unacknowledged', 'rtn-unacknowledged'),
        ack(310, 'rtn-unacknowledged', 'normal'),
        raise(400),
        ack(420),
      ],
      [true, 'acknowledged-in-time', 420, 20],
    ],
    [
      'raised again after suppression ends',
      [alarm(150, 'suppressed', 'unacknowledged'), ack(170)],
      [true, 'acknowledged-in-time', 170, 20],
    ],
  ])('%s', (_, alarms, want) => {
    expect(pick(score(ackExp, { alarms }))).toEqual(want);
  });

  it('is met when an optional alarm never rises (the trainee may have prevented it)', () => {
    const r = score({ ...ackExp, required: false }, { alarms: [] });
    expect([r.met, r.reason, r.detail]).toEqual([
      true,
      'never-raised',
      `${ID} did not rise after 1 min 40 s (not required)`,
    ]);
  });

  it('explains the outcome in words with who acknowledged and how long it took', () => {
    expect(score(ackExp, { alarms: [raise(200), ack(275)] }).detail).toBe(
      `${ID} rose at 3 min 20 s, acknowledged by ana after 1 min 15 s (limit 1 min)`,
    );
    expect(
      score(ackExp, { alarms: [raise(200), alarm(210, 'unacknowledged', 'shelved', 'ana')] }).detail,
    ).toMatch(/never acknowledged \(it was shelved instead\)/);
  });
});

const cmdExp: ScenarioExpectation = {
  id: 'stop',
  type: 'command',
  label: 'stop it',
  equipment: ['L1-R2', 'L1'],
  actions: ['stop', 'e-stop'],
  afterS: 100,
  byS: 400,
};

describe('scoring a command', () => {
  it.each<[string, RecordedCommand[], unknown[]]>([
    ['sent to the equipment in time', [cmd(250, 'L1-R2', 'stop')], [true, 'sent-in-time', 250, 150]],
    ['sent to the line (also listed) in time', [cmd(250, 'L1', 'e-stop')], [true, 'sent-in-time', 250, 150]],
    ['sent late', [cmd(450, 'L1-R2', 'stop')], [false, 'sent-late', 450, 350]],
    ['sent only before afterS', [cmd(50, 'L1-R2', 'stop')], [false, 'never-sent', undefined, undefined]],
    ['refused by the plant', [cmd(250, 'L1-R2', 'stop', false)], [false, 'refused', 250, undefined]],
    [
      'refused, then accepted',
      [cmd(250, 'L1-R2', 'stop', false), cmd(260, 'L1-R2', 'stop')],
      [true, 'sent-in-time', 260, 160],
    ],
    [
      'another action to the right equipment',
      [cmd(250, 'L1-R2', 'reset')],
      [false, 'never-sent', undefined, undefined],
    ],
    ['never sent', [], [false, 'never-sent', undefined, undefined]],
  ])('%s', (_, commands, want) => {
    expect(pick(score(cmdExp, { commands }))).toEqual(want);
  });

  it('names equipment the same action went to by mistake', () => {
    const r = score(cmdExp, {
      commands: [cmd(200, 'L1-R3', 'stop'), cmd(210, 'L2', 'e-stop'), cmd(230, 'L1-R2', 'stop')],
    });
    expect(r.met).toBe(true);
    expect(r.wrongEquipment).toEqual(['L1-R3', 'L2']);
    expect(r.detail).toMatch(/also sent to L1-R3, L2/);
  });

  it('says why a refused command did not count', () => {
    expect(score(cmdExp, { commands: [cmd(250, 'L1-R2', 'stop', false)] }).detail).toBe(
      'stop or e-stop to L1-R2 or L1 was refused: L1-R2 is emergency-stopped: reset it first',
    );
  });
});

const lineExp: ScenarioExpectation = {
  id: 'run',
  type: 'line-running',
  label: 'run',
  line: 'L1',
  afterS: 100,
  byS: 600,
};

describe('scoring a line back to running', () => {
  it.each<[string, RecordedLineState[], number, unknown[]]>([
    [
      'restarted in time',
      [line(0, true), line(200, false), line(450, true)],
      1200,
      [true, 'running-in-time', 450, 250],
    ],
    [
      'restarted late',
      [line(0, true), line(200, false), line(700, true)],
      1200,
      [false, 'running-late', 700, 500],
    ],
    ['never restarted', [line(0, true), line(200, false)], 1200, [false, 'never-running', 200, undefined]],
    ['never stopped', [line(0, true)], 1200, [true, 'never-stopped', undefined, undefined]],
    [
      'stopping only after byS',
      [line(0, true), line(650, false)],
      1200,
      [true, 'never-stopped', undefined, undefined],
    ],
    [
      'already stopped at afterS',
      [line(0, true), line(50, false), line(300, true)],
      1200,
      [true, 'running-in-time', 300, 200],
    ],
    [
      'running at byS after stopping twice',
      [line(0, true), line(150, false), line(200, true), line(300, false), line(500, true)],
      1200,
      [true, 'running-in-time', 500, 350],
    ],
    [
      'running briefly but stopped again at byS',
      [line(0, true), line(150, false), line(200, true), line(300, false), line(800, true)],
      1200,
      [false, 'running-late', 800, 650],
    ],
    [
      'stopped when the run ended early',
      [line(0, true), line(200, false)],
      400,
      [false, 'never-running', 200, undefined],
    ],
  ])('%s', (_, lines, endS, want) => {
    expect(pick(score(lineExp, { lines, endS }))).toEqual(want);
  });

  it('looks only at its own line', () => {
    const other: RecordedLineState = { simS: 200, line: 'L2', running: false };
    expect(score(lineExp, { lines: [line(0, true), other] }).reason).toBe('never-stopped');
  });
});

describe('scoring a whole scenario', () => {
  it('answers one result per expectation, in the scenario’s order, with ids and labels', () => {
    const results = evaluateExpectations(
      { expectations: [lineExp, ackExp, cmdExp] },
      record({ alarms: [raise(200), ack(210)], commands: [cmd(220, 'L1', 'stop')], lines: [line(0, true)] }),
    );
    expect(results.map((r) => [r.id, r.type, r.label, r.met])).toEqual([
      ['run', 'line-running', 'run', true],
      ['ack', 'alarm-ack', 'ack it', true],
      ['stop', 'command', 'stop it', true],
    ]);
  });
});

describe('times in the debrief', () => {
  it.each<[number, string]>([
    [0, '0 s'],
    [59.4, '59 s'],
    [59.6, '1 min'],
    [119.6, '2 min'],
    [90, '1 min 30 s'],
    [3725, '62 min 5 s'],
  ])('writes %d s as "%s"', (s, text) => {
    expect(clock(s)).toBe(text);
  });
});
