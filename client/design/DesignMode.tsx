import { useEffect, useState } from 'react';
import { can } from '../../protocol';
import { useAuthStore } from '../auth/authStore';
import { UserChip } from '../hud/UserChip';
import { useT } from '../i18n/useT';
import { ReplayGate } from '../replay/ReplayGate';
import { DesignEditor } from './DesignEditor';
import { DraftPicker } from './DraftPicker';
import { designHref, draftFromLocation } from './designPath';
import { isDirty, useDesignStore } from './designStore';
import './design.css';

/** Props of DesignMode (none: it reads the URL). */
export type DesignModeProps = Record<string, never>;

/** The draft in the URL, kept in step with the browser's back and forward buttons. */
const read = () => draftFromLocation(window.location.pathname, window.location.search);

function useDraftLocation(): [string | null, (id: string | null) => void] {
  const [draft, setDraft] = useState(read);
  useEffect(() => {
    const onPop = () => setDraft(read());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const go = (id: string | null) => {
    window.history.pushState(null, '', designHref(id));
    setDraft(id);
  };
  return [draft, go];
}

/** Roles without `design:edit` see why they cannot use this screen. */
function Refusal() {
  const { t } = useT();
  const user = useAuthStore((s) => s.user) ?? '';
  const role = useAuthStore((s) => s.role);
  return (
    <div className="design-page">
      <div className="design-card panel" role="alert" data-testid="design-refused">
        <header className="design-card__head">
          <h1>{t('design.title')}</h1>
          <span className="design-spacer" />
          <UserChip />
        </header>
        <p>{t('design.refused', { user, role: role ? t(`role.${role}`) : '' })}</p>
        <a className="button" href="/">
          {t('design.back')}
        </a>
      </div>
    </div>
  );
}

/**
 * The design screen: `/design` lists the drafts and starts new ones, `/design/d-…` edits one.
 * Engineers and admins only (the server checks every request again). No live plant connection.
 */
export default function DesignMode(_: DesignModeProps) {
  const [draft, go] = useDraftLocation();
  return <ReplayGate>{() => <Allowed draft={draft} go={go} />}</ReplayGate>;
}

function Allowed({ draft, go }: { draft: string | null; go: (id: string | null) => void }) {
  const { t } = useT();
  const role = useAuthStore((s) => s.role);
  if (!can(role, 'design:edit')) return <Refusal />;
  const close = () => {
    if (isDirty(useDesignStore.getState()) && !window.confirm(t('design.leaveConfirm'))) return;
    go(null);
  };
  if (draft) return <DesignEditor key={draft} id={draft} onClose={close} />;
  return <DraftPicker onOpen={go} />;
}
