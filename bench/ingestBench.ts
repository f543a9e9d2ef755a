import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { type Layout, type SourcesFile, signalsOf, sourcesFileSchema } from '../protocol';
import { Ingest } from '../server/ingest/ingest';
import { MqttJsonAdapter } from '../server/ingest/mqttJsonAdapter';
import { mqttOptions } from '../server/ingest/mqttOptions';
import { PlantSession } from '../server/session/plantSession';

/** Signals per message, as a robot arm publishing 10 metrics at once. */
const SIGNALS_PER_MESSAGE = 10;

/**
 * Ingest on one core: metric updates a second (a) through the sink alone (queued values, then
 * drained into the live state and overlaid on the world as one tick does) and (b) through the
 * mqtt-json adapter's parse and checks (JSON payloads of 10 signals, no broker), each with the
 * session ticking at 10 Hz in between (frames still built).
 */
export function benchIngest(layout: Layout, messages = 200_000) {
  const session = new PlantSession(layout, { seed: 1, speed: 1, alarms: null, startMs: 0 });
  const arms = layout.equipment.filter((e) => e.kind === 'robot-arm').slice(0, 2000);
  const keys = signalsOf('robot-arm')
    .slice(0, SIGNALS_PER_MESSAGE)
    .map((d) => d.key);
  const file: SourcesFile = sourcesFileSchema.parse({
    sources: [
      {
        id: 'bench',
        kind: 'mqtt-json',
        broker: 'mqtt://127.0.0.1:1',
        topics: arms.map((a) => ({
          topic: `plant/${a.id}`,
          equipment: a.id,
          fields: Object.fromEntries(keys.map((k) => [k, `$.m.${k}`])),
          maxPerS: 10_000,
        })),
      },
    ],
    unmapped: 'simulate',
  });
  const built = Ingest.create(session.world, file, { logger: pino({ level: 'silent' }), now: () => 0 });
  if (!built.ok) throw new Error(built.errors.join('\n'));
  const ingest = built.ingest;
  session.overlay = ingest;
  const idx = arms.map((a) => session.world.equipment.findIndex((e) => e.id === a.id));
  // 10 Hz ticks: a tick's share of the messages goes in, then the session advances one step.
  const perTick = 20_000;

  let t = performance.now();
  let wall = 0;
  for (let m = 0; m < messages; m++) {
    const eq = idx[m % idx.length];
    for (let k = 0; k < SIGNALS_PER_MESSAGE; k++) ingest.sink.push(0, eq, k, (m + k) % 3, wall, wall);
    if (m % perTick === perTick - 1) {
      wall += 100;
      session.advance(0.1, wall);
    }
  }
  wall += 100;
  session.advance(0.1, wall);
  const sinkS = (performance.now() - t) / 1000;

  const src = file.sources[0];
  if (src.kind !== 'mqtt-json') throw new Error('unreachable');
  const opts = mqttOptions(src, {});
  if (!opts.ok) throw new Error(opts.errors.join('\n'));
  const plant = {
    indexOf: (id: string) => session.world.equipment.findIndex((e) => e.id === id),
    signalsOf: () => signalsOf('robot-arm'),
  };
  let now = wall;
  const adapter = new MqttJsonAdapter(src, opts.options, plant, ingest.stats[0], () => now);
  (adapter as unknown as { sink: unknown }).sink = ingest.sink;
  const payloads = Array.from({ length: 64 }, (_, i) =>
    Buffer.from(JSON.stringify({ m: Object.fromEntries(keys.map((k, j) => [k, (i + j) % 3])) })),
  );
  const n = messages / 4;
  t = performance.now();
  for (let m = 0; m < n; m++) {
    adapter.onMessage(`plant/${arms[m % arms.length].id}`, payloads[m % payloads.length]);
    if (m % perTick === perTick - 1) {
      now += 100;
      session.advance(0.1, now);
    }
  }
  now += 100;
  session.advance(0.1, now);
  const parseS = (performance.now() - t) / 1000;
  return {
    sinkUpdatesPerS: (messages * SIGNALS_PER_MESSAGE) / sinkS,
    mqttJsonUpdatesPerS: (n * SIGNALS_PER_MESSAGE) / parseS,
    dropped: ingest.stats[0].errors,
    targetPerS: 100_000,
  };
}
