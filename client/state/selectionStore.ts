import { create } from 'zustand';

export interface SelectionStore {
  /** Selected equipment id (inspector open), or null. */
  selectedId: string | null;
  /** Last fly-to request; `nonce` changes on every request so the same id can be flown to twice. */
  flyTo: { id: string; nonce: number } | null;
  select: (id: string | null) => void;
  /** Selects the equipment and asks the camera to fly to it. */
  flyToEquipment: (id: string) => void;
}

export const useSelectionStore = create<SelectionStore>((set, get) => ({
  selectedId: null,
  flyTo: null,
  select: (id) => set({ selectedId: id }),
  flyToEquipment: (id) => set({ selectedId: id, flyTo: { id, nonce: (get().flyTo?.nonce ?? 0) + 1 } }),
}));
