import { type MachineState, type SignalDef, STATE_CODE } from '../../../protocol';
import { STATE_SIG } from '../ingestSink';
import { Q } from '../liveValues';
import { MAX_AGE_MS, MAX_FUTURE_MS } from '../mqttJsonAdapter';
import type { DropReason } from '../sourceStats';
import type { MetricValue } from './payload';

/** A value beyond its catalog range by more than this many range spans is refused (as mqtt-json). */
const RANGE_SPANS = 10;

/** Where one Sparkplug metric goes: a signal of a piece of equipment, or its machine state. */
export interface Target {
  eq: number;
  /** Signal index in the kind's catalog, or STATE_SIG. */
  sig: number;
  /** The signal's catalog entry (range check); null for the state. */
  def: SignalDef | null;
  /** Metric value -> machine state (state targets only). */
  stateMap: Record<string, MachineState> | null;
}

/** A metric announced by a birth: its name, datatype and what it feeds (null: nothing mapped). */
export interface MetricInfo {
  name: string;
  datatype: number | undefined;
  targets: Target[] | null;
}

/**
 * The metrics of one birth scope (an edge node's own metrics, or one device): what the file maps
 * (fixed at start), and what the latest birth announced (names and aliases, replaced at each birth).
 */
export class MetricScope {
  /** Metric name -> targets, from the sources file. */
  readonly mapped = new Map<string, Target[]>();
  /** Equipment this scope feeds (stale marks, commands). */
  readonly equipment: number[] = [];
  /** Whether a birth for this scope was received (and no death since). */
  born = false;
  readonly names = new Map<string, MetricInfo>();
  readonly aliases = new Map<number, MetricInfo>();

  constructor(
    /** The device id, or null for the edge node's own metrics. */
    readonly device: string | null,
  ) {}

  /** Adds a mapped metric. */
  map(metric: string, target: Target): void {
    const list = this.mapped.get(metric);
    if (list) list.push(target);
    else this.mapped.set(metric, [target]);
    if (!this.equipment.includes(target.eq)) this.equipment.push(target.eq);
  }

  /** Forgets the announced metrics (a new birth follows, or a death). */
  forget(): void {
    this.born = false;
    this.names.clear();
    this.aliases.clear();
  }

  /** Records a metric of a birth; returns false for a nameless one (births must name every metric). */
  announce(name: string | undefined, alias: number | undefined, datatype: number | undefined): boolean {
    if (name === undefined) return false;
    const info: MetricInfo = { name, datatype, targets: this.mapped.get(name) ?? null };
    this.names.set(name, info);
    if (alias !== undefined) this.aliases.set(alias, info);
    return true;
  }

  /** The announced metric a data metric refers to (by name when it has one, else by alias). */
  resolve(name: string | undefined, alias: number | undefined): MetricInfo | undefined {
    if (name !== undefined) return this.names.get(name);
    if (alias !== undefined) return this.aliases.get(alias);
    return undefined;
  }
}

/**
 * A metric value as a signal value: numbers as they are, booleans as 1/0, numeric strings parsed.
 * Returns the drop reason instead for anything else: a 64-bit integer beyond 2^53 or NaN/Infinity
 * ('range'), a value more than 10 spans outside the catalog range ('range'), other types ('type').
 */
export function signalValue(v: MetricValue, def: SignalDef | null): number | DropReason {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'boolean') n = v ? 1 : 0;
  else if (typeof v === 'bigint') return 'range';
  else if (typeof v === 'string' && v.trim() !== '' && v.length < 64) n = Number(v);
  else return 'type';
  if (Number.isNaN(n) && typeof v === 'string') return 'type';
  if (!Number.isFinite(n)) return 'range';
  if (def) {
    const span = def.max - def.min;
    if (n < def.min - RANGE_SPANS * span || n > def.max + RANGE_SPANS * span) return 'range';
  }
  return n;
}

/** A metric value through the state map, as a STATE_CODE; -1 when it maps to no state. */
export function stateCode(v: MetricValue, map: Record<string, MachineState> | null): number {
  if (v === null || !map) return -1;
  const key = typeof v === 'boolean' ? String(v) : typeof v === 'bigint' ? v.toString() : String(v);
  return Object.hasOwn(map, key) ? STATE_CODE[map[key]] : -1;
}

/**
 * The Sparkplug `Quality` property (OPC DA codes) as a quality code: 192..255 good, 500 stale,
 * below 64 bad, 64..191 uncertain; absent is good. Anything else is not a code the specification
 * names, so it is shown uncertain rather than trusted.
 */
export function qualityOf(q: number | undefined): number {
  if (q === undefined) return Q.good;
  if (q >= 192 && q <= 255) return Q.good;
  if (q === 500) return Q.stale;
  if (q < 64) return Q.bad;
  return Q.uncertain;
}

/** Whether a source time is acceptable against the receive time (not 5 min ahead, not a day old). */
export function timestampOk(srcMs: number, rxMs: number): boolean {
  return srcMs <= rxMs + MAX_FUTURE_MS && srcMs >= rxMs - MAX_AGE_MS;
}

/** Whether a target is the machine state. */
export const isState = (t: Target): boolean => t.sig === STATE_SIG;
