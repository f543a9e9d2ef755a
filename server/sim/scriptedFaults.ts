import type { PlantEvent } from '../../protocol';
import type { ScenarioFault, ScenarioFaultKind } from '../../protocol/scenario';
import type { CodedText } from '../../protocol/text';
import { enText, type ParamsArg, type TextCode } from '../../protocol/textEn';
import type { AgvRuntime } from './agvFleet';
import type { ConveyorRuntime, LineRuntime } from './conveyorLine';
import type { DroneRuntime } from './drone';
import type { ArmRuntime } from './robotArm';
import { emit, type SimWorld } from './state';
import type { World } from './types';
import type { VisionRuntime } from './vision';

/**
 * Faults injected by a training scenario (issue 5). They live beside the plant's own random
 * faults: where one stops a machine it does so through the same `faulted` flag and
 * `faults.active` entry (kind jam, overheat, bearing, breakdown, power-dip), so operator resets,
 * line states and alarms work unchanged; what develops over time (a heating ramp, bearing wear,
 * battery drain, a cell down, a congested uplink) is applied after each plant step by
 * scriptedStep.ts. Nothing here reads a clock or draws from the RNG.
 *
 * Marked as simulated in two ways: every event the scripted code records carries
 * `simulated: true`, and `simulatedFaults(world)` lists what is injected and on what.
 */

/** The answer to a scenario action: done (the world changed) or not (nothing changed), and why. */
export interface ScenarioActionResult {
  ok: boolean;
  /** English rendering of `text`. */
  message: string;
  text: CodedText;
}

/** armed: waiting for its moment; active: developing; tripped: it stopped equipment, awaiting reset/clear. */
export type ScriptedPhase = 'armed' | 'active' | 'tripped';

interface Base {
  /** Equipment id, or line id for a power dip. */
  readonly target: string;
  /** Equipment index, -1 for a line. */
  readonly eq: number;
  readonly sinceS: number;
  phase: ScriptedPhase;
}

/** One scripted fault in progress, with what its per-step behaviour needs (resolved at injection). */
export type ScriptedFault =
  | (Base & {
      kind: 'joint-overheat';
      arm: ArmRuntime;
      /** Joint 0..5, ramp K/s, and the heat it has added so far above the normal model, K. */
      joint: number;
      ratePerS: number;
      extraK: number;
    })
  | (Base & {
      kind: 'bearing-wear';
      /** The belt (conveyors) or null (robot arm); running time to failure and so far, s. */
      conv: ConveyorRuntime | null;
      failAfterS: number;
      runS: number;
    })
  | (Base & { kind: 'conveyor-jam' })
  | (Base & { kind: 'agv-breakdown'; agv: AgvRuntime; atNode: number })
  | (Base & { kind: 'drone-battery'; drone: DroneRuntime; drainPerS: number })
  | (Base & { kind: 'camera-defocus'; vision: VisionRuntime })
  | (Base & { kind: 'cell-outage'; cell: number })
  | (Base & {
      kind: 'uplink-congestion';
      cell: number;
      /** The cell's uplink capacity before, Mbit/s (restored on clear). */
      nominalUl: number;
      /** Lines with a vision station, and each station's 5G device index (-1: not on the network). */
      lines: LineRuntime[];
      devs: Int32Array;
      /** Scratch per line: share of its camera stream that gets through this step, 0..1. */
      got: Float64Array;
    })
  | (Base & { kind: 'power-dip'; line: LineRuntime; members: Int32Array; untilS: number })
  | (Base & { kind: 'transformer-overheat'; riseK: number; ratePerS: number; extraK: number });

/** A line changeover in progress (order-mix with a changeover time). */
export interface Changeover {
  readonly line: LineRuntime;
  readonly product: string;
  readonly taktS: number;
  readonly untilS: number;
  /** Machines this changeover put in maintenance (those already in maintenance are left alone). */
  readonly members: Int32Array;
}

