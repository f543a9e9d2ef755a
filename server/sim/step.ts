import { STATE_CODE as STATE_CODES } from '../../protocol';
import { stepFleet } from './agvFleet';
import { stepCells } from './cells';
import { stepCommands } from './commands';
import { stepConveyor, stepLines } from './conveyorLine';
import { stepDrones } from './drone';
import { stepEdgeServers } from './edgeServer';
import { stepFaults } from './faults';
import { stepPower } from './power';
import { stepArm } from './robotArm';
import { stepScriptedFaults } from './scriptedStep';
import { HELD, lagsFor, type SimWorld } from './state';
import type { PlantEventDraft, World } from './types';

// Local copies: tsx compiles imported bindings to getters, which cost in per-equipment loops.
const STATE_CODE = { ...STATE_CODES };

/**
 * Advances the world by one fixed step of dtS seconds (the loop uses SIM_DT_S) and returns the
 * plain-language events of that step. Mutates the world in place; reads no clock and draws all
 * randomness from the world's RNG, so equal seeds and steps give equal runs.
 */
export function stepWorld(world: World, dtS: number): PlantEventDraft[] {
  const w = world as SimWorld;
  if (w.lags.dt !== dtS) w.lags = lagsFor(dtS);
  w.tick++;
  w.simTimeS += dtS;
  stepFaults(w);
  stepCommands(w);
  stepLines(w, dtS);
  stepArms(w, dtS);
  for (const c of w.looseConveyors) {
    const held = w.held[c.eq];
    const off = w.faulted[c.eq] === 1 || w.maint[c.eq] === 1 || held !== HELD.none;
    stepConveyor(w, c, !off, dtS);
    w.equipment[c.eq].state = stateOf(w.faulted[c.eq] === 1, w.maint[c.eq] === 1, held);
  }
  stepFleet(w, dtS);
  stepDrones(w, dtS);
  stepEdgeServers(w);
  stepCells(w);
  stepPower(w);
  stepScriptedFaults(w, dtS);
  // Hand over this step's events (and any recorded between steps, e.g. an injected fault).
  const events = w.events;
  w.events = [];
  return events;
}

/** Robot arms cycle while their line runs; a stopped line lets them finish the cycle and wait. */
function stepArms(w: SimWorld, dt: number): void {
  for (const arm of w.arms) {
    const eq = w.equipment[arm.eq];
    const faulted = w.faulted[arm.eq] === 1;
    const maint = w.maint[arm.eq] === 1;
    const held = w.held[arm.eq];
    const line = arm.line >= 0 ? w.lines[arm.line] : null;
    // Any operator hold (stop or e-stop) cuts servo power: joints freeze on brakes, current drops.
    const powered = !faulted && !maint && held === HELD.none;
    const run = powered && (line ? line.running : true);
    stepArm(arm, eq.signals, dt, run, powered, w.rng, w.lags);
    if (!line) eq.state = stateOf(faulted, maint, held);
  }
}

/** State of a machine outside a line: fault (or e-stop) > maintenance > stopped (idle) > running. */
function stateOf(faulted: boolean, maint: boolean, held: number): number {
  if (faulted || held === HELD.estop) return STATE_CODE.fault;
  if (maint || held === HELD.recalibrating) return STATE_CODE.maintenance;
  return held === HELD.stopped ? STATE_CODE.idle : STATE_CODE.running;
}
