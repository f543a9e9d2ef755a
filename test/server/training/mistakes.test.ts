import { describe, expect, it } from 'vitest';
import type { ExpectationResult, RecordedAlarm, TraineeRecord } from '../../../protocol/scenario';
import { findMistakes } from '../../../server/training/mistakes';
import { ackTimings } from '../../../server/training/report';

const alarm = (simS: number, to: RecordedAlarm['to'], extra: Partial<RecordedAlarm> = {}): RecordedAlarm => ({
  simS,
  alarmId: 'conveyor-fault@L1-C2',
  ruleId: 'conveyor-fault',
  equipmentId: 'L1-C2',
  from: 'normal',
  to,
  ...extra,
});

const record = (r: Partial<TraineeRecord>): TraineeRecord => ({
  endS: 600,
  alarms: [],
  commands: [],
  lines: [],
  ...r,
});

describe('debrief mistakes', () => {
  it('lists a command sent to the wrong equipment at the time it was sent', () => {
    const results: ExpectationResult[] = [
      {
        id: 'e1',
        type: 'command',
        label: 'reset L1-C2',
        met: true,
        reason: 'sent-in-time',
        detail: '',
        wrongEquipment: ['L1-C3'],
      },
    ];
    const m = findMistakes(
      'ana',
      record({
        commands: [
          { simS: 130, equipmentId: 'L1-C3', action: 'reset', ok: true, message: 'reset', user: 'ana' },
        ],
      }),
      results,
    );
    expect(m).toEqual([expect.objectContaining({ kind: 'wrong-equipment', simS: 130, target: 'L1-C3' })]);
  });

  it('lists refused commands of this trainee only', () => {
    const m = findMistakes(
      'ana',
      record({
        commands: [
          {
            simS: 50,
            equipmentId: 'L1-R2',
            action: 'reset',
            ok: false,
            message: 'joint still hot',
            user: 'ana',
          },
          {
            simS: 60,
            equipmentId: 'L1-R2',
            action: 'reset',
            ok: false,
            message: 'joint still hot',
            user: 'bo',
          },
          { simS: 70, equipmentId: 'L1-R2', action: 'stop', ok: true, message: 'stopped', user: 'ana' },
        ],
      }),
      [],
    );
    expect(m.map((x) => [x.kind, x.simS])).toEqual([['refused-command', 50]]);
    expect(m[0].detail).toContain('joint still hot');
  });

  it('flags a shelve whose reason says nothing, and accepts a real reason', () => {
    const m = findMistakes(
      'ana',
      record({
        alarms: [
          alarm(10, 'unacknowledged'),
          alarm(20, 'shelved', { user: 'ana', reason: 'ok' }),
          alarm(30, 'unacknowledged', { alarmId: 'b@X', equipmentId: 'X' }),
          alarm(40, 'shelved', {
            alarmId: 'b@X',
            equipmentId: 'X',
            user: 'ana',
            reason: 'sensor replaced, reading bad',
          }),
        ],
      }),
      [],
    );
    expect(m.map((x) => [x.kind, x.target])).toEqual([['shelved-without-reason', 'conveyor-fault@L1-C2']]);
  });

  it('lists alarms still unacknowledged at the end, and not the acknowledged ones', () => {
    const m = findMistakes(
      'ana',
      record({
        alarms: [
          alarm(10, 'unacknowledged'),
          alarm(15, 'unacknowledged', { alarmId: 'b@X', equipmentId: 'X' }),
          alarm(20, 'acknowledged', { alarmId: 'b@X', equipmentId: 'X', user: 'ana' }),
        ],
      }),
      [],
    );
    expect(m).toEqual([
      expect.objectContaining({ kind: 'left-unacknowledged', simS: 600, target: 'conveyor-fault@L1-C2' }),
    ]);
  });
});

describe('debrief acknowledgement times', () => {
  it('times each acknowledgement from the raise it answered, for that trainee only', () => {
    const shared = record({
      alarms: [
        alarm(10, 'unacknowledged'),
        alarm(22, 'acknowledged', { from: 'unacknowledged', user: 'ana' }),
        alarm(30, 'unacknowledged', { alarmId: 'b@X', equipmentId: 'X' }),
        alarm(35, 'rtn-unacknowledged', { alarmId: 'b@X', equipmentId: 'X', from: 'unacknowledged' }),
        alarm(50, 'normal', { alarmId: 'b@X', equipmentId: 'X', from: 'rtn-unacknowledged', user: 'bo' }),
      ],
    });
    expect(ackTimings('ana', shared)).toEqual([
      { alarmId: 'conveyor-fault@L1-C2', equipmentId: 'L1-C2', raisedS: 10, ackS: 22, elapsedS: 12 },
    ]);
    expect(ackTimings('bo', shared)).toEqual([
      { alarmId: 'b@X', equipmentId: 'X', raisedS: 30, ackS: 50, elapsedS: 20 },
    ]);
  });
});
