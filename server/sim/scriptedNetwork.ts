import { STATE_CODE as STATE_CODES } from '../../protocol';
import type { ScenarioFault } from '../../protocol/scenario';
import { applyBelt, applyRejects, MIN_BELT_FACTOR } from './scenarioParams';
import {
  done,
  emitSimulated,
  notDone,
  type ScenarioActionResult,
  type ScriptedFault,
  type ScriptedState,
  track,
} from './scriptedFaults';
import { CELL as CELL_SLOTS, VIS as VIS_SLOTS } from './slots';
import type { SimWorld } from './state';

// Local copies: tsx compiles imported bindings to getters, which cost in per-equipment loops.
const CELL = { ...CELL_SLOTS };
const VIS = { ...VIS_SLOTS };
const STATE_CODE = { ...STATE_CODES };

/**
 * Scripted 5G faults: a cell outage (devices reattach to neighbours, with worse RSRP and latency)
 * and uplink congestion (a cell's uplink capacity collapses; its cameras get only a share of their
 * stream, so inspection slows the line and compression artefacts add false rejects).
 */

/** Where a cell that is down is put: so far that no device selects it and it interferes with none, m. */
const OFF_AIR_M = 1e7;
/** False-reject probability when a camera gets none of its stream (compression artefacts), per unit. */
const REJECT_AT_NO_STREAM = 0.06;

type Of<K extends ScriptedFault['kind']> = Extract<ScriptedFault, { kind: K }>;
type FaultOf<K extends ScenarioFault['kind']> = Extract<ScenarioFault, { kind: K }>;

function cellIndex(w: SimWorld, eq: number): number {
  return w.cells.cellEq.indexOf(eq);
}

/** Takes a cell off the air; devices find their next-best cell at their next reselection (≤ 1 s). */
export function injectOutage(
  w: SimWorld,
  s: ScriptedState,
  eq: number,
  f: FaultOf<'cell-outage'>,
): ScenarioActionResult {
  const cell = cellIndex(w, eq);
  if (cell < 0) return notDone('scenario.refused.notCell', { equipment: f.equipment });
  if (s.active.some((x) => x.kind === 'cell-outage' && x.eq === eq))
    return notDone('scenario.refused.alreadyDown', { equipment: f.equipment });
  const net = w.cells;
  net.cx[cell] = OFF_AIR_M;
  net.cy[cell] = OFF_AIR_M;
  net.cz[cell] = OFF_AIR_M;
  track(s, { kind: 'cell-outage', target: f.equipment, eq, sinceS: w.simTimeS, phase: 'tripped', cell });
  emitSimulated(w, 'fault', 'fault', eq, 'event.scripted.cellOffAir', { equipment: f.equipment });
  return done('scenario.cellDown', { equipment: f.equipment });
}

/** A cell that is down carries nothing and shows fault (the plant's step counted background traffic). */
export function stepOutage(w: SimWorld, f: Of<'cell-outage'>): void {
  const e = w.equipment[f.eq];
  const sig = e.signals;
  sig[CELL.attached] = 0;
  sig[CELL.ulLoad] = 0;
  sig[CELL.dlLoad] = 0;
  sig[CELL.ulMbps] = 0;
  sig[CELL.dlMbps] = 0;
  sig[CELL.latency] = 0;
  w.cells.load[f.cell] = 0;
  e.state = STATE_CODE.fault;
}

/** Puts the cell back on the air at its layout position. */
export function endOutage(w: SimWorld, f: Of<'cell-outage'>): void {
  const p = w.layout.equipment[f.eq].position;
  [w.cells.cx[f.cell], w.cells.cy[f.cell], w.cells.cz[f.cell]] = p;
  emitSimulated(w, 'recovery', 'info', f.eq, 'event.scripted.cellBackOnAir', { equipment: f.target });
}

