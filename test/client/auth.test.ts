import { describe, expect, it } from 'vitest';
import { auditQueryString, toApiResult } from '../../client/auth/api';
import {
  AUTH_STORAGE_KEY,
  type AuthStorage,
  createAuthStore,
  loadCredentials,
} from '../../client/auth/authStore';
import { bootAuth } from '../../client/auth/bootAuth';
import { loginError } from '../../client/auth/loginError';
import { handshakeRefusal } from '../../client/net/handshakeRefusal';

/** An in-memory sessionStorage. */
function memoryStorage(): AuthStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

const NOW = 1_700_000_000_000;
const creds = { token: 'tok', user: 'op1', role: 'operator' as const, expiresAt: NOW + 3_600_000 };

describe('auth store', () => {
  it('persists a login in session storage and forgets it on logout', () => {
    const storage = memoryStorage();
    const store = createAuthStore(storage, () => NOW);
    store.getState().signIn(creds);
    expect(JSON.parse(storage.data.get(AUTH_STORAGE_KEY) ?? '{}')).toEqual(creds);
    expect(store.getState()).toMatchObject({ ...creds, phase: 'ready', notice: null });
    store.getState().signOut({ reason: 'signed-out' });
    expect(storage.data.has(AUTH_STORAGE_KEY)).toBe(false);
    expect(store.getState()).toMatchObject({
      token: null,
      role: null,
      phase: 'login',
      notice: { reason: 'signed-out' },
    });
  });

  it('comes back after a reload with the stored login, still to be checked', () => {
    const storage = memoryStorage();
    createAuthStore(storage, () => NOW)
      .getState()
      .signIn(creds);
    const reloaded = createAuthStore(storage, () => NOW);
    expect(reloaded.getState()).toMatchObject({
      token: 'tok',
      user: 'op1',
      role: 'operator',
      phase: 'checking',
    });
  });

  it('ignores an expired, malformed or unreadable stored login', () => {
    const storage = memoryStorage();
    storage.setItem(AUTH_STORAGE_KEY, JSON.stringify({ ...creds, expiresAt: NOW - 1 }));
    expect(loadCredentials(storage, NOW)).toBeNull();
    storage.setItem(AUTH_STORAGE_KEY, JSON.stringify({ ...creds, role: 'root' }));
    expect(loadCredentials(storage, NOW)).toBeNull();
    storage.setItem(AUTH_STORAGE_KEY, '{not json');
    expect(loadCredentials(storage, NOW)).toBeNull();
    const throwing: AuthStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
      removeItem: () => {},
    };
    expect(loadCredentials(throwing, NOW)).toBeNull();
    // Storage that refuses writes still lets the user log in (for this page's life).
    const store = createAuthStore(throwing, () => NOW);
    store.getState().signIn(creds);
    expect(store.getState().phase).toBe('ready');
  });
});

describe('start-up session check', () => {
  const ok =
    (role = 'operator') =>
    async () => ({ ok: true as const, user: 'op1', role, expiresAt: creds.expiresAt });
  const refused = (code: 'UNAUTHENTICATED' | 'OFFLINE') => async () => ({
    ok: false as const,
    code,
    message: code,
  });
  const storeWith = (stored: boolean) => {
    const storage = memoryStorage();
    if (stored) storage.setItem(AUTH_STORAGE_KEY, JSON.stringify(creds));
    return createAuthStore(storage, () => NOW);
  };

  it('opens the plant for a stored token the server still accepts, with the server’s role', async () => {
    const store = storeWith(true);
    await bootAuth({ store, checkSession: ok('admin'), showcase: false });
    expect(store.getState()).toMatchObject({ phase: 'ready', token: 'tok', role: 'admin' });
  });

  it('shows the login page with a notice when the stored token is no longer valid', async () => {
    const store = storeWith(true);
    await bootAuth({ store, checkSession: refused('UNAUTHENTICATED'), showcase: false });
    expect(store.getState()).toMatchObject({ phase: 'login', token: null, notice: { reason: 'ended' } });
  });

  it('keeps the token when the server cannot be reached (the connection retries it)', async () => {
    const store = storeWith(true);
    await bootAuth({ store, checkSession: refused('OFFLINE'), showcase: false });
    expect(store.getState()).toMatchObject({ phase: 'ready', token: 'tok' });
  });

  it('shows the login page without a notice when nothing is stored', async () => {
    const store = storeWith(false);
    await bootAuth({ store, checkSession: ok(), showcase: false });
    expect(store.getState()).toMatchObject({ phase: 'login', notice: null });
  });

  it('tries the public showcase on /showcase when nobody is logged in', async () => {
    for (const stored of [false, true]) {
      const store = storeWith(stored);
      await bootAuth({ store, checkSession: refused('UNAUTHENTICATED'), showcase: true });
      expect(store.getState()).toMatchObject({ phase: 'ready', token: null });
    }
  });
});

