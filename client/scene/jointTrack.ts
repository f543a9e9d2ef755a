import { MAX_SIGNALS, signalIndex } from '../../protocol';
import { FRAME_INTERVAL_MS } from '../state/twinBuffer';

const J1 = signalIndex('robot-arm', 'j1'); // j1..j6 are consecutive in the catalog
const TWO_PI = Math.PI * 2;

/** Per-arm joint blending: joints arrive at 10 Hz, the screen runs at 60 Hz. */
export interface JointTrack {
  from: Float32Array; // 6 per arm, rad
  to: Float32Array; // blend target (may differ from `raw` by whole turns)
  raw: Float32Array; // last telemetry values, for change detection
  /** The angles to draw now, 6 per arm, rad. */
  shown: Float32Array;
  startedAt: Float64Array; // ms (performance clock)
  /** 1 while the arm still has to be redrawn. */
  moving: Uint8Array;
}

/** A track for `n` arms, all to be drawn once. */
export function createJointTrack(n: number): JointTrack {
  return {
    from: new Float32Array(n * 6),
    to: new Float32Array(n * 6),
    raw: new Float32Array(n * 6),
    shown: new Float32Array(n * 6),
    startedAt: new Float64Array(n),
    moving: new Uint8Array(n).fill(1),
  };
}

/** Starts a new blend for every arm whose joints changed: from what is shown now to the new values. */
export function retargetJoints(
  signals: Float32Array,
  indices: ArrayLike<number>,
  t: JointTrack,
  now: number,
): void {
  for (let k = 0; k < indices.length; k++) {
    const s = indices[k] * MAX_SIGNALS + J1;
    const o = k * 6;
    let changed = false;
    for (let j = 0; j < 6; j++) if (signals[s + j] !== t.raw[o + j]) changed = true;
    if (!changed) continue;
    for (let j = 0; j < 6; j++) {
      const shown = t.shown[o + j];
      t.raw[o + j] = signals[s + j];
      // Shortest way round: a joint going from +π to -π turns a little, not a full circle.
      let d = (signals[s + j] - shown) % TWO_PI;
      if (d > Math.PI) d -= TWO_PI;
      else if (d < -Math.PI) d += TWO_PI;
      t.from[o + j] = shown;
      t.to[o + j] = shown + d;
    }
    t.startedAt[k] = now;
    t.moving[k] = 1;
  }
}

/**
 * Advances arm k's blend to `now` (ms) into `shown`; returns false when it rests (nothing to redraw).
 * The final pose is written once more after the blend ends, then the arm rests until new joints arrive.
 */
export function advanceJoints(t: JointTrack, k: number, now: number): boolean {
  if (!t.moving[k]) return false;
  let a = (now - t.startedAt[k]) / FRAME_INTERVAL_MS;
  if (a >= 1) {
    a = 1;
    t.moving[k] = 0;
  }
  const o = k * 6;
  for (let j = 0; j < 6; j++) t.shown[o + j] = t.from[o + j] + (t.to[o + j] - t.from[o + j]) * a;
  return true;
}
