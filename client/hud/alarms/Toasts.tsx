import { useAlarmUiStore } from '../../state/alarmUiStore';

/** Props of Toasts (none). */
export type ToastsProps = Record<string, never>;

/** Short messages (refused alarm actions), bottom right; click to dismiss. */
export function Toasts(_: ToastsProps) {
  const toasts = useAlarmUiStore((s) => s.toasts);
  if (toasts.length === 0) return null;
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <button
          key={t.id}
          type="button"
          className={`toast panel toast--${t.tone}`}
          data-testid="toast"
          onClick={() => useAlarmUiStore.getState().dismiss(t.id)}
        >
          {t.text}
        </button>
      ))}
    </div>
  );
}
