import type { Role } from '../../protocol';
import type { AckTiming, Scenario, TraineeRecord, TraineeReport } from '../../protocol/scenario';
import { evaluateExpectations } from '../scenarios/expectations';
import { findMistakes } from './mistakes';

export type { TraineeReport };

/**
 * Scores each trainee on the session's shared record: the plant's own alarm transitions and line
 * states count for everyone; acknowledgements, shelves and commands only for the one who sent them
 * (another trainee's acknowledgement does not meet yours). Pure.
 */
export function traineeReports(
  scenario: Pick<Scenario, 'expectations'>,
  trainees: readonly { user: string; role: Role }[],
  shared: TraineeRecord,
): TraineeReport[] {
  return trainees.map(({ user, role }) => {
    const record: TraineeRecord = {
      endS: shared.endS,
      alarms: shared.alarms.filter((a) => a.user === undefined || a.user === user),
      commands: shared.commands.filter((c) => c.user === user),
      lines: shared.lines,
    };
    const results = evaluateExpectations(scenario, record);
    return {
      user,
      role,
      met: results.filter((r) => r.met).length,
      total: results.length,
      acks: record.alarms.filter((a) => a.user === user && (a.to === 'acknowledged' || a.to === 'normal'))
        .length,
      commands: record.commands.length,
      results,
      acknowledgements: ackTimings(user, shared),
      commandsSent: record.commands,
      mistakes: findMistakes(user, record, results),
    };
  });
}

/** The user's acknowledgements, each timed from the latest raise of that alarm before it. Pure. */
export function ackTimings(user: string, shared: TraineeRecord): AckTiming[] {
  const raisedAt = new Map<string, number>();
  const out: AckTiming[] = [];
  for (const a of shared.alarms) {
    if (a.to === 'unacknowledged' && (a.from === 'normal' || a.from === 'rtn-unacknowledged')) {
      raisedAt.set(a.alarmId, a.simS);
    } else if (
      a.user === user &&
      a.from !== 'acknowledged' &&
      (a.to === 'acknowledged' || a.to === 'normal')
    ) {
      const raisedS = raisedAt.get(a.alarmId);
      if (raisedS === undefined) continue;
      out.push({
        alarmId: a.alarmId,
        equipmentId: a.equipmentId,
        raisedS,
        ackS: a.simS,
        elapsedS: a.simS - raisedS,
      });
      raisedAt.delete(a.alarmId);
    }
  }
  return out;
}
