import { create } from 'zustand';
import { useAuditUiStore } from './auditUiStore';

/** Whether the Sources panel (operators and up) is open, and whether this screen has one. */
export interface SourcesUiStore {
  open: boolean;
  /** Mounted Sources panels: the menu offers the panel only on screens that show it (the live console). */
  mounted: number;
  /** Opens or closes it; opening closes the audit view, which takes the same place on screen. */
  setOpen: (open: boolean) => void;
  /** A panel mounted (+1) or unmounted (-1). */
  countPanel: (delta: 1 | -1) => void;
}

export const useSourcesUiStore = create<SourcesUiStore>((set) => ({
  open: false,
  mounted: 0,
  setOpen: (open) => {
    if (open) useAuditUiStore.getState().setOpen(false);
    set({ open });
  },
  countPanel: (delta) => set((s) => ({ mounted: Math.max(0, s.mounted + delta) })),
}));
