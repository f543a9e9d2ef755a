import { useCallback, useEffect, useId, useState } from 'react';
import { can, type DesignSummary, type DesignVersion, type PublishedVersionsAnswer } from '../../protocol';
import { useAuthStore } from '../auth/authStore';
import { refusalText } from '../i18n/refusalText';
import { useT } from '../i18n/useT';
import { fetchVersions } from './designApi';
import { PublishDialog } from './PublishDialog';
import './publish.css';
import { fetchPublished } from './publishApi';

/** Props of PublishPanel. */
export type PublishPanelProps = {
  /** The drafts listed beside it (their saved versions can be published). */
  drafts: readonly DesignSummary[];
};

/** What the dialog is open for: a draft's version (publish) or an earlier publication (rollback). */
type Open = { version: string; designId: string | null } | null;

/**
 * The live plant on the drafts page: publish a saved version of a draft (admins; others see why
 * they cannot) and the published versions, newest first, with Roll back on those not live.
 */
export function PublishPanel({ drafts }: PublishPanelProps) {
  const { t, locale } = useT();
  const role = useAuthStore((s) => s.role);
  const admin = can(role, 'plant:publish');
  const draftId = useId();
  const versionId = useId();
  const [draft, setDraft] = useState('');
  const [versions, setVersions] = useState<DesignVersion[]>([]);
  const [version, setVersion] = useState('');
  const [published, setPublished] = useState<Omit<PublishedVersionsAnswer, 'ok'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Open>(null);

  const load = useCallback(() => {
    void fetchPublished().then((r) => {
      if (r.ok) {
        setPublished(r);
        setError(null);
      } else setError(refusalText(locale, r));
    });
  }, [locale]);
  useEffect(load, [load]);
  useEffect(() => {
    setVersion('');
    setVersions([]);
    if (!draft) return;
    let live = true;
    void fetchVersions(draft).then((r) => {
      if (live && r.ok) setVersions([...r.versions].sort((a, b) => b.createdAt - a.createdAt));
    });
    return () => {
      live = false;
    };
  }, [draft]);

  const blocked = !admin
    ? t('publish.adminsOnly')
    : published && !published.publishable
      ? t('publish.notPossible', { reason: published.reason ?? '' })
      : null;
  const when = (ms: number) =>
    new Date(ms).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' });
  const rows = published ? [...published.versions].reverse() : [];

  return (
    <section className="design-publish" aria-labelledby={`${draftId}-title`} data-testid="publish-panel">
      <h2 className="design-publish__title" id={`${draftId}-title`}>
        {t('publish.title')}
      </h2>
      <p className="design-muted">{t('publish.intro')}</p>
      <div className="design-new">
        <label htmlFor={draftId}>{t('publish.draft')}</label>
        <select
          id={draftId}
          className="design-input"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          data-testid="publish-draft"
        >
          <option value="">{t('publish.pick')}</option>
          {drafts.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
        <label htmlFor={versionId}>{t('publish.version')}</label>
        <select
          id={versionId}
          className="design-input"
          value={version}
          disabled={!draft || versions.length === 0}
          onChange={(e) => setVersion(e.target.value)}
          data-testid="publish-version"
        >
          <option value="">{t('publish.pick')}</option>
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              {v.message} · {when(v.createdAt)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button--primary"
          disabled={!version || blocked !== null}
          title={blocked ?? undefined}
          aria-describedby={blocked ? `${draftId}-why` : undefined}
          onClick={() => setOpen({ version, designId: draft })}
          data-testid="publish-open"
        >
          {t('publish.publish')}
        </button>
      </div>
      {draft && versions.length === 0 && <p className="design-muted">{t('publish.noVersions')}</p>}
      {blocked && (
        <p className="design-muted" id={`${draftId}-why`} data-testid="publish-blocked">
          {blocked}
        </p>
      )}
      {error && (
        <p className="design-error" role="alert">
          {error}
        </p>
      )}
      <h3 className="design-publish__head">{t('publish.history')}</h3>
      {!published && !error && <p className="design-muted">{t('publish.loading')}</p>}
      {published && (
        <table className="design-table" data-testid="published-versions">
          <thead>
            <tr>
              <th>{t('publish.col.version')}</th>
              <th>{t('publish.col.message')}</th>
              <th>{t('publish.col.by')}</th>
              <th>{t('publish.col.when')}</th>
              <th>
                <span className="visually-hidden">{t('publish.rollback')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((v) => (
              <tr key={v.seq} data-testid={`published-${v.seq}`}>
                <td>
                  {v.version === 'base' ? t('publish.base') : (v.designName ?? v.version)}
                  {v.live && <span className="design-publish__live"> · {t('publish.live')}</span>}
                </td>
                <td>
                  {v.message}
                  {v.rollback && <span className="design-muted"> ({t('publish.rolledBack')})</span>}
                </td>
                <td>{v.publishedBy ?? '—'}</td>
                <td className="figure">{when(v.publishedAt)}</td>
                <td>
                  {!v.live && (
                    <button
                      type="button"
                      className="button"
                      disabled={blocked !== null}
                      title={blocked ?? undefined}
                      onClick={() => setOpen({ version: v.version, designId: null })}
                      data-testid={`rollback-${v.seq}`}
                    >
                      {t('publish.rollback')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && (
        <PublishDialog
          version={open.version}
          designId={open.designId}
          onClose={(changed) => {
            setOpen(null);
            if (changed) load();
          }}
        />
      )}
    </section>
  );
}
