import { useEffect } from 'react';
import { flushSync } from 'react-dom';
import type { Screen, TrainingHandshakeAuth } from '../../protocol';
import { modeFromPath } from '../modes/modeFromPath';
import { connectTwin } from '../net/connectTwin';
import { resetClientState } from '../state/resetClientState';
import { attachTraining } from '../training/trainingLink';
import { useAuthStore } from './authStore';

/** Props of PlantConnection. */
export interface PlantConnectionProps {
  /** The login token; null connects as the public showcase (`{ showcase: true }`). */
  token: string | null;
  /** A training session to join (`auth.session`: id or join code); null: the live plant. */
  session?: string | null;
}

/**
 * Holds the plant connection while it is mounted: connects with the credentials, closes (and
 * forgets the plant) on logout or a new token. A session the server ends, or a handshake it
 * refuses, sends the screen back to the login page with a notice. Renders nothing.
 */
export function PlantConnection({ token, session = null }: PlantConnectionProps) {
  useEffect(() => {
    // Synchronously: the plant leaves the screen in the same task as the news, not after the
    // next (slow, software-rendered) frames have been drawn with a dead session.
    const signOut = (notice: Parameters<ReturnType<typeof useAuthStore.getState>['signOut']>[0]) =>
      flushSync(() => useAuthStore.getState().signOut(notice));
    const connection = connectTwin({
      // The console's name rides along so the server can count connections by screen.
      auth: {
        ...(token ? withSession(token, session) : { showcase: true }),
        screen: plantScreen(),
      },
      onSessionEnded: (info) => signOut({ reason: info.reason, message: info.message }),
      onRefused: (refusal) => {
        // The public showcase refused (no --public-showcase): simply ask for a login.
        if (!token && refusal.code === 'UNAUTHENTICATED') signOut(null);
        else if (refusal.code === 'UNAUTHENTICATED') signOut({ reason: 'ended', message: refusal.message });
        else signOut({ reason: 'refused', message: refusal.message });
      },
    });
    const detach = session ? attachTraining(connection) : null;
    return () => {
      detach?.();
      connection.close();
      resetClientState();
    };
  }, [token, session]);
  return null;
}

/** The screen this page connects from (design mode never connects: its drafts are HTTP only). */
function plantScreen(): Screen | undefined {
  const mode = modeFromPath(window.location.pathname);
  return mode === 'design' ? undefined : mode;
}

/** The handshake of a login, with the training session to join when there is one. */
function withSession(token: string, session: string | null): TrainingHandshakeAuth {
  return session ? { token, session } : { token };
}
