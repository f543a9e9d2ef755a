import type { ScenarioAction, ScenarioFault, ScenarioFaultKind } from '../../protocol/scenario';
import { localizedText } from '../../protocol/text';
import { applyCommand } from './commands';
import type { SimCommand } from './commandTypes';
import { setParameter } from './scenarioParams';
import {
  done,
  emitSimulated,
  findScripted,
  notDone,
  type ScenarioActionResult,
  type ScriptedFault,
  type ScriptedState,
  scriptedOf,
  untrack,
} from './scriptedFaults';
import {
  endDefocus,
  endStopped,
  injectBearing,
  injectDefocus,
  injectJam,
  injectOverheat,
  injectPowerDip,
  injectTransformer,
} from './scriptedMachines';
import { injectBreakdown, injectDroneBattery } from './scriptedMobile';
import { endCongestion, endOutage, injectCongestion, injectOutage } from './scriptedNetwork';
import type { SimWorld } from './state';
import type { World } from './types';

/**
 * Applies one scenario step's action to the world now, as applyCommand applies an operator's
 * command: deterministic, no clock, no RNG draw. Done: the world changed (events it records come
 * out of the next stepWorld, those of scripted faults marked `simulated`). Not done (unknown id, a
 * kind the action does not fit, not possible in the current state): nothing changed, and the
 * message says why. A `message` step changes nothing and answers its text.
 */
export function applyScenarioAction(world: World, action: ScenarioAction): ScenarioActionResult {
  const w = world as SimWorld;
  switch (action.type) {
    case 'fault':
      return injectFault(w, action.fault);
    case 'clear':
      return clearFault(w, action.equipment, action.kind);
    case 'set':
      return setParameter(w, action.set);
    case 'message':
      // The file's text in every language it gives, rendered by the reader (nothing to fill in).
      return { ok: true, message: action.text, text: localizedText(action.text, action.texts) };
    case 'command': {
      const { equipment, action: a, node } = action.command;
      const cmd: SimCommand =
        a === 'go-to'
          ? { equipmentId: equipment, action: a, params: { node: node ?? '' } }
          : { equipmentId: equipment, action: a };
      const r = applyCommand(w, cmd);
      return { ok: r.ok, message: r.message, text: r.text };
    }
  }
}

/** Why a fault's parameters are out of range (a hand-made action skipped the schema), or null. */
function badParameter(f: ScenarioFault): string | null {
  const within = (x: number, lo: number, hi: number) => Number.isFinite(x) && x >= lo && x <= hi;
  switch (f.kind) {
    case 'joint-overheat':
      return Number.isInteger(f.joint) && within(f.joint, 1, 6) && f.rateKPerMin > 0
        ? null
        : 'joint 1-6 and a rate > 0';
    case 'bearing-wear':
      return f.failAfterS > 0 ? null : 'failAfterS > 0';
    case 'drone-battery':
      return f.drainPctPerMin > 0 ? null : 'drainPctPerMin > 0';
    case 'camera-defocus':
      return within(f.focusPct, 1, 99) && within(f.falseRejectRate, 0, 1)
        ? null
        : 'focusPct 1-99 and falseRejectRate 0-1';
    case 'uplink-congestion':
      return within(f.capacityPct, 1, 99) ? null : 'capacityPct 1-99';
    case 'power-dip':
      return f.durationS > 0 ? null : 'durationS > 0';
    case 'transformer-overheat':
      return f.riseK > 0 && f.rampS > 0 ? null : 'riseK > 0 and rampS > 0';
    default:
      return null;
  }
}

function injectFault(w: SimWorld, f: ScenarioFault): ScenarioActionResult {
  const bad = badParameter(f);
  if (bad) return notDone('scenario.refused.badParameter', { kind: f.kind, expected: bad });
  if (f.kind === 'power-dip') {
    if (w.scripted && findScripted(w.scripted, f.line, f.kind) >= 0)
      return notDone('scenario.refused.alreadyPowerDip', { line: f.line });
    return injectPowerDip(w, scriptedOf(w), f);
  }
  const eq = w.indexById.get(f.equipment);
  if (eq === undefined) return notDone('scenario.refused.unknownEquipment', { equipment: f.equipment });
  if (w.scripted && findScripted(w.scripted, f.equipment, f.kind) >= 0)
    return notDone('scenario.refused.alreadyScripted', { equipment: f.equipment, kind: f.kind });
  const s = scriptedOf(w);
  switch (f.kind) {
    case 'joint-overheat':
      return injectOverheat(w, s, eq, f);
    case 'bearing-wear':
      return injectBearing(w, s, eq, f);
    case 'conveyor-jam':
      return injectJam(w, s, eq, f);
    case 'agv-breakdown':
      return injectBreakdown(w, s, eq, f);
    case 'drone-battery':
      return injectDroneBattery(w, s, eq, f);
    case 'camera-defocus':
      return injectDefocus(w, s, eq, f);
    case 'cell-outage':
      return injectOutage(w, s, eq, f);
    case 'uplink-congestion':
      return injectCongestion(w, s, eq, f);
    case 'transformer-overheat':
      return injectTransformer(w, s, eq, f);
  }
}

/**
 * Ends the scripted faults on `target` (equipment id, or line id for a power dip), all or those of
 * `kind`: what they stopped is back in service (the plant's recovery events, marked simulated), a
 * cell is back on air, capacity and focus restored; heat already added cools off naturally.
 */
function clearFault(w: SimWorld, target: string, kind?: ScenarioFaultKind): ScenarioActionResult {
  const s = w.scripted;
  const cleared: string[] = [];
  if (s) {
    for (let i = 0; i < s.active.length; i++) {
      const f = s.active[i];
      if (f.target !== target || (kind !== undefined && f.kind !== kind)) continue;
      end(w, s, f);
      untrack(s, i--);
      cleared.push(f.kind);
    }
  }
  if (cleared.length === 0)
    return kind === undefined
      ? notDone('scenario.refused.noFaultToClear', { equipment: target })
      : notDone('scenario.refused.nothingToClear', { equipment: target, kind });
  return done('scenario.cleared', { equipment: target, kinds: cleared.join(', ') });
}

function end(w: SimWorld, s: ScriptedState, f: ScriptedFault): void {
  switch (f.kind) {
    case 'joint-overheat':
    case 'conveyor-jam':
    case 'agv-breakdown':
    case 'power-dip':
      endStopped(w, f);
      return;
    case 'bearing-wear':
      if (f.phase === 'tripped') endStopped(w, f);
      else
        emitSimulated(w, 'recovery', 'info', f.eq, 'event.scripted.bearingReplaced', { equipment: f.target });
      return;
    case 'camera-defocus':
      endDefocus(w, s, f);
      return;
    case 'cell-outage':
      endOutage(w, f);
      return;
    case 'uplink-congestion':
      endCongestion(w, s, f);
      return;
    case 'transformer-overheat':
      emitSimulated(w, 'recovery', 'info', f.eq, 'event.scripted.coolingRestored', { equipment: f.target });
      return;
    case 'drone-battery':
      return;
  }
}
