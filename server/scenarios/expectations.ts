import { type AlarmState, type CodedText, enText, localizedText } from '../../protocol';
import type {
  ExpectationResult,
  RecordedAlarm,
  Scenario,
  ScenarioExpectation,
  TraineeRecord,
} from '../../protocol/scenario';
import { clock } from './clock';

/**
 * Scores a trainee's record against a scenario's expectations: pure, one result per expectation,
 * in the scenario's order, each met or missed with a reason, the deciding moment and its timing.
 * The record is chronological (as the runner and a session write it); all times are sim seconds.
 */

/** Two sim times this close are the same moment, s (the clock sums 0.1 s steps). */
const EPS_S = 1e-6;

/** The trainee sees an alarm rise: it becomes unacknowledged other than by re-alarm. */
export function isRaise(a: Pick<RecordedAlarm, 'from' | 'to'>): boolean {
  return a.to === 'unacknowledged' && a.from !== 'acknowledged';
}

const UNACKED: readonly AlarmState[] = ['unacknowledged', 'rtn-unacknowledged'];

/** Someone acknowledged the alarm (acknowledged if still active, normal if it had cleared). */
export function isAck(a: Pick<RecordedAlarm, 'from' | 'to' | 'user'>): boolean {
  return a.user !== undefined && UNACKED.includes(a.from) && (a.to === 'acknowledged' || a.to === 'normal');
}

/** Scores `record` against every expectation of the scenario: one result each, in order. */
export function evaluateExpectations(
  scenario: Pick<Scenario, 'expectations'>,
  record: TraineeRecord,
): ExpectationResult[] {
  return scenario.expectations.map((e) => score(e, record));
}

function score(e: ScenarioExpectation, record: TraineeRecord): ExpectationResult {
  if (e.type === 'alarm-ack') return alarmAck(e, record);
  if (e.type === 'command') return command(e, record);
  return lineRunning(e, record);
}

type Of<T extends ScenarioExpectation['type']> = Extract<ScenarioExpectation, { type: T }>;

/** A whole sim time in seconds, as the `…Time` params of the debrief codes carry it. */
const secs = (s: number) => Math.round(s);

/** The refusal a command got, as a text code: its own code, else its English message as is. */
export function refusalCause(c: { message: string; text?: CodedText }): CodedText {
  return c.text ?? localizedText(c.message);
}

function result(
  e: ScenarioExpectation,
  met: boolean,
  reason: ExpectationResult['reason'],
  detail: string,
  texts: CodedText[],
  atS?: number,
  elapsedS?: number,
): ExpectationResult {
  const r: ExpectationResult = { id: e.id, type: e.type, label: e.label, met, reason, detail, texts };
  if (e.labels) r.labels = e.labels;
  if (atS !== undefined) r.atS = atS;
  if (elapsedS !== undefined) r.elapsedS = elapsedS;
  return r;
}

function alarmAck(e: Of<'alarm-ack'>, rec: TraineeRecord): ExpectationResult {
  const id = `${e.rule}@${e.equipment}`;
  const k = rec.alarms.findIndex((a) => a.alarmId === id && a.simS >= e.afterS - EPS_S && isRaise(a));
  if (k < 0) {
    const detail = `${id} did not rise${e.afterS > 0 ? ` after ${clock(e.afterS)}` : ''}`;
    const texts = [
      e.afterS > 0
        ? enText('debrief.detail.neverRaisedAfter', { alarm: id, afterTime: secs(e.afterS) }).text
        : enText('debrief.detail.neverRaised', { alarm: id }).text,
    ];
    if (!e.required) texts.push(enText('debrief.detail.notRequired').text);
    return result(e, !e.required, 'never-raised', e.required ? detail : `${detail} (not required)`, texts);
  }
  const raisedS = rec.alarms[k].simS;
  let ack: RecordedAlarm | undefined;
  let shelved = false;
  for (let i = k + 1; i < rec.alarms.length && !ack; i++) {
    const a = rec.alarms[i];
    if (a.alarmId !== id) continue;
    if (isAck(a)) ack = a;
    else if (a.to === 'shelved') shelved = true;
  }
  if (!ack) {
    const why = shelved ? ' (it was shelved instead)' : '';
    const texts = [enText('debrief.detail.neverAcknowledged', { alarm: id, raisedTime: secs(raisedS) }).text];
    if (shelved) texts.push(enText('debrief.detail.shelvedInstead').text);
    return result(
      e,
      false,
      'not-acknowledged',
      `${id} rose at ${clock(raisedS)} and was never acknowledged${why}`,
      texts,
      raisedS,
    );
  }
  const took = ack.simS - raisedS;
  const who = ack.user ? ` by ${ack.user}` : '';
  const detail = `${id} rose at ${clock(raisedS)}, acknowledged${who} after ${clock(took)} (limit ${clock(e.withinS)})`;
  const times = { alarm: id, raisedTime: secs(raisedS), tookTime: secs(took), limitTime: secs(e.withinS) };
  const text = ack.user
    ? enText('debrief.detail.acknowledgedBy', { ...times, user: ack.user }).text
    : enText('debrief.detail.acknowledged', times).text;
  const inTime = took <= e.withinS + EPS_S;
  return result(
    e,
    inTime,
    inTime ? 'acknowledged-in-time' : 'acknowledged-late',
    detail,
    [text],
    ack.simS,
    took,
  );
}

