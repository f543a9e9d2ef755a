import { useCallback, useEffect, useState } from 'react';
import type { RecordingSummary } from '../../protocol';
import { formatSimClock } from '../hud/format';
import { UserChip } from '../hud/UserChip';
import { useT } from '../i18n/useT';
import { fetchRecordings } from './replayApi';
import { replayHref } from './replayPath';

/** Props of RecordingList (none). */
export type RecordingListProps = Record<string, never>;

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

/** The recordings the user may replay, newest first: kind, scenario, when, how long, size. */
export function RecordingList(_: RecordingListProps) {
  const { t, locale } = useT();
  const [list, setList] = useState<RecordingSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    void fetchRecordings().then((r) => {
      if (r.ok) {
        setList(r.recordings);
        setError(null);
      } else setError(r.message);
    });
  }, []);
  useEffect(load, [load]);

  return (
    <div className="replay-list" data-testid="replay-list">
      <div className="replay-list__card panel">
        <header className="replay-list__head">
          <h1>{t('replay.list.title')}</h1>
          <span className="replay-list__spacer" />
          <button type="button" className="button" onClick={load}>
            {t('replay.list.refresh')}
          </button>
          <a className="button" href="/">
            {t('replay.list.back')}
          </a>
          <UserChip />
        </header>
        {error && <p className="replay-error">{error}</p>}
        {!list && !error && <p className="replay-muted">{t('replay.list.loading')}</p>}
        {list?.length === 0 && <p className="replay-muted">{t('replay.list.empty')}</p>}
        {list && list.length > 0 && (
          <table className="replay-table">
            <thead>
              <tr>
                <th />
                <th>{t('replay.list.started')}</th>
                <th>{t('replay.list.span')}</th>
                <th>{t('replay.list.size')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((r) => (
                <tr key={r.id} data-testid={`recording-${r.id}`} data-kind={r.kind}>
                  <td>
                    <a className="replay-table__open" href={replayHref(r.id)} data-testid="recording-open">
                      <span className={`replay-kind replay-kind--${r.kind}`}>
                        {t(r.kind === 'live' ? 'replay.list.kind.live' : 'replay.list.kind.training')}
                      </span>
                      {r.scenarioId && <span className="replay-table__scenario">{r.scenarioId}</span>}
                      {r.endedAt === null && (
                        <span className="replay-rec">● {t('replay.list.recording')}</span>
                      )}
                    </a>
                  </td>
                  <td className="figure">{new Date(r.startedAt).toLocaleString(locale)}</td>
                  <td className="figure">
                    {formatSimClock(r.fromSimS)} – {formatSimClock(r.toSimS)}
                  </td>
                  <td className="figure">{formatBytes(r.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
