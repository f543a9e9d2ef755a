import { pickText } from '../../protocol';
import { useT } from '../i18n/useT';
import { useTrainingStore } from './trainingStore';
import { runState } from './trainingView';
import { useSimClock } from './useSimClock';

/** Props of TraineeBanner (none). */
export type TraineeBannerProps = Record<string, never>;

/** "Training: <scenario> — simulated", and whether the trainer has the clock stopped. */
export function TraineeBanner(_: TraineeBannerProps) {
  const { t, locale } = useT();
  const s = useTrainingStore((x) => x.state);
  const simS = useSimClock();
  const rs = s ? runState(s) : 'ready';
  const stateText =
    rs === 'paused'
      ? t('training.paused')
      : rs === 'ready'
        ? t('training.notStarted')
        : rs === 'finished'
          ? t('training.finishedShort')
          : null;
  return (
    <div className="trainee-banner panel" data-testid="training-banner" data-state={rs} data-sim-s={simS}>
      <span className="sim-tag sim-tag--big">{t('training.sim')}</span>
      <span className="trainee-banner__name">
        {t('training.banner', { name: s ? pickText(s.scenarioName, s.scenarioNames, locale) : '…' })}
      </span>
      {stateText && (
        <span className={`run-chip run-chip--${rs}`} data-testid="training-paused">
          {stateText}
        </span>
      )}
    </div>
  );
}
