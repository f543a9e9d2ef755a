import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { pickText, type ScenarioSummary, type TrainingState } from '../../protocol';
import { useDialogFocus } from '../hud/useDialogFocus';
import { currentLocale } from '../i18n/localeStore';
import { refusalText } from '../i18n/refusalText';
import { useT } from '../i18n/useT';
import { useTrainerUiStore } from './trainerUiStore';
import { createSession, fetchScenarios, fetchSessions } from './trainingApi';
import { openSession, type TrainingFailure, useTrainingStore } from './trainingStore';
import { formatDuration, SPEED_PRESETS } from './trainingView';

/** Props of ScenarioPicker. */
export interface ScenarioPickerProps {
  /** The session last tried could not be opened. */
  failure: TrainingFailure | null;
}

/** Opens a session on this page, remembered in the URL so a reload comes back to it. */
function open(id: string): void {
  const url = new URL(window.location.href);
  url.searchParams.set('session', id);
  window.history.replaceState(null, '', url);
  useTrainerUiStore.setState({ picker: false, report: false });
  openSession(id);
}

/** The trainer's start: the scenario library (pick, seed, speed, create) and the open sessions. */
export function ScenarioPicker({ failure }: ScenarioPickerProps) {
  const { t, locale } = useT();
  /** A scenario's name, description or goal in the reader's language. */
  const tr = (s: ScenarioSummary, field: 'name' | 'description' | 'learningGoal') =>
    pickText(s[field], { 'zh-CN': s.translations?.['zh-CN']?.[field] }, locale);
  const [scenarios, setScenarios] = useState<ScenarioSummary[] | null>(null);
  const [sessions, setSessions] = useState<TrainingState[]>([]);
  const [chosen, setChosen] = useState<string>('');
  const [seed, setSeed] = useState('');
  const [speed, setSpeed] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(failure?.message ?? null);
  const overOpenSession = useTrainingStore((s) => s.sessionKey !== null && s.failure === null);
  const close = () => useTrainerUiStore.setState({ picker: false });
  // Over an open session it is a modal: the keyboard stays in it, Esc closes it, the focus returns
  // to its opener. Without a session it is the page itself.
  const dialog = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useDialogFocus(dialog, { trap: overOpenSession, onEscape: overOpenSession ? close : undefined });

  useEffect(() => {
    let alive = true;
    void fetchScenarios().then((r) => {
      if (!alive) return;
      if (r.ok) {
        setScenarios(r.scenarios);
        setChosen((c) => c || r.scenarios[0]?.id || '');
      } else setError(refusalText(currentLocale(), r));
    });
    void fetchSessions().then((r) => alive && r.ok && setSessions(r.sessions));
    return () => {
      alive = false;
    };
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) return;
    setBusy(true);
    const req: { scenario: string; seed?: number; speed?: number } = { scenario: chosen };
    if (seed.trim() !== '') req.seed = Number(seed);
    if (speed !== '') req.speed = Number(speed);
    const r = await createSession(req);
    setBusy(false);
    if (r.ok) open(r.id);
    else setError(refusalText(locale, r));
  };
  const current = scenarios?.find((s) => s.id === chosen);

  return (
    <div className="training-screen training-screen--modal" data-testid="scenario-picker">
      <div
        className="picker panel"
        ref={dialog}
        // A modal dialog only when it opens over a running session; otherwise it is the page itself.
        {...(overOpenSession ? { role: 'dialog', 'aria-modal': true, 'aria-labelledby': titleId } : {})}
      >
        <header className="picker__head">
          <h1 id={titleId}>{t('trainer.title')}</h1>
          {overOpenSession && (
            <button type="button" className="icon-button" aria-label={t('trainer.close')} onClick={close}>
              ×
            </button>
          )}
        </header>
        <div className="picker__body">
          <form className="picker__new" onSubmit={submit}>
            <h2 className="panel__title">{t('trainer.new')}</h2>
            {scenarios === null && <p className="picker__muted">{t('trainer.loading')}</p>}
            {scenarios?.length === 0 && <p className="picker__muted">{t('trainer.noScenarios')}</p>}
            <ul className="picker__list" aria-label={t('trainer.scenario')}>
              {scenarios?.map((s) => (
                <li key={s.id}>
                  <button
                    type="button"
                    aria-pressed={s.id === chosen}
                    className={`picker__item${s.id === chosen ? ' is-on' : ''}`}
                    onClick={() => setChosen(s.id)}
                    data-testid={`scenario-${s.id}`}
                  >
                    {tr(s, 'name')}
                  </button>
                </li>
              ))}
            </ul>
            {current && (
              <div className="picker__detail" data-testid="scenario-detail">
                <h3>{tr(current, 'name')}</h3>
                <p>{tr(current, 'description')}</p>
                <h4>{t('trainer.goal')}</h4>
                <p>{tr(current, 'learningGoal')}</p>
              </div>
            )}
            <div className="picker__options">
              <label className="training-field">
                <span>{t('trainer.seed')}</span>
                <input
                  type="number"
                  min={0}
                  step={1}
                  value={seed}
                  placeholder={t('trainer.seedHint')}
                  onChange={(e) => setSeed(e.target.value)}
                  data-testid="scenario-seed"
                />
              </label>
              <label className="training-field">
                <span>{t('trainer.speed')}</span>
                <select value={speed} onChange={(e) => setSpeed(e.target.value)} data-testid="scenario-speed">
                  <option value="">{t('trainer.seedHint')}</option>
                  {SPEED_PRESETS.map((p) => (
                    <option key={p} value={p}>
                      {p}×
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="submit"
                className="button button--primary"
                disabled={busy || !chosen}
                data-testid="scenario-create"
              >
                {busy ? t('trainer.creating') : t('trainer.create')}
              </button>
            </div>
            {error && (
              <p className="training-error" role="alert">
                {error}
              </p>
            )}
          </form>
          <section className="picker__sessions">
            <h2 className="panel__title">{t('trainer.sessions')}</h2>
            {sessions.length === 0 && <p className="picker__muted">{t('trainer.noSessions')}</p>}
            <ul className="picker__list">
              {sessions.map((s) => (
                <li key={s.id} className="picker__session">
                  <div>
                    <div className="picker__sessionName">
                      {pickText(s.scenarioName, s.scenarioNames, locale)}
                    </div>
                    <div className="picker__muted figure">
                      {s.code} · {formatDuration(s.simTimeS)} / {formatDuration(s.durationS)} · {s.createdBy}{' '}
                      · {t('trainer.participants', { n: s.participants })}
                    </div>
                  </div>
                  <button
                    type="button"
                    className="button"
                    onClick={() => open(s.id)}
                    data-testid={`session-open-${s.code}`}
                  >
                    {t('trainer.open')}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        </div>
      </div>
    </div>
  );
}
