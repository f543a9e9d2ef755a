import type { AlarmTransition } from '../../protocol';
import type { RecordedAlarm, ScenarioLogEntry } from '../../protocol/scenario';
import type { TickOutput } from '../session/plantSession';
import type { AppliedStep } from './applySteps';

/** A log entry of a timeline step as it was applied. */
export type StepEntry = Extract<ScenarioLogEntry, { kind: 'step' }>;

const NO_STEPS: readonly AppliedStep[] = Object.freeze([]);

/** The log entry of an applied timeline step. */
export function stepEntry(a: AppliedStep): StepEntry {
  return {
    simS: a.simS,
    kind: 'step',
    step: a.step.index,
    atS: a.step.atS,
    action: a.step.action.type,
    ok: a.ok,
    message: a.message,
    text: a.text,
  };
}

/** An alarm transition as a trainee's record keeps it, at sim time `simS` (s). */
export function recordedAlarm(t: AlarmTransition, simS: number): RecordedAlarm {
  const r: RecordedAlarm = {
    simS,
    alarmId: t.alarmId,
    ruleId: t.alarm.ruleId,
    equipmentId: t.equipmentId,
    from: t.from,
    to: t.to,
  };
  if (t.user !== undefined) r.user = t.user;
  if (t.reason !== undefined) r.reason = t.reason;
  return r;
}

/**
 * What one tick produced as log entries, in the order it happened: for every simulation step its
 * plant events, then the timeline steps it made due, then its alarm transitions (so a log does not
 * depend on how many steps a tick grouped). Alarm entries carry the sim time of their step.
 */
export function tickLog(out: TickOutput): ScenarioLogEntry[] {
  const log: ScenarioLogEntry[] = [];
  const steps = out.scenarioSteps ?? NO_STEPS;
  let e = 0;
  let s = 0;
  let a = 0;
  const upTo = (toE: number, toS: number, toA: number) => {
    for (; e < toE; e++) log.push({ simS: out.events[e].simTimeS, kind: 'event', event: out.events[e] });
    for (; s < toS; s++) log.push(stepEntry(steps[s]));
    for (; a < toA; a++) log.push({ simS: out.alarmSimS[a], kind: 'alarm', transition: out.alarms[a] });
  };
  const m = out.stepMarks;
  for (let i = 0; i + 2 < m.length; i += 3) upTo(m[i], m[i + 1], m[i + 2]);
  upTo(out.events.length, steps.length, out.alarms.length); // a tick without steps (shelve expiry)
  return log;
}
