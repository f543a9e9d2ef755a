import { afterEach, describe, expect, it } from 'vitest';
import { WRONG_LOGIN } from '../../../server/auth/authService';
import { FIRST_LOCK_MS, MAX_LOCK_MS } from '../../../server/auth/loginThrottle';
import { ADMIN, authFixture, databaseBytes } from './authHelpers';

const PW = 'operator-pass-1';
let fx = authFixture();
afterEach(() => {
  fx.closeAll();
  fx = authFixture();
});

async function withOperator() {
  const auth = fx.open();
  expect(await auth.addUser('Olga', 'operator', PW, ADMIN)).toEqual({ ok: true });
  return auth;
}

describe('login', () => {
  it('opens a session for the right password, with a token, the role and the expiry', async () => {
    const auth = await withOperator();
    const r = await auth.login('olga', PW, '10.0.0.5');
    expect(r).toMatchObject({
      ok: true,
      user: 'Olga',
      role: 'operator',
      expiresAt: fx.clock.t + 12 * 3600_000,
    });
    if (!r.ok) return;
    expect(auth.verify(r.token)).toMatchObject({ ok: true, principal: { user: 'Olga', role: 'operator' } });
    const [entry] = auth.audit.query({ action: 'login', limit: 10 });
    expect(entry).toMatchObject({ user: 'Olga', role: 'operator', source: '10.0.0.5', result: 'ok' });
  });

  it('gives the same answer to a wrong password and to an unknown user', async () => {
    const auth = await withOperator();
    const wrong = await auth.login('Olga', 'not-the-password', '10.0.0.5');
    const unknown = await auth.login('nobody', 'not-the-password', '10.0.0.5');
    expect(wrong).toEqual({ ok: false, code: 'UNAUTHENTICATED', message: WRONG_LOGIN });
    expect(unknown).toEqual(wrong);
    const failed = auth.audit.query({ action: 'login-failed', limit: 10 });
    expect(failed.map((e) => [e.user, e.code])).toEqual([
      ['-', 'UNAUTHENTICATED'],
      ['Olga', 'UNAUTHENTICATED'],
    ]);
  });

  it('spends a password check on unknown users too, so timing does not tell them apart', async () => {
    const auth = fx.open();
    // A costlier hash than the fixture's makes the difference measurable: 2^13.
    const { openAuth } = await import('../../../server/auth/authService');
    const slow = openAuth({ dataDir: fx.dir, now: () => fx.clock.t, scryptLogN: 13 });
    try {
      await slow.addUser('timed', 'viewer', PW, ADMIN);
      const time = async (name: string, i: number) => {
        const t = performance.now();
        await slow.login(name, 'wrong-password', `10.1.0.${i}`);
        return performance.now() - t;
      };
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      await time('unknown', 99); // first use builds the dummy hash
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 4; i++) {
        known.push(await time('timed', i));
        unknown.push(await time('unknown', i));
      }
      // Without the dummy check an unknown user answers in well under a millisecond.
      expect(median(unknown)).toBeGreaterThan(median(known) / 3);
    } finally {
      slow.close();
      auth.close();
    }
  });

  it('answers INVALID to malformed input, without throwing', async () => {
    const auth = await withOperator();
    const inputs: [unknown, unknown][] = [
      [undefined, PW],
      ['Olga', undefined],
      [42, PW],
      ['Olga', { toString: () => PW }],
      ['', PW],
      ['Olga', ''],
      ['../../etc/passwd', PW],
      ['a'.repeat(33), PW],
      ['Olga', 'x'.repeat(201)],
      [['Olga'], PW],
    ];
    for (const [u, p] of inputs)
      expect(await auth.login(u, p, '10.0.0.5')).toMatchObject({ ok: false, code: 'INVALID' });
  });

  it('refuses a user name after 5 failures with RATE_LIMITED, without checking the password', async () => {
    const auth = await withOperator();
    for (let i = 0; i < 5; i++)
      expect(await auth.login('Olga', `wrong-${i}-password`, `10.0.0.${i}`)).toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    // Another case, another source: the same account.
    const locked = await auth.login('OLGA', PW, '10.9.9.9');
    expect(locked).toMatchObject({ ok: false, code: 'RATE_LIMITED', retryAfterMs: FIRST_LOCK_MS });
    const last = auth.audit.query({ action: 'login-failed', limit: 1 })[0];
    expect(last).toMatchObject({ user: 'Olga', code: 'RATE_LIMITED', result: 'refused' });
    // Once the lockout has passed, the right password works and clears the count.
    fx.clock.t += FIRST_LOCK_MS;
    expect(await auth.login('Olga', PW, '10.9.9.9')).toMatchObject({ ok: true });
    expect(await auth.login('Olga', 'wrong-again-pass', '10.9.9.9')).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(await auth.login('Olga', PW, '10.9.9.9')).toMatchObject({ ok: true });
  });

  it('doubles the lockout with each further failure, up to 15 minutes', async () => {
    const auth = await withOperator();
    for (let i = 0; i < 5; i++) await auth.login('Olga', 'wrong-password-x', '10.0.0.1');
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await auth.login('Olga', 'wrong-password-x', '10.0.0.1');
      expect(r).toMatchObject({ code: 'RATE_LIMITED' });
      const wait = (r as { retryAfterMs: number }).retryAfterMs;
      waits.push(wait);
      fx.clock.t += wait; // wait it out, then fail once more
      expect(await auth.login('Olga', 'wrong-password-x', '10.0.0.1')).toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    }
    expect(waits).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, MAX_LOCK_MS]);
    // Still 15 minutes after the next failure; half an hour of quiet ends the run.
    const again = await auth.login('Olga', PW, '10.0.0.1');
    expect(again).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: MAX_LOCK_MS });
    fx.clock.t += 30 * 60_000 + 1;
    for (let i = 0; i < 4; i++)
      expect(await auth.login('Olga', 'wrong-password-x', '10.0.0.1')).toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    expect(await auth.login('Olga', PW, '10.0.0.1')).toMatchObject({ ok: true });
  });

  it('forgets failures older than 15 minutes', async () => {
    const auth = await withOperator();
    for (let i = 0; i < 4; i++) await auth.login('Olga', 'wrong-password-x', '10.0.0.1');
    fx.clock.t += 15 * 60_000 + 1;
    for (let i = 0; i < 4; i++) await auth.login('Olga', 'wrong-password-x', '10.0.0.1');
    expect(await auth.login('Olga', PW, '10.0.0.1')).toMatchObject({ ok: true });
  });

  it('refuses a source address after 20 failures, whatever user names it tries', async () => {
    const auth = await withOperator();
    for (let i = 0; i < 20; i++) {
      fx.clock.t += 1000;
      expect(await auth.login(`guess${i}`, 'wrong-password-x', '10.6.6.6')).toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    }
    const r = await auth.login('Olga', PW, '10.6.6.6');
    // Until the oldest failure leaves the 15-minute window.
    expect(r).toMatchObject({ ok: false, code: 'RATE_LIMITED', retryAfterMs: 15 * 60_000 - 19_000 });
    expect(await auth.login('Olga', PW, '10.0.0.7')).toMatchObject({ ok: true });
  });

  it('counts attempts still being checked, so a parallel burst cannot pass the limit', async () => {
    const auth = await withOperator();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => auth.login('Olga', `wrong-${i}-password`, '10.0.0.1')),
    );
    const codes = answers.map((a) => (a.ok ? 'ok' : a.code));
    expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(5);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(7);
  });

  it('checks at most 16 passwords at once and asks the rest to retry in a second', async () => {
    const auth = await withOperator();
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) => auth.login(`user${i}`, 'wrong-password', `10.2.0.${i}`)),
    );
    const limited = answers.filter((a) => !a.ok && a.code === 'RATE_LIMITED');
    expect(answers.filter((a) => !a.ok && a.code === 'UNAUTHENTICATED')).toHaveLength(16);
    expect(limited).toHaveLength(8);
    expect(limited[0]).toMatchObject({ retryAfterMs: 1000 });
  });

  it('never writes the password or the token to the audit or the database', async () => {
    const auth = await withOperator();
    const r = await auth.login('Olga', PW, '10.0.0.5');
    await auth.login('Olga', 'a-wrong-password', '10.0.0.5');
    if (!r.ok) throw new Error('login failed');
    expect(auth.logout(r.token, '10.0.0.5')).toBe(true);
    const audit = JSON.stringify(auth.audit.query({ limit: 1000 }));
    const signature = r.token.split('.')[1];
    for (const secret of [PW, 'a-wrong-password', r.token, signature]) {
      expect(audit).not.toContain(secret);
      expect(databaseBytes(fx.dir)).not.toContain(secret);
    }
  });
});
