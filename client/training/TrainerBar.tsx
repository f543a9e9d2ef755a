import { type KeyboardEvent, useState } from 'react';
import { MAX_SPEED, MIN_SPEED, pickText, type TrainingControlRequest } from '../../protocol';
import { refusalText } from '../i18n/refusalText';
import { useServerText } from '../i18n/useServerText';
import { useT } from '../i18n/useT';
import { useTrainerUiStore } from './trainerUiStore';
import { endSession } from './trainingApi';
import { trainingControl } from './trainingLink';
import { joinLink } from './trainingPath';
import { useTrainingStore } from './trainingStore';
import { clampSpeed, formatDuration, progress, runState, SPEED_PRESETS } from './trainingView';
import { useSimClock } from './useSimClock';

/** Props of TrainerBar (none: it reads the training store). */
export type TrainerBarProps = Record<string, never>;

/**
 * The trainer's strip under the top bar: scenario, join code and link, sim clock against the
 * scenario's duration, run state, clock control, speed, restart, end, report and sessions.
 */
export function TrainerBar(_: TrainerBarProps) {
  const { t, locale } = useT();
  const render = useServerText();
  const s = useTrainingStore((x) => x.state);
  const simS = useSimClock();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  const [speedText, setSpeedText] = useState<string | null>(null);
  if (!s) return <div className="trainer-bar panel" data-testid="trainer-bar" />;

  const rs = runState({ ...s, simTimeS: Number.isFinite(simS) ? Math.max(simS, s.simTimeS) : s.simTimeS });
  const shownS = Number.isFinite(simS) ? simS : s.simTimeS;
  const link = joinLink(window.location.origin, s.code);

  const control = async (req: TrainingControlRequest) => {
    setBusy(true);
    const r = await trainingControl(req);
    setBusy(false);
    setError(r.ok ? null : refusalText(locale, r, render));
  };
  const applySpeed = (v: number) => {
    const speed = clampSpeed(v);
    setSpeedText(null);
    if (speed !== null && speed !== s.speed) void control({ action: 'speed', speed });
  };
  const onSpeedKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') applySpeed(Number(e.currentTarget.value));
    if (e.key === 'Escape') setSpeedText(null);
  };
  const copy = () => {
    void navigator.clipboard?.writeText(link).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      },
      () => {},
    );
  };
  const restart = () => {
    if (window.confirm(t('trainer.confirmRestart'))) void control({ action: 'restart' });
  };
  const end = async () => {
    if (!window.confirm(t('trainer.confirmEnd'))) return;
    const r = await endSession(s.id);
    if (!r.ok) setError(refusalText(locale, r));
  };

  return (
    <div className="trainer-bar panel" data-testid="trainer-bar" data-state={rs} data-speed={s.speed}>
      <div className="trainer-bar__scenario">
        <span className="trainer-bar__label">{t('trainer.scenario')}</span>
        <span
          className="trainer-bar__name"
          data-testid="trainer-scenario"
          title={pickText(s.scenarioName, s.scenarioNames, locale)}
        >
          {pickText(s.scenarioName, s.scenarioNames, locale)}
        </span>
        <span className="trainer-bar__sub">
          {t('trainer.seed')} {s.seed} · {t('trainer.run', { n: s.run + 1 })} ·{' '}
          {t('trainer.participants', { n: s.participants })}
        </span>
      </div>
      <div className="trainer-bar__code">
        <span className="trainer-bar__label">{t('trainer.code')}</span>
        <span className="trainer-bar__codeText figure" data-testid="trainer-code">
          {s.code}
        </span>
        <button
          type="button"
          className="trainer-bar__link"
          onClick={copy}
          title={link}
          data-testid="trainer-link"
        >
          {copied ? t('trainer.copied') : `/train/${s.code}`}
        </button>
      </div>
      <div className="trainer-bar__clock">
        <span className={`run-chip run-chip--${rs}`} data-testid="trainer-run-state">
          {t(`trainer.state.${rs}`)}
        </span>
        <span className="figure" data-testid="trainer-clock" data-sim-s={shownS}>
          {formatDuration(shownS)} / {formatDuration(s.durationS)}
        </span>
        <span className="trainer-bar__progress" aria-hidden="true">
          <span style={{ width: `${progress(shownS, s.durationS) * 100}%` }} />
        </span>
      </div>
      <div className="trainer-bar__controls">
        {rs === 'ready' && (
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            onClick={() => void control({ action: 'start' })}
            data-testid="trainer-start"
          >
            ▶ {t('trainer.start')}
          </button>
        )}
        {rs === 'running' && (
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void control({ action: 'pause' })}
            data-testid="trainer-pause"
          >
            ❚❚ {t('trainer.pause')}
          </button>
        )}
        {(rs === 'paused' || rs === 'finished') && (
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            onClick={() => void control({ action: 'resume' })}
            data-testid="trainer-resume"
          >
            ▶ {t('trainer.resume')}
          </button>
        )}
        <button
          type="button"
          className="button"
          disabled={busy || rs === 'running'}
          onClick={() => void control({ action: 'step' })}
          data-testid="trainer-step"
        >
          {t('trainer.step')}
        </button>
        <fieldset className="speed-presets" aria-label={t('trainer.speed')}>
          {SPEED_PRESETS.map((p) => (
            <button
              key={p}
              type="button"
              className={`speed-presets__b${p === s.speed ? ' is-on' : ''}`}
              aria-pressed={p === s.speed}
              onClick={() => applySpeed(p)}
              data-testid={`trainer-speed-${p}`}
            >
              {p}×
            </button>
          ))}
          <input
            className="speed-presets__input figure"
            type="number"
            min={MIN_SPEED}
            max={MAX_SPEED}
            step={0.1}
            aria-label={t('trainer.speed')}
            data-testid="trainer-speed-input"
            value={speedText ?? String(s.speed)}
            onChange={(e) => setSpeedText(e.target.value)}
            onKeyDown={onSpeedKey}
            onBlur={(e) => speedText !== null && applySpeed(Number(e.currentTarget.value))}
          />
        </fieldset>
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={restart}
          data-testid="trainer-restart"
        >
          ↺ {t('trainer.restart')}
        </button>
      </div>
      <div className="trainer-bar__side">
        <button
          type="button"
          className="button"
          onClick={() => useTrainerUiStore.setState({ report: true })}
          data-testid="trainer-report-open"
        >
          {t('trainer.report')}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => useTrainerUiStore.setState({ picker: true })}
          data-testid="trainer-sessions"
        >
          {t('trainer.switch')}
        </button>
        <button
          type="button"
          className="button button--danger"
          onClick={() => void end()}
          data-testid="trainer-end"
        >
          {t('trainer.end')}
        </button>
      </div>
      {error && (
        <div className="trainer-bar__error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
