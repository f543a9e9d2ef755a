import { create } from 'zustand';
import { currentLocale } from '../i18n/localeStore';
import { refusalText } from '../i18n/refusalText';

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
  focus: { alarmId: string; nonce: number; keyboard: boolean } | null;
  toasts: Toast[];
  setTab: (tab: AlarmTab) => void;
  /** Opens the Alarms tab and scrolls to and highlights the alarm's row (`keyboard`: and focuses it). */
  focusAlarm: (alarmId: string, keyboard?: boolean) => void;
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
  focusAlarm: (alarmId, keyboard = false) =>
    set({ tab: 'alarms', focus: { alarmId, nonce: (get().focus?.nonce ?? 0) + 1, keyboard } }),
  toast: (text, tone = 'error') => {
    const id = ++toastIds;
    set((s) => ({ toasts: [...s.toasts.slice(-3), { id, text, tone }] }));
    setTimeout(() => get().dismiss(id), TOAST_MS);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

/** Shows a refused action as an error toast in the reader's language; returns whether it succeeded. */
export function reportResult(result: { ok: boolean; message?: string; code?: string }): boolean {
  if (result.ok) return true;
  const locale = currentLocale();
  // The code helps support in English; in Chinese the catalog text already says what it means.
  const code = locale === 'en' && result.code ? ` (${result.code})` : '';
  useAlarmUiStore.getState().toast(`${refusalText(locale, result)}${code}`);
  return false;
}
