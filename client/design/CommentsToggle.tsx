import { useT } from '../i18n/useT';
import { unresolvedCount, useCommentsStore } from './commentsStore';

/** Props of CommentsToggle (none: it reads the comments store). */
export type CommentsToggleProps = Record<string, never>;

/** The top bar's Comments button: opens and closes the panel, with the number of open threads. */
export function CommentsToggle(_: CommentsToggleProps) {
  const { t } = useT();
  const open = useCommentsStore((s) => s.open);
  const n = useCommentsStore(unresolvedCount);
  return (
    <button
      type="button"
      className={open ? 'button is-on' : 'button'}
      aria-pressed={open}
      title={t('comments.toggleTitle', { n })}
      onClick={() => useCommentsStore.setState({ open: !open, pinMode: false })}
      data-testid="design-comments-toggle"
    >
      {t('comments.toggle')}
      {n > 0 && (
        <>
          <span className="comment-count" aria-hidden="true" data-testid="design-comments-count">
            {n}
          </span>
          <span className="visually-hidden">{t('comments.count', { n })}</span>
        </>
      )}
    </button>
  );
}
