import { type FormEvent, useState } from 'react';
import { VERSION_MESSAGE_MAX } from '../../protocol';
import { UserChip } from '../hud/UserChip';
import { refusalText } from '../i18n/refusalText';
import { useT } from '../i18n/useT';
import { useCollabStore } from './collabStore';
import { saveDraftVersion, useSaveStore } from './designActions';
import { designHref } from './designPath';
import { isDirty, useDesignStore } from './designStore';
import { PresenceList } from './PresenceList';

/** Props of DesignToolbar. */
export type DesignToolbarProps = {
  /** Back to the draft list. */
  onClose: () => void;
};

/**
 * The editor's top bar: the drafts, the draft's name and whether it has unsaved changes, undo and
 * redo, snapping and the gizmo's tool, Save version with a message, and who is logged in. Edits
 * save themselves (live editing): the bar says whether they have reached the server, and who else
 * is editing the draft.
 */
export function DesignToolbar({ onClose }: DesignToolbarProps) {
  const { t, locale } = useT();
  const design = useDesignStore((s) => s.design);
  const dirty = useDesignStore(isDirty);
  const sync = useCollabStore((s) => s.status);
  const live = useDesignStore((s) => s.binding !== null);
  const canUndo = useDesignStore((s) => s.canUndo);
  const canRedo = useDesignStore((s) => s.canRedo);
  const snap = useDesignStore((s) => s.snap);
  const tool = useDesignStore((s) => s.tool);
  const saving = useSaveStore((s) => s.saving);
  const notice = useSaveStore((s) => s.notice);
  const [message, setMessage] = useState('');
  const store = useDesignStore.getState;

  // Live editing saves every change as it is made: the bar says whether they have all arrived.
  const syncText = () => {
    if (!live) return dirty ? `● ${t('design.unsaved')}` : t('design.saved');
    if (sync === 'offline') return `● ${t('design.sync.offline')}`;
    if (sync === 'connecting') return t('design.sync.connecting');
    return sync === 'saving' || dirty ? t('design.saving') : t('design.saved');
  };

  const version = (e: FormEvent) => {
    e.preventDefault();
    const m = message.trim();
    if (!m) return;
    void saveDraftVersion(m).then((ok) => ok && setMessage(''));
  };

  return (
    <header className="design-bar panel" data-testid="design-bar">
      <a
        className="button"
        href={designHref(null)}
        onClick={(e) => {
          if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          onClose();
        }}
      >
        ◀ {t('design.drafts.link')}
      </a>
      <span className="design-bar__name" title={design?.name}>
        {design?.name}
      </span>
      <span
        className={
          sync === 'offline' || (!live && dirty) ? 'design-bar__state is-dirty' : 'design-bar__state'
        }
        role="status"
        title={t('design.sync.title')}
        data-testid="design-dirty"
        data-dirty={dirty}
        data-sync={sync}
      >
        {syncText()}
      </span>
      <PresenceList />
      <span className="design-spacer" />
      <div className="design-group">
        <button
          type="button"
          className="button"
          disabled={!canUndo}
          title={t('design.undoTitle')}
          onClick={() => store().undo()}
          data-testid="design-undo"
        >
          {t('design.undo')}
        </button>
        <button
          type="button"
          className="button"
          disabled={!canRedo}
          title={t('design.redoTitle')}
          onClick={() => store().redo()}
          data-testid="design-redo"
        >
          {t('design.redo')}
        </button>
      </div>
      <fieldset className="design-group design-segment">
        <legend className="visually-hidden">{t('design.tool')}</legend>
        <button
          type="button"
          className={tool === 'translate' ? 'button is-on' : 'button'}
          aria-pressed={tool === 'translate'}
          title={t('design.moveTitle')}
          onClick={() => store().setTool('translate')}
        >
          {t('design.move')}
        </button>
        <button
          type="button"
          className={tool === 'rotate' ? 'button is-on' : 'button'}
          aria-pressed={tool === 'rotate'}
          title={t('design.rotateTitle')}
          onClick={() => store().setTool('rotate')}
        >
          {t('design.rotate')}
        </button>
      </fieldset>
      <label className="design-check">
        <input type="checkbox" checked={snap} onChange={(e) => store().setSnap(e.target.checked)} />
        {t('design.snap')}
      </label>
      <form className="design-group" onSubmit={version} title={t('design.versionTitle')}>
        <input
          className="design-input design-bar__message"
          aria-label={t('design.versionMessage')}
          placeholder={t('design.versionPlaceholder')}
          value={message}
          maxLength={VERSION_MESSAGE_MAX}
          onChange={(e) => setMessage(e.target.value)}
          data-testid="design-version-message"
        />
        <button
          type="submit"
          className="button"
          disabled={saving || !message.trim()}
          data-testid="design-version"
        >
          {t('design.version')}
        </button>
      </form>
      {notice && (
        <span
          className={notice.tone === 'ok' ? 'design-bar__notice' : 'design-bar__notice is-error'}
          role={notice.tone === 'ok' ? 'status' : 'alert'}
          data-testid="design-notice"
        >
          {notice.tone === 'ok'
            ? t(notice.key, notice.params)
            : t(notice.key, { reason: refusalText(locale, notice.refusal) })}
        </span>
      )}
      <UserChip />
    </header>
  );
}
