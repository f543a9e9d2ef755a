import { useRef } from 'react';
import { useT } from '../../i18n/useT';
import { secondsLeft } from '../countdown';
import { useDialogFocus } from '../useDialogFocus';
import { useWallClock } from '../useWallClock';

/** Props of CommandConfirm. */
export interface CommandConfirmProps {
  question: string;
  /** When the server's confirmation lapses, ms since epoch. */
  deadline: number;
  onConfirm: () => void;
  onCancel: () => void;
  /** Where the focus goes on close when the command's button is disabled meanwhile (sending). */
  returnFocusTo?: () => HTMLElement | null | undefined;
}

/**
 * The deliberate second step of a command that sets machines moving, with its 30 s countdown. Esc
 * cancels it (and only it, not the inspector around it); closing gives the focus back to the
 * command's button. Not modal on purpose: Stop and E-stop beside it stay one Tab away.
 */
export function CommandConfirm({
  question,
  deadline,
  onConfirm,
  onCancel,
  returnFocusTo,
}: CommandConfirmProps) {
  const { t } = useT();
  const now = useWallClock(true);
  const step = useRef<HTMLDivElement>(null);
  useDialogFocus(step, { trap: false, onEscape: onCancel, fallback: returnFocusTo });
  return (
    <div
      ref={step}
      className="commands__confirm"
      role="alertdialog"
      aria-label={question}
      data-testid="command-confirm-step"
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