/** Everything a scenario changed in a world. */
export interface ScriptedState {
  readonly active: ScriptedFault[];
  readonly changeovers: Changeover[];
  /** Per equipment: scripted faults on it now (nonzero = show as simulated). */
  readonly marks: Uint8Array;
  /** Per equipment (conveyors): belt speed set by a scenario, m/s (NaN: the layout's). */
  readonly beltSet: Float64Array;
  /** Per equipment (conveyors): share of the set speed the line can run at (uplink congestion), 0..1. */
  readonly beltFactor: Float64Array;
  /** Per equipment (vision stations): true defect probability set by a scenario (NaN: the layout's). */
  readonly defectSet: Float64Array;
  /** Per equipment (vision stations): extra reject probability of good units (defocus, congestion). */
  readonly falseReject: Float64Array;
  readonly congestionReject: Float64Array;
  /** Per line: product set by an order-mix change ('' = the layout's). */
  readonly products: string[];
}

/** The world's scripted state, created on the first scenario action. */
export function scriptedOf(w: SimWorld): ScriptedState {
  if (w.scripted) return w.scripted;
  const n = w.equipment.length;
  w.scripted = {
    active: [],
    changeovers: [],
    marks: new Uint8Array(n),
    beltSet: new Float64Array(n).fill(Number.NaN),
    beltFactor: new Float64Array(n).fill(1),
    defectSet: new Float64Array(n).fill(Number.NaN),
    falseReject: new Float64Array(n),
    congestionReject: new Float64Array(n),
    products: w.lines.map(() => ''),
  };
  return w.scripted;
}

/** Records a plain-language event marked as simulated (equipment index, or -1 for none). */
export function emitSimulated<C extends TextCode>(
  w: SimWorld,
  type: PlantEvent['type'],
  severity: PlantEvent['severity'],
  eq: number,
  code: C,
  ...params: ParamsArg<C>
): void {
  emit(w, type, severity, eq, code, ...params);
  w.events[w.events.length - 1].simulated = true;
}

/** Answers a scenario action that changed the world. */
export function done<C extends TextCode>(code: C, ...params: ParamsArg<C>): ScenarioActionResult {
  return { ok: true, ...enText(code, ...params) };
}
/** Answers a scenario action that changed nothing, saying why. */
export function notDone<C extends TextCode>(code: C, ...params: ParamsArg<C>): ScenarioActionResult {
  return { ok: false, ...enText(code, ...params) };
}

/** Equipment a scripted fault marks as simulated. */
function marked(f: ScriptedFault): ArrayLike<number> {
  return f.kind === 'power-dip' ? f.members : [f.eq];
}

/** Starts tracking a scripted fault and marks its equipment. */
export function track(s: ScriptedState, f: ScriptedFault): void {
  s.active.push(f);
  const m = marked(f);
  for (let i = 0; i < m.length; i++) s.marks[m[i]]++;
}

/** Stops tracking the scripted fault at `k` and unmarks its equipment. */
export function untrack(s: ScriptedState, k: number): void {
  const f = s.active[k];
  s.active.splice(k, 1);
  const m = marked(f);
  for (let i = 0; i < m.length; i++) if (s.marks[m[i]] > 0) s.marks[m[i]]--;
}

/** A scripted fault as the trainer console and the scene see it. */
export interface SimulatedFault {
  kind: ScenarioFaultKind;
  /** Equipment id, or line id for a power dip. */
  target: string;
  sinceS: number;
  phase: ScriptedPhase;
}

/** The scripted faults in progress (empty for a world without a scenario). Allocates its answer. */
export function simulatedFaults(world: World): SimulatedFault[] {
  const s = (world as SimWorld).scripted;
  if (!s) return [];
  return s.active.map((f) => ({ kind: f.kind, target: f.target, sinceS: f.sinceS, phase: f.phase }));
}

/** Whether equipment `id` is affected by a scripted (simulated) fault now. */
export function isSimulated(world: World, id: string): boolean {
  const w = world as SimWorld;
  const eq = w.indexById.get(id);
  return eq !== undefined && w.scripted !== undefined && w.scripted.marks[eq] > 0;
}

/** The scripted fault of `kind` on `target`, or -1. */
export function findScripted(s: ScriptedState, target: string, kind: ScenarioFault['kind']): number {
  return s.active.findIndex((f) => f.target === target && f.kind === kind);
}
