import { useT } from '../../i18n/useT';
import type { SourceRow } from './sourcesView';

/** Props of SourcesTable. */
export interface SourcesTableProps {
  rows: readonly SourceRow[];
  /** Shows this stale equipment in the plant (select and fly to it). */
  onSelect: (id: string) => void;
}

/**
 * One row per source: id, protocol, status (shape + words), messages/s, last message, dropped
 * messages and the latest error (cut, whole in its title), stale equipment as buttons, clock skew.
 */
export function SourcesTable({ rows, onSelect }: SourcesTableProps) {
  const { t } = useT();
  return (
    <table className="sources__table" data-testid="sources-table">
      <thead>
        <tr>
          <th scope="col">{t('sources.col.id')}</th>
          <th scope="col">{t('sources.col.kind')}</th>
          <th scope="col">{t('sources.col.status')}</th>
          <th scope="col" className="sources__num">
            {t('sources.col.rate')}
          </th>
          <th scope="col">{t('sources.col.last')}</th>
          <th scope="col" className="sources__num">
            {t('sources.col.errors')}
          </th>
          <th scope="col">{t('sources.col.lastError')}</th>
          <th scope="col">{t('sources.col.stale')}</th>
          <th scope="col" className="sources__num" title={t('sources.skewTitle')}>
            {t('sources.col.skew')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-testid="sources-row" data-source={r.id} data-status={r.status}>
            <th scope="row" className="sources__id" title={r.id}>
              {r.id}
            </th>
            <td className="sources__dim">{r.kind}</td>
            <td>
              <span className="sources__status" data-status={r.status} data-testid="sources-status">
                <span className="sources__glyph" aria-hidden="true">
                  {r.glyph}
                </span>
                {r.statusText}
              </span>
            </td>
            <td className="figure sources__num">{r.rate}</td>
            <td className="figure" data-testid="sources-last">
              {r.last}
            </td>
            <td className={r.hasErrors ? 'figure sources__num sources__errors' : 'figure sources__num'}>
              {r.errors}
            </td>
            <td className="sources__error" title={r.lastErrorFull || undefined}>
              {r.lastError}
            </td>
            <td className="sources__stale" data-testid="sources-stale">
              {r.stale.length === 0 && <span className="sources__dim">{t('sources.noneStale')}</span>}
              {r.stale.map((id) => (
                <button
                  key={id}
                  type="button"
                  className="sources__equipment"
                  title={t('sources.selectTitle', { id })}
                  onClick={() => onSelect(id)}
                  data-testid="sources-stale-equipment"
                >
                  {id}
                </button>
              ))}
              {r.staleMore > 0 && (
                <span className="sources__dim">{t('sources.staleMore', { n: r.staleMore })}</span>
              )}
            </td>
            <td className="figure sources__num">{r.skew}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
