import { type Layout, MACHINE_STATES, type MachineState, signalIndex } from '../../../protocol';
import { DEFAULT_PLANT, loadPlantFile } from '../../../server/plantFile';
import { createWorld, type PlantEventDraft, SIM_DT_S, stepWorld, type World } from '../../../server/sim';

/** Shared by the scripted-fault tests: the default plant, quiet worlds, stepping and readings. */

let cached: Layout | null = null;

/** The shipped default plant (validated once). */
export function plant(): Layout {
  if (cached) return cached;
  const r = loadPlantFile(DEFAULT_PLANT);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  cached = r.layout;
  return cached;
}

/** A world without random faults, warmed up for `warmS` seconds, so a test sees only what it injects. */
export function quietWorld(seed: number, warmS = 10): World {
  const w = createWorld(plant(), seed, { faults: false });
  run(w, warmS);
  return w;
}

/** Steps `seconds` of simulation (calling `each` after every step); returns the events. */
export function run(w: World, seconds: number, each?: () => boolean | undefined): PlantEventDraft[] {
  const events: PlantEventDraft[] = [];
  const n = Math.round(seconds / SIM_DT_S);
  for (let i = 0; i < n; i++) {
    for (const e of stepWorld(w, SIM_DT_S)) events.push(e);
    if (each?.()) break;
  }
  return events;
}

/** Steps until `done` holds (at most `maxS` seconds); returns the sim time it held, or NaN. */
export function runUntil(w: World, maxS: number, done: () => boolean): number {
  let at = Number.NaN;
  run(w, maxS, () => {
    if (!done()) return false;
    at = w.simTimeS;
    return true;
  });
  return at;
}

export const eq = (w: World, id: string) => w.equipment.find((e) => e.id === id)!;
export const sig = (w: World, id: string, key: string) => eq(w, id).signals[signalIndex(eq(w, id).kind, key)];
export const stateOf = (w: World, id: string): MachineState => MACHINE_STATES[eq(w, id).state];

/** Everything a refused action must leave alone: states, poses, signals and queued events. */
export function snapshot(w: World): string {
  const pending = (w as unknown as { events: unknown[] }).events;
  const eqs = w.equipment.map((e) => [e.state, e.pose ? Array.from(e.pose) : null, Array.from(e.signals)]);
  return JSON.stringify({ eqs, pending });
}
