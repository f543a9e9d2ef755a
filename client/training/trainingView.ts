import {
  MAX_SPEED,
  MIN_SPEED,
  type TrainingActivity,
  type TrainingState,
  type TrainingStepApplied,
} from '../../protocol';

/** The trainer bar's one-click speed presets (within the protocol's MIN_SPEED..MAX_SPEED). */
export const SPEED_PRESETS = [0.5, 1, 2, 5, 10, 50] as const;

/** A typed speed kept within MIN_SPEED..MAX_SPEED and to one decimal (null when not a number). */
export function clampSpeed(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  const v = Math.min(MAX_SPEED, Math.max(MIN_SPEED, value));
  return Math.round(v * 10) / 10;
}

/** What the session's clock is doing, for the run-state chip and the buttons offered. */
export type RunState = 'ready' | 'running' | 'paused' | 'finished';

/** ready: created and never started; paused: started, then stopped (or one step taken). */
export function runState(s: Pick<TrainingState, 'running' | 'finished' | 'simTimeS'>): RunState {
  if (s.running) return 'running';
  if (s.finished) return 'finished';
  return s.simTimeS > 0 ? 'paused' : 'ready';
}

/** Share of the scenario played, 0..1. */
export function progress(simTimeS: number, durationS: number): number {
  if (!(durationS > 0) || !Number.isFinite(simTimeS)) return 0;
  return Math.min(1, Math.max(0, simTimeS / durationS));
}

/** A sim duration as m:ss or h:mm:ss. */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '–:––';
  const t = Math.floor(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = String(t % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** One line of the trainer's live feed: what someone did, or a scenario step applied. */
export type FeedEntry =
  | { kind: 'activity'; key: string; simS: number; activity: TrainingActivity }
  | { kind: 'step'; key: string; simS: number; step: TrainingStepApplied };

/** Entries kept in the feed (newest last). */
export const FEED_LIMIT = 200;

/** Appends to the feed, dropping the oldest past FEED_LIMIT. */
export function appendFeed(feed: readonly FeedEntry[], entry: FeedEntry): FeedEntry[] {
  const next = feed.length >= FEED_LIMIT ? feed.slice(feed.length - FEED_LIMIT + 1) : feed.slice();
  next.push(entry);
  return next;
}

/** Events of the trainer's own clock control, left out of the trainee feed filter. */
const TRAINER_EVENTS = new Set(['training:control', 'training:inject']);

/** Whether an activity is a trainee's (not a trainer's own control or injection). */
export function isTraineeActivity(a: TrainingActivity): boolean {
  return !TRAINER_EVENTS.has(a.event) && a.role !== 'trainer' && a.role !== 'admin';
}
