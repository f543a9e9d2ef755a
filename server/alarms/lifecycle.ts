import type { AlarmState } from '../../protocol';

/** The ISA-18.2 core states, before shelving, suppression and out-of-service hide them. */
export type CoreState = 'normal' | 'unacknowledged' | 'acknowledged' | 'rtn-unacknowledged';

/**
 * Everything the lifecycle of one alarm depends on. `core` is the ISA-18.2 state; `shelvedUntil`,
 * `oos` and `suppressed` hide it (in that order of precedence) and reset it: an alarm that comes
 * back from hiding starts over from its condition (unacknowledged if active, else normal).
 */
export interface AlarmLife {
  readonly core: CoreState;
  /** The condition holds now (after on/off delays). */
  readonly active: boolean;
  /** Suppressed by design (maintenance, consequence of a line stop). */
  readonly suppressed: boolean;
  /** Out of service, by hand. */
  readonly oos: boolean;
  /** Shelved until this wall time, ms since epoch; null when not shelved. */
  readonly shelvedUntil: number | null;
  /** The rule latches: unacknowledged stays unacknowledged after the condition clears. */
  readonly latching: boolean;
}

/** What can happen to an alarm. `unshelve` is also the shelve expiry. */
export type LifeEvent =
  | { type: 'condition'; active: boolean }
  | { type: 'ack' }
  | { type: 'shelve'; until: number }
  | { type: 'unshelve' }
  | { type: 'out-of-service'; enabled: boolean }
  | { type: 'suppression'; suppressed: boolean }
  | { type: 're-alarm' };

export type LifeResult = { ok: true; life: AlarmLife } | { ok: false; code: 'CONFLICT'; message: string };

/** A new alarm's life: normal, nothing hiding it. */
export function initialLife(latching: boolean): AlarmLife {
  return { core: 'normal', active: false, suppressed: false, oos: false, shelvedUntil: null, latching };
}

/** The state an operator sees. */
export function displayState(l: AlarmLife): AlarmState {
  if (l.oos) return 'out-of-service';
  if (l.shelvedUntil !== null) return 'shelved';
  if (l.suppressed) return l.active ? 'suppressed' : 'normal';
  return l.core;
}

const hidden = (l: AlarmLife) => l.oos || l.shelvedUntil !== null || l.suppressed;
/** Where an alarm stands when nothing hides it any more. */
const fromCondition = (l: AlarmLife): CoreState => (!hidden(l) && l.active ? 'unacknowledged' : 'normal');
const conflict = (message: string): LifeResult => ({ ok: false, code: 'CONFLICT', message });

/**
 * The lifecycle state machine: pure, total, and the same for the system (conditions, suppression,
 * shelve expiry, re-alarm) and for operators (ack, shelve, out of service). A refusal changes
 * nothing and says why.
 */
export function applyLifeEvent(l: AlarmLife, ev: LifeEvent): LifeResult {
  switch (ev.type) {
    case 'condition': {
      if (ev.active === l.active) return { ok: true, life: l };
      if (hidden(l)) return { ok: true, life: { ...l, active: ev.active } };
      if (ev.active) {
        // Raised again: an acknowledged one cannot be inactive, so only normal / rtn / latched apply.
        const core = l.core === 'acknowledged' ? 'acknowledged' : 'unacknowledged';
        return { ok: true, life: { ...l, active: true, core } };
      }
      const core: CoreState =
        l.core === 'unacknowledged' ? (l.latching ? 'unacknowledged' : 'rtn-unacknowledged') : 'normal';
      return {
        ok: true,
        life: { ...l, active: false, core: l.core === 'rtn-unacknowledged' ? l.core : core },
      };
    }
    case 'ack': {
      if (l.oos) return conflict('the alarm is out of service');
      if (l.shelvedUntil !== null) return conflict('the alarm is shelved');
      if (l.suppressed) return conflict('the alarm is suppressed');
      if (l.core === 'unacknowledged')
        return { ok: true, life: { ...l, core: l.active ? 'acknowledged' : 'normal' } };
      if (l.core === 'rtn-unacknowledged') return { ok: true, life: { ...l, core: 'normal' } };
      return conflict(`the alarm is ${l.core}, not unacknowledged`);
    }
    case 'shelve':
      if (l.oos) return conflict('the alarm is out of service');
      if (l.shelvedUntil !== null) return conflict('the alarm is already shelved');
      return { ok: true, life: { ...l, shelvedUntil: ev.until, core: 'normal' } };
    case 'unshelve': {
      if (l.shelvedUntil === null) return conflict('the alarm is not shelved');
      const next = { ...l, shelvedUntil: null };
      return { ok: true, life: { ...next, core: fromCondition(next) } };
    }
    case 'out-of-service': {
      if (ev.enabled === l.oos) return conflict(`the alarm is ${l.oos ? 'already' : 'not'} out of service`);
      // Taking it out of service ends a shelve; returning it starts from its condition.
      const next = ev.enabled ? { ...l, oos: true, shelvedUntil: null } : { ...l, oos: false };
      return { ok: true, life: { ...next, core: ev.enabled ? 'normal' : fromCondition(next) } };
    }
    case 'suppression': {
      if (ev.suppressed === l.suppressed) return { ok: true, life: l };
      const next = { ...l, suppressed: ev.suppressed };
      return { ok: true, life: { ...next, core: ev.suppressed ? 'normal' : fromCondition(next) } };
    }
    case 're-alarm':
      if (l.core !== 'acknowledged' || !l.active || hidden(l)) return { ok: true, life: l };
      return { ok: true, life: { ...l, core: 'unacknowledged' } };
  }
}
