import { create } from 'zustand';
import { isRole, type Role, type SessionEnded } from '../../protocol';

/**
 * checking: a stored token (or the public showcase) is being tried; login: the login screen;
 * ready: the plant may connect — with `token`, or without one on the public showcase.
 */
export type AuthPhase = 'checking' | 'login' | 'ready';

/** What a successful login gives the client. */
export interface Credentials {
  token: string;
  user: string;
  role: Role;
  /** ms since epoch. */
  expiresAt: number;
}

/**
 * Why the login screen is shown again: the server ended the session (SessionEnded reasons, or
 * 'ended' when it only said the token is no longer valid), the user logged out, or the connection
 * was refused (its message is shown as the server gave it).
 */
export interface AuthNotice {
  reason: SessionEnded['reason'] | 'ended' | 'signed-out' | 'refused';
  message?: string;
}

export interface AuthState {
  token: string | null;
  user: string | null;
  role: Role | null;
  expiresAt: number | null;
  phase: AuthPhase;
  /** Shown on the login screen (e.g. "Your session ended"); cleared by the next login. */
  notice: AuthNotice | null;
  /** A login (or a checked stored token) succeeded. */
  signIn: (c: Credentials) => void;
  /** Forgets the credentials and shows the login screen, with a notice or none. */
  signOut: (notice?: AuthNotice | null) => void;
  /** Connects without credentials (the public showcase); a refusal comes back through signOut. */
  goPublic: () => void;
}

/** sessionStorage key: the session dies with the browser (a shared control-room PC). */
export const AUTH_STORAGE_KEY = 'plant-twin.auth';

/** The storage the store persists to: the part of Storage it uses. */
export type AuthStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Credentials stored earlier, if well-formed and not expired (`now`: ms since epoch). */
export function loadCredentials(storage: AuthStorage | null, now: number): Credentials | null {
  let raw: string | null = null;
  try {
    raw = storage?.getItem(AUTH_STORAGE_KEY) ?? null;
  } catch {
    return null; // storage disabled by policy: behave as if nothing was stored
  }
  if (!raw) return null;
  try {
    const c = JSON.parse(raw) as Partial<Credentials>;
    if (
      typeof c.token === 'string' &&
      c.token.length > 0 &&
      typeof c.user === 'string' &&
      isRole(c.role) &&
      typeof c.expiresAt === 'number' &&
      c.expiresAt > now
    )
      return { token: c.token, user: c.user, role: c.role, expiresAt: c.expiresAt };
  } catch {
    // Corrupt entry: ignored and overwritten by the next login.
  }
  return null;
}

function save(storage: AuthStorage | null, c: Credentials | null): void {
  try {
    if (c) storage?.setItem(AUTH_STORAGE_KEY, JSON.stringify(c));
    else storage?.removeItem(AUTH_STORAGE_KEY);
  } catch {
    // Storage full or disabled: the session simply does not survive a reload.
  }
}

/** Builds an auth store over `storage` (tests pass a fake; the app uses sessionStorage). */
export function createAuthStore(storage: AuthStorage | null, now: () => number = Date.now) {
  const stored = loadCredentials(storage, now());
  return create<AuthState>((set) => ({
    token: stored?.token ?? null,
    user: stored?.user ?? null,
    role: stored?.role ?? null,
    expiresAt: stored?.expiresAt ?? null,
    phase: 'checking',
    notice: null,
    signIn: (c) => {
      save(storage, c);
      set({ ...c, phase: 'ready', notice: null });
    },
    signOut: (notice = null) => {
      save(storage, null);
      set({ token: null, user: null, role: null, expiresAt: null, phase: 'login', notice });
    },
    goPublic: () => set({ token: null, user: null, role: null, expiresAt: null, phase: 'ready' }),
  }));
}

function browserSessionStorage(): AuthStorage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

/** The client's login state, persisted in sessionStorage. */
export const useAuthStore = createAuthStore(browserSessionStorage());