/** Cuts a cell's uplink capacity to `capacityPct` % (interference, a misbehaving device). */
export function injectCongestion(
  w: SimWorld,
  s: ScriptedState,
  eq: number,
  f: FaultOf<'uplink-congestion'>,
): ScenarioActionResult {
  const cell = cellIndex(w, eq);
  if (cell < 0) return notDone('scenario.refused.notCell', { equipment: f.equipment });
  if (s.active.some((x) => x.kind === 'uplink-congestion' && x.eq === eq))
    return notDone('scenario.refused.alreadyCongested', { equipment: f.equipment });
  const net = w.cells;
  const lines = w.lines.filter((l) => l.vision !== null);
  const devs = Int32Array.from(lines, (l) => net.devEq.indexOf(l.vision!.eq));
  const nominalUl = net.ulCap[cell];
  net.ulCap[cell] = (nominalUl * f.capacityPct) / 100;
  track(s, {
    kind: 'uplink-congestion',
    target: f.equipment,
    eq,
    sinceS: w.simTimeS,
    phase: 'active',
    cell,
    nominalUl,
    lines,
    devs,
    got: new Float64Array(lines.length),
  });
  return done('scenario.congested', {
    equipment: f.equipment,
    pct: f.capacityPct,
    mbps: net.ulCap[cell].toFixed(0),
  });
}

/**
 * Shares each congested cell's uplink among its cameras: what is left after the other devices
 * goes to the cameras in proportion to their streams. A camera that gets a share `got` of its
 * stream can inspect only that share of the frames, so its line runs at that share of its belt
 * speed (at least MIN_BELT_FACTOR), and the coarser stream adds false rejects. Cameras on other
 * cells run normally. Runs once per step for all congested cells.
 */
export function stepCongestion(w: SimWorld, s: ScriptedState): void {
  const net = w.cells;
  const eqs = w.equipment;
  let any: Of<'uplink-congestion'> | null = null;
  for (const f of s.active) if (f.kind === 'uplink-congestion') any = f;
  if (!any) return;
  // Shares first (they read the uplinks the plant's step counted), then apply them.
  for (let k = 0; k < any.lines.length; k++) {
    const dev = any.devs[k];
    const congested = dev >= 0 ? congestionOn(s, net.devCell[dev]) : null;
    any.got[k] = congested ? shareOf(w, congested) : 1;
  }
  for (let k = 0; k < any.lines.length; k++) {
    const line = any.lines[k];
    const v = line.vision!;
    const got = any.got[k];
    const sig = eqs[v.eq].signals;
    const want = line.running ? v.streamMbps : sig[VIS.uplink];
    if (got < 1) sig[VIS.uplink] = Math.min(sig[VIS.uplink], want * got);
    const factor = Math.max(MIN_BELT_FACTOR, got);
    s.congestionReject[v.eq] = REJECT_AT_NO_STREAM * (1 - got);
    applyRejects(w, s, v);
    for (const c of line.conveyors) {
      s.beltFactor[c.eq] = factor;
      applyBelt(w, s, c);
    }
  }
}

function congestionOn(s: ScriptedState, cell: number): Of<'uplink-congestion'> | null {
  for (const f of s.active) if (f.kind === 'uplink-congestion' && f.cell === cell) return f;
  return null;
}

/** Share of their streams the cameras on a congested cell get this step, 0..1. */
function shareOf(w: SimWorld, f: Of<'uplink-congestion'>): number {
  const net = w.cells;
  let sent = 0;
  let want = 0;
  for (let k = 0; k < f.lines.length; k++) {
    const dev = f.devs[k];
    if (dev < 0 || net.devCell[dev] !== f.cell) continue;
    const v = f.lines[k].vision!;
    const up = w.equipment[v.eq].signals[VIS.uplink];
    sent += up;
    want += f.lines[k].running ? v.streamMbps : up;
  }
  // The plant's step counted the cameras' last uplink into the cell's load; the rest is others'.
  const room = Math.max(0, net.ulCap[f.cell] - (net.ul[f.cell] - sent));
  return want > room ? room / want : 1;
}

/** Restores the cell's capacity; the cameras and belts return to normal (at once if it was the last). */
export function endCongestion(w: SimWorld, s: ScriptedState, f: Of<'uplink-congestion'>): void {
  w.cells.ulCap[f.cell] = f.nominalUl;
  emitSimulated(w, 'recovery', 'info', f.eq, 'event.scripted.interferenceCleared', { equipment: f.target });
  if (s.active.some((x) => x !== f && x.kind === 'uplink-congestion')) return;
  for (const line of f.lines) {
    const v = line.vision!;
    s.congestionReject[v.eq] = 0;
    applyRejects(w, s, v);
    for (const c of line.conveyors) {
      s.beltFactor[c.eq] = 1;
      applyBelt(w, s, c);
    }
  }
}
