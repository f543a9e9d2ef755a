import protobuf from 'protobufjs';

/**
 * Sparkplug B payloads (the protobuf of the Sparkplug 3.0 specification, written here from its
 * field numbers; only the parts the twin reads or writes: scalar metrics with their properties).
 * Shared by the host application (decodes births and data, encodes NCMD/DCMD) and the virtual
 * plant (encodes births and data, decodes commands). DataSet, Template and extension values are
 * parsed as opaque bytes and reported as unsupported metric types.
 */

const SCHEMA = `
syntax = "proto2";
package sparkplugb;
message Payload {
  message PropertyValue {
    optional uint32 type = 1;
    optional bool is_null = 2;
    oneof value {
      uint32 int_value = 3;
      uint64 long_value = 4;
      float float_value = 5;
      double double_value = 6;
      bool boolean_value = 7;
      string string_value = 8;
      PropertySet propertyset_value = 9;
    }
  }
  message PropertySet {
    repeated string keys = 1;
    repeated PropertyValue values = 2;
  }
  message Metric {
    optional string name = 1;
    optional uint64 alias = 2;
    optional uint64 timestamp = 3;
    optional uint32 datatype = 4;
    optional bool is_historical = 5;
    optional bool is_transient = 6;
    optional bool is_null = 7;
    optional PropertySet properties = 9;
    oneof value {
      uint32 int_value = 10;
      uint64 long_value = 11;
      float float_value = 12;
      double double_value = 13;
      bool boolean_value = 14;
      string string_value = 15;
      bytes bytes_value = 16;
      bytes dataset_value = 17;
      bytes template_value = 18;
      bytes extension_value = 19;
    }
  }
  optional uint64 timestamp = 1;
  repeated Metric metrics = 2;
  optional uint64 seq = 3;
  optional string uuid = 4;
  optional bytes body = 5;
}
`;

const PayloadType = protobuf.parse(SCHEMA, { keepCase: true }).root.lookupType('sparkplugb.Payload');

/** Sparkplug B data types (the specification's numbering). */
export const DataType = {
  Int8: 1,
  Int16: 2,
  Int32: 3,
  Int64: 4,
  UInt8: 5,
  UInt16: 6,
  UInt32: 7,
  UInt64: 8,
  Float: 9,
  Double: 10,
  Boolean: 11,
  String: 12,
  DateTime: 13,
  Text: 14,
} as const;

/** Sparkplug `Quality` property values (OPC DA quality codes the specification uses). */
export const SP_QUALITY = { bad: 0, good: 192, stale: 500 } as const;

/** A scalar metric value as the twin sees it; null for is_null or an unsupported type. */
export type MetricValue = number | boolean | string | bigint | null;

/** One decoded metric. */
export interface DecodedMetric {
  name?: string;
  /** Alias (only when it fits a safe integer; larger aliases are refused as malformed). */
  alias?: number;
  /** Source time, ms since epoch. */
  timestamp?: number;
  datatype?: number;
  isHistorical: boolean;
  isTransient: boolean;
  isNull: boolean;
  /**
   * The value: a number for int, float and double types (64-bit integers beyond 2^53 come as
   * bigint, never rounded silently), a boolean, a string; null when is_null or unsupported.
   */
  value: MetricValue;
  /** The `Quality` property, when present. */
  quality?: number;
  /** Other scalar properties (e.g. `engUnit`), by key. */
  properties?: Record<string, MetricValue>;
}

/** One decoded payload. */
export interface DecodedPayload {
  /** Send time, ms since epoch. */
  timestamp?: number;
  /** Sequence number 0..255. */
  seq?: number;
  metrics: DecodedMetric[];
}

/** A metric to encode. */
export interface MetricToEncode {
  name?: string;
  alias?: number;
  timestamp?: number;
  datatype: number;
  value: MetricValue;
  isHistorical?: boolean;
  /** `Quality` property (SP_QUALITY). */
  quality?: number;
  /** Extra scalar properties (e.g. engUnit), encoded as String or Double. */
  properties?: Record<string, string | number>;
}

/** Thrown for bytes that are not a Sparkplug B payload the twin can read. */
export class PayloadError extends Error {
  override name = 'PayloadError';
}

type Raw = Record<string, unknown>;

/** A uint64 (protobufjs Long-like or number) as a safe number, else a bigint. */
function u64(v: unknown): number | bigint | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const b = BigInt(v);
    return b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
  }
  const l = v as { low: number; high: number };
  const b = (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);
  return b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

function safe(v: number | bigint | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'bigint') throw new PayloadError(`${what} ${v} is beyond 2^53`);
  return v;
}

/** A signed view of a 64-bit integer of type Int64 (two's complement in a uint64 field). */
function signed64(v: number | bigint): number | bigint {
  const b = BigInt(v);
  const s = b >= 1n << 63n ? b - (1n << 64n) : b;
  return s >= BigInt(Number.MIN_SAFE_INTEGER) && s <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(s) : s;
}

