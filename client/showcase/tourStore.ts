import { create } from 'zustand';
import type { CodedText } from '../../protocol';

/** The alarm the tour is showing (caption text comes from the alarm itself). */
export interface TourFocus {
  alarmId: string;
  equipmentId: string;
  priority: 'critical' | 'high';
  message: string;
  /** The message as a code (rendered in the screen's language). */
  text?: CodedText;
}

export interface TourStore {
  /** Current viewpoint id and its position in the tour (-1 before the tour starts). */
  viewpoint: string | null;
  index: number;
  /** The alarm on screen, or null while touring viewpoints. */
  focus: TourFocus | null;
}

/** Tour facts for the overlay and diagnostics; written by the tour camera only on a change of stop. */
export const useTourStore = create<TourStore>(() => ({ viewpoint: null, index: -1, focus: null }));
