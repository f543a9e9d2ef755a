import type { AuditEntry } from '../../../protocol';
import type { MessageKey } from '../../i18n/messages';
import { useT } from '../../i18n/useT';
import { formatAuditTime, formatParams } from './auditView';

/** Props of AuditTable. */
export interface AuditTableProps {
  entries: readonly AuditEntry[];
}

/**
 * How a result reads: a CONFIRMATION_REQUIRED "refusal" is the first half of a deliberate command,
 * not a failure, so it is shown as such and not tinted like a real refusal.
 */
function resultKind(e: AuditEntry): AuditEntry['result'] | 'confirm' {
  return e.result === 'refused' && e.code === 'CONFIRMATION_REQUIRED' ? 'confirm' : e.result;
}

/** Audit entries, newest first: time, who (user, role, source), what (action, target, params), result. */
export function AuditTable({ entries }: AuditTableProps) {
  const { t } = useT();
  return (
    <table className="audit__table" data-testid="audit-table">
      <thead>
        <tr>
          <th>{t('audit.col.time')}</th>
          <th>{t('audit.col.user')}</th>
          <th>{t('audit.col.role')}</th>
          <th>{t('audit.col.source')}</th>
          <th>{t('audit.col.action')}</th>
          <th>{t('audit.col.target')}</th>
          <th>{t('audit.col.params')}</th>
          <th>{t('audit.col.result')}</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => {
          const params = formatParams(e.params);
          return (
            <tr
              key={e.id}
              data-testid="audit-row"
              data-action={e.action}
              data-target={e.target ?? ''}
              data-result={e.result}
            >
              <td className="figure audit__time">{formatAuditTime(e.at)}</td>
              <td>{e.user}</td>
              <td className="audit__dim">{e.role ? t(`role.${e.role}` as MessageKey) : '–'}</td>
              <td className="audit__dim">{e.source}</td>
              <td>{e.action}</td>
              <td>{e.target ?? '–'}</td>
              <td className="audit__params" title={params}>
                {params}
              </td>
              <td className="audit__result" data-result={resultKind(e)} title={e.message ?? undefined}>
                {resultKind(e) === 'confirm' ? (
                  t('audit.result.confirm')
                ) : (
                  <>
                    {t(`audit.result.${e.result}` as MessageKey)}
                    {e.code && <span className="audit__code"> · {e.code}</span>}
                  </>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
