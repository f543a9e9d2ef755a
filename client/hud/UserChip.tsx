import { can } from '../../protocol';
import { logout } from '../auth/api';
import { useAuthStore } from '../auth/authStore';
import { useT } from '../i18n/useT';
import { useAuditUiStore } from '../state/auditUiStore';
import { useSourcesUiStore } from '../state/sourcesUiStore';
import { LanguageSwitch } from './LanguageSwitch';

/** Props of UserChip (none: it reads the auth store). */
export type UserChipProps = Record<string, never>;

/** Ends the session here at once, then tells the server (which also closes the session's sockets). */
function logOut(): void {
  const { token, signOut } = useAuthStore.getState();
  useAuditUiStore.getState().setOpen(false);
  useSourcesUiStore.getState().setOpen(false);
  signOut({ reason: 'signed-out' });
  if (token) void logout(token);
}

/**
 * Who is logged in and as what, the language, Log out, the data sources' health for operators and
 * up, and the audit trail for admins.
 */
export function UserChip(_: UserChipProps) {
  const { t } = useT();
  const user = useAuthStore((s) => s.user);
  const role = useAuthStore((s) => s.role);
  const auditOpen = useAuditUiStore((s) => s.open);
  const sourcesOpen = useSourcesUiStore((s) => s.open);
  const sourcesHere = useSourcesUiStore((s) => s.mounted > 0);
  if (!user || !role) return null;
  const roleName = t(`role.${role}`);
  return (
    <div className="user">
      {sourcesHere && can(role, 'sources:read') && (
        <button
          type="button"
          className={sourcesOpen ? 'button user__audit is-on' : 'button user__audit'}
          aria-pressed={sourcesOpen}
          title={t('sources.openTitle')}
          onClick={() => useSourcesUiStore.getState().setOpen(!sourcesOpen)}
          data-testid="sources-open"
        >
          {t('sources.open')}
        </button>
      )}
      {can(role, 'audit:read') && (
        <button
          type="button"
          className={auditOpen ? 'button user__audit is-on' : 'button user__audit'}
          aria-pressed={auditOpen}
          onClick={() => {
            // One drawer at a time: the audit view takes the Sources panel's place.
            if (!auditOpen) useSourcesUiStore.getState().setOpen(false);
            useAuditUiStore.getState().setOpen(!auditOpen);
          }}
          data-testid="audit-open"
        >
          {t('user.audit')}
        </button>
      )}
      <span
        className="user__chip"
        title={t('user.signedInAs', { user, role: roleName })}
        data-testid="user-chip"
      >
        <span className="user__name">{user}</span>
        <span className="user__role" data-role={role}>
          {roleName}
        </span>
      </span>
      <LanguageSwitch />
      <button type="button" className="button" onClick={logOut} data-testid="logout">
        {t('user.logout')}
      </button>
    </div>
  );
}
