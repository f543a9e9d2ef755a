import type { EquipmentKind, Layout, PlantEvent } from '../../protocol';

/** Fixed simulation timestep, s. The loop steps the world only in multiples of this. */
export const SIM_DT_S = 0.1;

/** The live state of one piece of equipment, as the codec reads it. */
export interface EquipmentRuntime {
  readonly index: number;
  readonly id: string;
  readonly kind: EquipmentKind;
  /** Machine state code (STATE_CODE). */
  state: number;
  /** [x, y, z, yaw] (m, rad) for mobile kinds (agv, drone); null for static equipment. */
  readonly pose: Float64Array | null;
  /** Signals in catalog order (signalsOf(kind)). */
  readonly signals: Float64Array;
  /**
   * Data mark sent with its frame entry (protocol/codec MARK_*): the worst quality of its live
   * values and whether it is a simulated stand-in. Only ingest sets it; simulated equipment keeps 0.
   */
  mark: number;
}

/**
 * A plant event before the session gives it a sequence number. `simulated` marks an event of a
 * scenario-injected fault (training): the alarm list and scene can show it as such. The live
 * plant's own events never carry it.
 */
export type PlantEventDraft = Omit<PlantEvent, 'seq'> & { simulated?: true };

/**
 * The whole simulation state. Stepping mutates it in place (10,000 machines at 10 Hz leave no room
 * for copies), but it is still a pure function of (state, dt, rng): no clock, no I/O, and the RNG
 * state lives inside the world, so the same seed and inputs give the same run.
 */
export interface World {
  readonly layout: Layout;
  readonly seed: number;
  tick: number;
  simTimeS: number;
  readonly equipment: EquipmentRuntime[];
}
