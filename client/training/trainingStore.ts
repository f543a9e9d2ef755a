import { create } from 'zustand';
import type {
  CodedText,
  TrainingActivity,
  TrainingEnded,
  TrainingState,
  TrainingStepApplied,
} from '../../protocol';
import { appendFeed, type FeedEntry } from './trainingView';

/** A message step shown to the trainee until dismissed. */
export interface TraineeNotice {
  key: string;
  simS: number;
  /** English (older servers send only this). */
  text: string;
  /** The message in every language the scenario gives (`text.localized`). */
  coded?: CodedText;
}

/** Why the training connection stopped before or during the session. */
export type TrainingFailure = { code: 'NOT_FOUND' | 'FORBIDDEN' | 'OTHER'; message: string };

export interface TrainingStore {
  /** The session the plant connection joins (id or code); null: the live plant. */
  sessionKey: string | null;
  /** The session's state as last broadcast (`training:state`); null before the first. */
  state: TrainingState | null;
  /** Scenario steps and (trainers only) participants' activity, oldest first. */
  feed: FeedEntry[];
  /** Message steps not yet dismissed. */
  notices: TraineeNotice[];
  /** The trainer ended the session. */
  ended: TrainingEnded | null;
  /** The session could not be joined (unknown code). */
  failure: TrainingFailure | null;
}

const empty = () => ({ state: null, feed: [], notices: [], ended: null, failure: null });

/** The training session this page is in (low-rate facts only: state changes, steps, activity). */
export const useTrainingStore = create<TrainingStore>(() => ({ sessionKey: null, ...empty() }));

/** Joins another session (or the live plant with null), forgetting what the last one showed. */
export function openSession(key: string | null): void {
  useTrainingStore.setState({ sessionKey: key, ...empty() });
}

let counter = 0;

/** Store updates for the socket's training events. */
export const trainingEvents = {
  state(state: TrainingState): void {
    const prev = useTrainingStore.getState().state;
    // A restart starts a fresh world: its feed and notices start over too.
    const restarted = prev !== null && prev.id === state.id && prev.run !== state.run;
    useTrainingStore.setState(restarted ? { state, feed: [], notices: [] } : { state });
  },
  step(step: TrainingStepApplied): void {
    const key = `s${++counter}`;
    useTrainingStore.setState((s) => ({
      feed: appendFeed(s.feed, { kind: 'step', key, simS: step.simS, step }),
      notices:
        step.action === 'message' && step.ok
          ? [...s.notices, { key, simS: step.simS, text: step.message, coded: step.text }]
          : s.notices,
    }));
  },
  activity(activity: TrainingActivity): void {
    const key = `a${++counter}`;
    useTrainingStore.setState((s) => ({
      feed: appendFeed(s.feed, { kind: 'activity', key, simS: activity.simS, activity }),
    }));
  },
  ended(info: TrainingEnded): void {
    useTrainingStore.setState({ ended: info });
  },
  failed(failure: TrainingFailure): void {
    useTrainingStore.setState({ failure });
  },
};

/** Hides one trainee notice. */
export function dismissNotice(key: string): void {
  useTrainingStore.setState((s) => ({ notices: s.notices.filter((n) => n.key !== key) }));
}
