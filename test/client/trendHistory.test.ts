import { describe, expect, it } from 'vitest';
import { TrendHistory } from '../../client/hud/trendHistory';

describe('TrendHistory', () => {
  it('returns samples oldest first for a tracked equipment', () => {
    const h = new TrendHistory(4, 2, 5);
    h.track(7);
    for (let t = 1; t <= 3; t++) h.sample(t, (i, s) => i * 100 + s * 10 + t);
    const r = h.read(7, 1)!;
    expect(Array.from(r.times)).toEqual([1, 2, 3]);
    expect(Array.from(r.values)).toEqual([711, 712, 713]);
  });

  it('keeps only the newest `length` samples once the ring wraps', () => {
    const h = new TrendHistory(1, 1, 3);
    h.track(0);
    for (let t = 1; t <= 7; t++) h.sample(t, () => t);
    const r = h.read(0, 0)!;
    expect(Array.from(r.times)).toEqual([5, 6, 7]);
    expect(Array.from(r.values)).toEqual([5, 6, 7]);
  });

  it('ignores a sample whose time has not advanced (paused or stale feed)', () => {
    const h = new TrendHistory(1, 1, 10);
    h.track(0);
    expect(h.sample(5, () => 1)).toBe(true);
    expect(h.sample(5, () => 2)).toBe(false);
    expect(h.sample(4, () => 3)).toBe(false);
    expect(h.read(0, 0)!.values.length).toBe(1);
  });

  it('starts an equipment history at the moment it is tracked', () => {
    const h = new TrendHistory(2, 1, 10);
    h.track(0);
    h.sample(1, () => 1);
    h.sample(2, () => 2);
    h.track(1);
    h.sample(3, () => 3);
    expect(Array.from(h.read(0, 0)!.times)).toEqual([1, 2, 3]);
    expect(Array.from(h.read(1, 0)!.times)).toEqual([3]);
  });

  it('returns null for equipment it does not track', () => {
    expect(new TrendHistory(1, 1, 3).read(0, 0)).toBeNull();
  });

  it('recycles the least recently used slot when full, keeping memory bounded', () => {
    const h = new TrendHistory(2, 1, 10);
    h.track(0);
    h.track(1);
    h.track(0); // 0 used again: 1 is now the least recently used
    h.track(2);
    expect(h.isTracked(0)).toBe(true);
    expect(h.isTracked(1)).toBe(false);
    expect(h.isTracked(2)).toBe(true);
    expect(h.tracked).toBe(2);
  });
});
