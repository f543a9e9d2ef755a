import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import {
  compileJsonPath,
  type JsonPathStep,
  MACHINE_STATES,
  type MachineState,
  type MqttJsonSource,
  readJsonPath,
  type SignalDef,
  STATE_CODE,
} from '../../protocol';
import { RateLimiter } from '../auth/rateLimiter';
import type { SourceAdapter } from './adapter';
import { type IngestSink, STATE_SIG } from './ingestSink';
import { Q } from './liveValues';
import { trackConnection } from './mqttOptions';
import type { DropReason, SourceStats } from './sourceStats';

/** Largest payload accepted, bytes. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
/** Source timestamps further ahead of the receive time are refused, ms. */
export const MAX_FUTURE_MS = 5 * 60_000;
/** Source timestamps older than this are refused, ms. */
export const MAX_AGE_MS = 24 * 3600_000;
/** A value beyond its catalog range by more than this many range spans is refused. */
const RANGE_SPANS = 10;

/** One mapped field: where it is in the payload and which signal (or the state) it feeds. */
interface Field {
  sig: number;
  steps: JsonPathStep[];
  def: SignalDef | null;
}

/** One subscribed topic. */
interface TopicMap {
  eq: number;
  fields: Field[];
  ts: JsonPathStep[] | null;
  stateMap: Record<string, MachineState> | null;
  limiter: RateLimiter;
}

/** What the adapter needs of the plant: equipment index and the signals of its kind. */
export interface PlantIndex {
  indexOf(equipmentId: string): number;
  signalsOf(equipmentId: string): readonly SignalDef[];
}

const bad = (reason: DropReason, detail: string) => ({ reason, detail });

/**
 * Plain MQTT with JSON payloads ("unified namespace" topics): one exact topic per piece of
 * equipment, fields picked out with the safe JSONPath subset. A message is applied whole or not at
 * all: any bad field (wrong type, NaN, far out of range, unknown state), a bad timestamp, a payload
 * over 64 KiB or malformed JSON drops it, counted by reason. Each topic has its own token bucket,
 * so a flooding device loses its own messages, never another topic's.
 */
export class MqttJsonAdapter implements SourceAdapter {
  private client: MqttClient | null = null;
  private sink: IngestSink | null = null;
  private readonly topics = new Map<string, TopicMap>();

  constructor(
    private readonly source: MqttJsonSource,
    private readonly options: IClientOptions,
    plant: PlantIndex,
    private readonly stats: SourceStats,
    private readonly now: () => number,
  ) {
    for (const t of source.topics) {
      const defs = plant.signalsOf(t.equipment);
      const fields: Field[] = [];
      for (const [name, path] of Object.entries(t.fields)) {
        const c = compileJsonPath(path);
        if (!c.ok) continue; // the schema refused it already
        const sig = name === 'state' ? STATE_SIG : defs.findIndex((d) => d.key === name);
        fields.push({ sig, steps: c.steps, def: sig >= 0 ? defs[sig] : null });
      }
      const ts = t.timestamp ? compileJsonPath(t.timestamp) : null;
      this.topics.set(t.topic, {
        eq: plant.indexOf(t.equipment),
        fields,
        ts: ts?.ok ? ts.steps : null,
        stateMap: t.stateMap ?? null,
        limiter: new RateLimiter(t.maxPerS, Math.max(1, t.maxPerS * 2), now),
      });
    }
  }

  health(): SourceStats {
    return this.stats;
  }

  start(sink: IngestSink): void {
    this.sink = sink;
    const client = mqtt.connect(this.source.broker, this.options);
    this.client = client;
    trackConnection(client, this.stats, this.now);
    client.on('connect', () => {
      // A clean session forgets subscriptions: renew them on every (re)connect.
      client.subscribe([...this.topics.keys()], { qos: 0 }, (err) => {
        if (err) this.stats.connectionError(`subscribe failed: ${err.message}`, this.now());
      });
    });
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = null;
    this.sink = null;
    if (c) await c.endAsync(true);
    this.stats.status = 'down';
  }

