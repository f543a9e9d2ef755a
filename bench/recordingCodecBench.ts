import { performance } from 'node:perf_hooks';
import type { EquipmentKind, Layout } from '../protocol';
import {
  ChunkModels,
  decodeChunk as rangeDecode,
  encodeChunk as rangeEncode,
} from '../server/recording/chunkCodec';
import { decodeChunk as brotliDecode, encodeChunk as brotliEncode } from '../server/recording/deltaChunk';
import { FrameState, frameHeader } from '../server/recording/frameState';
import { PlantSession } from '../server/session/plantSession';
import { SIM_DT_S } from '../server/sim/types';
import { percentile } from './stats';

const HOUR_TICKS = 36_000; // one simulated hour at 10 Hz
const GROUP_FRAMES = 1200; // a keyframe group: 120 s, the recorder's default
const CHUNK_FRAMES = 200; // a chunk: 20 s, the recorder's default

/** One codec as the recording writer and replay drive it. */
interface Codec {
  name: string;
  /** Encodes a chunk against the state before it; `groupStart` at each keyframe group's first. */
  encoder(
    kinds: readonly EquipmentKind[],
  ): (frames: Uint8Array[], state: FrameState, groupStart: boolean) => Uint8Array;
  decoder(
    kinds: readonly EquipmentKind[],
  ): (chunk: Uint8Array, state: FrameState, groupStart: boolean) => ArrayBuffer[];
}

const RANGE: Codec = {
  name: 'range coder',
  encoder(kinds) {
    const models = new ChunkModels(kinds);
    return (frames, state, groupStart) => {
      if (groupStart) models.reset();
      return rangeEncode(frames, state, models);
    };
  },
  decoder(kinds) {
    const models = new ChunkModels(kinds);
    return (chunk, state, groupStart) => {
      if (groupStart) models.reset();
      return rangeDecode(chunk, state, models);
    };
  },
};

const BROTLI: Codec = {
  name: 'brotli',
  encoder: () => (frames, state) => brotliEncode(frames, state),
  decoder: () => (chunk, state) => brotliDecode(chunk, state),
};

/** CPU time of this process (user + system), ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * The recording codecs side by side on the same simulated hour of a plant (seed 11): the frames
 * are recorded once in memory, then each codec encodes them in the recorder's keyframe groups
 * (120 s) and chunks (20 s), in this thread (CPU time, no worker running), and reconstructs the
 * scene at the same random times as a replay seek does (the group's keyframe, then its chunks
 * decoded and folded up to that time). Only the frame bytes differ between the codecs: events,
 * KPIs and keyframes are stored the same way by both.
 */
export function benchRecordingCodecs(layout: Layout, seeks = 60) {
  const kinds = layout.equipment.map((e) => e.kind);
  const session = new PlantSession(layout, { seed: 11, speed: 1 });
  const start = new Uint8Array(session.snapshot().keyframe);
  const frames: Uint8Array[] = [];
  for (let i = 0; i < HOUR_TICKS; i++) {
    const out = session.advance(SIM_DT_S, i * 100);
    if (out.frame) frames.push(new Uint8Array(out.frame));
  }
  const hours = session.world.simTimeS / 3600;
  const simS = session.world.simTimeS;
  const times: number[] = [];
  let seed = 1;
  for (let i = 0; i < seeks; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    times.push((seed / 2147483648) * simS);
  }

  const CHUNKS_PER_GROUP = GROUP_FRAMES / CHUNK_FRAMES;
  const encodeAll = (codec: Codec) => {
    // The chunks, and each group's keyframe (what the writer stores with a group's first chunk).
    const encode = codec.encoder(kinds);
    const state = new FrameState(kinds);
    state.apply(start, false);
    const chunks: { chunk: Uint8Array; fromS: number }[] = [];
    const keyframes: Uint8Array[] = [];
    let bytes = 0;
    let cpu = 0;
    for (let i = 0; i < frames.length; i += CHUNK_FRAMES) {
      const groupStart = i % GROUP_FRAMES === 0;
      if (groupStart) keyframes.push(new Uint8Array(state.keyframe()));
      const fromS = state.simTimeS;
      const c0 = cpuMs();
      const chunk = encode(frames.slice(i, i + CHUNK_FRAMES), state, groupStart);
      cpu += cpuMs() - c0;
      bytes += chunk.length;
      chunks.push({ chunk, fromS });
    }
    return { codec, chunks, keyframes, bytes, cpu };
  };
  type Encoded = ReturnType<typeof encodeAll>;
  /** The scene at `t`: the group's keyframe, then its chunks decoded and folded up to `t`. */
  const seek = ({ codec, chunks, keyframes }: Encoded, t: number): Uint8Array => {
    const at = Math.max(
      0,
      chunks.findLastIndex((c) => c.fromS <= t),
    );
    const group = Math.floor(at / CHUNKS_PER_GROUP);
    const first = group * CHUNKS_PER_GROUP;
    const decode = codec.decoder(kinds);
    const scene = new FrameState(kinds);
    scene.apply(keyframes[group], true);
    const scratch = new FrameState(kinds);
    scratch.copyFrom(scene);
    done: for (let k = first; k <= at; k++)
      for (const f of decode(chunks[k].chunk, scratch, k === first)) {
        if (frameHeader(f).simTimeS > t + 1e-9) break done;
        scene.apply(f, false);
      }
    return new Uint8Array(scene.keyframe());
  };

  encodeAll(BROTLI); // warm the JIT on both paths
  encodeAll(RANGE);
  const codecs = [encodeAll(BROTLI), encodeAll(RANGE)];
  // Seeks alternate between the codecs, so a stall of this shared machine hits both alike.
  const seekMs: number[][] = [[], []];
  times.forEach((t, i) => {
    const scenes: Uint8Array[] = [];
    for (let j = 0; j < 2; j++) {
      const c = (i + j) % 2;
      const t0 = performance.now();
      scenes[c] = seek(codecs[c], t);
      seekMs[c].push(performance.now() - t0);
    }
    if (!Buffer.from(scenes[0]).equals(Buffer.from(scenes[1])))
      throw new Error(`the codecs reconstructed different scenes at ${t} s`);
  });
  const figures = (k: number) => ({
    mbPerSimHour: codecs[k].bytes / 1e6 / hours,
    encodeCpuMsPerSimHour: codecs[k].cpu / hours,
    seekMs: {
      p50: percentile(seekMs[k], 0.5),
      p95: percentile(seekMs[k], 0.95),
      max: Math.max(...seekMs[k]),
    },
  });
  const brotli = figures(0);
  const range = figures(1);
  return {
    frames: frames.length,
    seeks,
    rangeCoder: range,
    brotli,
    /** brotli / range coder: above 1, the range coder is smaller. */
    sizeRatio: brotli.mbPerSimHour / range.mbPerSimHour,
    /** brotli / range coder seek p95: above 1, the range coder seeks faster. */
    seekP95Ratio: brotli.seekMs.p95 / range.seekMs.p95,
    encodeCpuRatio: brotli.encodeCpuMsPerSimHour / range.encodeCpuMsPerSimHour,
  };
}
