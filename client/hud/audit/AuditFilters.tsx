import type { FormEvent } from 'react';
import { useT } from '../../i18n/useT';
import { AUDIT_ACTIONS, type AuditForm, EMPTY_AUDIT_FORM } from './auditView';

/** Props of AuditFilters. */
export interface AuditFiltersProps {
  form: AuditForm;
  onChange: (form: AuditForm) => void;
  /** Runs the query with the form as it is. */
  onApply: () => void;
  /** The selected equipment, offered as a one-click target filter. */
  selectedId: string | null;
}

/** User, action, target and time-range filters of the audit view; applied on Enter or Apply. */
export function AuditFilters({ form, onChange, onApply, selectedId }: AuditFiltersProps) {
  const { t } = useT();
  const field = (key: keyof AuditForm) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => onChange({ ...form, [key]: e.target.value }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply();
  };
  return (
    <form className="audit__filters" onSubmit={submit} data-testid="audit-filters">
      <label className="audit__field">
        <span>{t('audit.user')}</span>
        <input {...field('user')} placeholder={t('audit.any')} data-testid="audit-filter-user" />
      </label>
      <label className="audit__field">
        <span>{t('audit.action')}</span>
        <input
          {...field('action')}
          list="audit-actions"
          placeholder={t('audit.any')}
          data-testid="audit-filter-action"
        />
        <datalist id="audit-actions">
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </label>
      <label className="audit__field">
        <span>
          {t('audit.target')}
          {selectedId && selectedId !== form.equipment && (
            <button
              type="button"
              className="link-button audit__pick"
              onClick={() => onChange({ ...form, equipment: selectedId })}
            >
              {selectedId}
            </button>
          )}
        </span>
        <input {...field('equipment')} placeholder={t('audit.any')} data-testid="audit-filter-equipment" />
      </label>
      <label className="audit__field audit__field--time">
        <span>{t('audit.from')}</span>
        <input type="datetime-local" step={1} {...field('from')} data-testid="audit-filter-from" />
      </label>
      <label className="audit__field audit__field--time">
        <span>{t('audit.to')}</span>
        <input type="datetime-local" step={1} {...field('to')} data-testid="audit-filter-to" />
      </label>
      <div className="audit__buttons">
        <button type="submit" className="button button--primary" data-testid="audit-apply">
          {t('audit.apply')}
        </button>
        <button type="button" className="button" onClick={() => onChange(EMPTY_AUDIT_FORM)}>
          {t('audit.clear')}
        </button>
      </div>
    </form>
  );
}
