import { type EnText, enText } from '../../protocol/textEn';
import { accepted, type CommandAction, type CommandResult, refused, refusedWith } from './commandTypes';
import type { LineRuntime } from './conveyorLine';
import { dropFault, resetBlocker, resetFault } from './faults';
import { emit, HELD, type SimWorld } from './state';

/** A vision recalibration (focus sweep and target capture) takes this long, s. */
export const RECALIBRATE_S = 20;
/** Focus score right after a recalibration, % (clean optics, fresh calibration target). */
export const RECALIBRATED_FOCUS = 98;

/**
 * start / stop / reset / e-stop of one robot arm or conveyor. stop and e-stop are never refused
 * (safety actions); repeating one answers ok without a new event.
 */
export function machineCommand(w: SimWorld, eq: number, action: CommandAction): CommandResult {
  const id = w.equipment[eq].id;
  const held = w.held[eq];
  switch (action) {
    case 'stop':
      if (held === HELD.stopped || held === HELD.estop)
        return accepted('cmd.machine.alreadyStopped', { equipment: id });
      w.held[eq] = HELD.stopped;
      emit(w, 'state', 'info', eq, 'event.machine.stopped', { equipment: id });
      return accepted('cmd.machine.stopped', { equipment: id });
    case 'e-stop':
      if (held === HELD.estop) return accepted('cmd.machine.alreadyEStopped', { equipment: id });
      w.held[eq] = HELD.estop;
      emit(w, 'fault', 'fault', eq, 'event.machine.eStopped', { equipment: id });
      return accepted('cmd.machine.eStopped', { equipment: id });
    case 'start': {
      const why = startBlocker(w, eq);
      if (why) return refusedWith('CONFLICT', why);
      if (held !== HELD.stopped) return refused('CONFLICT', 'cmd.refused.notStopped', { equipment: id });
      w.held[eq] = HELD.none;
      emit(w, 'state', 'info', eq, 'event.machine.started', { equipment: id });
      return accepted('cmd.machine.started', { equipment: id });
    }
    case 'reset': {
      const faulted = w.faulted[eq] === 1;
      if (!faulted && held !== HELD.estop)
        return refused('CONFLICT', 'cmd.refused.nothingToReset', { equipment: id });
      const why = faulted ? resetBlocker(w, eq) : null;
      if (why) return refusedWith('CONFLICT', why);
      emit(w, 'state', 'info', eq, 'event.machine.reset', { equipment: id });
      if (faulted) resetFault(w, eq);
      // A reset e-stop leaves the machine stopped: restarting it is a separate, deliberate start.
      if (held === HELD.estop) w.held[eq] = HELD.stopped;
      return accepted(held === HELD.estop ? 'cmd.machine.resetStopped' : 'cmd.machine.reset', {
        equipment: id,
      });
    }
    default:
      return refused('INVALID', 'cmd.refused.notMachineCommand', { action });
  }
}

/** Why a machine cannot be started now, or null. */
function startBlocker(w: SimWorld, eq: number): EnText | null {
  const p = { equipment: w.equipment[eq].id };
  if (w.held[eq] === HELD.estop) return enText('cmd.refused.eStopped', p);
  if (w.faulted[eq]) return enText('cmd.refused.faulted', p);
  if (w.maint[eq]) return enText('cmd.refused.inMaintenance', p);
  return null;
}

/**
 * start / stop / reset / e-stop of a whole line: applied to every robot arm and conveyor of its
 * flow, all or nothing (a refusal names the machine that prevents it).
 */
export function lineCommand(w: SimWorld, line: LineRuntime, action: CommandAction): CommandResult {
  const members = Array.from(line.flow).filter((e) => {
    const k = w.equipment[e].kind;
    return k === 'robot-arm' || k === 'conveyor';
  });
  const at = { line: line.id };
  const set = (from: (held: number, eq: number) => boolean, to: number) => {
    let n = 0;
    for (const e of members)
      if (from(w.held[e], e)) {
        w.held[e] = to;
        n++;
      }
    return n;
  };
  switch (action) {
    case 'stop':
      if (set((h) => h === HELD.none, HELD.stopped) === 0) return accepted('cmd.line.alreadyStopped', at);
      emit(w, 'state', 'info', -1, 'event.line.stopped', at);
      return accepted('cmd.line.stopped', at);
    case 'e-stop':
      if (set((h) => h !== HELD.estop, HELD.estop) === 0) return accepted('cmd.line.alreadyEStopped', at);
      emit(w, 'fault', 'fault', -1, 'event.line.eStopped', at);
      return accepted('cmd.line.eStopped', at);
    case 'start': {
      for (const e of members) {
        const why = startBlocker(w, e);
        if (why) return refusedWith('CONFLICT', why);
      }
      if (set((h) => h === HELD.stopped, HELD.none) === 0)
        return refused('CONFLICT', 'cmd.refused.lineNotStopped', at);
      emit(w, 'state', 'info', -1, 'event.line.started', at);
      return accepted('cmd.line.started', at);
    }
    case 'reset': {
      const faulted = members.filter((e) => w.faulted[e] === 1);
      for (const e of faulted) {
        const why = resetBlocker(w, e);
        if (why) return refusedWith('CONFLICT', why);
      }
      const latched = members.some((e) => w.held[e] === HELD.estop);
      if (!faulted.length && !latched) return refused('CONFLICT', 'cmd.refused.lineNothingToReset', at);
      emit(w, 'state', 'info', -1, 'event.line.reset', at);
      for (const e of faulted) resetFault(w, e);
      set((h) => h === HELD.estop, HELD.stopped);
      return accepted('cmd.line.reset', at);
    }
    default:
      return refused('INVALID', 'cmd.refused.notLineCommand', { action });
  }
}

/**
 * recalibrate of a vision station: RECALIBRATE_S in maintenance (its line holds, as nothing
 * uninspected may pass), then focus back to RECALIBRATED_FOCUS and any defocus fault cleared.
 */
export function visionCommand(w: SimWorld, eq: number): CommandResult {
  const id = w.equipment[eq].id;
  if (w.held[eq] === HELD.recalibrating)
    return refused('CONFLICT', 'cmd.refused.alreadyRecalibrating', { equipment: id });
  if (w.maint[eq]) return refused('CONFLICT', 'cmd.refused.inMaintenance', { equipment: id });
  // The recalibration takes over the defocus fault: it ends with the refocus, not a repair.
  dropFault(w, eq, 'defocus');
  w.held[eq] = HELD.recalibrating;
  w.recalibrations.push({ eq, doneAtS: w.simTimeS + RECALIBRATE_S });
  emit(w, 'state', 'info', eq, 'event.vision.recalibrating', { equipment: id, seconds: RECALIBRATE_S });
  return accepted('cmd.vision.recalibrating', { equipment: id });
}

/** Ends the recalibrations that are due. */
export function stepRecalibrations(w: SimWorld): void {
  const list = w.recalibrations;
  for (let i = list.length - 1; i >= 0; i--) {
    const r = list[i];
    if (w.simTimeS < r.doneAtS) continue;
    list.splice(i, 1);
    w.held[r.eq] = HELD.none;
    const v = w.lines.find((l) => l.vision?.eq === r.eq)?.vision;
    if (v) {
      v.defocus = 0;
      v.focusBase = RECALIBRATED_FOCUS;
    }
    emit(w, 'recovery', 'info', r.eq, 'event.vision.recalibrated', {
      equipment: w.equipment[r.eq].id,
      focus: RECALIBRATED_FOCUS,
    });
  }
}
