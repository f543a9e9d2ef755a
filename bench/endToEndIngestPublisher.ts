/**
 * Child process of the end-to-end ingest benchmark: N machines, each publishing one JSON message a
 * second to its own topic through a few MQTT connections, spread evenly over each second (message
 * m is due m / rate seconds after the start). Each payload carries its publish time twice: as `ts`
 * (ms since epoch, the source timestamp the ingest maps) and folded into the value `v`, so the
 * watcher can read the publish time back from the telemetry frame alone.
 *
 * argv: specFile brokerUrl connections durationS. Prints one JSON line with what it did.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import { type E2eSpec, encodeSendTime, wallMs } from './endToEndIngestSpec';

const [specFile, url, connArg, durArg] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(specFile, 'utf8')) as E2eSpec;
const connections = Number(connArg);
const durationS = Number(durArg);
const n = spec.machines.length;
/** Messages a second, all machines together (each machine once a second). */
const rate = n;
/** How often the loop wakes to publish what fell due, ms. */
const WAKE_MS = 5;

const clients = await Promise.all(
  Array.from({ length: connections }, (_, i) =>
    mqtt.connectAsync(url, {
      protocolVersion: 4,
      clientId: `e2e-pub-${process.pid}-${i}`,
      reconnectPeriod: 0,
    }),
  ),
);
const topics = spec.machines.map((m) => m.topic);

let sent = 0;
/** How far behind its due time each message went out, ms (the publisher's own lag). */
let lagMax = 0;
const t0 = performance.now();
const total = Math.round(rate * durationS);
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    const elapsedMs = performance.now() - t0;
    const due = Math.min(total, Math.floor((elapsedMs / 1000) * rate));
    for (; sent < due; sent++) {
      const i = sent % n;
      const m = spec.machines[i];
      const now = wallMs();
      const lag = elapsedMs - (sent / rate) * 1000;
      if (lag > lagMax) lagMax = lag;
      const v = encodeSendTime(now, m, spec.windowMs);
      clients[i % connections].publish(topics[i], `{"v":${v},"ts":${Math.round(now)}}`, { qos: 0 });
    }
    if (sent >= total) {
      clearInterval(timer);
      resolve();
    }
  }, WAKE_MS);
});
await Promise.all(clients.map((c) => c.endAsync()));
console.log(JSON.stringify({ sent, lagMaxMs: Math.round(lagMax), seconds: (performance.now() - t0) / 1000 }));
process.exit(0);
