import { create } from 'zustand';

/** Which of the trainer console's dialogs is open. */
export interface TrainerUiStore {
  /** The scenario picker / session list over an open session. */
  picker: boolean;
  report: boolean;
}

export const useTrainerUiStore = create<TrainerUiStore>(() => ({ picker: false, report: false }));
