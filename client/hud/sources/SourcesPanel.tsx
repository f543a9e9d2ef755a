import { useEffect, useRef, useState } from 'react';
import { can, type SourceHealth } from '../../../protocol';
import { useAuthStore } from '../../auth/authStore';
import { refusalText } from '../../i18n/refusalText';
import { useT } from '../../i18n/useT';
import { fetchSources } from '../../net/ingestApi';
import { useSelectionStore } from '../../state/selectionStore';
import { useSourcesUiStore } from '../../state/sourcesUiStore';
import { usePoll } from '../usePoll';
import { useRepaint } from '../useRepaint';
import { SourcesTable } from './SourcesTable';
import { SOURCES_POLL_MS, sourceRows } from './sourcesView';
import './sources.css';

/** Props of SourcesPanel (none: it reads the stores). */
export type SourcesPanelProps = Record<string, never>;

/** The last answer stays on screen through a failed poll (no flicker); the error shows beside it. */
type Load =
  | { status: 'loading'; sources: null }
  | { status: 'ok'; sources: SourceHealth[]; at: number }
  | { status: 'error'; sources: SourceHealth[] | null; forbidden: boolean; code: string; message: string };

/** "Last message … ago" ticks between polls at this period, ms. */
const AGE_TICK_MS = 1000;

/**
 * The health of the plant's data sources (`GET /api/sources`, operators and up), every 2 s while
 * open and the tab is visible: a drawer over the right of the plant like the audit view. A stale
 * machine's id selects it and flies the camera there (the panel closes so the inspector shows).
 * Esc closes; focus moves into the panel when it opens and back to its button when it closes.
 */
export function SourcesPanel(_: SourcesPanelProps) {
  const { t, locale } = useT();
  const wanted = useSourcesUiStore((s) => s.open);
  // Operators and up (the server checks too): a view left open must not survive into a lesser login.
  const allowed = useAuthStore((s) => can(s.role, 'sources:read'));
  const open = wanted && allowed;
  const [load, setLoad] = useState<Load>({ status: 'loading', sources: null });
  const [now, setNow] = useState(() => Date.now());
  const titleRef = useRef<HTMLHeadingElement>(null);

  // The user menu offers "Sources" only where a panel can show it.
  useEffect(() => {
    useSourcesUiStore.getState().countPanel(1);
    return () => useSourcesUiStore.getState().countPanel(-1);
  }, []);

  usePoll(
    async (token) => {
      const r = await fetchSources();
      if (!token.live) return;
      setNow(Date.now());
      if (r.ok) setLoad({ status: 'ok', sources: r.sources, at: Date.now() });
      else
        setLoad((prev) => ({
          status: 'error',
          sources: prev.sources,
          forbidden: r.code === 'FORBIDDEN',
          code: r.code,
          message: r.message,
        }));
    },
    SOURCES_POLL_MS,
    [],
    open,
  );

  // Ages tick once a second between the polls (a render per second at most, while open).
  useRepaint(
    () => {
      if (open) setNow(Date.now());
    },
    AGE_TICK_MS,
    [open],
  );

  useEffect(() => {
    if (!open) return;
    titleRef.current?.focus();
    // Capture phase, stopped there: Esc closes this panel only, not the inspector under it.
    const close = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      useSourcesUiStore.getState().setOpen(false);
    };
    window.addEventListener('keydown', close, true);
    return () => {
      window.removeEventListener('keydown', close, true);
      setLoad({ status: 'loading', sources: null });
      // Back to the button that opened it, for keyboard users (if nothing else took focus).
      const active = document.activeElement;
      if (!active || active === document.body)
        document.querySelector<HTMLElement>('[data-testid="sources-open"]')?.focus();
    };
  }, [open]);

  if (!open) return null;
  const select = (id: string) => {
    useSourcesUiStore.getState().setOpen(false);
    useSelectionStore.getState().flyToEquipment(id);
  };
  const rows = load.sources ? sourceRows(locale, load.sources, now) : null;

  return (
    <aside className="panel sources" data-testid="sources-panel" aria-labelledby="sources-title">
      <header className="sources__head">
        <h2 className="sources__title" id="sources-title" tabIndex={-1} ref={titleRef}>
          {t('sources.title')}
        </h2>
        <span className="sources__count" data-testid="sources-count">
          {load.status === 'loading' && t('sources.loading')}
          {rows && rows.length === 1 && t('sources.countOne')}
          {rows && rows.length > 1 && t('sources.count', { n: rows.length })}
        </span>
        <button
          type="button"
          className="icon-button"
          aria-label={t('sources.close')}
          title={t('sources.close')}
          onClick={() => useSourcesUiStore.getState().setOpen(false)}
        >
          ×
        </button>
      </header>
      <div className="sources__body">
        {load.status === 'error' && (
          <p className="sources__message sources__message--error" role="alert" data-testid="sources-error">
            {load.forbidden
              ? t('sources.forbidden')
              : t('sources.error', {
                  message: refusalText(locale, { code: load.code, message: load.message }),
                })}
          </p>
        )}
        {rows && rows.length === 0 && (
          <div className="sources__empty" data-testid="sources-empty">
            <p className="sources__emptyTitle">{t('sources.empty')}</p>
            <p className="sources__message">{t('sources.emptyHint')}</p>
          </div>
        )}
        {rows && rows.length > 0 && <SourcesTable rows={rows} onSelect={select} />}
      </div>
    </aside>
  );
}
