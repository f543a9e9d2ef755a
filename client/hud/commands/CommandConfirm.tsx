import { useT } from '../../i18n/useT';
import { secondsLeft } from '../countdown';
import { useWallClock } from '../useWallClock';

/** Props of CommandConfirm. */
export interface CommandConfirmProps {
  question: string;
  /** When the server's confirmation lapses, ms since epoch. */
  deadline: number;
  onConfirm: () => void;
  onCancel: () => void;
}

/** The deliberate second step of a command that sets machines moving, with its 30 s countdown. */
export function CommandConfirm({ question, deadline, onConfirm, onCancel }: CommandConfirmProps) {
  const { t } = useT();
  const now = useWallClock(true);
  return (
    <div
      className="commands__confirm"
      role="alertdialog"
      aria-label={question}
      data-testid="command-confirm-step"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        // Esc cancels the command here and must not also close the inspector around it.
        e.stopPropagation();
        e.nativeEvent.stopImmediatePropagation();
        onCancel();
      }}
    >
      <p className="commands__question">{question}</p>
      <div className="commands__confirm-row">
        <button
          type="button"
          className="button commands__confirm-button"
          onClick={onConfirm}
          // biome-ignore lint/a11y/noAutofocus: the confirmation step exists to take this one decision.
          autoFocus
          data-testid="command-confirm"
        >
          {t('confirm.confirm')}
        </button>
        <button type="button" className="button" onClick={onCancel} data-testid="command-cancel">
          {t('confirm.cancel')}
        </button>
        <span className="commands__countdown figure" data-testid="command-countdown">
          {t('confirm.expiresIn', { s: secondsLeft(deadline, now) })}
        </span>
      </div>
    </div>
  );
}
