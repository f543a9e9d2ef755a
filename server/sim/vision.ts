import type { Rng } from './rng';
import { VIS as VIS_SLOTS } from './slots';
import type { Lags } from './state';

// Local copies: tsx compiles imported bindings to getters, which cost in per-equipment loops.
const VIS = { ...VIS_SLOTS };

/** Units remembered for the rolling defect rate. */
export const DEFECT_WINDOW = 200;
/** Frames per second the edge server analyses per running camera (8K stream at 15 fps). */
export const VISION_FPS = 15;
/** Camera preview stream while the line stands, Mbit/s. */
const STANDBY_MBPS = 6;
/** Inference latency of the defect model on an idle GPU, ms; grows with GPU load (queueing). */
const BASE_INFERENCE_MS = 18;

/** Live state of one machine-vision quality station. */
export interface VisionRuntime {
  readonly eq: number;
  /** Probability that a unit is defective. */
  readonly defectRate: number;
  /** Last DEFECT_WINDOW results (1 = reject), ring buffer. */
  readonly window: Uint8Array;
  wIdx: number;
  wCount: number;
  wRejects: number;
  /** 8K H.265 stream of this camera while inspecting, Mbit/s. */
  readonly streamMbps: number;
  /** Phase of the slow variation of stream rate and focus, rad (stations differ). */
  readonly phase: number;
  /** Focus score when the optics are clean, %; a recalibration sets it anew. */
  focusBase: number;
  /** Focus score while defocused (fault), %; 0 when in focus. */
  defocus: number;
  /** Edge server slot that runs this station's model, -1 none. */
  mec: number;
}

/** A new station; its stream rate and focus differ a little per camera. */
export function createVision(eq: number, defectRate: number, rng: Rng, sig: Float64Array): VisionRuntime {
  const v: VisionRuntime = {
    eq,
    defectRate,
    window: new Uint8Array(DEFECT_WINDOW),
    wIdx: 0,
    wCount: 0,
    wRejects: 0,
    streamMbps: rng.range(65, 95),
    phase: rng.range(0, 2 * Math.PI),
    focusBase: rng.range(94, 98),
    defocus: 0,
    mec: -1,
  };
  sig[VIS.uplink] = STANDBY_MBPS;
  sig[VIS.inferenceMs] = BASE_INFERENCE_MS;
  sig[VIS.focus] = v.focusBase;
  return v;
}

/** Inspects one unit; returns true when it passes. Updates counters and the rolling defect rate. */
export function inspect(v: VisionRuntime, sig: Float64Array, rng: Rng): boolean {
  const reject = rng.next() < v.defectRate ? 1 : 0;
  sig[VIS.inspected] += 1;
  sig[VIS.rejects] += reject;
  if (v.wCount === DEFECT_WINDOW) v.wRejects -= v.window[v.wIdx];
  else v.wCount++;
  v.window[v.wIdx] = reject;
  v.wRejects += reject;
  v.wIdx = (v.wIdx + 1) % DEFECT_WINDOW;
  sig[VIS.defectRate] = (100 * v.wRejects) / v.wCount;
  return reject === 0;
}

/** Stream, inference time and focus for one step; `gpuLoad` is the serving edge server's, 0..1. */
export function stepVision(
  v: VisionRuntime,
  sig: Float64Array,
  running: boolean,
  timeS: number,
  gpuLoad: number,
  lags: Lags,
): void {
  const wave = Math.sin(timeS * 0.21 + v.phase);
  const target = running ? v.streamMbps * (1 + 0.06 * wave) : STANDBY_MBPS;
  sig[VIS.uplink] += (target - sig[VIS.uplink]) * lags.sensor;
  sig[VIS.inferenceMs] = BASE_INFERENCE_MS + 14 * gpuLoad * gpuLoad + 1.5 * wave;
  sig[VIS.focus] = v.defocus > 0 ? v.defocus : v.focusBase + 0.6 * Math.sin(timeS / 37 + v.phase);
}