function scalar(m: Raw, datatype: number | undefined): MetricValue {
  if (m.int_value !== undefined && m.int_value !== null) {
    const u = m.int_value as number;
    if (datatype === DataType.Int8) return (u << 24) >> 24;
    if (datatype === DataType.Int16) return (u << 16) >> 16;
    if (datatype === DataType.Int32) return u | 0;
    return u >>> 0;
  }
  if (m.long_value !== undefined && m.long_value !== null) {
    const v = u64(m.long_value) as number | bigint;
    return datatype === DataType.Int64 ? signed64(v) : v;
  }
  if (m.float_value !== undefined && m.float_value !== null) return m.float_value as number;
  if (m.double_value !== undefined && m.double_value !== null) return m.double_value as number;
  if (m.boolean_value !== undefined && m.boolean_value !== null) return m.boolean_value as boolean;
  if (m.string_value !== undefined && m.string_value !== null) return m.string_value as string;
  return null;
}

function properties(p: Raw | undefined): Record<string, MetricValue> | undefined {
  if (!p) return undefined;
  const keys = (p.keys as string[] | undefined) ?? [];
  const values = (p.values as Raw[] | undefined) ?? [];
  if (keys.length !== values.length) throw new PayloadError('property keys and values differ in number');
  const out: Record<string, MetricValue> = {};
  for (let i = 0; i < keys.length; i++) {
    const v = values[i];
    out[keys[i]] = v.is_null ? null : scalar(v, v.type as number | undefined);
  }
  return out;
}

/** Decodes a payload; throws PayloadError for anything malformed. */
export function decodePayload(bytes: Uint8Array): DecodedPayload {
  let msg: Raw;
  try {
    msg = PayloadType.toObject(PayloadType.decode(bytes), { defaults: false }) as Raw;
  } catch (err) {
    throw new PayloadError(`not a Sparkplug B payload (${(err as Error).message.slice(0, 100)})`);
  }
  const seq = safe(u64(msg.seq), 'seq');
  if (seq !== undefined && seq > 255) throw new PayloadError(`seq ${seq} is beyond 255`);
  const metrics = ((msg.metrics as Raw[] | undefined) ?? []).map((m): DecodedMetric => {
    const datatype = m.datatype as number | undefined;
    const props = properties(m.properties as Raw | undefined);
    const quality = props?.Quality;
    const out: DecodedMetric = {
      isHistorical: m.is_historical === true,
      isTransient: m.is_transient === true,
      isNull: m.is_null === true,
      value: m.is_null === true ? null : scalar(m, datatype),
    };
    if (typeof m.name === 'string') out.name = m.name;
    const alias = safe(u64(m.alias), 'alias');
    if (alias !== undefined) out.alias = alias;
    const ts = safe(u64(m.timestamp), 'metric timestamp');
    if (ts !== undefined) out.timestamp = ts;
    if (datatype !== undefined) out.datatype = datatype;
    if (typeof quality === 'number') out.quality = quality;
    if (props) out.properties = props;
    return out;
  });
  const out: DecodedPayload = { metrics };
  const ts = safe(u64(msg.timestamp), 'timestamp');
  if (ts !== undefined) out.timestamp = ts;
  if (seq !== undefined) out.seq = seq;
  return out;
}

function valueField(datatype: number, value: MetricValue): Raw {
  if (value === null) return { is_null: true };
  switch (datatype) {
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
    case DataType.UInt8:
    case DataType.UInt16:
    case DataType.UInt32:
      return { int_value: Number(value) >>> 0 };
    case DataType.Int64:
    case DataType.UInt64:
    case DataType.DateTime: {
      const b = BigInt.asUintN(64, BigInt(typeof value === 'number' ? Math.trunc(value) : (value as bigint)));
      return { long_value: protobuf.util.LongBits.from(b.toString()).toLong(true) };
    }
    case DataType.Float:
      return { float_value: Number(value) };
    case DataType.Double:
      return { double_value: Number(value) };
    case DataType.Boolean:
      return { boolean_value: Boolean(value) };
    default:
      return { string_value: String(value) };
  }
}

/** Encodes a payload (births, data, commands). */
export function encodePayload(p: {
  timestamp?: number;
  seq?: number;
  metrics: MetricToEncode[];
}): Uint8Array {
  const metrics = p.metrics.map((m) => {
    const raw: Raw = { datatype: m.datatype, ...valueField(m.datatype, m.value) };
    if (m.name !== undefined) raw.name = m.name;
    if (m.alias !== undefined) raw.alias = m.alias;
    if (m.timestamp !== undefined) raw.timestamp = m.timestamp;
    if (m.isHistorical) raw.is_historical = true;
    const keys: string[] = [];
    const values: Raw[] = [];
    if (m.quality !== undefined) {
      keys.push('Quality');
      values.push({ type: DataType.Int32, int_value: m.quality });
    }
    for (const [k, v] of Object.entries(m.properties ?? {})) {
      keys.push(k);
      values.push(
        typeof v === 'number'
          ? { type: DataType.Double, double_value: v }
          : { type: DataType.String, string_value: v },
      );
    }
    if (keys.length) raw.properties = { keys, values };
    return raw;
  });
  const msg: Raw = { metrics };
  if (p.timestamp !== undefined) msg.timestamp = p.timestamp;
  if (p.seq !== undefined) msg.seq = p.seq;
  return PayloadType.encode(PayloadType.fromObject(msg)).finish();
}
