/**
 * A seeded generator of malformed client requests (deterministic: same seed, same cases). Every
 * case starts from a valid request of its event and applies one or more mutations, each of which
 * alone makes the request invalid (so no case is valid by accident): a required field removed, a
 * field of the wrong type or out of range, an extra or prototype-polluting key, deep nesting, a
 * huge string, NaN/Infinity (JSON makes them null), binary where JSON is expected, a payload that
 * is not an object at all, or the wrong arguments around the ack.
 */

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

/** How the arguments around the payload are laid out. */
export type AckShape =
  /** (payload, ack): the normal shape. */
  | 'normal'
  /** (payload): nobody to answer, the server must ignore it. */
  | 'none'
  /** (payload, extra, ack): one argument too many; answered INVALID. */
  | 'extra'
  /** (ack) alone on an event that needs a payload; answered INVALID. */
  | 'ack-only';

/** One generated request: the arguments before the ack, and where the ack goes. */
export interface FuzzCase {
  /** What was done to it, for failure messages. */
  what: string;
  payload: unknown;
  shape: AckShape;
}

/** Values of the wrong type for a field that expects `expected`. */
function wrongType(r: Rand, expected: 'string' | 'number' | 'boolean' | 'array' | 'object'): unknown {
  const all: Record<string, () => unknown> = {
    string: () => pick(r, ['x', '', '1', 'true', '{}']),
    number: () =>
      pick(r, [0, 1, -1, 3.5, 1e308, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]),
    boolean: () => r() < 0.5,
    null: () => null,
    array: () => pick(r, [[], [1], ['a', 'b'], [[]]]),
    object: () => pick(r, [{}, { a: 1 }, { id: 'x' }]),
    binary: () => Buffer.alloc(int(r, 0, 64), 7),
  };
  const kinds = Object.keys(all).filter((k) => k !== expected && !(expected === 'object' && k === 'array'));
  return all[pick(r, kinds)]();
}

/** A field: how to make a valid value, bad values of the right type, and whether it may be absent. */
interface FieldSpec {
  type: 'string' | 'number' | 'boolean' | 'array' | 'object';
  required: boolean;
  /** Values of the right JSON type that the schema still refuses. */
  bad: (r: Rand) => unknown;
}

/** A request kind: a valid payload and its fields. */
export interface EventSpec {
  event: string;
  /** A valid payload (null: the event takes none). */
  valid: ((r: Rand) => Record<string, unknown>) | null;
  fields: Record<string, FieldSpec>;
}

const longString = (r: Rand, min: number, max: number) => 'x'.repeat(int(r, min, max));
const badAlarmId = (r: Rand) =>
  pick(r, ['', ' ', 'a b', 'a/b', 'a'.repeat(101), 'é@L1', 'x;DROP TABLE audit', '../../etc@x', '\u0000']);
const badLayoutId = (r: Rand) => pick(r, ['', '-x', '.x', 'a b', 'a/b', 'A'.repeat(41), 'L1\n', 'é', '_x']);

