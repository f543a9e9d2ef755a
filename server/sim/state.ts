import type { PlantEvent } from '../../protocol';
import { type EnText, enText, type ParamsArg, type TextCode } from '../../protocol/textEn';
import type { AgvFleet } from './agvFleet';
import type { CellNetwork } from './cells';
import type { ConveyorRuntime, LineRuntime } from './conveyorLine';
import type { DroneRuntime } from './drone';
import type { EdgeServerRuntime } from './edgeServer';
import type { FaultState } from './faults';
import type { PathGraph } from './pathGraph';
import type { PowerGrid } from './power';
import type { Rng } from './rng';
import type { ArmRuntime } from './robotArm';
import type { ScriptedState } from './scriptedFaults';
import type { PlantEventDraft, World } from './types';

/**
 * Operator holds of a machine (SimWorld.held). Each stops the line at that machine as a fault does
 * (upstream blocked, downstream starved); they differ in what the machine shows and how it ends:
 * stopped -> state idle, ended by start; estop -> state fault, latched until reset (then stopped);
 * recalibrating -> state maintenance, ends by itself (vision stations).
 */
export const HELD = { none: 0, stopped: 1, estop: 2, recalibrating: 3 } as const;

/** A vision-station recalibration in progress. */
export interface Recalibration {
  readonly eq: number;
  /** Simulation time it completes, s. */
  readonly doneAtS: number;
}

/** Options of a world; the defaults are the live plant. */
export interface WorldOptions {
  /** Draw random faults and planned maintenance (false for tests that measure flow). Default true. */
  faults?: boolean;
}

/** First-order lag coefficients for the current step size (1 - e^(-dt/τ)), recomputed when dt changes. */
export interface Lags {
  dt: number;
  /** Robot joint motor winding, τ = 5 min. */
  armTemp: number;
  /** Robot motor current filter, τ = 0.15 s. */
  armCurrent: number;
  /** Conveyor drive motor, τ = 10 min. */
  convTemp: number;
  /** Transformer top oil, τ = 30 min (IEEE C57.91 gives ~3 h; compressed so trends are visible). */
  oil: number;
  /** Transformer winding hot spot over oil, τ = 5 min. */
  winding: number;
  /** Edge-server inlet air, τ = 1 min. */
  inlet: number;
  /** Sensors and smoothed readings, τ = 1 s. */
  sensor: number;
}

/**
 * The world as the simulation sees it: the public World plus every subsystem's runtime. Only
 * server/sim reads these fields; the rest of the server uses World.
 */
export interface SimWorld extends World {
  readonly rng: Rng;
  readonly options: Required<WorldOptions>;
  /** Equipment index by id. */
  readonly indexById: ReadonlyMap<string, number>;
  /** Per equipment: 1 while a fault stops it (set and cleared by faults.ts). */
  readonly faulted: Uint8Array;
  /** Per equipment: 1 while in planned maintenance. */
  readonly maint: Uint8Array;
  /** Per equipment: 1 while its monitoring link is down (state offline, values held). */
  readonly offline: Uint8Array;
  /** Per equipment: an operator hold (HELD code, set by commands.ts); stops line flow like a fault. */
  readonly held: Uint8Array;
  /** Vision stations being recalibrated by command, and when each is done. */
  readonly recalibrations: Recalibration[];
  readonly lines: LineRuntime[];
  /** Conveyors that belong to no line (they run whenever they are not faulted). */
  readonly looseConveyors: ConveyorRuntime[];
  readonly arms: ArmRuntime[];
  /** Equipment index -> arm slot, -1 for other kinds. */
  readonly armOf: Int32Array;
  readonly graph: PathGraph;
  readonly fleet: AgvFleet;
  readonly drones: DroneRuntime[];
  readonly cells: CellNetwork;
  readonly edgeServers: EdgeServerRuntime[];
  readonly power: PowerGrid;
  readonly faults: FaultState;
  lags: Lags;
  /**
   * Faults a training scenario injected and the plant parameters it changed; created by the first
   * scenario action, so a world without a scenario has none and steps exactly as before.
   */
  scripted?: ScriptedState;
  /** Events since the last step returned (a fresh array per step, handed over by stepWorld). */
  events: PlantEventDraft[];
}

/**
 * Records a plain-language event at the current simulation time: its text code and params, and the
 * English message rendered from them.
 */
export function emit<C extends TextCode>(
  w: SimWorld,
  type: PlantEvent['type'],
  severity: PlantEvent['severity'],
  equipmentIndex: number,
  code: C,
  ...params: ParamsArg<C>
): void {
  const { text, message } = enText(code, ...params);
  if (equipmentIndex < 0) w.events.push({ simTimeS: w.simTimeS, type, severity, message, text });
  else
    w.events.push({
      simTimeS: w.simTimeS,
      equipmentId: w.equipment[equipmentIndex].id,
      type,
      severity,
      message,
      text,
    });
}

/** Records an event from a text built elsewhere (a fault's message chosen by kind). */
export function emitText(
  w: SimWorld,
  type: PlantEvent['type'],
  severity: PlantEvent['severity'],
  equipmentIndex: number,
  t: EnText,
): void {
  const d: PlantEventDraft = { simTimeS: w.simTimeS, type, severity, message: t.message, text: t.text };
  if (equipmentIndex >= 0) {
    const { simTimeS, ...rest } = d;
    w.events.push({ simTimeS, equipmentId: w.equipment[equipmentIndex].id, ...rest });
  } else w.events.push(d);
}

/** Computes the lag coefficients for step dt (s). */
export function lagsFor(dt: number): Lags {
  const a = (tau: number) => 1 - Math.exp(-dt / tau);
  return {
    dt,
    armTemp: a(300),
    armCurrent: a(0.15),
    convTemp: a(600),
    oil: a(1800),
    winding: a(300),
    inlet: a(60),
    sensor: a(1),
  };
}
