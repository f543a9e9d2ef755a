import type { TrainingEnded } from '../../protocol';
import { useServerText } from '../i18n/useServerText';
import { useT } from '../i18n/useT';

/** Props of TrainingEndScreen. */
export interface TrainingEndScreenProps {
  info: TrainingEnded;
  trainer: boolean;
}

/** The session was ended (by a trainer, or the server stopping): say so plainly, with ways on. */
export function TrainingEndScreen({ info, trainer }: TrainingEndScreenProps) {
  const { t } = useT();
  const render = useServerText();
  return (
    <div className="training-screen" data-testid="training-ended">
      <div className="training-card panel">
        <h1>{t('training.ended.title')}</h1>
        <p>{t('training.ended.body', { message: render(info.text, info.message) })}</p>
        <div className="training-card__actions">
          <a className="button button--primary" href={trainer ? '/trainer' : '/'}>
            {trainer ? t('trainer.title') : t('training.ended.back')}
          </a>
          {!trainer && (
            <a className="button" href="/train">
              {t('training.ended.another')}
            </a>
          )}
        </div>
      </div>
    </div>
  );
}
