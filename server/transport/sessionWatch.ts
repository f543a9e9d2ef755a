import type { Logger } from 'pino';
import type { SessionEnded } from '../../protocol';
import type { AuthService, SessionState } from '../auth/types';
import type { TwinServer } from './types';

/** How often every connected session is checked, ms: a revoked one closes within a second. */
export const SESSION_CHECK_MS = 250;

/** A running watch. */
export interface SessionWatch {
  stop(): void;
}

const ENDED: Record<Exclude<SessionState, 'ok'>, SessionEnded> = {
  expired: { reason: 'expired', message: 'your session expired: log in again' },
  revoked: { reason: 'revoked', message: 'your session was ended (logout, password change or user removed)' },
};

/**
 * Closes the sockets of sessions that ended: every SESSION_CHECK_MS it asks the auth core about
 * each connected socket's session (which also sees revocations made by the CLI process), and a
 * socket whose session is no longer 'ok' gets `session:ended` and is disconnected.
 */
export function startSessionWatch(io: TwinServer, auth: AuthService, log: Logger): SessionWatch {
  // Several sockets (tabs) often share a session: ask once per session per pass.
  const states = new Map<string, SessionState>();
  const check = () => {
    try {
      states.clear();
      for (const socket of io.of('/').sockets.values()) {
        const sid = socket.data.sid;
        if (!sid) continue;
        let state = states.get(sid);
        if (state === undefined) {
          state = auth.sessionState(sid);
          states.set(sid, state);
        }
        if (state === 'ok') continue;
        socket.emit('session:ended', ENDED[state]);
        socket.disconnect(true);
      }
    } catch (err) {
      log.error({ err }, 'session check failed');
    }
  };
  const timer = setInterval(check, SESSION_CHECK_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
