import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { type Layout, signalsOf } from '../protocol';
import { createApp } from '../server/app';
import { openAuth } from '../server/auth/authService';
import { Ingest } from '../server/ingest/ingest';
import { loadSourcesFile } from '../server/ingest/sourcesFile';
import { wallClockMs } from '../server/loop';
import { PlantSession } from '../server/session/plantSession';
import { hasMosquitto, startMosquitto, type TestMosquitto } from '../test/helpers/mosquitto';
import type { E2eMachine, E2eSpec } from './endToEndIngestSpec';
import { percentile } from './stats';

/** Latency target from publish to the telemetry frame on a client, p99, ms. */
export const E2E_P99_TARGET_MS = 150;
/** Machines publishing, each once a second. */
const MACHINES = 10_000;
/** MQTT connections the publishers share. */
const CONNECTIONS = 4;
/** Publish time folded into the values modulo this, ms (0.9 ms resolution on 16-bit signals). */
const WINDOW_MS = 60_000;
/** Publishing runs this long; the first WARMUP_S are not counted (subscriptions, JIT, queues). */
const RUN_S = 20;
const WARMUP_S = 3;

/** Children of this run, each in its own process group (killed whatever happens). */
const children = new Set<ChildProcess>();
function killAll(): void {
  for (const c of children)
    if (c.pid !== undefined && c.exitCode === null && c.signalCode === null)
      try {
        process.kill(-c.pid, 'SIGKILL');
      } catch {}
  children.clear();
}
process.on('exit', killAll);

/** Runs a bench child script under tsx; resolves with its stdout lines as they come. */
function child(script: string, args: string[]) {
  const c = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, script), ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(c);
  let out = '';
  let err = '';
  c.stdout?.on('data', (d) => {
    out += d;
  });
  c.stderr?.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => c.once('close', (code) => resolve(code)));
  const line = (pred: (l: string) => boolean, ms: number) =>
    new Promise<string>((resolve, reject) => {
      const end = Date.now() + ms;
      const poll = setInterval(() => {
        const l = out.split('\n').find(pred);
        if (l !== undefined) {
          clearInterval(poll);
          resolve(l);
        } else if (Date.now() > end || c.exitCode !== null) {
          clearInterval(poll);
          reject(new Error(`${script}: no answer (exit ${c.exitCode}): ${err.slice(-500)}`));
        }
      }, 50);
    });
  return { proc: c, exited, line, stderr: () => err };
}

/** Per machine: the first 16-bit signal of its kind (a u32 counter when it has none). */
function machineSpec(layout: Layout): E2eSpec {
  const machines: E2eMachine[] = layout.equipment.slice(0, MACHINES).map((e, eq) => {
    const defs = signalsOf(e.kind);
    let k = defs.findIndex((d) => d.enc !== 'u32');
    if (k < 0) k = 0;
    const d = defs[k];
    return { topic: `m/${eq}`, eq, k, min: d.min, max: d.max, u32: d.enc === 'u32' };
  });
  return { windowMs: WINDOW_MS, machines };
}

/**
 * End to end, through real processes: MACHINES machines publish once a second each (publisher
 * child process, CONNECTIONS MQTT connections, evenly spread) to a real Mosquitto; the server
 * (this process: ingest from a generated sources file, one mqtt-json topic per machine, the plant
 * at --scale 10000) turns them into telemetry frames; a Socket.IO client (watcher child process)
 * reads each new value's publish time back from the frame. Reports the latency p50/p99 and the
 * server tick p95 while it ran. Every process it starts is killed at the end.
 */
