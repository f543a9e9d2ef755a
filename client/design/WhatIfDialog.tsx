import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { pickText, type ScenarioSummary, type Translations } from '../../protocol';
import { WHATIF_MAX_HOURS, WHATIF_MAX_SEED } from '../../protocol/whatIf';
import { formatNumber, formatPercent } from '../hud/format';
import { useDialogFocus } from '../hud/useDialogFocus';
import type { MessageKey } from '../i18n/messages';
import { refusalText } from '../i18n/refusalText';
import { useT } from '../i18n/useT';
import { fetchScenarios } from '../training/trainingApi';
import { saveDraft } from './designActions';
import { fetchWhatIfProgress, runWhatIf } from './designApi';
import { useDesignPanels } from './designPanels';
import { isDirty, useDesignStore } from './designStore';
import { type KpiRow, kpiRows, kpiTone, signedDelta } from './whatIfView';

/** Props of WhatIfDialog. */
export type WhatIfDialogProps = {
  onClose: () => void;
};

/** How often the progress is asked for while a run is going, ms. */
const POLL_MS = 500;
/** The shipped scenario of the changeover case, and how long the one-click run simulates, h. */
const CHANGEOVER_SCENARIO = 'flexible-changeover';
const CHANGEOVER_HOURS = 1;

/** A row's figure in the reader's locale. */
function formatKpi(row: Pick<KpiRow, 'format'>, v: number): string {
  if (row.format === 'count') return formatNumber(v, 0);
  if (row.format === 'percent') return formatPercent(v, 1);
  return formatNumber(v, row.format.decimals);
}

/** What the dialog shows under the form: the run's state. */
type Phase =
  | { step: 'idle' }
  | { step: 'saving' }
  | { step: 'running'; progress: number }
  | { step: 'cancelled' }
  | { step: 'failed'; text: string; errors?: string[] };

/**
 * The what-if dialog: simulated hours and a seed, Run (saves unsaved edits first; refuses a draft
 * with errors), the run's progress with Cancel, and the draft's KPIs beside the live layout's with
 * their difference. Modal: Tab stays inside, Esc closes (and cancels a run).
 */
