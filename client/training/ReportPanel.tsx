import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { RecordingSummary } from '../../protocol';
import { useDialogFocus } from '../hud/useDialogFocus';
import { useServerText } from '../i18n/useServerText';
import { useT } from '../i18n/useT';
import { fetchRecordings } from '../replay/replayApi';
import '../replay/replayLink.css';
import { localizeReport } from './localizeReport';
import { replayLinkFor } from './replayLinks';
import { download, type ReportTexts, reportHtml } from './reportHtml';
import { useTrainerUiStore } from './trainerUiStore';
import { fetchReport, type SessionReport } from './trainingApi';
import { useTrainingStore } from './trainingStore';
import { formatDuration } from './trainingView';

/** Props of ReportPanel (none: the open session's report). */
export type ReportPanelProps = Record<string, never>;

type T = ReturnType<typeof useT>['t'];

function texts(t: T): ReportTexts {
  const k = [
    'title',
    'scenario',
    'seed',
    'run',
    'simTime',
    'finished',
    'inProgress',
    'trainee',
    'met',
    'missed',
    'acks',
    'commands',
    'expectation',
    'result',
    'at',
    'elapsed',
    'detail',
    'noTrainees',
    'generated',
    'mistakes',
    'noMistakes',
    'ackTimes',
    'commandsSent',
    'seconds',
  ] as const;
  return Object.fromEntries(k.map((x) => [x, t(`report.${x}`)])) as unknown as ReportTexts;
}

