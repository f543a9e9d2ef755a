import { create } from 'zustand';
import type { AlarmTemplate, KpiUpdate, Layout, PlantEvent } from '../../protocol';
import type { TwinBuffer } from './twinBuffer';

/** Events kept for the HUD (newest last). */
export const EVENT_HISTORY = 200;

export interface PlantStore {
  /** The layout of the last snapshot; changes only when a snapshot arrives. */
  layout: Layout | null;
  /** The live twin buffer for that layout (mutated at frame rate; its identity changes per snapshot). */
  buffer: TwinBuffer | null;
  /** Plant name and speed from the snapshot. */
  speed: number;
  /** Low-rate facts (1 Hz). */
  kpis: KpiUpdate | null;
  events: PlantEvent[];
  /** Sequence number of the newest event seen. */
  seq: number;
  snapshots: number;
  /** Alarm rule message templates by rule id, in every language the rules give (from the snapshot). */
  alarmTemplates: Readonly<Record<string, AlarmTemplate>>;
}

/** Low-rate plant facts for React; telemetry itself stays in `buffer`. */
export const usePlantStore = create<PlantStore>(() => ({
  layout: null,
  buffer: null,
  speed: 1,
  kpis: null,
  events: [],
  seq: 0,
  snapshots: 0,
  alarmTemplates: {},
}));

/** The current buffer, for code outside React (render loop, diagnostics). */
export function currentBuffer(): TwinBuffer | null {
  return usePlantStore.getState().buffer;
}
