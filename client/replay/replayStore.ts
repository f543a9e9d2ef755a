import { create } from 'zustand';
import type { RecordingSummary, ReplayTimeline } from '../../protocol';

/** opening: asking for the recording; ready: on screen; error: it could not be opened. */
export type ReplayPhase = 'opening' | 'ready' | 'error';

/** Low-rate facts of the open replay for React (the playback itself never goes through React). */
export interface ReplayStore {
  phase: ReplayPhase;
  error: string | null;
  recording: RecordingSummary | null;
  timeline: ReplayTimeline | null;
  playing: boolean;
  rate: number;
  /** Playback time, simulation s (refreshed at most 4 times a second while playing). */
  simS: number;
  /** Waiting for the server: a seek in flight, or playback caught up with what was fetched. */
  waiting: boolean;
  /** A short notice (bookmark added, request failed). */
  notice: string | null;
}

export const INITIAL_REPLAY: ReplayStore = {
  phase: 'opening',
  error: null,
  recording: null,
  timeline: null,
  playing: false,
  rate: 1,
  simS: 0,
  waiting: false,
  notice: null,
};

export const useReplayStore = create<ReplayStore>(() => ({ ...INITIAL_REPLAY }));
