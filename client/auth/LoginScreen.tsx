import { type FormEvent, useState } from 'react';
import { secondsLeft } from '../hud/countdown';
import { LanguageSwitch } from '../hud/LanguageSwitch';
import { useWallClock } from '../hud/useWallClock';
import { applyRememberedLocale } from '../i18n/localeStore';
import { useT } from '../i18n/useT';
import { login } from './api';
import { type AuthNotice, useAuthStore } from './authStore';
import { type LoginError, loginError } from './loginError';
import './loginScreen.css';

/** Props of LoginScreen. */
export interface LoginScreenProps {
  /** A stored session is being checked: the same page, without the form (no flash of it). */
  checking?: boolean;
}

const NOTICE_KEY = {
  'signed-out': 'notice.signed-out',
  logout: 'notice.logout',
  expired: 'notice.expired',
  revoked: 'notice.revoked',
  ended: 'notice.ended',
  refused: 'notice.refused',
} as const satisfies Record<AuthNotice['reason'], string>;

/** The product's sign-in page: user name, password, a clear error line, why you are here again. */
export function LoginScreen({ checking = false }: LoginScreenProps) {
  const { t } = useT();
  const notice = useAuthStore((s) => s.notice);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<LoginError | null>(null);
  const now = useWallClock(error?.retryAt !== undefined);
  const waitS = error?.retryAt === undefined ? 0 : secondsLeft(error.retryAt, now);
  // A throttle message that has run out is no longer true: it disappears.
  const shownError = error && (error.retryAt === undefined || waitS > 0) ? error : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || waitS > 0) return;
    const name = username.trim();
    if (!name || !password) {
      setError({ key: 'login.required' });
      return;
    }
    setBusy(true);
    setError(null);
    const r = await login(name, password);
    setBusy(false);
    if (r.ok) {
      applyRememberedLocale(r.locale);
      useAuthStore.getState().signIn({ token: r.token, user: r.user, role: r.role, expiresAt: r.expiresAt });
      return;
    }
    setPassword('');
    setError(loginError(r, Date.now()));
  };

  return (
    <main className="login" data-testid="login-screen">
      <form className="login__card" onSubmit={submit} aria-busy={busy || checking} noValidate>
        <div className="login__brand">
          <svg className="login__mark" viewBox="0 0 16 16" aria-hidden="true">
            <rect x="2" y="6" width="12" height="8" rx="1" />
            <rect x="4" y="2" width="3" height="5" />
          </svg>
          <div>
            <h1 className="login__name">{t('app.name')}</h1>
            <p className="login__tagline">{t('app.tagline')}</p>
          </div>
          <LanguageSwitch />
        </div>
        {checking ? (
          <p className="login__status" role="status" data-testid="auth-checking">
            {t('login.checking')}
          </p>
        ) : (
          <>
            {notice && (
              <p className="login__notice" role="status" data-testid="login-notice">
                {t(NOTICE_KEY[notice.reason], { message: notice.message ?? '' })}
              </p>
            )}
            <label className="login__field">
              <span className="login__label">{t('login.username')}</span>
              <input
                className="login__input"
                name="username"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                // biome-ignore lint/a11y/noAutofocus: the page exists to take these two fields.
                autoFocus
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                data-testid="login-username"
              />
            </label>
            <label className="login__field">
              <span className="login__label">{t('login.password')}</span>
              <input
                className="login__input"
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                data-testid="login-password"
              />
            </label>
            <p className="login__error" role="alert" data-testid="login-error">
              {shownError ? t(shownError.key, { s: waitS, ...shownError.params }) : ''}
            </p>
            <button
              type="submit"
              className="login__submit"
              disabled={busy || waitS > 0}
              data-testid="login-submit"
            >
              {busy ? t('login.submitting') : t('login.submit')}
            </button>
            <p className="login__hint">{t('login.hint')}</p>
          </>
        )}
      </form>
    </main>
  );
}