export async function benchEndToEndIngest(layout: Layout) {
  if (!hasMosquitto) return null;
  if (layout.equipment.length < MACHINES)
    throw new Error(`the plant has ${layout.equipment.length} pieces of equipment, fewer than ${MACHINES}`);
  const dir = mkdtempSync(join(tmpdir(), 'e2e-ingest-'));
  let mosq: TestMosquitto | null = null;
  let app: ReturnType<typeof createApp> | null = null;
  let auth: ReturnType<typeof openAuth> | null = null;
  const logger = pino({ level: 'silent' });
  try {
    mosq = await startMosquitto();
    const spec = machineSpec(layout);
    const specFile = join(dir, 'spec.json');
    writeFileSync(specFile, JSON.stringify(spec));
    const sourcesFile = join(dir, 'sources.json');
    writeFileSync(
      sourcesFile,
      JSON.stringify({
        sources: [
          {
            id: 'e2e',
            kind: 'mqtt-json',
            broker: mosq.url,
            topics: spec.machines.map((m) => ({
              topic: m.topic,
              equipment: layout.equipment[m.eq].id,
              fields: { [signalsOf(layout.equipment[m.eq].kind)[m.k].key]: '$.v' },
              timestamp: '$.ts',
            })),
          },
        ],
        unmapped: 'simulate',
      }),
    );
    const loaded = loadSourcesFile(sourcesFile, layout);
    if (!loaded.ok) throw new Error(loaded.errors.slice(0, 5).join('\n'));

    const session = new PlantSession(layout, { seed: 1, speed: 1 });
    const built = Ingest.create(session.world, loaded.file, { logger, now: wallClockMs });
    if (!built.ok) throw new Error(built.errors.join('\n'));
    session.overlay = built.ingest;
    // The tick's own work (ingest drain and overlay, simulation step, alarms, frame encoding).
    const tickMs: number[] = [];
    let timing = false;
    const advance = session.advance.bind(session);
    session.advance = (realElapsedS, nowMs) => {
      const t = performance.now();
      const out = advance(realElapsedS, nowMs);
      if (timing) tickMs.push(performance.now() - t);
      return out;
    };
    auth = openAuth({ dataDir: join(dir, 'auth'), scryptLogN: 10 });
    app = createApp({
      session,
      logger,
      clientDir: null,
      auth,
      security: { allowOrigins: [], publicShowcase: true },
      ingest: built.ingest,
    });
    const port = await app.listen(0, '127.0.0.1');
    const stats = built.ingest.stats[0];
    for (const end = Date.now() + 60_000; stats.status !== 'connected'; ) {
      if (Date.now() > end) throw new Error(`the source did not connect: ${stats.lastError}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Let the 10k subscriptions settle before anything is published.
    await new Promise((r) => setTimeout(r, 1000));

    const startAt = Date.now() + 3000 + WARMUP_S * 1000;
    const endAt = Date.now() + 3000 + RUN_S * 1000;
    const watcher = child('endToEndIngestWatcher.ts', [
      specFile,
      `http://127.0.0.1:${port}`,
      String(startAt),
      String(endAt),
    ]);
    await watcher.line((l) => l === 'ready', 60_000);
    const wait = startAt - WARMUP_S * 1000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const publisher = child('endToEndIngestPublisher.ts', [
      specFile,
      mosq.url,
      String(CONNECTIONS),
      String(RUN_S),
    ]);
    const warm = setTimeout(() => {
      timing = true;
    }, WARMUP_S * 1000);
    const pub = JSON.parse(await publisher.line((l) => l.startsWith('{'), (RUN_S + 60) * 1000)) as {
      sent: number;
      lagMaxMs: number;
    };
    timing = false;
    clearTimeout(warm);
    const seen = JSON.parse(await watcher.line((l) => l.startsWith('{'), 60_000)) as {
      frames: number;
      received: number;
      p50: number;
      p99: number;
      max: number;
    };
    const countedS = RUN_S - WARMUP_S;
    return {
      machines: MACHINES,
      connections: CONNECTIONS,
      runS: RUN_S,
      countedS,
      published: pub.sent,
      publisherLagMaxMs: pub.lagMaxMs,
      /** Values whose frame reached the client in the counted window (frames are volatile). */
      received: seen.received,
      receivedShare: seen.received / (MACHINES * countedS),
      frames: seen.frames,
      latencyMs: { p50: seen.p50, p99: seen.p99, max: seen.max },
      targetP99Ms: E2E_P99_TARGET_MS,
      p99Ratio: seen.p99 / E2E_P99_TARGET_MS,
      meetsTarget: seen.p99 <= E2E_P99_TARGET_MS,
      tickMs: { p50: percentile(tickMs, 0.5), p95: percentile(tickMs, 0.95), n: tickMs.length },
      ingestDropped: stats.errors,
    };
  } finally {
    killAll();
    await app?.close();
    auth?.close();
    await mosq?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
