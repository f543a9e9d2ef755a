import { performance } from 'node:perf_hooks';
import type { Layout } from '../protocol';
import { decodeChunk, encodeChunk } from '../server/recording/chunkCodec';
import { FrameState, frameHeader } from '../server/recording/frameState';
import { PlantSession } from '../server/session/plantSession';
import { SIM_DT_S } from '../server/sim/types';
import { percentile } from './stats';

const HOUR_TICKS = 36_000; // one simulated hour at 10 Hz
const GROUP_FRAMES = 1200; // a keyframe group: 120 s, the recorder's default
const CHUNK_FRAMES = 200; // a chunk: 20 s, the recorder's default
const CHUNKS_PER_GROUP = GROUP_FRAMES / CHUNK_FRAMES;

/**
 * Why recordings use brotli and not a hand-written coder. Until 2026-12 a hand-written adaptive
 * binary range coder (about 960 lines: range coder, value models, prediction modes) coded the
 * frames. This bench then ran both on the same hour (default plant, seed 11, 60 seeks at the same
 * random times alternating between the codecs, in one run on a loaded shared 2-core machine):
 *
 *                     MB / sim. h   encode CPU ms / sim. h   seek p95 ms
 *   range coder       4.12          3247                     458
 *   brotli (q6)       4.70          2980                     242
 *
 * The range coder was 1.14x smaller and 1.9x slower to seek (1.4x when brotli's decoder still ran
 * the protocol decoder over every frame, as the range coder's did); the rule was to keep it only
 * if it were at least 1.5x smaller or 1.5x faster to seek, so it was deleted. The figures below
 * are the brotli codec's alone.
 */

/** CPU time of this process (user + system), ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * The recording codec on a simulated hour of a plant (seed 11): the frames are recorded once in
 * memory, then encoded in the recorder's keyframe groups (120 s) and chunks (20 s) in this thread
 * (CPU time; call it while no recording worker runs), and the scene is reconstructed at 60
 * random times as a replay seek does (the group's keyframe, then its chunks decoded and folded
 * up to that time). Frames only: events, KPIs and keyframes are measured by benchRecording.
 */
export function benchRecordingCodec(layout: Layout, seeks = 60) {
  const kinds = layout.equipment.map((e) => e.kind);
  const session = new PlantSession(layout, { seed: 11, speed: 1 });
  const start = new Uint8Array(session.snapshot().keyframe);
  const frames: Uint8Array[] = [];
  for (let i = 0; i < HOUR_TICKS; i++) {
    const out = session.advance(SIM_DT_S, i * 100);
    if (out.frame) frames.push(new Uint8Array(out.frame));
  }
  const simS = session.world.simTimeS;
  const hours = simS / 3600;

  const encodeAll = () => {
    // The chunks, and each group's keyframe (what the writer stores with a group's first chunk).
    const state = new FrameState(kinds);
    state.apply(start, false);
    const chunks: { chunk: Uint8Array; fromS: number }[] = [];
    const keyframes: Uint8Array[] = [];
    let bytes = 0;
    let cpu = 0;
    for (let i = 0; i < frames.length; i += CHUNK_FRAMES) {
      if (i % GROUP_FRAMES === 0) keyframes.push(new Uint8Array(state.keyframe()));
      const fromS = state.simTimeS;
      const c0 = cpuMs();
      const chunk = encodeChunk(frames.slice(i, i + CHUNK_FRAMES), state);
      cpu += cpuMs() - c0;
      bytes += chunk.length;
      chunks.push({ chunk, fromS });
    }
    return { chunks, keyframes, bytes, cpu };
  };
  encodeAll(); // warm the JIT
  const { chunks, keyframes, bytes, cpu } = encodeAll();

  /** The scene at `t`: the group's keyframe, then its chunks decoded and folded up to `t`. */
  const seek = (t: number): void => {
    const at = Math.max(
      0,
      chunks.findLastIndex((c) => c.fromS <= t),
    );
    const group = Math.floor(at / CHUNKS_PER_GROUP);
    const scene = new FrameState(kinds);
    scene.apply(keyframes[group], true);
    const scratch = new FrameState(kinds);
    scratch.copyFrom(scene);
    done: for (let k = group * CHUNKS_PER_GROUP; k <= at; k++)
      for (const f of decodeChunk(chunks[k].chunk, scratch)) {
        if (frameHeader(f).simTimeS > t + 1e-9) break done;
        scene.apply(f, false);
      }
    scene.keyframe();
  };
  let seed = 1;
  const seekMs: number[] = [];
  for (let i = 0; i < seeks; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const t0 = performance.now();
    seek((seed / 2147483648) * simS);
    seekMs.push(performance.now() - t0);
  }
  return {
    codec: 'brotli delta columns',
    frames: frames.length,
    mbPerSimHour: bytes / 1e6 / hours,
    encodeCpuMsPerSimHour: cpu / hours,
    seekMs: { p50: percentile(seekMs, 0.5), p95: percentile(seekMs, 0.95), max: Math.max(...seekMs) },
  };
}
