import { type FormEvent, useId, useRef, useState } from 'react';
import { MAX_REASON, MAX_SHELVE_MIN } from '../../../protocol';
import { useT } from '../../i18n/useT';
import { useDialogFocus } from '../useDialogFocus';

/** Shelving durations offered, minutes. */
const DURATIONS = [15, 30, 60, 120];

/** Props of ReasonDialog. */
export interface ReasonDialogProps {
  title: string;
  /** Asks for a duration too (shelving). */
  withDuration: boolean;
  submitLabel: string;
  onSubmit: (reason: string, minutes: number) => void;
  onCancel: () => void;
  /** Where the focus goes on close when the button that opened the dialog is gone or disabled. */
  returnFocusTo?: () => HTMLElement | null | undefined;
}

/**
 * A small modal asking for a required reason (and a duration when shelving). The keyboard stays
 * inside it while it is open, Esc cancels, and closing gives the focus back to its opener.
 */
export function ReasonDialog(props: ReasonDialogProps) {
  const { title, withDuration, submitLabel, onSubmit, onCancel, returnFocusTo } = props;
  const { t } = useT();
  const titleId = useId();
  const form = useRef<HTMLFormElement>(null);
  useDialogFocus(form, { trap: true, onEscape: onCancel, fallback: returnFocusTo });
  const [minutes, setMinutes] = useState(30);
  const [custom, setCustom] = useState('');
  const [reason, setReason] = useState('');
  const customMin = Number(custom);
  const effective = custom !== '' ? customMin : minutes;
  const validMinutes =
    !withDuration || (Number.isFinite(effective) && effective >= 1 && effective <= MAX_SHELVE_MIN);
  const valid = reason.trim().length >= 3 && validMinutes;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (valid) onSubmit(reason.trim(), Math.round(effective));
  };
  return (
    <div className="alarm-dialog__backdrop">
      <form
        ref={form}
        className="alarm-dialog panel"
        onSubmit={submit}
        data-testid="alarm-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
      >
        <h3 className="alarm-dialog__title" id={titleId}>
          {title}
        </h3>
        {withDuration && (
          <div className="alarm-dialog__row">
            <span className="alarm-dialog__label">{t('alarmDialog.duration')}</span>
            {DURATIONS.map((m) => (
              <button
                key={m}
                type="button"
                className={custom === '' && minutes === m ? 'toggle is-on' : 'toggle'}
                onClick={() => {
                  setMinutes(m);
                  setCustom('');
                }}
              >
                {m < 60 ? t('alarmDialog.minutes', { n: m }) : t('alarmDialog.hours', { n: m / 60 })}
              </button>
            ))}
            <input
              className="alarm-dialog__minutes"
              type="number"
              min={1}
              max={MAX_SHELVE_MIN}
              placeholder={t('alarmDialog.minPlaceholder')}
              aria-label={t('alarmDialog.custom')}
              value={custom}
              onChange={(e) => setCustom(e.target.value)}
            />
          </div>
        )}
        <label className="alarm-dialog__row">
          <span className="alarm-dialog__label">{t('alarmDialog.reason')}</span>
          <input
            className="alarm-dialog__reason"
            // biome-ignore lint/a11y/noAutofocus: the dialog exists to take this one input.
            autoFocus
            required
            minLength={3}
            maxLength={MAX_REASON}
            placeholder={t('alarmDialog.required')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="alarm-dialog-reason"
          />
        </label>
        <div className="alarm-dialog__actions">
          <button type="button" className="button" onClick={onCancel}>
            {t('alarmDialog.cancel')}
          </button>
          <button
            type="submit"
            className="button button--primary"
            disabled={!valid}
            data-testid="alarm-dialog-submit"
          >
            {submitLabel}
          </button>
        </div>
      </form>
    </div>
  );
}