/** The debrief of the open session, per trainee, with JSON and HTML export. */
export function ReportPanel(_: ReportPanelProps) {
  const { t, locale } = useT();
  const render = useServerText();
  const id = useTrainingStore((s) => s.state?.id ?? s.sessionKey);
  const scenarioNames = useTrainingStore((s) => s.state?.scenarioNames);
  const [raw, setReport] = useState<SessionReport | null>(null);
  // Every text in the reader's language: the panel and both exports show the same.
  const report = useMemo(
    () => (raw ? localizeReport(raw, locale, render, scenarioNames) : null),
    [raw, locale, render, scenarioNames],
  );
  const [error, setError] = useState<string | null>(null);
  /** This server's recordings (links to the session's replay); empty when none can be read. */
  const [recordings, setRecordings] = useState<RecordingSummary[]>([]);

  const load = useCallback(() => {
    if (!id) return;
    void fetchRecordings().then((r) => setRecordings(r.ok ? r.recordings : []));
    void fetchReport(id).then((r) => {
      if (r.ok) {
        const { ok: _ok, ...rest } = r;
        setReport(rest);
        setError(null);
      } else setError(r.message);
    });
  }, [id]);
  useEffect(load, [load]);

  const close = () => useTrainerUiStore.setState({ report: false });
  // A modal over the console: the keyboard stays in it, Esc closes it, the focus returns to its opener.
  const dialog = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useDialogFocus(dialog, { trap: true, onEscape: close });
  const base = report ? `training-report-${report.scenarioId}-${report.id}` : 'training-report';
  const replayLink = (simS: number) => (report ? replayLinkFor(recordings, report.id, simS) : null);
  const replayUrl = (simS: number) => {
    const href = replayLink(simS);
    return href ? new URL(href, window.location.origin).href : null;
  };

  return (
    <div className="training-screen training-screen--modal" data-testid="report-panel">
      <div className="report panel" ref={dialog} role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <header className="picker__head">
          <h1 id={titleId}>
            {t('report.title')}
            {report && <span className="report__scenario">{report.scenarioName}</span>}
          </h1>
          <div className="report__actions">
            <button type="button" className="button" onClick={load}>
              {t('report.refresh')}
            </button>
            <button
              type="button"
              className="button"
              disabled={!report}
              data-testid="report-json"
              onClick={() =>
                report &&
                download(`${base}.json`, JSON.stringify({ locale, ...report }, null, 2), 'application/json')
              }
            >
              {t('report.json')}
            </button>
            <button
              type="button"
              className="button"
              disabled={!report}
              data-testid="report-html"
              onClick={() =>
                report &&
                download(
                  `${base}.html`,
                  reportHtml(report, texts(t), new Date().toLocaleString(locale), replayUrl, locale),
                  'text/html',
                )
              }
            >
              {t('report.html')}
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={t('trainer.close')}
              onClick={close}
              data-testid="report-close"
            >
              ×
            </button>
          </div>
        </header>
        <div className="report__body">
          {error && <p className="training-error">{error}</p>}
          {!report && !error && <p className="picker__muted">{t('trainer.loading')}</p>}
          {report && (
            <p className="picker__muted figure">
              {t('report.seed')} {report.seed} · {t('report.run')} {report.run + 1} · {t('report.simTime')}{' '}
              {formatDuration(report.simTimeS)} ·{' '}
              {report.finished ? t('report.finished') : t('report.inProgress')}
            </p>
          )}
          {report?.trainees.length === 0 && <p>{t('report.noTrainees')}</p>}
          {report?.trainees.map((tr) => (
            <section key={tr.user} className="report__trainee" data-testid={`report-trainee-${tr.user}`}>
              <h2>
                {tr.user}
                <span className={`report__score${tr.met === tr.total ? ' is-all' : ''}`}>
                  {tr.met} / {tr.total} {t('report.met')}
                </span>
                <span className="picker__muted">
                  {t('report.acks')} {tr.acks} · {t('report.commands')} {tr.commands}
                </span>
              </h2>
              <table className="report__table">
                <thead>
                  <tr>
                    <th>{t('report.expectation')}</th>
                    <th>{t('report.result')}</th>
                    <th>{t('report.at')}</th>
                    <th>{t('report.elapsed')}</th>
                    <th>{t('report.detail')}</th>
                  </tr>
                </thead>
                <tbody>
                  {tr.results.map((x) => (
                    <tr key={x.id}>
                      <td>{x.label}</td>
                      <td className={x.met ? 'is-met' : 'is-missed'}>
                        {x.met ? `✓ ${t('report.met')}` : `✗ ${t('report.missed')}`}
                      </td>
                      <td className="figure">
                        {x.atS === undefined ? '–' : formatDuration(x.atS)}
                        {x.atS !== undefined && <ReplayLink href={replayLink(x.atS)} simS={x.atS} t={t} />}
                      </td>
                      <td className="figure">
                        {x.elapsedS === undefined ? '–' : t('report.seconds', { n: Math.round(x.elapsedS) })}
                      </td>
                      <td>
                        {x.detail}
                        {x.wrongEquipment?.length ? ` (${x.wrongEquipment.join(', ')})` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {tr.acknowledgements?.length ? (
                <>
                  <h3 className="report__mistakes-title">{t('report.ackTimes')}</h3>
                  <ul className="report__mistakes" data-testid={`report-acks-${tr.user}`}>
                    {tr.acknowledgements.map((a) => (
                      <li key={`${a.alarmId}-${a.ackS}`}>
                        <span className="figure">{formatDuration(a.ackS)}</span>
                        <ReplayLink href={replayLink(a.raisedS)} simS={a.raisedS} t={t} /> {a.alarmId} ·{' '}
                        {t('report.seconds', { n: Math.round(a.elapsedS) })}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {tr.commandsSent?.length ? (
                <>
                  <h3 className="report__mistakes-title">{t('report.commandsSent')}</h3>
                  <ul className="report__mistakes" data-testid={`report-commands-${tr.user}`}>
                    {tr.commandsSent.map((c) => (
                      <li key={`${c.simS}-${c.equipmentId}-${c.action}`}>
                        <span className="figure">{formatDuration(c.simS)}</span>
                        <ReplayLink href={replayLink(c.simS)} simS={c.simS} t={t} /> {c.action}{' '}
                        {c.equipmentId}{' '}
                        <span className={c.ok ? 'is-met' : 'is-missed'}>{c.ok ? '✓' : `✗ ${c.message}`}</span>
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              <h3 className="report__mistakes-title">{t('report.mistakes')}</h3>
              {tr.mistakes?.length ? (
                <ul className="report__mistakes" data-testid={`report-mistakes-${tr.user}`}>
                  {tr.mistakes.map((m) => (
                    <li key={`${m.kind}-${m.target}-${m.simS}`}>
                      <span className="figure">{formatDuration(m.simS)}</span>
                      <ReplayLink href={replayLink(m.simS)} simS={m.simS} t={t} /> {m.detail}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="picker__muted">{t('report.noMistakes')}</p>
              )}
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}

/** Props of ReplayLink. */
interface ReplayLinkProps {
  href: string | null;
  simS: number;
  t: T;
}

/** "▶" opening the session's recording at a moment (in a new tab: the report stays open). */
function ReplayLink({ href, simS, t }: ReplayLinkProps) {
  if (!href) return null;
  const time = formatDuration(simS);
  return (
    <a
      className="replay-link"
      href={href}
      target="_blank"
      rel="noopener"
      title={t('replay.linkTitle', { time })}
      data-testid="report-replay-link"
    >
      ▶ {t('replay.open')}
    </a>
  );
}
