import { afterEach, describe, expect, it } from 'vitest';
import type { AuthService } from '../../../server/auth/types';
import { ADMIN, authFixture } from './authHelpers';

const PW = 'session-pass-1';
let fx = authFixture();
afterEach(() => {
  fx.closeAll();
  fx = authFixture();
});

async function loggedIn(auth: AuthService, name = 'sam', role: 'operator' | 'admin' = 'operator') {
  await auth.addUser(name, role, PW, ADMIN);
  const r = await auth.login(name, PW, '10.0.0.5');
  if (!r.ok) throw new Error(`login failed: ${r.message}`);
  const v = auth.verify(r.token);
  if (!v.ok || !v.principal.sid) throw new Error('fresh token does not verify');
  return { token: r.token, sid: v.principal.sid };
}

/** Polls `sessionState` until it leaves 'ok'; the time it took, ms. */
async function untilNotOk(auth: AuthService, sid: string, maxMs: number) {
  const t0 = performance.now();
  while (performance.now() - t0 < maxMs) {
    const s = auth.sessionState(sid);
    if (s !== 'ok') return { state: s, ms: performance.now() - t0 };
    await new Promise((r) => setTimeout(r, 20));
  }
  return { state: 'ok' as const, ms: performance.now() - t0 };
}

describe('login sessions', () => {
  it('verifies a fresh token, refuses garbage and a missing one', async () => {
    const auth = fx.open();
    const { token, sid } = await loggedIn(auth);
    expect(auth.verify(token)).toEqual({
      ok: true,
      principal: { user: 'sam', role: 'operator', sid, expiresAt: fx.clock.t + 12 * 3600_000 },
    });
    for (const bad of [undefined, '', 'abc', `${token}x`, token.replace(/^./, 'Z')])
      expect(auth.verify(bad)).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(auth.sessionState(sid)).toBe('ok');
  });

  it('expires after the session life, by the injected clock', async () => {
    const auth = fx.open({ sessionTtlMs: 60_000 });
    const { token, sid } = await loggedIn(auth);
    fx.clock.t += 59_999;
    expect(auth.verify(token).ok).toBe(true);
    expect(auth.sessionState(sid)).toBe('ok');
    fx.clock.t += 1;
    expect(auth.verify(token)).toMatchObject({ ok: false, message: expect.stringMatching(/expired/) });
    expect(auth.sessionState(sid)).toBe('expired');
  });

  it('ends the session at logout (audited), once', async () => {
    const auth = fx.open();
    const { token, sid } = await loggedIn(auth);
    expect(auth.logout(token, '10.0.0.5')).toBe(true);
    expect(auth.verify(token).ok).toBe(false);
    expect(auth.sessionState(sid)).toBe('revoked');
    expect(auth.logout(token, '10.0.0.5')).toBe(false);
    expect(auth.logout('not a token', '10.0.0.5')).toBe(false);
    expect(auth.audit.query({ action: 'logout', limit: 10 })).toHaveLength(1);
  });

  it('keeps tokens valid across a restart (the key is in the database)', async () => {
    const first = fx.open();
    const { token } = await loggedIn(first);
    first.close();
    const second = fx.open();
    expect(second.verify(token)).toMatchObject({ ok: true, principal: { user: 'sam' } });
  });

  it('ends every session of a user whose password, role or existence changes', async () => {
    const auth = fx.open();
    await auth.addUser('keeper', 'admin', PW, ADMIN); // so that 'boss' is not the last admin
    const changes: [string, () => unknown][] = [
      ['passwd', () => auth.setPassword('sam', 'another-pass-2', ADMIN)],
      ['role', () => auth.setRole('sam', 'viewer', ADMIN)],
      ['remove', () => auth.removeUser('sam', ADMIN)],
    ];
    for (const [what, change] of changes) {
      const a = await loggedIn(auth);
      const b = await auth.login('sam', PW, '10.0.0.6');
      if (!b.ok) throw new Error('second login failed');
      await change();
      expect(auth.verify(a.token).ok, what).toBe(false);
      expect(auth.verify(b.token).ok, what).toBe(false);
      expect(auth.sessionState(a.sid), what).toBe('revoked');
      // Put sam back as he was for the next change.
      auth.removeUser('sam', ADMIN);
    }
    // Other users' sessions are untouched.
    const k = await auth.login('keeper', PW, '10.0.0.7');
    expect(k.ok && auth.verify(k.token).ok).toBe(true);
  });

  it('refuses a token whose user was removed and added again', async () => {
    const auth = fx.open();
    const { token } = await loggedIn(auth);
    auth.removeUser('sam', ADMIN);
    await auth.addUser('sam', 'operator', PW, ADMIN);
    expect(auth.verify(token).ok).toBe(false);
  });

  it('sees a revocation made by another process (the CLI) within a second', async () => {
    const server = fx.open();
    const { sid, token } = await loggedIn(server);
    expect(server.sessionState(sid)).toBe('ok');
    const cli = fx.open(); // its own connection to the same file, as `npm run user` has
    expect((await cli.setPassword('sam', 'changed-by-cli', ADMIN)).ok).toBe(true);
    cli.close();
    const r = await untilNotOk(server, sid, 2000);
    expect(r.state).toBe('revoked');
    expect(r.ms).toBeLessThan(1000);
    expect(server.verify(token).ok).toBe(false);
  });

  it('answers revoked for a session id it never issued', () => {
    const auth = fx.open();
    expect(auth.sessionState('AAAAAAAAAAAAAAAAAAAAAAAA')).toBe('revoked');
  });
});
