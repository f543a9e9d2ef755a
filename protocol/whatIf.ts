import { z } from 'zod';

/**
 * What-if runs of design drafts: the draft's layout and the live one, simulated headless from the
 * same seed for the same simulated hours, compared by their KPIs. Nothing touches the live plant.
 */

/** Longest what-if run, simulated hours (a day; about a minute of CPU per layout at 500x). */
export const WHATIF_MAX_HOURS = 24;
/** Largest seed (the simulation's RNG takes a 31-bit non-negative integer). */
export const WHATIF_MAX_SEED = 2 ** 31 - 1;
/** RSRP a floor spot needs to count as covered, dBm (a common indoor planning threshold). */
export const WHATIF_COVERAGE_DBM = -100;

/** `POST /api/designs/:id/whatif`: simulated hours and the seed (default: the live plant's). */
export const whatIfRequestSchema = z.strictObject({
  hours: z
    .number({ error: 'expected a number of simulated hours' })
    .positive({ error: 'must be > 0' })
    .max(WHATIF_MAX_HOURS, { error: `expected at most ${WHATIF_MAX_HOURS} hours` }),
  seed: z
    .number({ error: 'expected an integer seed' })
    .int({ error: 'expected an integer seed' })
    .min(0, { error: 'must be >= 0' })
    .max(WHATIF_MAX_SEED, { error: `expected at most ${WHATIF_MAX_SEED}` })
    .optional(),
  /**
   * A shipped training scenario (`GET /api/scenarios`) to run on both layouts: its timeline (faults,
   * parameter changes such as a changeover) and, as a scripted operator, its expected commands.
   * Its seed is the default seed.
   */
  scenario: z
    .string({ error: 'expected a scenario id' })
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'expected a scenario id (lowercase letters, digits, "-")' })
    .optional(),
});
export type WhatIfRequest = z.infer<typeof whatIfRequestSchema>;

/**
 * A heat map over the floor: `cols` x `rows` cells of `cellM` metres from the corner
 * (`originX`, `originZ`), row-major (index = row * cols + col; x grows with the column, z with the
 * row). Cells off every zone's floor are null.
 */
export interface WhatIfGrid {
  originX: number;
  originZ: number;
  cellM: number;
  cols: number;
  rows: number;
  values: (number | null)[];
}

/** One production line over the whole run (OEE since the start, as the live KPIs count it). */
export interface WhatIfLine {
  id: string;
  name: string;
  /** Shares 0..1. */
  availability: number;
  performance: number;
  quality: number;
  oee: number;
  /** Units inspected and passed, count. */
  total: number;
  good: number;
}

/** One 5G cell's uplink over the run, sampled once a simulated second. */
export interface WhatIfCellUplink {
  id: string;
  /** All uplink traffic (vision, AGVs, drones, background), Mbit/s. */
  meanMbps: number;
  peakMbps: number;
  /** The vision stations' streams alone, Mbit/s. */
  visionMeanMbps: number;
  visionPeakMbps: number;
  /** Uplink capacity, Mbit/s; mean and peak load as a share of it, 0..1 (may exceed 1). */
  capacityMbps: number;
  meanShare: number;
  peakShare: number;
}

/** A scenario timeline step or scripted command as one run applied it (or could not). */
export interface WhatIfScriptEntry {
  /** Sim time it was applied, s. */
  atS: number;
  /** 'step' (the timeline's) or 'command' (the scripted operator's, from an expectation). */
  kind: 'step' | 'command';
  /** What it was: `fault joint-overheat L1-R2`, `set order-mix L3`, `start L3`. */
  what: string;
  ok: boolean;
  /** What changed, or why nothing could (an id this layout lacks, a refused command). */
  message: string;
}

/** The KPIs of one what-if run. */
export interface WhatIfKpis {
  /** The scenario run on it, when one was asked for: every step and command, applied or not. */
  scenario?: { id: string; entries: WhatIfScriptEntry[] };
  /** Simulated time, h; equipment count of the layout. */
  simHours: number;
  equipment: number;
  lines: WhatIfLine[];
  plant: {
    /** Mean OEE of the lines, 0..1. */
    oee: number;
    /** Units of all lines per simulated hour over the run. */
    throughputPerHour: number;
    totalUnits: number;
    goodUnits: number;
  };
  agvs: {
    count: number;
    /** Time-averaged share of AGVs busy (to a rack, loading, to a feeder, unloading), 0..1. */
    utilization: number;
    /** Distance driven by all AGVs, m. */
    travelM: number;
    /** Time AGVs stood waiting for a free route (after a refused route search), s, all AGVs. */
    waitS: number;
    /** Route searches refused because the way was taken, count. */
    waits: number;
    /** Pallets delivered to feeders, count. */
    deliveries: number;
  };
  coverage: {
    /** Share of floor area whose best-cell RSRP is at least WHATIF_COVERAGE_DBM, 0..1. */
    shareCovered: number;
    thresholdDbm: number;
    /** Mean and 5th percentile of RSRP over the floor, dBm. */
    meanDbm: number;
    p5Dbm: number;
    /** Uplink of each cell. */
    cells: WhatIfCellUplink[];
  };
  heat: {
    /** AGV occupancy, AGV-seconds per cell. */
    agvTraffic: WhatIfGrid;
    /** Best-cell RSRP at 1.5 m above the floor, dBm. */
    rsrp: WhatIfGrid;
  };
}

/** `POST /api/designs/:id/whatif` answer. */
export interface WhatIfAnswer {
  ok: true;
  draft: WhatIfKpis;
  live: WhatIfKpis;
  /** Simulated hours and seed of both runs. */
  hours: number;
  seed: number;
  /** The scenario run on both layouts, when one was asked for. */
  scenario?: string;
  /** Wall-clock time of both runs, s. */
  wallS: number;
}

/** `GET /api/designs/:id/whatif` answer: a run of this draft in progress (progress 0..1), or none. */
export interface WhatIfProgress {
  ok: true;
  running: boolean;
  progress: number;
  hours?: number;
  seed?: number;
}