/** The specs of every client event. `ids` lists real equipment and path nodes for valid commands. */
export function eventSpecs(ids: { equipment: string[]; nodes: string[] }): EventSpec[] {
  const alarmId = (r: Rand) => `${pick(r, ['conveyor-fault', 'arm-temp', 'x'])}@${pick(r, ids.equipment)}`;
  const id: FieldSpec = { type: 'string', required: true, bad: badAlarmId };
  return [
    { event: 'plant:resync', valid: null, fields: {} },
    {
      event: 'alarm:ack',
      valid: (r) => ({ ids: Array.from({ length: int(r, 1, 4) }, () => alarmId(r)) }),
      fields: {
        ids: {
          type: 'array',
          required: true,
          bad: (r) =>
            pick(r, [
              () => [],
              () => [badAlarmId(r)],
              () => [alarmId(r), 5],
              () => [null],
              () => [[alarmId(r)]],
              () => Array.from({ length: 1001 }, (_, i) => `a${i}@x`),
            ])(),
        },
      },
    },
    {
      event: 'alarm:shelve',
      valid: (r) => ({ id: alarmId(r), minutes: int(r, 1, 720), reason: 'fuzz' }),
      fields: {
        id,
        minutes: { type: 'number', required: true, bad: (r) => pick(r, [0, -1, -0.5, 720.5, 1e9, -1e9]) },
        reason: {
          type: 'string',
          required: true,
          bad: (r) => pick(r, ['', '   ', '\t\n', longString(r, 201, 400)]),
        },
      },
    },
    { event: 'alarm:unshelve', valid: (r) => ({ id: alarmId(r) }), fields: { id } },
    {
      event: 'alarm:out-of-service',
      // enabled: true makes the reason required, so removing it is a mutation too.
      valid: (r) => ({ id: alarmId(r), enabled: true, reason: 'fuzz' }),
      fields: {
        id,
        enabled: { type: 'boolean', required: true, bad: () => undefined },
        reason: { type: 'string', required: true, bad: (r) => pick(r, ['', '   ', longString(r, 201, 300)]) },
      },
    },
    {
      event: 'alarm:since',
      valid: (r) => ({ seq: int(r, 0, 1000) }),
      fields: {
        seq: { type: 'number', required: true, bad: (r) => pick(r, [-1, 1.5, -0.1, 2 ** 60, -(2 ** 60)]) },
      },
    },
    {
      event: 'equipment:command',
      valid: (r) => {
        const goTo = r() < 0.3;
        return {
          commandId: `fz-${int(r, 0, 1e9)}`,
          equipmentId: pick(r, ids.equipment),
          action: goTo
            ? 'go-to'
            : pick(r, ['stop', 'e-stop', 'start', 'reset', 'pause', 'dock', 'recalibrate']),
          ...(goTo ? { params: { node: pick(r, ids.nodes) } } : {}),
        };
      },
      fields: {
        commandId: {
          type: 'string',
          required: true,
          bad: (r) => pick(r, ['', 'a b', 'a/b', 'ä', 'x'.repeat(65), '..', 'id\u0000']),
        },
        equipmentId: { type: 'string', required: true, bad: badLayoutId },
        action: {
          type: 'string',
          required: true,
          bad: (r) => pick(r, ['', 'STOP', 'explode', 'stop ', 'estop']),
        },
        // Only present on go-to templates; on others any params at all is refused.
        params: {
          type: 'object',
          required: true,
          bad: (r) =>
            pick(r, [{}, { node: badLayoutId(r) }, { node: 'A1-05', speed: 9 }, { nodes: ['A1-05'] }]),
        },
        confirmation: {
          type: 'string',
          required: false,
          bad: (r) => pick(r, ['', 'has space', 'x'.repeat(65), 'a+b/c=']),
        },
      },
    },
  ];
}

/** Nests `v` `depth` levels deep in arrays and objects. */
function nest(r: Rand, v: unknown, depth: number): unknown {
  let out = v;
  for (let i = 0; i < depth; i++) out = r() < 0.5 ? [out] : { a: out };
  return out;
}

/** An object with an own key that could reach a prototype (as JSON.parse makes it). */
function polluted(base: Record<string, unknown>, key: string): Record<string, unknown> {
  const json = JSON.stringify(base);
  const extra = `"${key}":{"polluted":true,"isAdmin":true}`;
  return JSON.parse(json === '{}' ? `{${extra}}` : `${json.slice(0, -1)},${extra}}`);
}

