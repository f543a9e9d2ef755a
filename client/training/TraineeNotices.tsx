import { useServerText } from '../i18n/useServerText';
import { useT } from '../i18n/useT';
import { dismissNotice, useTrainingStore } from './trainingStore';
import { formatDuration } from './trainingView';

/** Props of TraineeNotices (none). */
export type TraineeNoticesProps = Record<string, never>;

/** The scenario's messages to the trainee, prominent until dismissed (newest on top, at most 3). */
export function TraineeNotices(_: TraineeNoticesProps) {
  const { t } = useT();
  const render = useServerText();
  const notices = useTrainingStore((s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <div className="trainee-notices" aria-live="polite">
      {notices
        .slice(-3)
        .reverse()
        .map((n) => (
          <div className="trainee-notice panel" key={n.key} data-testid="training-notice" role="status">
            <div className="trainee-notice__head">
              <span>{t('training.message')}</span>
              <span className="figure">{formatDuration(n.simS)}</span>
            </div>
            <p className="trainee-notice__text">{render(n.coded, n.text)}</p>
            <button type="button" className="button button--small" onClick={() => dismissNotice(n.key)}>
              {t('training.dismiss')}
            </button>
          </div>
        ))}
    </div>
  );
}
