import { type FormEvent, useState } from 'react';
import { useT } from '../i18n/useT';
import { normalizeJoinCode } from './trainingPath';
import type { TrainingFailure } from './trainingStore';

/** Props of JoinCodeScreen. */
export interface JoinCodeScreenProps {
  /** The code that was tried (null: none yet, `/train`). */
  code: string | null;
  failure: TrainingFailure | null;
}

/** Asks for a join code: at `/train`, or after an unknown one, saying which. */
export function JoinCodeScreen({ code, failure }: JoinCodeScreenProps) {
  const { t } = useT();
  const [value, setValue] = useState('');
  const [bad, setBad] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = normalizeJoinCode(value);
    if (!next) {
      setBad(true);
      return;
    }
    // A new page: the console is read from the path once per load (App.tsx).
    window.location.assign(`/train/${next}${window.location.search}`);
  };
  return (
    <div className="training-screen" data-testid="training-join">
      <form className="training-card panel" onSubmit={submit}>
        <h1 data-testid="training-join-title">
          {failure && code ? t('training.notFound.title', { code }) : t('training.enterCode.title')}
        </h1>
        {failure && <p>{failure.code === 'NOT_FOUND' ? t('training.notFound.body') : failure.message}</p>}
        <label className="training-field">
          <span>{t('training.code')}</span>
          <input
            className="training-code-input"
            data-testid="training-code-input"
            value={value}
            maxLength={12}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => {
              setValue(e.target.value);
              setBad(false);
            }}
          />
        </label>
        {bad && <p className="training-error">{t('training.badCode')}</p>}
        <div className="training-card__actions">
          <button type="submit" className="button button--primary" data-testid="training-join-submit">
            {t('training.join')}
          </button>
          <a className="button" href="/">
            {t('training.ended.back')}
          </a>
        </div>
      </form>
    </div>
  );
}
