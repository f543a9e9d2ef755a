import { create } from 'zustand';

/** Tabs of the alarm dock. */
export type AlarmTab = 'alarms' | 'history' | 'health';

/** One short message (an action's refusal or confirmation). */
export interface Toast {
  id: number;
  text: string;
  tone: 'error' | 'info';
}

/** HUD-only alarm UI facts: the open tab, the alarm to bring into view, toasts. */
export interface AlarmUiStore {
  tab: AlarmTab;
  /** Last "open this alarm" request (a 3D marker click); `nonce` changes each time. */
  focus: { alarmId: string; nonce: number } | null;
  toasts: Toast[];
  setTab: (tab: AlarmTab) => void;
  /** Opens the Alarms tab and scrolls to and highlights the alarm's row. */
  focusAlarm: (alarmId: string) => void;
  toast: (text: string, tone?: Toast['tone']) => void;
  dismiss: (id: number) => void;
}

/** How long a toast stays, ms. */
const TOAST_MS = 6000;
let toastIds = 0;

export const useAlarmUiStore = create<AlarmUiStore>((set, get) => ({
  tab: 'alarms',
  focus: null,
  toasts: [],
  setTab: (tab) => set({ tab }),
  focusAlarm: (alarmId) => set({ tab: 'alarms', focus: { alarmId, nonce: (get().focus?.nonce ?? 0) + 1 } }),
  toast: (text, tone = 'error') => {
    const id = ++toastIds;
    set((s) => ({ toasts: [...s.toasts.slice(-3), { id, text, tone }] }));
    setTimeout(() => get().dismiss(id), TOAST_MS);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

/** Shows a refused action's message as an error toast; returns whether it succeeded. */
export function reportResult(result: { ok: boolean; message?: string; code?: string }): boolean {
  if (result.ok) return true;
  useAlarmUiStore.getState().toast(`${result.message ?? 'Refused'}${result.code ? ` (${result.code})` : ''}`);
  return false;
}