export function WhatIfDialog({ onClose }: WhatIfDialogProps) {
  const { t, locale } = useT();
  const dialog = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const hoursId = useId();
  const seedId = useId();
  const result = useDesignPanels((s) => s.whatIf);
  const saved = useDesignStore((s) => s.saved);
  // A line's name in the reader's language, from the draft's own lines (the run answers English).
  const localName = (lid: string, name: string) => {
    const line = (Array.isArray(saved?.lines) ? saved.lines : []).find(
      (l): l is { id: string; names?: Translations } => typeof l === 'object' && l !== null && l.id === lid,
    );
    return pickText(name, line?.names, locale);
  };
  const [hours, setHours] = useState('8');
  const [seed, setSeed] = useState('');
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });
  const scenarioId = useId();
  const [scenario, setScenario] = useState('');
  const [scenarios, setScenarios] = useState<ScenarioSummary[]>([]);
  useEffect(() => {
    let live = true;
    void fetchScenarios().then((r) => {
      if (live && r.ok) setScenarios(r.scenarios);
    });
    return () => {
      live = false;
    };
  }, []);
  const scenarioName = (id: string) => {
    const sc = scenarios.find((x) => x.id === id);
    if (!sc) return id;
    return pickText(sc.name, { 'zh-CN': sc.translations?.['zh-CN']?.name }, locale);
  };
  const abort = useRef<AbortController | null>(null);
  const close = () => {
    abort.current?.abort();
    onClose();
  };
  useDialogFocus(dialog, { trap: true, onEscape: close });
  // Leaving the editor mid-run hangs up too.
  useEffect(() => () => abort.current?.abort(), []);

  const h = Number(hours.replace(',', '.'));
  const hoursOk = hours.trim() !== '' && Number.isFinite(h) && h > 0 && h <= WHATIF_MAX_HOURS;
  const s = seed.trim() === '' ? undefined : Number(seed);
  const seedOk = s === undefined || (Number.isInteger(s) && s >= 0 && s <= WHATIF_MAX_SEED);
  const busy = phase.step === 'saving' || phase.step === 'running';

  const run = (e: FormEvent) => {
    e.preventDefault();
    void start(h, scenario);
  };
  // The changeover case in one click: its scenario for CHANGEOVER_HOURS, the fields showing it.
  const runChangeover = () => {
    setScenario(CHANGEOVER_SCENARIO);
    setHours(String(CHANGEOVER_HOURS));
    void start(CHANGEOVER_HOURS, CHANGEOVER_SCENARIO);
  };

  const start = async (h: number, scenario: string) => {
    if (!seedOk || busy || !(h > 0 && h <= WHATIF_MAX_HOURS)) return;
    const st = useDesignStore.getState();
    const id = st.design?.id;
    if (!id) return;
    if (isDirty(st)) {
      setPhase({ step: 'saving' });
      if (!(await saveDraft())) {
        setPhase({ step: 'failed', text: t('design.whatif.saveFailed') });
        return;
      }
    }
    const errors = useDesignStore.getState().errors;
    if (errors.length) {
      setPhase({ step: 'failed', text: t('design.whatif.invalid'), errors: errors.map((x) => x.text) });
      return;
    }
    const ctrl = new AbortController();
    abort.current = ctrl;
    setPhase({ step: 'running', progress: 0 });
    const timer = window.setInterval(() => {
      void fetchWhatIfProgress(id).then((p) => {
        if (ctrl.signal.aborted || !p.ok || !p.running) return;
        setPhase((ph) => (ph.step === 'running' ? { step: 'running', progress: p.progress } : ph));
      });
    }, POLL_MS);
    const body = {
      hours: h,
      ...(s === undefined ? {} : { seed: s }),
      ...(scenario ? { scenario } : {}),
    };
    const r = await runWhatIf(id, body, ctrl.signal);
    window.clearInterval(timer);
    if (abort.current === ctrl) abort.current = null;
    if (r.ok) {
      const { ok: _, ...answer } = r;
      useDesignPanels.setState({ whatIf: answer });
      setPhase({ step: 'idle' });
    } else if (r.code === 'ABORTED') setPhase({ step: 'cancelled' });
    else if (r.code === 'CONFLICT') setPhase({ step: 'failed', text: t('design.whatif.busy') });
    else
      setPhase({
        step: 'failed',
        text: t('design.whatif.failed', { reason: refusalText(locale, r) }),
        errors: 'errors' in r ? r.errors : undefined,
      });
  };

  const rows = result ? kpiRows(result.draft, result.live, (lid, name) => localName(lid, name)) : [];
  const progress = phase.step === 'running' ? phase.progress : 0;

  return (
    <div className="design-modal" data-testid="whatif-dialog">
      <div
        className="design-dialog panel"
        ref={dialog}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
      >
        <header className="design-dialog__head">
          <h2 id={titleId}>{t('design.whatif.title')}</h2>
          <span className="design-spacer" />
          <button
            type="button"
            className="button"
            onClick={close}
            aria-label={t('design.whatif.close')}
            data-testid="whatif-close"
          >
            ×
          </button>
        </header>
        <p className="design-muted">{t('design.whatif.intro')}</p>
        <form className="design-whatif__form" onSubmit={run} noValidate>
          <label className="design-field" htmlFor={hoursId}>
            {t('design.whatif.hours')}
            <input
              id={hoursId}
              className="design-input"
              inputMode="decimal"
              value={hours}
              disabled={busy}
              aria-invalid={!hoursOk}
              aria-describedby={hoursOk ? undefined : `${hoursId}-err`}
              onChange={(e) => setHours(e.target.value)}
              data-testid="whatif-hours"
              // biome-ignore lint/a11y/noAutofocus: the dialog's first field takes the focus on open.
              autoFocus
            />
          </label>
          <label className="design-field" htmlFor={seedId}>
            {t('design.whatif.seed')}
            <input
              id={seedId}
              className="design-input"
              inputMode="numeric"
              value={seed}
              disabled={busy}
              placeholder={t('design.whatif.seedLive')}
              aria-invalid={!seedOk}
              aria-describedby={seedOk ? undefined : `${seedId}-err`}
              onChange={(e) => setSeed(e.target.value)}
              data-testid="whatif-seed"
            />
          </label>
          <label className="design-field" htmlFor={scenarioId}>
            {t('design.whatif.scenario')}
            <select
              id={scenarioId}
              className="design-input"
              value={scenario}
              disabled={busy}
              onChange={(e) => setScenario(e.target.value)}
              data-testid="whatif-scenario"
            >
              <option value="">{t('design.whatif.scenarioNone')}</option>
              {scenarios.map((sc) => (
                <option key={sc.id} value={sc.id}>
                  {scenarioName(sc.id)}
                </option>
              ))}
            </select>
          </label>
          <div className="design-whatif__actions">
            <button
              type="submit"
              className="button button--primary"
              disabled={busy || !hoursOk || !seedOk}
              data-testid="whatif-run"
            >
              {phase.step === 'saving' ? t('design.saving') : t('design.whatif.run')}
            </button>
            {scenarios.some((sc) => sc.id === CHANGEOVER_SCENARIO) && (
              <button
                type="button"
                className="button"
                disabled={busy || !seedOk}
                onClick={runChangeover}
                title={t('design.whatif.changeoverTitle')}
                data-testid="whatif-changeover"
              >
                {t('design.whatif.changeover')}
              </button>
            )}
            {phase.step === 'running' && (
              <button
                type="button"
                className="button"
                onClick={() => abort.current?.abort()}
                data-testid="whatif-cancel"
              >
                {t('design.whatif.cancel')}
              </button>
            )}
          </div>
        </form>
        {!hoursOk && (
          <p className="design-error" id={`${hoursId}-err`}>
            {t('design.whatif.hoursRange', { max: WHATIF_MAX_HOURS })}
          </p>
        )}
        {!seedOk && (
          <p className="design-error" id={`${seedId}-err`}>
            {t('design.whatif.seedRange', { max: WHATIF_MAX_SEED })}
          </p>
        )}
        {phase.step === 'running' && (
          <div className="design-whatif__progress" role="status">
            <progress
              max={1}
              value={progress}
              aria-label={t('design.whatif.progress')}
              data-testid="whatif-progress"
            />
            <span className="figure">{formatPercent(progress, 0)}</span>
          </div>
        )}
        {phase.step === 'cancelled' && (
          <p className="design-muted" role="status">
            {t('design.whatif.cancelled')}
          </p>
        )}
        {phase.step === 'failed' && (
          <div className="design-whatif__failed" role="alert" data-testid="whatif-error">
            <p className="design-error">{phase.text}</p>
            {phase.errors && phase.errors.length > 0 && (
              <ul className="design-whatif__errors">
                {phase.errors.map((x) => (
                  <li key={x}>{x}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        {result && (
          <div className="design-whatif__result" aria-busy={busy}>
            <p className="design-muted">
              {t('design.whatif.ran', {
                hours: formatNumber(result.hours, 2),
                seed: result.seed,
                wall: formatNumber(result.wallS, 1),
              })}
              {result.scenario &&
                ` ${t('design.whatif.ranScenario', { name: scenarioName(result.scenario) })}`}
            </p>
            {(['draft', 'live'] as const).map((side) => {
              const missed = result[side].scenario?.entries.filter((x) => !x.ok) ?? [];
              if (missed.length === 0) return null;
              return (
                <div key={side} className="design-whatif__missed" data-testid={`whatif-missed-${side}`}>
                  <p className="design-muted">
                    {t('design.whatif.notApplied', { side: t(`design.whatif.${side}`).toLowerCase() })}
                  </p>
                  <ul className="design-whatif__errors">
                    {missed.map((x) => (
                      <li key={`${x.atS}-${x.what}`}>
                        <span className="figure">{formatNumber(x.atS, 0)} s</span> {x.what}: {x.message}
                      </li>
                    ))}
                  </ul>
                </div>
              );
            })}
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region takes the focus, so the keyboard can scroll it. */}
            <section className="design-whatif__scroll" aria-labelledby={titleId} tabIndex={0}>
              <table className="design-table design-whatif__table" data-testid="whatif-table">
                <thead>
                  <tr>
                    <th scope="col">{t('design.whatif.kpi')}</th>
                    <th scope="col" className="design-table__num">
                      {t('design.whatif.draft')}
                    </th>
                    <th scope="col" className="design-table__num">
                      {t('design.whatif.live')}
                    </th>
                    <th scope="col" className="design-table__num">
                      {t('design.whatif.delta')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => {
                    const tone = kpiTone(row);
                    const unit = row.unit ? ` ${t(row.unit as MessageKey)}` : '';
                    const arrow = tone === 'better' ? '✓' : tone === 'worse' ? '✗' : '';
                    return (
                      <tr key={row.id} data-testid={`whatif-row-${row.id}`}>
                        <th scope="row">{t(row.label as MessageKey, row.params)}</th>
                        <td className="design-table__num figure" data-testid="whatif-draft">
                          {formatKpi(row, row.draft)}
                          {unit}
                        </td>
                        <td className="design-table__num figure" data-testid="whatif-live">
                          {formatKpi(row, row.live)}
                          {unit}
                        </td>
                        <td className={`design-table__num figure is-${tone}`}>
                          {signedDelta(row, (v) => formatKpi(row, v))}
                          {arrow && (
                            <span className="design-whatif__arrow" aria-hidden="true">
                              {' '}
                              {arrow}
                            </span>
                          )}
                          {tone !== 'same' && (
                            <span className="visually-hidden">
                              {' '}
                              {t(tone === 'better' ? 'design.whatif.better' : 'design.whatif.worse')}
                            </span>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
            <p className="design-muted design-whatif__hint">{t('design.whatif.heatHint')}</p>
          </div>
        )}
      </div>
    </div>
  );
}
