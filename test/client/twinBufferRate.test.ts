import { describe, expect, it } from 'vitest';
import { FRAME_INTERVAL_MS, STALE_AFTER_MS, TwinBuffer } from '../../client/state/twinBuffer';
import { FrameEncoder, parseLayout, STATE_CODE, signalsOf } from '../../protocol';

function plant() {
  const r = parseLayout({
    name: 'Test plant',
    zones: [{ id: 'Z', name: 'Hall', kind: 'hall', min: [0, 0], max: [100, 100] }],
    equipment: [{ id: 'D1', name: 'Drone 1', kind: 'drone', zone: 'Z', position: [0, 0, 0] }],
  });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.layout;
}

/** A frame with the drone at x = `x` m. */
function frame(tick: number, x: number): ArrayBuffer {
  const enc = new FrameEncoder();
  enc.begin(tick, tick / 10);
  enc.add(
    0,
    'drone',
    STATE_CODE.running,
    [x, 0, 0, 0],
    signalsOf('drone').map(() => 0),
  );
  return enc.finish();
}

/** x of the drone at `nowMs` after a keyframe at x = 0 (t = 0) and a frame at x = 10 arriving at `secondAt`. */
function xAt(rate: number | null, secondAt: number, nowMs: number): number {
  const buffer = new TwinBuffer(plant());
  if (rate !== null) buffer.setPlaybackRate(rate);
  buffer.applyKeyframe(frame(0, 0), 0);
  buffer.applyFrame(frame(1, 10), secondAt);
  const out = new Float32Array(4);
  buffer.samplePose(0, nowMs, out);
  return out[0];
}

describe('twin buffer playback rate', () => {
  it('blends a 0.25x replay over the 400 ms between frames, halfway 200 ms after the second arrived', () => {
    const spacing = FRAME_INTERVAL_MS / 0.25;
    expect(spacing).toBe(400);
    expect(xAt(0.25, spacing, spacing + 200)).toBeCloseTo(5, 4);
    expect(xAt(0.25, spacing, spacing + 100)).toBeCloseTo(2.5, 4);
    expect(xAt(0.25, spacing, spacing + 400)).toBeCloseTo(10, 4);
  });

  it('keeps the live one-tick blend at rate 1 and by default', () => {
    for (const rate of [null, 1]) {
      expect(xAt(rate, 100, 150)).toBeCloseTo(5, 4);
      expect(xAt(rate, 100, 200)).toBeCloseTo(10, 4);
      expect(xAt(rate, 100, 400)).toBeCloseTo(10, 4);
    }
  });

  it('returns to the live blend when the rate goes back to 1 and ignores a rate that is not positive', () => {
    const buffer = new TwinBuffer(plant());
    buffer.setPlaybackRate(0.25);
    buffer.setPlaybackRate(1);
    buffer.setPlaybackRate(0);
    buffer.setPlaybackRate(Number.NaN);
    buffer.applyKeyframe(frame(0, 0), 0);
    buffer.applyFrame(frame(1, 10), 100);
    const out = new Float32Array(4);
    buffer.samplePose(0, 150, out);
    expect(out[0]).toBeCloseTo(5, 4);
  });

  it('does not call a slow replay stale while live staleness is unchanged', () => {
    const live = new TwinBuffer(plant());
    live.applyFrame(frame(1, 0), 1000);
    expect(live.isStale(1000 + STALE_AFTER_MS)).toBe(false);
    expect(live.isStale(1000 + STALE_AFTER_MS + 1)).toBe(true);

    const slow = new TwinBuffer(plant());
    slow.setPlaybackRate(0.25);
    slow.applyFrame(frame(1, 0), 1000);
    expect(slow.isStale(1000 + STALE_AFTER_MS + 1)).toBe(false);

    // A fast replay never tightens the threshold.
    const fast = new TwinBuffer(plant());
    fast.setPlaybackRate(8);
    fast.applyFrame(frame(1, 0), 1000);
    expect(fast.isStale(1000 + STALE_AFTER_MS)).toBe(false);
  });
});
