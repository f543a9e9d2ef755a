import { type CodedText, type EnText, enText } from '../../protocol';
import type { ExpectationResult, Mistake, TraineeRecord } from '../../protocol/scenario';
import { refusalCause } from '../scenarios/expectations';

export type { Mistake, MistakeKind } from '../../protocol/scenario';

/**
 * A shelve reason counts as one when it says something: at least this many letters or digits. The
 * server refuses an empty reason; "x", "ok" or "..." pass its schema but tell nobody why.
 */
export const MIN_REASON_CHARS = 8;

function meaningfulReason(reason: string | undefined): boolean {
  return (reason?.match(/[\p{L}\p{N}]/gu)?.length ?? 0) >= MIN_REASON_CHARS;
}

/**
 * A mistake's text naming an expectation by its English label, with the expectation's id beside it
 * (`expectation`): the reader's language puts the expectation's own translated label there.
 */
function labelled(t: EnText, expectation: string): CodedText {
  return { code: t.text.code, params: { ...t.text.params, expectation } };
}

/**
 * The mistakes in one trainee's record (already filtered to what this trainee did, plus the plant's
 * own transitions), in time order. Pure.
 */
export function findMistakes(
  user: string,
  record: TraineeRecord,
  results: readonly ExpectationResult[],
): Mistake[] {
  const out: Mistake[] = [];
  for (const r of results) {
    for (const id of r.wrongEquipment ?? []) {
      const sent = record.commands.find((c) => c.user === user && c.equipmentId === id);
      out.push({
        kind: 'wrong-equipment',
        simS: sent?.simS ?? r.atS ?? record.endS,
        target: id,
        detail: `${sent?.action ?? 'a command'} sent to ${id}, but “${r.label}” was about other equipment`,
        texts: [
          labelled(
            sent
              ? enText('debrief.mistake.wrongEquipment', {
                  action: sent.action,
                  equipment: id,
                  label: r.label,
                })
              : enText('debrief.mistake.commandToWrongEquipment', { equipment: id, label: r.label }),
            r.id,
          ),
        ],
      });
    }
  }
  for (const c of record.commands) {
    if (c.user !== user || c.ok) continue;
    out.push({
      kind: 'refused-command',
      simS: c.simS,
      target: c.equipmentId,
      detail: `${c.action} on ${c.equipmentId} was refused: ${c.message}`,
      texts: [
        enText('debrief.mistake.refused', { action: c.action, equipment: c.equipmentId }).text,
        refusalCause(c),
      ],
    });
  }
  // Where each alarm stands at the end, and thin shelve reasons on the way.
  const last = new Map<string, (typeof record.alarms)[number]>();
  for (const a of record.alarms) {
    last.set(a.alarmId, a);
    if (a.to === 'shelved' && a.user === user && !meaningfulReason(a.reason)) {
      out.push({
        kind: 'shelved-without-reason',
        simS: a.simS,
        target: a.alarmId,
        detail: `${a.alarmId} shelved with the reason “${a.reason ?? ''}”: say why, for the next shift`,
        texts: [
          enText('debrief.mistake.thinShelveReason', { alarm: a.alarmId, reason: a.reason ?? '' }).text,
        ],
      });
    }
  }
  for (const a of last.values()) {
    if (a.to !== 'unacknowledged' && a.to !== 'rtn-unacknowledged') continue;
    out.push({
      kind: 'left-unacknowledged',
      simS: record.endS,
      target: a.alarmId,
      detail: `${a.alarmId} (${a.equipmentId}) was still unacknowledged at the end`,
      texts: [
        enText('debrief.mistake.leftUnacknowledged', { alarm: a.alarmId, equipment: a.equipmentId }).text,
      ],
    });
  }
  return out.sort((a, b) => a.simS - b.simS);
}
