import { type ReactNode, useEffect, useState } from 'react';
import { applyRememberedLocale } from '../i18n/localeStore';
import { fetchSession } from './api';
import { useAuthStore } from './authStore';
import { bootAuth } from './bootAuth';
import { LoginScreen } from './LoginScreen';
import { PlantConnection } from './PlantConnection';

/** Props of AuthGate. */
export interface AuthGateProps {
  /** The showcase route: tries the public showcase before asking for a login. */
  showcase: boolean;
  /** A training session to join (its id or join code); absent or null: the live plant. */
  session?: string | null;
  /** The plant screens, shown once the connection may start. */
  children: ReactNode;
}

/** Checked once per page load (StrictMode runs effects twice in development). */
let booted = false;

/**
 * Nothing of the plant without a session: the login page until there is one, then the plant
 * connection and the screens. When the session ends the connection closes at once and the login
 * page shows in the same commit; the screens are hidden then and unmounted only after the login
 * page has painted, because tearing down the WebGL context can hold the main thread for a second
 * (software GL) and must not hold the login page back with it.
 */
export function AuthGate({ showcase, session = null, children }: AuthGateProps) {
  const phase = useAuthStore((s) => s.phase);
  const token = useAuthStore((s) => s.token);
  const ready = phase === 'ready';
  const [mounted, setMounted] = useState(ready);

  useEffect(() => {
    if (booted) return;
    booted = true;
    // A valid stored session brings the user's remembered language with it.
    const checkSession = (token: string) =>
      fetchSession(token).then((r) => {
        if (r.ok) applyRememberedLocale(r.locale);
        return r;
      });
    void bootAuth({ store: useAuthStore, checkSession, showcase });
  }, [showcase]);

  useEffect(() => {
    if (ready) {
      setMounted(true);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The frame after next has the login page on screen; unmount right after it.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setMounted(false), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [ready]);

  return (
    <>
      {ready && <PlantConnection token={token} session={session} />}
      {!ready && <LoginScreen checking={phase === 'checking'} />}
      {(ready || mounted) && <div style={ready ? undefined : HIDDEN}>{children}</div>}
    </>
  );
}

const HIDDEN = { display: 'none' } as const;