  /** Checks one message and queues its values; never throws. */
  onMessage(topic: string, payload: Buffer): void {
    const rxMs = this.now();
    const t = this.topics.get(topic);
    const r = t ? this.check(t, payload, rxMs) : bad('topic', `no mapping for topic ${topic.slice(0, 200)}`);
    if ('reason' in r) {
      this.stats.drop(r.reason, r.detail, rxMs);
      return;
    }
    const sink = this.sink;
    if (!sink || !t) return;
    const src = this.stats.index;
    for (let i = 0; i < r.values.length; i += 2)
      if (!sink.push(src, t.eq, r.values[i], r.values[i + 1], r.srcMs, rxMs, Q.good)) {
        this.stats.drop('rate', 'ingest queue full', rxMs);
        return;
      }
    this.stats.accepted(rxMs);
    if (r.stamped) this.stats.skewSample(rxMs - r.srcMs);
  }

  private check(
    t: TopicMap,
    payload: Buffer,
    rxMs: number,
  ): { values: number[]; srcMs: number; stamped: boolean } | { reason: DropReason; detail: string } {
    if (payload.byteLength > MAX_PAYLOAD_BYTES)
      return bad('size', `payload of ${payload.byteLength} bytes (limit ${MAX_PAYLOAD_BYTES})`);
    if (!t.limiter.take('topic').ok) return bad('rate', 'topic over its message rate');
    let doc: unknown;
    try {
      doc = JSON.parse(payload.toString('utf8'));
    } catch (err) {
      return bad('malformed', `not JSON (${(err as Error).message.slice(0, 100)})`);
    }
    let srcMs = rxMs;
    if (t.ts) {
      const ms = toEpochMs(readJsonPath(doc, t.ts));
      if (ms === null) return bad('timestamp', 'timestamp missing or not ms since epoch / ISO 8601');
      if (ms > rxMs + MAX_FUTURE_MS) return bad('timestamp', 'timestamp more than 5 min in the future');
      if (ms < rxMs - MAX_AGE_MS) return bad('timestamp', 'timestamp more than a day old');
      srcMs = ms;
    }
    const values: number[] = [];
    for (const f of t.fields) {
      const raw = readJsonPath(doc, f.steps);
      if (raw === undefined) continue;
      if (f.sig === STATE_SIG) {
        const code = stateCode(raw, t.stateMap);
        if (code < 0) return bad('state', `state ${JSON.stringify(raw)?.slice(0, 60)} is not mapped`);
        values.push(STATE_SIG, code);
        continue;
      }
      const v = toNumber(raw);
      if (v === null) return bad('type', `${f.def?.key}: expected a number, got ${typeof raw}`);
      const d = f.def;
      if (d) {
        const span = d.max - d.min;
        if (v < d.min - RANGE_SPANS * span || v > d.max + RANGE_SPANS * span)
          return bad('range', `${d.key}: ${v} is far outside ${d.min}..${d.max} ${d.unit}`);
      }
      values.push(f.sig, v);
    }
    if (values.length === 0) return bad('type', 'no mapped field in the payload');
    return { values, srcMs, stamped: t.ts !== null };
  }
}

/** A finite number, or a numeric string; anything else (booleans, NaN, Infinity) is null. */
function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '' && v.length < 64) {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** ms since epoch (number or numeric string) or an ISO 8601 string; null otherwise. */
function toEpochMs(v: unknown): number | null {
  const n = toNumber(v);
  if (n !== null) return n;
  if (typeof v !== 'string' || v.length > 40 || !/^\d{4}-\d\d-\d\d[T ]/.test(v)) return null;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : null;
}

/** A payload state through the map (or a machine state name as is); -1 when unknown. */
function stateCode(raw: unknown, map: Record<string, MachineState> | null): number {
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') return -1;
  const key = String(raw);
  const name = map ? (Object.hasOwn(map, key) ? map[key] : undefined) : key;
  return name !== undefined && (MACHINE_STATES as readonly string[]).includes(name)
    ? STATE_CODE[name as MachineState]
    : -1;
}
