import { accepted, type CommandAction, type CommandResult, refused } from './commandTypes';
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
      if (held === HELD.stopped || held === HELD.estop) return accepted(`${id} already stopped`);
      w.held[eq] = HELD.stopped;
      emit(w, 'state', 'info', eq, `${id} stopped by command`);
      return accepted(`${id} stopped`);
    case 'e-stop':
      if (held === HELD.estop) return accepted(`${id} already emergency-stopped`);
      w.held[eq] = HELD.estop;
      emit(w, 'fault', 'fault', eq, `${id} emergency stop by command: latched until reset`);
      return accepted(`${id} emergency-stopped`);
    case 'start': {
      const why = startBlocker(w, eq);
      if (why) return refused('CONFLICT', why);
      if (held !== HELD.stopped) return refused('CONFLICT', `${id} is not stopped`);
      w.held[eq] = HELD.none;
      emit(w, 'state', 'info', eq, `${id} started by command`);
      return accepted(`${id} started`);
    }
    case 'reset': {
      const faulted = w.faulted[eq] === 1;
      if (!faulted && held !== HELD.estop)
        return refused('CONFLICT', `${id} has no fault or e-stop to reset`);
      const why = faulted ? resetBlocker(w, eq) : null;
      if (why) return refused('CONFLICT', why);
      emit(w, 'state', 'info', eq, `${id} reset by command`);
      if (faulted) resetFault(w, eq);
      // A reset e-stop leaves the machine stopped: restarting it is a separate, deliberate start.
      if (held === HELD.estop) w.held[eq] = HELD.stopped;
      return accepted(held === HELD.estop ? `${id} reset: stopped, ready to start` : `${id} reset`);
    }
    default:
      return refused('INVALID', `"${action}" is not a machine command`);
  }
}

/** Why a machine cannot be started now, or null. */
function startBlocker(w: SimWorld, eq: number): string | null {
  const id = w.equipment[eq].id;
  if (w.held[eq] === HELD.estop) return `${id} is emergency-stopped: reset it first`;
  if (w.faulted[eq]) return `${id} is faulted: reset it first`;
  if (w.maint[eq]) return `${id} is in maintenance`;
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
  const name = `Line ${line.id}`;
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
      if (set((h) => h === HELD.none, HELD.stopped) === 0) return accepted(`${name} already stopped`);
      emit(w, 'state', 'info', -1, `${name} stopped by command`);
      return accepted(`${name} stopped`);
    case 'e-stop':
      if (set((h) => h !== HELD.estop, HELD.estop) === 0)
        return accepted(`${name} already emergency-stopped`);
      emit(w, 'fault', 'fault', -1, `${name} emergency stop by command: latched until reset`);
      return accepted(`${name} emergency-stopped`);
    case 'start': {
      for (const e of members) {
        const why = startBlocker(w, e);
        if (why) return refused('CONFLICT', why);
      }
      if (set((h) => h === HELD.stopped, HELD.none) === 0)
        return refused('CONFLICT', `${name} is not stopped`);
      emit(w, 'state', 'info', -1, `${name} started by command`);
      return accepted(`${name} started`);
    }
    case 'reset': {
      const faulted = members.filter((e) => w.faulted[e] === 1);
      for (const e of faulted) {
        const why = resetBlocker(w, e);
        if (why) return refused('CONFLICT', why);
      }
      const latched = members.some((e) => w.held[e] === HELD.estop);
      if (!faulted.length && !latched) return refused('CONFLICT', `${name} has no fault or e-stop to reset`);
      emit(w, 'state', 'info', -1, `${name} reset by command`);
      for (const e of faulted) resetFault(w, e);
      set((h) => h === HELD.estop, HELD.stopped);
      return accepted(`${name} reset`);
    }
    default:
      return refused('INVALID', `"${action}" is not a line command`);
  }
}

/**
 * recalibrate of a vision station: RECALIBRATE_S in maintenance (its line holds, as nothing
 * uninspected may pass), then focus back to RECALIBRATED_FOCUS and any defocus fault cleared.
 */
export function visionCommand(w: SimWorld, eq: number): CommandResult {
  const id = w.equipment[eq].id;
  if (w.held[eq] === HELD.recalibrating) return refused('CONFLICT', `${id} is already recalibrating`);
  if (w.maint[eq]) return refused('CONFLICT', `${id} is in maintenance`);
  // The recalibration takes over the defocus fault: it ends with the refocus, not a repair.
  dropFault(w, eq, 'defocus');
  w.held[eq] = HELD.recalibrating;
  w.recalibrations.push({ eq, doneAtS: w.simTimeS + RECALIBRATE_S });
  emit(w, 'state', 'info', eq, `${id} recalibrating by command (about ${RECALIBRATE_S} s)`);
  return accepted(`${id} recalibrating`);
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
    emit(w, 'recovery', 'info', r.eq, `${w.equipment[r.eq].id} recalibrated: focus ${RECALIBRATED_FOCUS}%`);
  }
}
