import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HUD_TICK_MS } from '../../client/hud/hudTicker';
import { startTrendSampler, trendHistory, trendSignalIndexes } from '../../client/hud/trendSampler';
import { usePlantStore } from '../../client/state/plantStore';
import { useSelectionStore } from '../../client/state/selectionStore';
import { TwinBuffer } from '../../client/state/twinBuffer';
import { FrameEncoder, parseLayout, STATE_CODE, signalsOf } from '../../protocol';

function plant() {
  const r = parseLayout({
    name: 'Test plant',
    zones: [{ id: 'Z', name: 'Hall', kind: 'hall', min: [0, 0], max: [10, 10] }],
    equipment: [
      { id: 'T1', name: 'Transformer 1', kind: 'transformer', zone: 'Z', position: [1, 0, 1] },
      { id: 'E1', name: 'Edge 1', kind: 'edge-server', zone: 'Z', position: [2, 0, 2] },
    ],
  });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.layout;
}

/** A frame where the transformer's load is `load` % at `simTimeS`. */
function frame(simTimeS: number, load: number): ArrayBuffer {
  const enc = new FrameEncoder();
  enc.begin(simTimeS * 10, simTimeS);
  const tx = signalsOf('transformer').map((d) => (d.key === 'load' ? load : 40));
  enc.add(0, 'transformer', STATE_CODE.running, null, tx);
  enc.add(1, 'edge-server', STATE_CODE.running, null, [50, 50, 100, 25]);
  return enc.finish();
}

describe('trend sampler', () => {
  let stop: () => void;
  beforeEach(() => {
    vi.useFakeTimers();
    stop = startTrendSampler();
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
    usePlantStore.setState({ layout: null, buffer: null });
    useSelectionStore.setState({ selectedId: null });
  });

  it('has history for equipment that was never selected, one sample per tick of new data', () => {
    const layout = plant();
    const buffer = new TwinBuffer(layout);
    buffer.applyKeyframe(frame(1, 10), 0);
    usePlantStore.setState({ layout, buffer });
    for (let t = 2; t <= 4; t++) {
      vi.advanceTimersByTime(HUD_TICK_MS);
      buffer.applyFrame(frame(t, t * 10), t * 1000);
    }
    vi.advanceTimersByTime(HUD_TICK_MS);
    // The transformer's first trend signal is its load.
    expect(signalsOf('transformer')[trendSignalIndexes('transformer')[0]].key).toBe('load');
    const load = trendHistory()!.read(0, 0)!;
    expect(Array.from(load.times)).toEqual([1, 2, 3, 4]);
    expect(Array.from(load.values).map((v) => Math.round(v))).toEqual([10, 20, 30, 40]);
  });

  it('takes no sample while the feed is paused', () => {
    const layout = plant();
    const buffer = new TwinBuffer(layout);
    buffer.applyKeyframe(frame(1, 10), 0);
    usePlantStore.setState({ layout, buffer });
    vi.advanceTimersByTime(HUD_TICK_MS * 5);
    expect(trendHistory()!.read(0, 0)!.times.length).toBe(1);
  });
});
