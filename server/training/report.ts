import type { Role } from '../../protocol';
import type { ExpectationResult, Scenario, TraineeRecord } from '../../protocol/scenario';
import { evaluateExpectations } from '../scenarios/expectations';
import { findMistakes, type Mistake } from './mistakes';

/** One trainee's debrief (`GET /api/sessions/:id/report`). */
export interface TraineeReport {
  user: string;
  role: Role;
  /** Expectations met, of `total`. */
  met: number;
  total: number;
  /** Alarm acknowledgements and commands this trainee sent. */
  acks: number;
  commands: number;
  results: ExpectationResult[];
  /** Wrong equipment, refused commands, thin shelve reasons, alarms left unacknowledged; in time order. */
  mistakes: Mistake[];
}

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
      mistakes: findMistakes(user, record, results),
    };
  });
}
