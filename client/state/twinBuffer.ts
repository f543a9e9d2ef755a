import {
  decodeFrame,
  type EquipmentKind,
  type FrameSink,
  type Layout,
  MAX_SIGNALS,
  MOBILE_KINDS,
  STATE_CODE,
  TICK_HZ,
} from '../../protocol';

/** Time between live telemetry frames, ms; poses are interpolated over one interval (scaled by the playback rate). */
export const FRAME_INTERVAL_MS = 1000 / TICK_HZ;
/** No frame for this long and the data is stale (grayed, never shown as live). */
export const STALE_AFTER_MS = 2000;

const DEG = Math.PI / 180;
const TWO_PI = Math.PI * 2;

/**
 * The twin buffer: the client's copy of every equipment's live state in typed arrays, written by
 * the network layer at frame rate and read by the scene inside `useFrame`. Never goes through React.
 *
 * Poses are [x, y, z, yaw] (m, rad). When a pose arrives, the pose currently shown becomes `prev`
 * and the new one `next`; the scene blends them over one frame interval, so motion is smooth and
 * lags the server by at most one tick. A replay at rate r delivers frames every FRAME_INTERVAL_MS / r
 * of wall time, so it sets the rate (`setPlaybackRate`) and the blend window follows; live stays 1.
 */
export class TwinBuffer {
  readonly count: number;
  readonly ids: readonly string[];
  readonly kinds: readonly EquipmentKind[];
  readonly indexById: ReadonlyMap<string, number>;
  /** Machine state code per equipment (see MACHINE_STATES). */
  readonly state: Uint8Array;
  /** Latest signal values, `MAX_SIGNALS` slots per equipment, catalog order. */
  readonly signals: Float32Array;
  readonly posePrev: Float32Array;
  readonly poseNext: Float32Array;
  /** Arrival time (ms, performance clock) of `poseNext`, per equipment. */
  readonly poseAt: Float64Array;
  /** Arrival time of the last frame that carried each equipment, ms. */
  readonly seenAt: Float64Array;
  /**
   * Data mark per equipment (the frame's MARK_* bits): bits 0-1 the worst quality code of its
   * values (QUALITIES order), bit 2 a simulated stand-in for real equipment. 0: good, real.
   */
  readonly mark: Uint8Array;
  /** Time of the last frame of any kind, ms (0 before the first). */
  lastFrameAt = 0;
  /** Frames applied since this buffer was created. */
  framesApplied = 0;
  /** Latest server tick and simulation time. */
  tick = 0;
  simTimeS = 0;
  /** Incremented on every applied frame; cheap change detection for low-rate readers. */
  version = 0;

  /** Wall-clock span of one pose blend, ms: FRAME_INTERVAL_MS / playback rate. */
  private blendMs = FRAME_INTERVAL_MS;
  /** Silence longer than this is stale, ms; stretched (never shrunk) for slow playback. */
  private staleAfterMs = STALE_AFTER_MS;
  private now = 0;
  private readonly sink: FrameSink;

  constructor(layout: Layout) {
    const n = layout.equipment.length;
    this.count = n;
    this.ids = layout.equipment.map((e) => e.id);
    this.kinds = layout.equipment.map((e) => e.kind);
    this.indexById = new Map(this.ids.map((id, i) => [id, i]));
    this.state = new Uint8Array(n).fill(STATE_CODE.offline);
    this.signals = new Float32Array(n * MAX_SIGNALS);
    this.posePrev = new Float32Array(n * 4);
    this.poseNext = new Float32Array(n * 4);
    this.poseAt = new Float64Array(n);
    this.seenAt = new Float64Array(n);
    this.mark = new Uint8Array(n);
    layout.equipment.forEach((e, i) => {
      const o = i * 4;
      this.poseNext[o] = this.posePrev[o] = e.position[0];
      this.poseNext[o + 1] = this.posePrev[o + 1] = e.position[1];
      this.poseNext[o + 2] = this.posePrev[o + 2] = e.position[2];
      this.poseNext[o + 3] = this.posePrev[o + 3] = e.rotation * DEG;
    });
    const self = this;
    this.sink = {
      header(tick, simTimeS) {
        self.tick = tick;
        self.simTimeS = simTimeS;
      },
      entry(index, state, pose, signals, n, mark) {
        self.state[index] = state;
        self.mark[index] = mark;
        self.seenAt[index] = self.now;
        const s = index * MAX_SIGNALS;
        for (let k = 0; k < n; k++) self.signals[s + k] = signals[k];
        if (pose) self.pushPose(index, pose[0], pose[1], pose[2], pose[3]);
      },
    };
  }