describe('login messages', () => {
  it('counts down a throttled login from retryAfterMs', () => {
    expect(loginError({ ok: false, code: 'RATE_LIMITED', message: 'x', retryAfterMs: 12_000 }, NOW)).toEqual({
      key: 'login.tooMany',
      retryAt: NOW + 12_000,
    });
  });

  it('says "wrong user name or password" without telling which', () => {
    expect(loginError({ ok: false, code: 'UNAUTHENTICATED', message: 'unknown user' }, NOW).key).toBe(
      'login.invalid',
    );
    expect(loginError({ ok: false, code: 'INVALID', message: 'bad name' }, NOW).key).toBe('login.invalid');
    expect(loginError({ ok: false, code: 'OFFLINE', message: '' }, NOW).key).toBe('login.offline');
  });
});

describe('HTTP answers', () => {
  it('passes a successful body through', () => {
    expect(toApiResult(200, { ok: true, token: 't' }, null)).toEqual({ ok: true, token: 't' });
  });

  it('keeps the server’s refusal, with retryAfterMs, or reads Retry-After', () => {
    expect(
      toApiResult(429, { ok: false, code: 'RATE_LIMITED', message: 'slow', retryAfterMs: 900 }, null),
    ).toEqual({ ok: false, code: 'RATE_LIMITED', message: 'slow', retryAfterMs: 900 });
    expect(toApiResult(429, null, '7')).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 7000 });
  });

  it('names a refusal by its status when the body is not JSON', () => {
    expect(toApiResult(401, null, null)).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(toApiResult(403, 'Forbidden', null)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(toApiResult(502, null, null)).toMatchObject({ ok: false, code: 'INTERNAL' });
  });

  it('builds the audit query from the filled filters only', () => {
    expect(
      auditQueryString({ user: ' op1 ', action: '', equipment: 'AGV-03', from: 1000.4, limit: 200 }),
    ).toBe('user=op1&equipment=AGV-03&from=1000&limit=200');
  });
});

describe('handshake refusals', () => {
  it('reads the server’s code and message from connect_error', () => {
    const err = Object.assign(new Error('x'), {
      data: { code: 'UNAUTHENTICATED', message: 'token expired' },
    });
    expect(handshakeRefusal(err)).toEqual({ code: 'UNAUTHENTICATED', message: 'token expired' });
    const origin = Object.assign(new Error('x'), { data: { code: 'FORBIDDEN' } });
    expect(handshakeRefusal(origin)).toEqual({ code: 'FORBIDDEN', message: 'Connection refused' });
  });

  it('leaves plain network errors to Socket.IO’s retries', () => {
    expect(handshakeRefusal(new Error('websocket error'))).toBeNull();
    expect(handshakeRefusal(Object.assign(new Error('x'), { data: { code: 'INTERNAL' } }))).toBeNull();
    expect(handshakeRefusal(null)).toBeNull();
  });
});
