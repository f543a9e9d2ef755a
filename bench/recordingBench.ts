import { performance } from 'node:perf_hooks';
import type { Layout } from '../protocol';
import { Recorder } from '../server/recording/recorder';
import { openReplay } from '../server/recording/replay';
import { PlantSession } from '../server/session/plantSession';
import { SIM_DT_S } from '../server/sim/types';
import { openRecordingStore } from '../server/store/recordingStore';
import { percentile } from './stats';

const HOUR_TICKS = 36_000; // one simulated hour at 10 Hz, real-time speed

/**
 * Two sessions of the same plant and seed advance in lockstep, one recorded and one not, in
 * alternating order each tick; each tick's time is taken on this thread around `advance` (and,
 * for the recorded one, `onTick`, which copies the frame and hands a full batch to the recording
 * worker, postMessage included). The worker's encoding, compression and SQLite writes run on
 * another core, off the tick: they are not in the ratio, and are reported apart (its busy time
 * per simulated hour, and the backlog `closeSync` waited for).
 *
 * Why paired: the bench plays an hour in a few seconds, so the worker, which at real time is busy
 * a few ms every 20 s, runs flat out beside the loop for the whole run. On a machine with spare
 * cores that costs the loop nothing; on a shared 2-core box it steals the loop's core at random
 * moments. Alternating the two sessions tick by tick charges such theft (and machine noise) to
 * both alike, so the ratio is the loop's own extra work.
 */
function runPaired(layout: Layout, ticks: number, dataDir: string, id: string) {
  const plainSession = new PlantSession(layout, { seed: 11, speed: 1 });
  const recSession = new PlantSession(layout, { seed: 11, speed: 1 });
  const store = openRecordingStore(dataDir);
  let wall = 0;
  const rec = new Recorder(store, recSession, {
    id,
    kind: 'live',
    sessionId: 'live',
    seed: 11,
    now: () => wall,
  });
  const plain = new Float64Array(ticks);
  const recorded = new Float64Array(ticks);
  const onTick = new Float64Array(ticks);
  const plainTick = (i: number) => {
    const t = performance.now();
    plainSession.advance(SIM_DT_S, wall);
    plain[i] = performance.now() - t;
  };
  const recTick = (i: number) => {
    const t = performance.now();
    const out = recSession.advance(SIM_DT_S, wall);
    const t1 = performance.now();
    rec.onTick(out, recSession);
    const t2 = performance.now();
    recorded[i] = t2 - t;
    onTick[i] = t2 - t1;
  };
  for (let i = 0; i < ticks; i++) {
    wall += 100;
    if (i & 1) {
      plainTick(i);
      recTick(i);
    } else {
      recTick(i);
      plainTick(i);
    }
  }
  const t = performance.now();
  rec.closeSync();
  const drainMs = performance.now() - t;
  return {
    plain: Array.from(plain),
    recorded: Array.from(recorded),
    onTick: Array.from(onTick),
    store,
    rec,
    drainMs,
    simS: recSession.world.simTimeS,
    inWorker: rec.inWorker,
  };
}

/**
 * Recording at the default plant: server tick time with vs without a recorder (mean, so the
 * batch hand-overs count), stored bytes per simulated hour by part, and seek time over random
 * seeks in that hour.
 */
export function benchRecording(layout: Layout, dataDir: string, seeks = 60) {
  runPaired(layout, 3000, dataDir, 'warm-up').store.close(); // warm the JIT on both paths
  const r = runPaired(layout, HOUR_TICKS, dataDir, 'bench');
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  // The ratio per 10-minute segment, and their median: one stall of the machine (this bench shares
  // its cores) moves one segment, not the figure.
  const SEGMENTS = 6;
  const seg = Math.floor(r.plain.length / SEGMENTS);
  const ratios: number[] = [];
  for (let k = 0; k < SEGMENTS; k++)
    ratios.push(mean(r.recorded.slice(k * seg, (k + 1) * seg)) / mean(r.plain.slice(k * seg, (k + 1) * seg)));
  const hours = r.simS / 3600;
  const b = r.rec.bytes;
  const mb = (n: number) => n / 1e6 / hours;
  const replay = openReplay(r.store, 'bench');
  let seed = 1;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const seekMs: number[] = [];
  for (let i = 0; i < seeks; i++) {
    const t = performance.now();
    replay.stateAt(rnd() * r.simS);
    seekMs.push(performance.now() - t);
  }
  r.store.close();
  return {
    tickMs: {
      without: { mean: mean(r.plain), p95: percentile(r.plain, 0.95) },
      with: { mean: mean(r.recorded), p95: percentile(r.recorded, 0.95) },
      /** Median over 10-minute segments of mean(with) / mean(without). */
      ratio: percentile(ratios, 0.5),
      /** mean(with) / mean(without) over the whole hour. */
      ratioWholeHour: mean(r.recorded) / mean(r.plain),
      segmentRatios: ratios,
      /** The recorder's own share of a recorded tick: onTick (copy, items, hand-over), mean µs. */
      onTickUsMean: mean(r.onTick) * 1000,
    },
    inWorker: r.inWorker,
    /** Time closeSync waited for the worker to catch up after the hour (its backlog, off the tick). */
    workerDrainMs: r.drainMs,
    /** The worker's own time encoding, compressing and writing the hour (another core, off the tick). */
    workerBusyMsPerSimHour: r.rec.workerBusyMs / hours,
    mbPerSimHour: mb(r.rec.bytesWritten),
    mbPerSimHourByPart: {
      frames: mb(b.frames),
      events: mb(b.events),
      kpis: mb(b.kpis),
      keyframes: mb(b.keyframes),
    },
    seekMs: { p50: percentile(seekMs, 0.5), p95: percentile(seekMs, 0.95), max: Math.max(...seekMs) },
  };
}