  /** Applies one binary frame (throws FrameError on a malformed one, changing nothing). */
  applyFrame(frame: ArrayBuffer | ArrayBufferView, nowMs: number): void {
    this.now = nowMs;
    decodeFrame(frame, this.kinds, this.sink);
    this.lastFrameAt = nowMs;
    this.framesApplied++;
    this.version++;
  }

  /** Applies the snapshot's keyframe without interpolation (positions jump to the truth). */
  applyKeyframe(frame: ArrayBuffer | ArrayBufferView, nowMs: number): void {
    this.applyFrame(frame, nowMs);
    this.posePrev.set(this.poseNext);
  }

  /**
   * Sets how fast recorded frames are fed (1 = live, 0.25 = quarter speed): poses then blend over
   * FRAME_INTERVAL_MS / rate of wall time, so slow playback glides instead of stepping. Ignores a
   * rate that is not positive and finite.
   */
  setPlaybackRate(rate: number): void {
    if (!(rate > 0) || !Number.isFinite(rate)) return;
    this.blendMs = FRAME_INTERVAL_MS / rate;
    // Frames come 1/rate times further apart; a slow replay must not read as stale.
    this.staleAfterMs = STALE_AFTER_MS / Math.min(rate, 1);
  }

  /** True when no frame has arrived for STALE_AFTER_MS (scaled up for slow playback). */
  isStale(nowMs: number): boolean {
    return this.lastFrameAt === 0 || nowMs - this.lastFrameAt > this.staleAfterMs;
  }

  /** Latest value of signal `k` (catalog order) of equipment `index`. */
  signal(index: number, k: number): number {
    return this.signals[index * MAX_SIGNALS + k];
  }

  /** Whether the equipment moves (its pose is interpolated). */
  isMobile(index: number): boolean {
    return MOBILE_KINDS.has(this.kinds[index]);
  }

  /**
   * Writes the interpolated pose [x, y, z, yaw] of `index` at `nowMs` into `out` (no allocation).
   */
  samplePose(index: number, nowMs: number, out: Float32Array | number[]): void {
    const o = index * 4;
    const a = Math.min(Math.max((nowMs - this.poseAt[index]) / this.blendMs, 0), 1);
    const p = this.posePrev;
    const q = this.poseNext;
    out[0] = p[o] + (q[o] - p[o]) * a;
    out[1] = p[o + 1] + (q[o + 1] - p[o + 1]) * a;
    out[2] = p[o + 2] + (q[o + 2] - p[o + 2]) * a;
    let dy = (q[o + 3] - p[o + 3]) % TWO_PI;
    if (dy > Math.PI) dy -= TWO_PI;
    else if (dy < -Math.PI) dy += TWO_PI;
    out[3] = p[o + 3] + dy * a;
  }

  private readonly _cur = new Float32Array(4);

  private pushPose(index: number, x: number, y: number, z: number, yaw: number): void {
    // What is on screen now becomes the start of the next blend, so a late frame never jumps.
    this.samplePose(index, this.now, this._cur);
    const o = index * 4;
    this.posePrev[o] = this._cur[0];
    this.posePrev[o + 1] = this._cur[1];
    this.posePrev[o + 2] = this._cur[2];
    this.posePrev[o + 3] = this._cur[3];
    this.poseNext[o] = x;
    this.poseNext[o + 1] = y;
    this.poseNext[o + 2] = z;
    this.poseNext[o + 3] = yaw;
    this.poseAt[index] = this.now;
  }
}
