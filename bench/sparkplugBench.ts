import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { type Layout, type SourcesFile, signalsOf, sourcesFileSchema } from '../protocol';
import { Ingest } from '../server/ingest/ingest';
import { mqttOptions } from '../server/ingest/mqttOptions';
import { SparkplugAdapter } from '../server/ingest/sparkplug/host';
import { DataType, encodePayload } from '../server/ingest/sparkplug/payload';
import { PlantSession } from '../server/session/plantSession';

/** Metrics per DDATA, as a robot arm reporting 10 values at once (by alias). */
const METRICS_PER_MESSAGE = 10;
/** Devices per edge node (seq counts per node, over all its devices). */
const DEVICES_PER_NODE = 100;
/** Metric updates a second the host must take on one core. */
const TARGET_PER_S = 100_000;
/** Protobuf tag of Payload.seq (field 3, varint). */
const SEQ_TAG = 0x18;

/**
 * Sparkplug B ingest on one core: DDATA payloads of 10 aliased metrics, decoded by the host
 * application, checked (seq, aliases, datatypes, timestamps, ranges) and pushed into the twin's live
 * state, with the session ticking at 10 Hz in between (the sink drained, frames built). No broker:
 * messages go to the adapter's onMessage as mqtt.js would hand them over.
 */
export function benchSparkplug(layout: Layout, messages = 100_000) {
  const session = new PlantSession(layout, { seed: 1, speed: 1, alarms: null, startMs: 0 });
  const all = layout.equipment.filter((e) => e.kind === 'robot-arm').slice(0, 2000);
  const arms = all.slice(0, Math.max(DEVICES_PER_NODE, all.length - (all.length % DEVICES_PER_NODE)));
  if (arms.length < DEVICES_PER_NODE) throw new Error(`the plant needs ${DEVICES_PER_NODE} robot arms`);
  const keys = signalsOf('robot-arm')
    .slice(0, METRICS_PER_MESSAGE)
    .map((d) => d.key);
  const nodeOf = (i: number) => `n${Math.floor(i / DEVICES_PER_NODE)}`;
  const file: SourcesFile = sourcesFileSchema.parse({
    sources: [
      {
        id: 'bench',
        kind: 'sparkplug',
        broker: 'mqtt://127.0.0.1:1',
        hostId: 'twin',
        devices: arms.map((a, i) => ({
          equipment: a.id,
          group: 'g',
          node: nodeOf(i),
          device: `d${i}`,
          metrics: Object.fromEntries(keys.map((k) => [k, `Arm/${k}`])),
          maxPerS: 10_000,
        })),
      },
    ],
    unmapped: 'simulate',
  });
  const src = file.sources[0];
  if (src.kind !== 'sparkplug') throw new Error('unreachable');
  const startMs = Date.now();
  let wall = startMs;
  const built = Ingest.create(session.world, file, {
    logger: pino({ level: 'silent' }),
    now: () => wall,
  });
  if (!built.ok) throw new Error(built.errors.join('\n'));
  const ingest = built.ingest;
  session.overlay = ingest;
  const opts = mqttOptions(src, {});
  if (!opts.ok) throw new Error(opts.errors.join('\n'));
  const byId = new Map(session.world.equipment.map((e) => [e.id, e]));
  const plant = {
    indexOf: (id: string) => byId.get(id)?.index ?? -1,
    signalsOf: () => signalsOf('robot-arm'),
  };
  const adapter = new SparkplugAdapter(src, opts.options, plant, ingest.stats[0], () => wall);
  adapter.attach(ingest.sink);

  // Births: NBIRTH (seq 0) of each node, then a DBIRTH per device announcing the aliases.
  const nodes = Math.ceil(arms.length / DEVICES_PER_NODE);
  const seq = new Uint8Array(nodes);
  const announce = keys.map((k, j) => ({
    name: `Arm/${k}`,
    alias: j + 1,
    datatype: DataType.Double,
    value: 0,
  }));
  for (let n = 0; n < nodes; n++) {
    const birth = encodePayload({
      timestamp: startMs,
      seq: 0,
      metrics: [{ name: 'bdSeq', datatype: DataType.Int64, value: 0 }],
    });
    adapter.onMessage(`spBv1.0/g/NBIRTH/n${n}`, Buffer.from(birth));
    seq[n] = 1;
  }
  for (let i = 0; i < arms.length; i++) {
    const n = Math.floor(i / DEVICES_PER_NODE);
    const p = encodePayload({ timestamp: startMs, seq: seq[n]++, metrics: announce });
    adapter.onMessage(`spBv1.0/g/DBIRTH/${nodeOf(i)}/d${i}`, Buffer.from(p));
  }

  // One DDATA per device, its seq patched in place before each message: the payload ends with the
  // seq field, written as a two-byte varint so that every seq fits the same bytes.
  const topics = arms.map((_, i) => `spBv1.0/g/DDATA/${nodeOf(i)}/d${i}`);
  const payloads = arms.map((_, i) => {
    const body = encodePayload({
      timestamp: startMs,
      metrics: keys.map((_k, j) => ({
        alias: j + 1,
        timestamp: startMs,
        datatype: DataType.Double,
        value: ((i + j) % 300) / 100,
      })),
    });
    const b = Buffer.alloc(body.length + 3);
    b.set(body);
    b[body.length] = SEQ_TAG;
    return b;
  });
  const perTick = 10_000;
  const t = performance.now();
  for (let m = 0; m < messages; m++) {
    // Round-robin over nodes, then over each node's devices.
    const n = m % nodes;
    const i = n * DEVICES_PER_NODE + (Math.floor(m / nodes) % DEVICES_PER_NODE);
    const b = payloads[i];
    const s = seq[n]++;
    b[b.length - 2] = (s & 0x7f) | 0x80;
    b[b.length - 1] = s >> 7;
    adapter.onMessage(topics[i], b);
    if (m % perTick === perTick - 1) {
      wall += 100;
      session.advance(0.1, wall);
    }
  }
  wall += 100;
  session.advance(0.1, wall);
  const seconds = (performance.now() - t) / 1000;
  const updatesPerS = (messages * METRICS_PER_MESSAGE) / seconds;
  // The values really landed: the last device's metrics are in the live state.
  const last = byId.get(arms[arms.length - 1].id)?.index ?? -1;
  const landed = ingest.live.rxMs[ingest.live.slot(last, 0)] > 0;
  return {
    updatesPerS,
    ratio: updatesPerS / TARGET_PER_S,
    targetPerS: TARGET_PER_S,
    messages: ingest.stats[0].messages,
    dropped: ingest.stats[0].errors,
    landed,
  };
}
