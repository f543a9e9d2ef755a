import { create } from 'zustand';

/** Whether the audit view (admins) is open. */
export interface AuditUiStore {
  open: boolean;
  setOpen: (open: boolean) => void;
}

export const useAuditUiStore = create<AuditUiStore>((set) => ({
  open: false,
  setOpen: (open) => set({ open }),
}));
