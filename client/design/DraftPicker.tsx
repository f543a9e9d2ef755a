import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { DESIGN_NAME_MAX, type DesignSummary } from '../../protocol';
import { UserChip } from '../hud/UserChip';
import { refusalText } from '../i18n/refusalText';
import { useT } from '../i18n/useT';
import { createDesign, fetchDesigns } from './designApi';
import { designHref } from './designPath';
import { PublishPanel } from './PublishPanel';

/** Props of DraftPicker. */
export type DraftPickerProps = {
  /** Opens a draft in the editor. */
  onOpen: (id: string) => void;
};

/** The drafts (name, origin, last change, versions) and a form to start one from the live plant. */
export function DraftPicker({ onOpen }: DraftPickerProps) {
  const { t, locale } = useT();
  const [list, setList] = useState<DesignSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    void fetchDesigns().then((r) => {
      if (r.ok) {
        setList(r.designs);
        setError(null);
      } else setError(refusalText(locale, r));
    });
  }, [locale]);
  useEffect(load, [load]);

  const create = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || busy) return;
    setBusy(true);
    void createDesign(name.trim()).then((r) => {
      setBusy(false);
      if (r.ok) onOpen(r.design.id);
      else setError(refusalText(locale, r));
    });
  };

  return (
    <div className="design-page" data-testid="design-drafts">
      <div className="design-card panel">
        <header className="design-card__head">
          <h1>{t('design.drafts.title')}</h1>
          <span className="design-spacer" />
          <button type="button" className="button" onClick={load}>
            {t('design.drafts.refresh')}
          </button>
          <a className="button" href="/">
            {t('design.back')}
          </a>
          <UserChip />
        </header>
        <p className="design-muted">{t('design.drafts.intro')}</p>
        <form className="design-new" onSubmit={create}>
          <label className="design-new__label" htmlFor="design-new-name">
            {t('design.drafts.newName')}
          </label>
          <input
            id="design-new-name"
            className="design-input"
            value={name}
            maxLength={DESIGN_NAME_MAX}
            placeholder={t('design.drafts.newPlaceholder')}
            onChange={(e) => setName(e.target.value)}
            data-testid="design-new-name"
          />
          <button
            type="submit"
            className="button button--primary"
            disabled={!name.trim() || busy}
            data-testid="design-new"
          >
            {busy ? t('design.drafts.creating') : t('design.drafts.create')}
          </button>
        </form>
        {error && (
          <p className="design-error" role="alert">
            {error}
          </p>
        )}
        {!list && !error && <p className="design-muted">{t('design.drafts.loading')}</p>}
        {list?.length === 0 && <p className="design-muted">{t('design.drafts.empty')}</p>}
        {list && list.length > 0 && (
          <table className="design-table">
            <thead>
              <tr>
                <th>{t('design.drafts.name')}</th>
                <th>{t('design.drafts.basedOn')}</th>
                <th>{t('design.drafts.by')}</th>
                <th>{t('design.drafts.updated')}</th>
                <th className="design-table__num">{t('design.drafts.versions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((d) => (
                <tr key={d.id} data-testid={`draft-${d.id}`}>
                  <td>
                    <a
                      className="design-table__open"
                      href={designHref(d.id)}
                      onClick={(e) => {
                        // A plain click opens in place; with a modifier the browser opens a new tab.
                        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
                        e.preventDefault();
                        onOpen(d.id);
                      }}
                    >
                      {d.name}
                    </a>
                  </td>
                  <td>{d.basedOn === 'live' ? t('design.drafts.live') : d.basedOn}</td>
                  <td>{d.createdBy}</td>
                  <td className="figure">{new Date(d.updatedAt).toLocaleString(locale)}</td>
                  <td className="figure design-table__num">{d.versions}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <PublishPanel drafts={list ?? []} />
      </div>
    </div>
  );
}
