import { useAuthStore } from '../auth/authStore';
import { useT } from '../i18n/useT';

/** Props of RoleRequired (none). */
export type RoleRequiredProps = Record<string, never>;

/** The trainer console opened by someone who may not run training sessions. */
export function RoleRequired(_: RoleRequiredProps) {
  const { t } = useT();
  const user = useAuthStore((s) => s.user) ?? '';
  const role = useAuthStore((s) => s.role);
  return (
    <div className="training-screen" data-testid="trainer-role-required">
      <div className="training-card panel">
        <h1>{t('training.needsRole.title')}</h1>
        <p>{t('training.needsRole.body', { user, role: role ? t(`role.${role}`) : '' })}</p>
        <a className="button" href="/">
          {t('training.backToConsole')}
        </a>
      </div>
    </div>
  );
}
