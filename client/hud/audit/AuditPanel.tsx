import { useEffect, useState } from 'react';
import { type AuditEntry, can } from '../../../protocol';
import { type AuditFilter, fetchAudit } from '../../auth/api';
import { useAuthStore } from '../../auth/authStore';
import { useT } from '../../i18n/useT';
import { useAuditUiStore } from '../../state/auditUiStore';
import { useSelectionStore } from '../../state/selectionStore';
import { AuditFilters } from './AuditFilters';
import { AuditTable } from './AuditTable';
import { AUDIT_LIMIT, type AuditForm, auditFilter, EMPTY_AUDIT_FORM, newestFirst } from './auditView';
import './audit.css';

/** Props of AuditPanel (none: it reads the stores). */
export type AuditPanelProps = Record<string, never>;

/** The last answer's entries stay on screen while the next query loads (no flicker on Refresh). */
type Load =
  | { status: 'loading'; entries: AuditEntry[] | null }
  | { status: 'ok'; entries: AuditEntry[] }
  | { status: 'error'; entries: null; forbidden: boolean; message: string };

/**
 * The audit trail for admins (`GET /api/audit`): a drawer over the right of the plant with
 * filters and a table, newest first. Loads when opened, on Apply and on Refresh.
 */
export function AuditPanel(_: AuditPanelProps) {
  const { t } = useT();
  // Admins only (the server checks too): a view left open must not survive into a lesser login.
  const wanted = useAuditUiStore((s) => s.open);
  const admin = useAuthStore((s) => can(s.role, 'audit:read'));
  const open = wanted && admin;
  const selectedId = useSelectionStore((s) => s.selectedId);
  const [form, setForm] = useState<AuditForm>(EMPTY_AUDIT_FORM);
  const [query, setQuery] = useState<{ filter: AuditFilter; nonce: number }>({
    filter: { limit: AUDIT_LIMIT },
    nonce: 0,
  });
  const [load, setLoad] = useState<Load>({ status: 'loading', entries: null });
  const [badRange, setBadRange] = useState(false);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setLoad((prev) => ({ status: 'loading', entries: prev.entries }));
    void fetchAudit(query.filter).then((r) => {
      if (!live) return;
      if (r.ok) setLoad({ status: 'ok', entries: newestFirst(r.entries) });
      else setLoad({ status: 'error', entries: null, forbidden: r.code === 'FORBIDDEN', message: r.message });
    });
    return () => {
      live = false;
    };
  }, [open, query]);

  useEffect(() => {
    if (!open) return;
    const close = (e: KeyboardEvent) => e.key === 'Escape' && useAuditUiStore.getState().setOpen(false);
    window.addEventListener('keydown', close);
    return () => window.removeEventListener('keydown', close);
  }, [open]);

  if (!open) return null;
  const apply = () => {
    const filter = auditFilter(form);
    setBadRange(filter === 'bad-range');
    if (filter !== 'bad-range') setQuery((q) => ({ filter, nonce: q.nonce + 1 }));
  };
  const refresh = () => setQuery((q) => ({ ...q, nonce: q.nonce + 1 }));

  return (
    <aside className="panel audit" data-testid="audit-panel" aria-label={t('audit.title')}>
      <header className="audit__head">
        <h2 className="audit__title">{t('audit.title')}</h2>
        <span className="audit__status" data-testid="audit-status">
          {load.status === 'loading' && t('audit.loading')}
          {load.status === 'ok' &&
            t(load.entries.length >= AUDIT_LIMIT ? 'audit.countMax' : 'audit.count', {
              n: load.entries.length,
            })}
        </span>
        <button type="button" className="button" onClick={refresh} data-testid="audit-refresh">
          {t('audit.refresh')}
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={t('audit.close')}
          title={t('audit.close')}
          onClick={() => useAuditUiStore.getState().setOpen(false)}
        >
          ×
        </button>
      </header>
      <AuditFilters form={form} onChange={setForm} onApply={apply} selectedId={selectedId} />
      {badRange && <p className="audit__message audit__message--error">{t('audit.badRange')}</p>}
      <div className="audit__body">
        {load.status === 'error' && (
          <p className="audit__message audit__message--error" role="alert" data-testid="audit-error">
            {load.forbidden ? t('audit.forbidden') : t('audit.error', { message: load.message })}
          </p>
        )}
        {load.status === 'ok' && load.entries.length === 0 && (
          <p className="audit__message">{t('audit.empty')}</p>
        )}
        {load.entries && load.entries.length > 0 && <AuditTable entries={load.entries} />}
      </div>
    </aside>
  );
}
