import { EQUIPMENT_KINDS, type EquipmentKind, signalsOf } from '../../protocol';
import { currentBuffer } from '../state/plantStore';
import { useSelectionStore } from '../state/selectionStore';
import type { TwinBuffer } from '../state/twinBuffer';
import { onHudTick } from './hudTicker';
import { TrendHistory } from './trendHistory';

/** Trend window: 300 samples at 1 Hz = the last 5 minutes. */
export const TREND_SAMPLES = 300;
/**
 * Equipment with trend history at once. Every equipment is sampled from the start when the
 * plant has at most this many (so a newly selected machine already has history); in bigger
 * plants, selecting a machine recycles the least recently used slot. 512 × 3 × 300 float32
 * = 1.8 MB, whatever the plant size.
 */
export const TREND_CAPACITY = 512;

const trendIndexCache = new Map<EquipmentKind, readonly number[]>();

/** Catalog positions of a kind's `trend: true` signals (the series of its trend charts). */
export function trendSignalIndexes(kind: EquipmentKind): readonly number[] {
  let idx = trendIndexCache.get(kind);
  if (!idx) {
    idx = signalsOf(kind).flatMap((d, i) => (d.trend ? [i] : []));
    trendIndexCache.set(kind, idx);
  }
  return idx;
}

/** Most trend signals any kind has: the series per tracked equipment. */
const TREND_SERIES = Math.max(...EQUIPMENT_KINDS.map((k) => trendSignalIndexes(k).length));

let history: TrendHistory | null = null;
let historyIds: readonly string[] | null = null;
let lastBuffer: TwinBuffer | null = null;
const sampled = new Set<() => void>();

function sameIds(a: readonly string[] | null, b: readonly string[]): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A new snapshot: keep the history across reconnects to the same plant, start afresh otherwise. */
function adoptBuffer(buffer: TwinBuffer): void {
  lastBuffer = buffer;
  const restarted = history !== null && buffer.simTimeS < history.lastTime;
  if (history && !restarted && sameIds(historyIds, buffer.ids)) return;
  history = new TrendHistory(TREND_CAPACITY, TREND_SERIES, TREND_SAMPLES);
  historyIds = buffer.ids;
  for (let i = 0; i < Math.min(buffer.count, TREND_CAPACITY); i++) history.track(i);
  const selected = useSelectionStore.getState().selectedId;
  const index = selected === null ? undefined : buffer.indexById.get(selected);
  if (index !== undefined) history.track(index);
}

function sampleNow(): void {
  const buffer = currentBuffer();
  if (!buffer) return;
  if (buffer !== lastBuffer) adoptBuffer(buffer);
  const h = history;
  if (!h) return;
  const took = h.sample(buffer.simTimeS, (index, series) => {
    const k = trendSignalIndexes(buffer.kinds[index])[series];
    return k === undefined ? Number.NaN : buffer.signal(index, k);
  });
  if (!took) return;
  for (const fn of sampled) fn();
}

/** The current trend history (null before the first snapshot). */
export function trendHistory(): TrendHistory | null {
  return history;
}

/**
 * Forgets every trend sample; the next HUD tick starts a fresh history from the current buffer.
 * The replay calls it after a seek, so a chart never joins samples from two different times.
 */
export function resetTrendHistory(): void {
  history = null;
  historyIds = null;
  lastBuffer = null;
  for (const fn of sampled) fn();
}

/** Calls `fn` after each new trend sample; returns the unsubscribe. */
export function onTrendSample(fn: () => void): () => void {
  sampled.add(fn);
  return () => sampled.delete(fn);
}

/**
 * Starts sampling every tracked equipment's trend signals at 1 Hz (on the HUD tick) and tracks
 * whatever gets selected. Call once at startup, before the HUD mounts, so samples are taken
 * before the charts read them in the same tick. Returns the stop function.
 */
export function startTrendSampler(): () => void {
  const stopTick = onHudTick(sampleNow);
  const stopSelection = useSelectionStore.subscribe((s, prev) => {
    if (s.selectedId === prev.selectedId || s.selectedId === null) return;
    const index = lastBuffer?.indexById.get(s.selectedId);
    if (index !== undefined) history?.track(index);
  });
  return () => {
    stopTick();
    stopSelection();
  };
}
