import { isRole } from '../../protocol';
import type { ApiResult } from './api';
import type { useAuthStore } from './authStore';

/** What bootAuth needs (injected so a test runs it without a browser or server). */
export interface BootDeps {
  store: typeof useAuthStore;
  /** `GET /api/session` for a token. */
  checkSession: (token: string) => Promise<ApiResult<{ user: string; role: unknown; expiresAt: number }>>;
  /** The page is the showcase (lobby screen), which may run without a login. */
  showcase: boolean;
}

/**
 * Decides what the page shows first. A stored token is checked with the server: valid → the plant;
 * rejected → the login screen (or, on the showcase, an attempt at the public showcase). When the
 * server cannot be reached the token is kept and the plant connection tries it: the handshake is
 * checked there too, and a restarting server must not log the control room out.
 */
export async function bootAuth({ store, checkSession, showcase }: BootDeps): Promise<void> {
  const { token } = store.getState();
  if (token) {
    const r = await checkSession(token);
    // The user may have logged in or out while the check ran: theirs is the newer decision.
    if (store.getState().token !== token || store.getState().phase !== 'checking') return;
    if (r.ok) {
      // The server's answer wins over what was stored (a role may have changed since).
      const prev = store.getState();
      store.getState().signIn({
        token,
        user: typeof r.user === 'string' ? r.user : (prev.user ?? ''),
        role: isRole(r.role) ? r.role : (prev.role ?? 'viewer'),
        expiresAt: typeof r.expiresAt === 'number' ? r.expiresAt : (prev.expiresAt ?? 0),
      });
      return;
    }
    if (r.code !== 'UNAUTHENTICATED' && r.code !== 'FORBIDDEN') {
      store.setState({ phase: 'ready' });
      return;
    }
    if (!showcase) {
      store.getState().signOut({ reason: 'ended' });
      return;
    }
  }
  if (store.getState().phase !== 'checking') return;
  if (showcase) store.getState().goPublic();
  else store.getState().signOut(null);
}
