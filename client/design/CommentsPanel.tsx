import { type FormEvent, useEffect, useMemo, useState } from 'react';
import {
  COMMENT_TEXT_MAX,
  type CommentAnchor,
  type CommentThread,
  mentionsUser,
} from '../../protocol/designComments';
import { formatNumber } from '../hud/format';
import type { Translate } from '../i18n/useT';
import { useT } from '../i18n/useT';
import { CommentText } from './CommentText';
import { comments, useCommentsStore } from './commentsStore';
import { useDesignStore } from './designStore';
import './comments.css';

/** Props of CommentsPanel (none: it reads the stores). */
export type CommentsPanelProps = Record<string, never>;

/** Where a thread is, in words. */
function anchorText(t: Translate, a: CommentAnchor): string {
  if ('equipment' in a) return t('comments.on', { id: a.equipment });
  return t('comments.at', { x: formatNumber(a.point[0], 1), z: formatNumber(a.point[2], 1) });
}

/** Open threads first, newest first within each group. */
function ordered(threads: CommentThread[], showResolved: boolean): CommentThread[] {
  return threads
    .filter((x) => showResolved || !x.resolved)
    .sort((a, b) => Number(a.resolved) - Number(b.resolved) || b.createdAt - a.createdAt);
}

function NewComment() {
  const { t } = useT();
  const selected = useDesignStore((s) => s.selected);
  const point = useCommentsStore((s) => s.point);
  const pinMode = useCommentsStore((s) => s.pinMode);
  const [text, setText] = useState('');
  // Escape leaves pin mode (the view's own Escape deselects as well).
  useEffect(() => {
    if (!pinMode) return;
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') useCommentsStore.setState({ pinMode: false });
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, [pinMode]);
  const anchor: CommentAnchor | null = point ? { point } : selected ? { equipment: selected } : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (anchor && comments.add(anchor, text)) setText('');
  };
  return (
    <form className="comment-new" onSubmit={submit} data-testid="comment-new">
      <div className="comment-new__where">
        <span className="comment-new__anchor" data-testid="comment-new-anchor">
          {pinMode ? t('comments.pinHint') : anchor ? anchorText(t, anchor) : t('comments.noAnchor')}
        </span>
        {point && !pinMode && selected && (
          <button
            type="button"
            className="comment-link"
            onClick={() => useCommentsStore.setState({ point: null })}
          >
            {t('comments.clearPoint')}
          </button>
        )}
      </div>
      <textarea
        className="design-input comment-input"
        aria-label={t('comments.new')}
        placeholder={t('comments.newPlaceholder')}
        maxLength={COMMENT_TEXT_MAX}
        rows={2}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          // Ctrl+Enter posts (Enter alone is a new line).
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e);
        }}
        data-testid="comment-new-text"
      />
      <div className="comment-row">
        <button
          type="button"
          className={pinMode ? 'button is-on' : 'button'}
          aria-pressed={pinMode}
          title={t('comments.pinTitle')}
          onClick={() => useCommentsStore.setState({ pinMode: !pinMode })}
          data-testid="comment-pin-mode"
        >
          {t('comments.pin')}
        </button>
        <span className="design-spacer" />
        <button
          type="submit"
          className="button button--primary"
          disabled={!anchor || !text.trim()}
          data-testid="comment-new-submit"
        >
          {t('comments.post')}
        </button>
      </div>
    </form>
  );
}

function ReplyBox({ thread }: { thread: CommentThread }) {
  const { t } = useT();
  const [text, setText] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (comments.reply(thread.id, text)) setText('');
  };
  return (
    <form className="comment-reply" onSubmit={submit}>
      <textarea
        className="design-input comment-input"
        aria-label={t('comments.replyLabel', { author: thread.author })}
        placeholder={t('comments.reply')}
        maxLength={COMMENT_TEXT_MAX}
        rows={1}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e);
        }}
        data-testid="comment-reply-text"
      />
      <button type="submit" className="button" disabled={!text.trim()} data-testid="comment-reply-submit">
        {t('comments.reply')}
      </button>
    </form>
  );
}

