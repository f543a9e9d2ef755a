import { useEffect, useId, useRef, useState } from 'react';
import type { PublishSummary } from '../../protocol';
import { useDialogFocus } from '../hud/useDialogFocus';
import { refusalText } from '../i18n/refusalText';
import { useT } from '../i18n/useT';
import { publishVersion, rollbackTo } from './publishApi';

/** Props of PublishDialog. */
export type PublishDialogProps = {
  /** The version to publish ("base": the plant file). */
  version: string;
  /** The draft it belongs to (publish), or null (rollback to a version published before). */
  designId: string | null;
  /** Closes the dialog; `published` says whether the live plant changed. */
  onClose: (published: boolean) => void;
};

type Phase =
  | { step: 'checking' }
  | { step: 'ready'; summary: PublishSummary; confirmation: string }
  | { step: 'working' }
  | { step: 'done'; equipment: number }
  | { step: 'failed'; text: string };

/**
 * Confirms a publish or a rollback: asks the server what would change (its first step), shows the
 * summary, and publishes with the confirmation it handed out. Modal: Tab stays inside, Esc closes.
 */
export function PublishDialog({ version, designId, onClose }: PublishDialogProps) {
  const { t, locale } = useT();
  const dialog = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const [phase, setPhase] = useState<Phase>({ step: 'checking' });
  const published = phase.step === 'done';
  const close = () => onClose(published);
  useDialogFocus(dialog, { trap: true, onEscape: close });
  const ask = (confirmation?: string) =>
    designId === null ? rollbackTo(version, confirmation) : publishVersion(designId, version, confirmation);

  // biome-ignore lint/correctness/useExhaustiveDependencies: one preview per opened dialog.
  useEffect(() => {
    let live = true;
    void ask().then((r) => {
      if (!live) return;
      if (!r.ok)
        setPhase({ step: 'failed', text: t('publish.dialog.failed', { reason: refusalText(locale, r) }) });
      else if (!r.published) setPhase({ step: 'ready', summary: r.summary, confirmation: r.confirmation });
    });
    return () => {
      live = false;
    };
  }, []);

  const confirm = () => {
    if (phase.step !== 'ready') return;
    const token = phase.confirmation;
    setPhase({ step: 'working' });
    void ask(token).then((r) => {
      if (!r.ok)
        setPhase({ step: 'failed', text: t('publish.dialog.failed', { reason: refusalText(locale, r) }) });
      else setPhase({ step: 'done', equipment: r.summary.equipmentAfter });
    });
  };

  const name = version === 'base' ? t('publish.base') : version;
  const s = phase.step === 'ready' ? phase.summary : null;
  return (
    <div className="design-modal" data-testid="publish-dialog">
      <div
        className="design-dialog panel"
        ref={dialog}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
      >
        <header className="design-dialog__head">
          <h2 id={titleId}>
            {designId === null
              ? t('publish.dialog.rollbackTitle', { version: name })
              : t('publish.dialog.publishTitle', { version: name })}
          </h2>
        </header>
        {phase.step === 'checking' && <p className="design-muted">{t('publish.dialog.checking')}</p>}
        {s && (
          <ul className="design-publish__summary" data-testid="publish-summary">
            <li>{t('publish.dialog.equipment', { before: s.equipmentBefore, after: s.equipmentAfter })}</li>
            {s.equipmentAdded > 0 && <li>{t('publish.dialog.added', { n: s.equipmentAdded })}</li>}
            {s.equipmentRemoved > 0 && <li>{t('publish.dialog.removed', { n: s.equipmentRemoved })}</li>}
            {s.equipmentMoved > 0 && <li>{t('publish.dialog.moved', { n: s.equipmentMoved })}</li>}
            {s.equipmentChanged > 0 && <li>{t('publish.dialog.changed', { n: s.equipmentChanged })}</li>}
            {s.otherChanges > 0 && <li>{t('publish.dialog.other', { n: s.otherChanges })}</li>}
            {s.alarmsEnding > 0 && <li>{t('publish.dialog.alarms', { n: s.alarmsEnding })}</li>}
          </ul>
        )}
        {s && <p className="design-muted">{t('publish.dialog.restart')}</p>}
        {phase.step === 'working' && (
          <p className="design-muted" role="status">
            {t('publish.dialog.working')}
          </p>
        )}
        {phase.step === 'done' && (
          <p role="status" data-testid="publish-done">
            {t('publish.dialog.done', { version: name, n: phase.equipment })}
          </p>
        )}
        {phase.step === 'failed' && (
          <p className="design-error" role="alert" data-testid="publish-error">
            {phase.text}
          </p>
        )}
        <div className="design-publish__actions">
          {phase.step === 'ready' && (
            <button
              type="button"
              className="button button--primary"
              onClick={confirm}
              data-testid="publish-confirm"
            >
              {designId === null ? t('publish.dialog.confirmRollback') : t('publish.dialog.confirm')}
            </button>
          )}
          <button type="button" className="button" onClick={close} data-testid="publish-close">
            {phase.step === 'done' || phase.step === 'failed'
              ? t('publish.dialog.close')
              : t('publish.dialog.cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}
