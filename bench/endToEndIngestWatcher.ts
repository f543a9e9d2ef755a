/**
 * Child process of the end-to-end ingest benchmark: a Socket.IO client of the live plant (as the
 * browser is) that decodes every telemetry frame and, for each machine whose carrying signal
 * changed, reads the publish time back from the value: latency = receipt - publish.
 *
 * argv: specFile serverUrl startAtMs endAtMs (wall ms: only values received in between count).
 * Prints "ready" once it has the snapshot, then one JSON line with the figures when done.
 */
import { readFileSync } from 'node:fs';
import { io } from 'socket.io-client';
import { decodeFrame, type EquipmentKind, type FrameSink, type PlantSnapshot } from '../protocol';
import { decodeSendTime, type E2eMachine, type E2eSpec, latencyMs, wallMs } from './endToEndIngestSpec';
import { percentile } from './stats';

const [specFile, url, startArg, endArg] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(specFile, 'utf8')) as E2eSpec;
const startAt = Number(startArg);
const endAt = Number(endArg);

/** Per equipment index: its machine, or undefined for equipment nobody publishes for. */
const byEq: (E2eMachine | undefined)[] = [];
for (const m of spec.machines) byEq[m.eq] = m;
/** Per equipment index: the carrying value last seen (NaN: none yet). */
const last = new Float64Array(Math.max(...spec.machines.map((m) => m.eq)) + 1).fill(Number.NaN);
const latencies: number[] = [];
let frames = 0;
let received = 0;
let kinds: EquipmentKind[] = [];
let counting = false;
let recvMs = 0;

const sink: FrameSink = {
  header() {},
  entry(index, _state, _pose, signals) {
    const m = byEq[index];
    if (!m) return;
    const v = signals[m.k];
    if (v === last[index]) return;
    const first = Number.isNaN(last[index]);
    last[index] = v;
    if (first || !counting) return;
    received++;
    latencies.push(latencyMs(recvMs, decodeSendTime(v, m, spec.windowMs), spec.windowMs));
  },
};

const socket = io(url, { auth: { showcase: true }, transports: ['websocket'], reconnection: false });
socket.on('plant:snapshot', (s: PlantSnapshot) => {
  kinds = s.plant.equipment.map((e) => e.kind);
  counting = false;
  decodeFrame(s.keyframe, kinds, sink);
  console.log('ready');
});
socket.on('telemetry:frame', (frame: ArrayBuffer) => {
  if (!kinds.length) return;
  recvMs = wallMs();
  counting = recvMs >= startAt && recvMs <= endAt;
  frames++;
  decodeFrame(frame, kinds, sink);
});
socket.on('connect_error', (err) => {
  console.error(`watcher: ${err.message}`);
  process.exit(2);
});

setTimeout(
  () => {
    socket.close();
    console.log(
      JSON.stringify({
        frames,
        received,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        max: percentile(latencies, 1),
      }),
    );
    process.exit(0);
  },
  Math.max(0, endAt - wallMs()) + 1500,
);