function Thread({ thread, active, user }: { thread: CommentThread; active: boolean; user: string | null }) {
  const { t, locale } = useT();
  const when = useMemo(
    () => new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }),
    [locale],
  );
  const mine = !!user && mentionsUser(thread, user);
  const a = thread.anchor;
  return (
    <li
      id={`comment-${thread.id}`}
      className={`comment-thread${active ? ' is-active' : ''}${thread.resolved ? ' is-resolved' : ''}`}
      data-testid="comment-thread"
      data-id={thread.id}
      data-resolved={thread.resolved}
      data-mentions-me={mine}
    >
      <button
        type="button"
        className="comment-thread__head"
        aria-expanded={active}
        onClick={() => {
          useCommentsStore.setState({ active: active ? null : thread.id });
          if (!active && 'equipment' in a) useDesignStore.getState().select(a.equipment);
        }}
        data-testid="comment-thread-open"
      >
        <span className="comment-author">{thread.author}</span>
        <span className="comment-meta">{anchorText(t, a)}</span>
        {mine && (
          <span className="comment-badge" data-testid="comment-mentions-you">
            {t('comments.mentionsYou')}
          </span>
        )}
      </button>
      <CommentText text={thread.text} user={user} />
      <div className="comment-meta">
        {when.format(thread.createdAt)}
        {thread.replies.length > 0 && ` · ${t('comments.replies', { n: thread.replies.length })}`}
        {thread.resolved && thread.resolvedBy && (
          <span data-testid="comment-resolved-by">
            {' · '}
            {t('comments.resolvedBy', { name: thread.resolvedBy })}
          </span>
        )}
      </div>
      {active && (
        <>
          {thread.replies.length > 0 && (
            <ul className="comment-replies">
              {thread.replies.map((r) => (
                <li key={r.id} className="comment-replies__item" data-testid="comment-reply">
                  <span className="comment-author">{r.author}</span>{' '}
                  <span className="comment-meta">{when.format(r.createdAt)}</span>
                  <CommentText text={r.text} user={user} />
                </li>
              ))}
            </ul>
          )}
          {!thread.resolved && <ReplyBox thread={thread} />}
          <div className="comment-row">
            {thread.resolved ? (
              <button
                type="button"
                className="button"
                onClick={() => comments.reopen(thread.id)}
                data-testid="comment-reopen"
              >
                {t('comments.reopen')}
              </button>
            ) : (
              <button
                type="button"
                className="button"
                onClick={() => comments.resolve(thread.id)}
                data-testid="comment-resolve"
              >
                {t('comments.resolve')}
              </button>
            )}
            <span className="design-spacer" />
            {thread.author === user && (
              <button
                type="button"
                className="button button--danger"
                onClick={() => comments.remove(thread.id)}
                data-testid="comment-delete"
              >
                {t('comments.delete')}
              </button>
            )}
          </div>
        </>
      )}
    </li>
  );
}

/**
 * The draft's comments: a new comment on the selected equipment or on a point pinned on the
 * floor, and the threads (open first), each opened to read its replies, reply, resolve or reopen
 * it. A pin clicked in the view opens its thread here. Everything is shared live with the others.
 */
export function CommentsPanel(_: CommentsPanelProps) {
  const { t } = useT();
  const threads = useCommentsStore((s) => s.threads);
  const user = useCommentsStore((s) => s.user);
  const active = useCommentsStore((s) => s.active);
  const showResolved = useCommentsStore((s) => s.showResolved);
  const error = useCommentsStore((s) => s.error);
  const shown = useMemo(() => ordered(threads, showResolved), [threads, showResolved]);

  // A thread opened from its pin scrolls into view.
  useEffect(() => {
    if (active) document.getElementById(`comment-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  return (
    <section
      className="design-panel design-panel--scroll panel design-comments"
      aria-labelledby="design-comments-title"
      data-testid="design-comments"
    >
      <h2 className="panel__title" id="design-comments-title">
        {t('comments.title')}
      </h2>
      <div className="design-panel__body">
        <NewComment />
        {error && (
          <p className="design-error" role="alert" data-testid="comment-error">
            {t(`comments.error.${error}`)}
          </p>
        )}
        <label className="design-check">
          <input
            type="checkbox"
            checked={showResolved}
            onChange={(e) => useCommentsStore.setState({ showResolved: e.target.checked })}
            data-testid="comment-show-resolved"
          />
          {t('comments.showResolved')}
        </label>
        {shown.length === 0 ? (
          <p className="design-muted">{threads.length ? t('comments.emptyOpen') : t('comments.empty')}</p>
        ) : (
          <ul className="comment-list" aria-label={t('comments.title')}>
            {shown.map((x) => (
              <Thread key={x.id} thread={x} active={x.id === active} user={user} />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
