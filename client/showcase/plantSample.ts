import { type Layout, signalIndex } from '../../protocol';
import type { TwinBuffer } from '../state/twinBuffer';

const INSPECTED = signalIndex('vision-station', 'inspected');
const REJECTS = signalIndex('vision-station', 'rejects');
const LOAD = signalIndex('transformer', 'load');

/** Figures the showcase reads straight from the twin buffer (1 Hz, outside the frame loop). */
export interface PlantSample {
  /** Units inspected and rejected by every vision station since start. */
  inspected: number;
  rejects: number;
  /** Transformer load × rating summed over the plant, kVA, and the summed rating. */
  powerKva: number;
  ratingKva: number;
  /** AGVs in the plant. */
  agvs: number;
}

/** Samples vision counters and transformer load (the plant has no energy KPI: load × rating). */
export function samplePlant(layout: Layout, buffer: TwinBuffer): PlantSample {
  let inspected = 0;
  let rejects = 0;
  let powerKva = 0;
  let ratingKva = 0;
  let agvs = 0;
  const eqs = layout.equipment;
  for (let i = 0; i < eqs.length && i < buffer.count; i++) {
    const e = eqs[i];
    if (e.kind === 'vision-station') {
      inspected += buffer.signal(i, INSPECTED);
      rejects += buffer.signal(i, REJECTS);
    } else if (e.kind === 'transformer') {
      const rating = e.props.ratingKva;
      ratingKva += rating;
      powerKva += (buffer.signal(i, LOAD) / 100) * rating;
    } else if (e.kind === 'agv') agvs++;
  }
  return { inspected, rejects, powerKva, ratingKva, agvs };
}
