import type { Alarm, AlarmTransition } from '../../protocol/alarms';
import type { KpiUpdate, PlantEvent } from '../../protocol/events';
import type { LateValue } from '../../protocol/valueHistory';

/**
 * One recorded non-frame item: a plant event, an alarm transition, a KPI update, or the values of
 * real equipment that arrived in a tick but never reached the scene (historical or late).
 */
export type RecordedItem =
  | { k: 'e'; tick: number; simS: number; wall: number; event: PlantEvent }
  | { k: 'a'; tick: number; simS: number; wall: number; transition: AlarmTransition }
  | { k: 'k'; tick: number; simS: number; wall: number; kpis: KpiUpdate }
  | { k: 'h'; tick: number; simS: number; wall: number; values: LateValue[] };

/** Alarms, KPIs and recent events at a group start (what a snapshot would carry). */
export interface RecordedState {
  alarms: Alarm[];
  alarmSeq: number;
  kpis: KpiUpdate | null;
  events: PlantEvent[];
  seq: number;
}

/**
 * A KPI update as stored: the whole update (`kpis`), or only the leaves that changed since the
 * update before it in the same group (`d`: [leaf index, value] pairs, leaves in the order
 * `leaves` walks them), which is what most of a recording's KPI bytes were.
 */
export type StoredItem =
  | Exclude<RecordedItem, { k: 'k' }>
  | { k: 'k'; tick: number; simS: number; wall: number; kpis: KpiUpdate }
  | { k: 'k'; tick: number; simS: number; wall: number; d: [number, unknown][] };

type Leaf = { path: (string | number)[]; value: unknown };

/** The leaves of a JSON value (objects by key order, arrays by index), with their paths. */
function leaves(v: unknown, path: (string | number)[] = [], out: Leaf[] = []): Leaf[] {
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) leaves(v[i], [...path, i], out);
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) leaves(x, [...path, k], out);
  else out.push({ path, value: v });
  return out;
}

function shapeOf(ls: Leaf[]): string {
  return JSON.stringify(ls.map((l) => l.path));
}

/** Turns items into stored items, each KPI update as the changes from the one before it. */
export class ItemEncoder {
  private prev: Leaf[] | null = null;
  private prevShape = '';

  /** Starts from the KPIs a group's state carries (null: the next update is stored whole). */
  constructor(kpis: KpiUpdate | null) {
    this.reset(kpis);
  }

  reset(kpis: KpiUpdate | null): void {
    this.prev = kpis ? leaves(kpis) : null;
    this.prevShape = this.prev ? shapeOf(this.prev) : '';
  }

  encode(item: RecordedItem): StoredItem {
    if (item.k !== 'k') return item;
    const next = leaves(item.kpis);
    const shape = shapeOf(next);
    const prev = this.prev;
    const same = prev !== null && shape === this.prevShape;
    this.prev = next;
    this.prevShape = shape;
    if (!same) return item;
    const d: [number, unknown][] = [];
    for (let i = 0; i < next.length; i++) if (next[i].value !== prev[i].value) d.push([i, next[i].value]);
    return { k: 'k', tick: item.tick, simS: item.simS, wall: item.wall, d };
  }
}

/** Inverse of ItemEncoder: started from the same KPIs, gives back the items as recorded. */
export class ItemDecoder {
  private prev: KpiUpdate | null;

  constructor(kpis: KpiUpdate | null) {
    this.prev = kpis;
  }

  decode(item: StoredItem): RecordedItem {
    if (item.k !== 'k') return item;
    if ('kpis' in item) {
      this.prev = item.kpis;
      return item;
    }
    if (!this.prev) throw new Error('a KPI change without the update before it');
    const next = structuredClone(this.prev);
    const ls = leaves(next);
    for (const [i, value] of item.d) {
      const leaf = ls[i];
      if (!leaf) throw new Error(`a KPI change names leaf ${i} of ${ls.length}`);
      let o = next as unknown as Record<string | number, unknown>;
      for (let k = 0; k < leaf.path.length - 1; k++) o = o[leaf.path[k]] as Record<string | number, unknown>;
      o[leaf.path[leaf.path.length - 1]] = value;
    }
    this.prev = next;
    return { k: 'k', tick: item.tick, simS: item.simS, wall: item.wall, kpis: next };
  }
}
