import { create } from 'zustand';
import { useAuditUiStore } from './auditUiStore';

/** Whether the Sources panel (operators and up) is open. */
export interface SourcesUiStore {
  open: boolean;
  /** Opens or closes it; opening closes the audit view, which takes the same place on screen. */
  setOpen: (open: boolean) => void;
}

export const useSourcesUiStore = create<SourcesUiStore>((set) => ({
  open: false,
  setOpen: (open) => {
    if (open) useAuditUiStore.getState().setOpen(false);
    set({ open });
  },
}));
