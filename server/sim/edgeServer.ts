import { STATE_CODE as STATE_CODES } from '../../protocol';
import { MEC as MEC_SLOTS, VIS as VIS_SLOTS } from './slots';
import type { SimWorld } from './state';
import { VISION_FPS } from './vision';

// Local copies: tsx compiles imported bindings to getters, which cost in per-equipment loops.
const MEC = { ...MEC_SLOTS };
const VIS = { ...VIS_SLOTS };
const STATE_CODE = { ...STATE_CODES };

/** Concurrent inference streams the edge GPU sustains (batching), for the load figure. */
const GPU_STREAMS = 3;
/** Frames per second a flying drone's video is analysed (barcodes / thermal hot spots). */
const DRONE_FPS = 10;
/** Inference time per drone frame, ms (smaller model than the 8K defect model). */
const DRONE_INFERENCE_MS = 20;
/** Server-room supply air, °C. */
const SUPPLY_AIR_C = 21;

/** Live state of one MEC edge server: the vision stations and drones whose video it analyses. */
export interface EdgeServerRuntime {
  readonly eq: number;
  readonly visionEq: Int32Array;
  readonly droneEq: Int32Array;
  /** GPU busy share of the last step, 0..1 (read by the vision stations for their latency). */
  gpuLoad: number;
}

/** CPU, GPU, inference rate and inlet temperature of every edge server. */
export function stepEdgeServers(w: SimWorld): void {
  const eqs = w.equipment;
  for (const m of w.edgeServers) {
    let rate = 0;
    let busy = 0;
    for (let i = 0; i < m.visionEq.length; i++) {
      const v = eqs[m.visionEq[i]];
      if (v.state !== STATE_CODE.running) continue;
      rate += VISION_FPS;
      busy += (VISION_FPS * v.signals[VIS.inferenceMs]) / 1000;
    }
    for (let i = 0; i < m.droneEq.length; i++) {
      if (eqs[m.droneEq[i]].state !== STATE_CODE.running) continue;
      rate += DRONE_FPS;
      busy += (DRONE_FPS * DRONE_INFERENCE_MS) / 1000;
    }
    m.gpuLoad = Math.min(1, busy / GPU_STREAMS);
    const sig = eqs[m.eq].signals;
    const gpu = 100 * m.gpuLoad;
    // CPU: services baseline, frame decode and pre/post-processing per inference, %.
    const cpu = Math.min(100, 10 + 0.3 * gpu + 0.08 * rate);
    sig[MEC.gpu] = gpu;
    sig[MEC.cpu] = cpu;
    sig[MEC.inferences] = rate;
    sig[MEC.temp] += (SUPPLY_AIR_C + 0.08 * cpu - sig[MEC.temp]) * w.lags.inlet;
    eqs[m.eq].state = w.faulted[m.eq] ? STATE_CODE.fault : STATE_CODE.running;
  }
}
