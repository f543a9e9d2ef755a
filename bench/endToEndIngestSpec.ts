import { performance } from 'node:perf_hooks';

/**
 * What the end-to-end ingest benchmark's processes share: per machine its topic, equipment index
 * and the signal that carries the publish time. The time is folded into the value modulo
 * `windowMs`: a 16-bit quantized signal resolves windowMs / 65535 ms (0.9 ms for 60 s), a u32
 * counter carries whole ms.
 */
export interface E2eMachine {
  topic: string;
  /** Equipment index (telemetry frame index). */
  eq: number;
  /** Index of the carrying signal in its kind's catalog. */
  k: number;
  min: number;
  max: number;
  u32: boolean;
}

export interface E2eSpec {
  windowMs: number;
  machines: E2eMachine[];
}

/** Wall time with sub-ms resolution, ms since epoch (the same clock in every process here). */
export function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

/** The signal value that carries `sendMs`. */
export function encodeSendTime(sendMs: number, m: E2eMachine, windowMs: number): number {
  const t = sendMs % windowMs;
  if (m.u32) return Math.floor(t);
  return m.min + (t / windowMs) * (m.max - m.min);
}

/** The publish time (modulo the window) a received value carries, ms. */
export function decodeSendTime(value: number, m: E2eMachine, windowMs: number): number {
  if (m.u32) return value;
  return ((value - m.min) / (m.max - m.min)) * windowMs;
}

/**
 * Latency of a value received at `recvMs` that carries `sendMod`, ms. Quantization may put the
 * decoded time a fraction of a ms after the receipt: such (and any within half a window "ahead")
 * count as 0.
 */
export function latencyMs(recvMs: number, sendMod: number, windowMs: number): number {
  const d = ((((recvMs % windowMs) - sendMod) % windowMs) + windowMs) % windowMs;
  return d > windowMs / 2 ? 0 : d;
}