/** One mutation applied to a payload; each alone makes it invalid. */
function mutate(r: Rand, spec: EventSpec, p: Record<string, unknown>): { payload: unknown; what: string } {
  const names = Object.keys(p).filter((k) => Object.hasOwn(spec.fields, k));
  const field = names.length ? pick(r, names) : null;
  const f = field ? spec.fields[field] : null;
  const choice = int(r, 0, 10);
  switch (choice) {
    case 0:
      if (field && f?.required) {
        delete p[field];
        return { payload: p, what: `without ${field}` };
      }
      break;
    case 1:
      if (field && f) {
        p[field] = wrongType(r, f.type);
        return { payload: p, what: `${field} of a wrong type` };
      }
      break;
    case 2:
      if (field && f) {
        const v = f.bad(r);
        if (v !== undefined) {
          p[field] = v;
          return { payload: p, what: `${field} out of range` };
        }
      }
      break;
    case 3:
      p[pick(r, ['extra', 'user', 'role', 'admin', 'ids2', 'Id', 'sid'])] = pick(r, [1, 'x', true, null, {}]);
      return { payload: p, what: 'an extra key' };
    case 4:
      return {
        payload: polluted(p, pick(r, ['__proto__', 'constructor', 'prototype'])),
        what: 'a prototype key',
      };
    case 5: {
      const target = field ?? 'x';
      p[target] = nest(r, field ? p[field] : 1, int(r, 9, 600));
      return { payload: p, what: `${target} nested deep` };
    }
    case 6: {
      const target = field ?? 'x';
      // Large, but under Socket.IO's 64 KiB message limit (which would close the connection).
      p[target] = longString(r, 17_000, 60_000);
      return { payload: p, what: `${target} a huge string` };
    }
    case 7:
      if (field && f && f.type !== 'number') {
        p[field] = pick(r, [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
        return { payload: p, what: `${field} NaN/Infinity` };
      }
      if (field && f) {
        p[field] = nest(r, Number.NaN, int(r, 0, 2));
        return { payload: p, what: `${field} NaN` };
      }
      break;
    case 8:
      if (field) {
        p[field] = Buffer.alloc(int(r, 1, 256), 1);
        return { payload: p, what: `${field} binary` };
      }
      return { payload: Buffer.alloc(int(r, 0, 1024), 2), what: 'binary payload' };
    case 9:
      return { payload: wholeWrong(r, p), what: 'not an object' };
    default:
      return { payload: Buffer.from(JSON.stringify(p)), what: 'the JSON as binary' };
  }
  return { payload: wholeWrong(r, p), what: 'not an object' };
}

/** A payload that is not an object at all. */
function wholeWrong(r: Rand, p: Record<string, unknown>): unknown {
  return pick(r, [
    () => null,
    () => 0,
    () => Number.NaN,
    () => 'stop',
    () => longString(r, 17_000, 60_000),
    () => true,
    () => [p],
    () => [],
    () => new Uint8Array(int(r, 1, 64)),
  ])();
}

/** `count` malformed cases of one event, deterministic for `seed`. */
export function fuzzCases(spec: EventSpec, count: number, seed: number): FuzzCase[] {
  const r = seededRandom(seed);
  const out: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const shapeRoll = r();
    const shape: AckShape =
      shapeRoll < 0.04 ? 'none' : shapeRoll < 0.07 ? 'extra' : shapeRoll < 0.09 ? 'ack-only' : 'normal';
    if (!spec.valid) {
      // An event without a payload: anything sent with it is malformed.
      const base: Record<string, unknown> = { seq: int(r, 0, 9) };
      const m =
        r() < 0.3
          ? { payload: wholeWrong(r, base), what: 'a payload' }
          : mutate(r, { ...spec, fields: {} }, base);
      out.push({ what: m.what, payload: m.payload, shape: shape === 'ack-only' ? 'normal' : shape });
      continue;
    }
    let payload: unknown = spec.valid(r);
    const whats: string[] = [];
    const n = int(r, 1, 3);
    for (let k = 0; k < n; k++) {
      if (
        typeof payload !== 'object' ||
        payload === null ||
        Array.isArray(payload) ||
        ArrayBuffer.isView(payload)
      )
        break;
      const m = mutate(r, spec, payload as Record<string, unknown>);
      payload = m.payload;
      whats.push(m.what);
    }
    // Two large mutations together could pass Socket.IO's 64 KiB limit, which closes the connection
    // instead of answering (transport.test.ts covers that); such a case is drawn again.
    if ((JSON.stringify(payload)?.length ?? 0) > MAX_CASE_BYTES) {
      i--;
      continue;
    }
    out.push({ what: whats.join(', '), payload, shape });
  }
  return out;
}

/** Largest generated payload, as JSON text (Buffers count double): safely under 64 KiB. */
const MAX_CASE_BYTES = 61_000;
