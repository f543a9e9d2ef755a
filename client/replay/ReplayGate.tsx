import { type ReactNode, useEffect } from 'react';
import { fetchSession } from '../auth/api';
import { useAuthStore } from '../auth/authStore';
import { bootAuth } from '../auth/bootAuth';
import { LoginScreen } from '../auth/LoginScreen';

/** Props of ReplayGate. */
export interface ReplayGateProps {
  /** The replay screens for a logged-in user (token never null here). */
  children: (token: string) => ReactNode;
}

let booted = false;

/**
 * The login gate of the replay view: like the consoles' AuthGate, but it opens no live plant
 * connection (the replay has its own socket and feeds the stores from the recording).
 */
export function ReplayGate({ children }: ReplayGateProps) {
  const phase = useAuthStore((s) => s.phase);
  const token = useAuthStore((s) => s.token);
  useEffect(() => {
    if (booted) return;
    booted = true;
    void bootAuth({ store: useAuthStore, checkSession: fetchSession, showcase: false });
  }, []);
  if (phase !== 'ready' || !token) return <LoginScreen checking={phase === 'checking'} />;
  return <>{children(token)}</>;
}