function command(e: Of<'command'>, rec: TraineeRecord): ExpectationResult {
  const fits = (c: TraineeRecord['commands'][number]) =>
    e.equipment.includes(c.equipmentId) && (e.actions as readonly string[]).includes(c.action);
  const after = rec.commands.filter((c) => c.simS >= e.afterS - EPS_S);
  const sent = after.find((c) => fits(c) && c.ok);
  const wrong = [
    ...new Set(
      after
        .filter(
          (c) =>
            c.simS <= e.byS + EPS_S &&
            (e.actions as readonly string[]).includes(c.action) &&
            !e.equipment.includes(c.equipmentId),
        )
        .map((c) => c.equipmentId),
    ),
  ];
  const what = `${e.actions.join(' or ')} to ${e.equipment.join(' or ')}`;
  // Lists travel comma-separated: the reader's language joins them its own way.
  const lists = { actions: e.actions.join(','), targets: e.equipment.join(',') };
  let r: ExpectationResult;
  if (sent) {
    const took = sent.simS - e.afterS;
    const inTime = sent.simS <= e.byS + EPS_S;
    const detail = `${sent.action} sent to ${sent.equipmentId} at ${clock(sent.simS)} (due by ${clock(e.byS)})`;
    const text = enText('debrief.detail.sent', {
      action: sent.action,
      equipment: sent.equipmentId,
      atTime: secs(sent.simS),
      dueTime: secs(e.byS),
    }).text;
    r = result(e, inTime, inTime ? 'sent-in-time' : 'sent-late', detail, [text], sent.simS, took);
  } else {
    const refusal = after.find((c) => fits(c) && !c.ok);
    r = refusal
      ? result(
          e,
          false,
          'refused',
          `${what} was refused: ${refusal.message}`,
          [enText('debrief.detail.refused', lists).text, refusalCause(refusal)],
          refusal.simS,
        )
      : result(e, false, 'never-sent', `${what} was never sent`, [
          enText('debrief.detail.neverSent', lists).text,
        ]);
  }
  if (wrong.length) {
    r.wrongEquipment = wrong;
    r.detail += `; ${e.actions.join('/')} also sent to ${wrong.join(', ')}`;
    r.texts?.push(
      enText('debrief.detail.alsoSent', { actions: lists.actions, targets: wrong.join(',') }).text,
    );
  }
  return r;
}

/**
 * Met when the line, stopped at or after `afterS`, is running at `byS` (or at the end of the
 * record if that comes first), or never stopped. Timing: when it last started before then, and
 * the downtime since the stop.
 */
function lineRunning(e: Of<'line-running'>, rec: TraineeRecord): ExpectationResult {
  const samples = rec.lines.filter((l) => l.line === e.line);
  const stateAt = (t: number) => {
    let s: (typeof samples)[number] | undefined;
    for (const x of samples) if (x.simS <= t + EPS_S) s = x;
    return s;
  };
  const until = Math.min(e.byS, rec.endS);
  const atStart = stateAt(e.afterS);
  const stop =
    atStart && !atStart.running
      ? { simS: e.afterS }
      : samples.find((x) => x.simS > e.afterS + EPS_S && x.simS <= until + EPS_S && !x.running);
  if (!stop)
    return result(e, true, 'never-stopped', `Line ${e.line} kept running until ${clock(until)}`, [
      enText('debrief.detail.keptRunning', { line: e.line, untilTime: secs(until) }).text,
    ]);
  const already = stop.simS === e.afterS;
  const stopped = `Line ${e.line} ${already ? 'was stopped at' : 'stopped at'} ${clock(stop.simS)}`;
  const stoppedText = enText(already ? 'debrief.detail.lineWasStopped' : 'debrief.detail.lineStopped', {
    line: e.line,
    stopTime: secs(stop.simS),
  }).text;
  const now = stateAt(until);
  if (now?.running && now.simS >= stop.simS) {
    const down = now.simS - stop.simS;
    const detail = `${stopped}, running again at ${clock(now.simS)} (due by ${clock(e.byS)})`;
    const again = enText('debrief.detail.runningAgain', { atTime: secs(now.simS), dueTime: secs(e.byS) });
    return result(e, true, 'running-in-time', detail, [stoppedText, again.text], now.simS, down);
  }
  const late = samples.find((x) => x.simS > until + EPS_S && x.running);
  if (late) {
    const detail = `${stopped}, running again only at ${clock(late.simS)} (due by ${clock(e.byS)})`;
    const again = enText('debrief.detail.runningAgainLate', {
      atTime: secs(late.simS),
      dueTime: secs(e.byS),
    });
    return result(
      e,
      false,
      'running-late',
      detail,
      [stoppedText, again.text],
      late.simS,
      late.simS - stop.simS,
    );
  }
  const ended = rec.endS < e.byS;
  const end = ended ? ' when the run ended' : ` by ${clock(e.byS)}`;
  const notRunning = ended
    ? enText('debrief.detail.notRunningAtEnd').text
    : enText('debrief.detail.notRunningBy', { dueTime: secs(e.byS) }).text;
  return result(
    e,
    false,
    'never-running',
    `${stopped} and was not running${end}`,
    [stoppedText, notRunning],
    stop.simS,
  );
}
