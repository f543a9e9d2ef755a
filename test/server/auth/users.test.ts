import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAuth } from '../../../server/auth/authService';
import { ADMIN, authFixture, databaseBytes } from './authHelpers';

const PW = 'user-pass-123';
let fx = authFixture();
afterEach(() => {
  fx.closeAll();
  fx = authFixture();
});

describe('user management', () => {
  it('adds, lists (without hashes), changes and removes users, auditing each change with its actor', async () => {
    const auth = fx.open();
    expect(await auth.addUser('ann', 'viewer', PW, ADMIN)).toEqual({ ok: true });
    fx.clock.t += 1000;
    expect(await auth.addUser('bob', 'admin', PW, ADMIN)).toEqual({ ok: true });
    expect(auth.listUsers()).toEqual([
      { name: 'ann', role: 'viewer', createdAt: fx.clock.t - 1000, updatedAt: fx.clock.t - 1000 },
      { name: 'bob', role: 'admin', createdAt: fx.clock.t, updatedAt: fx.clock.t },
    ]);
    fx.clock.t += 1000;
    expect(auth.setRole('ann', 'trainer', ADMIN)).toEqual({ ok: true });
    expect(await auth.setPassword('ANN', 'new-password-9', ADMIN)).toEqual({ ok: true });
    expect(auth.listUsers()[0]).toMatchObject({ role: 'trainer', updatedAt: fx.clock.t });
    expect((await auth.login('ann', 'new-password-9', '10.0.0.1')).ok).toBe(true);
    expect(auth.removeUser('Ann', ADMIN)).toEqual({ ok: true });
    expect(auth.listUsers().map((u) => u.name)).toEqual(['bob']);

    const trail = auth.audit.query({ action: 'user:*', limit: 10 });
    expect(trail.map((e) => [e.action, e.target, e.params])).toEqual([
      ['user:remove', 'ann', { role: 'trainer' }],
      ['user:passwd', 'ann', null],
      ['user:role', 'ann', { from: 'viewer', to: 'trainer' }],
      ['user:add', 'bob', { role: 'admin' }],
      ['user:add', 'ann', { role: 'viewer' }],
    ]);
    for (const e of trail)
      expect(e).toMatchObject({ user: 'root-test', role: 'admin', source: '127.0.0.1', result: 'ok' });
    expect(JSON.stringify(trail)).not.toContain('new-password-9');
    expect(databaseBytes(fx.dir)).not.toContain('new-password-9');
  });

  it('refuses bad names, roles and passwords with INVALID and changes nothing', async () => {
    const auth = fx.open();
    const bad: [string, string, string][] = [
      ['', 'viewer', PW],
      ['-dash', 'viewer', PW],
      ['a'.repeat(33), 'viewer', PW],
      ['has space', 'viewer', PW],
      ['ok', 'root', PW],
      ['ok', 'viewer', 'short'],
      ['ok', 'viewer', 'x'.repeat(201)],
    ];
    for (const [n, r, p] of bad)
      expect(await auth.addUser(n, r as 'viewer', p, ADMIN), `${n} ${r}`).toMatchObject({
        ok: false,
        code: 'INVALID',
      });
    expect(auth.listUsers()).toEqual([]);
    await auth.addUser('ok', 'viewer', PW, ADMIN);
    expect(await auth.setPassword('ok', 'short', ADMIN)).toMatchObject({ code: 'INVALID' });
    expect(auth.setRole('ok', 'boss' as 'admin', ADMIN)).toMatchObject({ code: 'INVALID' });
    expect((await auth.login('ok', PW, '10.0.0.1')).ok).toBe(true);
  });

  it('treats names case-insensitively: no second "Ann" beside "ann"', async () => {
    const auth = fx.open();
    await auth.addUser('ann', 'viewer', PW, ADMIN);
    expect(await auth.addUser('ANN', 'admin', PW, ADMIN)).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(auth.listUsers()).toHaveLength(1);
    expect(auth.audit.query({ action: 'user:add', limit: 10 })[0]).toMatchObject({
      result: 'refused',
      code: 'CONFLICT',
    });
  });

  it('answers NOT_FOUND for changes to a user that does not exist', async () => {
    const auth = fx.open();
    expect(auth.removeUser('ghost', ADMIN)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await auth.setPassword('ghost', PW, ADMIN)).toMatchObject({ code: 'NOT_FOUND' });
    expect(auth.setRole('ghost', 'admin', ADMIN)).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('never removes or demotes the last admin', async () => {
    const auth = fx.open();
    await auth.addUser('boss', 'admin', PW, ADMIN);
    expect(auth.removeUser('boss', ADMIN)).toMatchObject({ code: 'CONFLICT' });
    expect(auth.setRole('boss', 'viewer', ADMIN)).toMatchObject({ code: 'CONFLICT' });
    await auth.addUser('deputy', 'admin', PW, ADMIN);
    expect(auth.setRole('boss', 'viewer', ADMIN)).toEqual({ ok: true });
  });

  it('creates the first admin with a random password only when there are no users', async () => {
    const auth = fx.open();
    const pw = await auth.ensureFirstAdmin();
    expect(pw).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(auth.listUsers()).toEqual([expect.objectContaining({ name: 'admin', role: 'admin' })]);
    expect(await auth.login('admin', pw, '10.0.0.1')).toMatchObject({ ok: true, role: 'admin' });
    expect(await auth.ensureFirstAdmin()).toBeNull();
    // And not on another database that already has a user.
    const other = authFixture();
    const a2 = other.open();
    await a2.addUser('someone', 'viewer', PW, ADMIN);
    expect(await a2.ensureFirstAdmin()).toBeNull();
    expect(a2.listUsers().map((u) => u.name)).toEqual(['someone']);
    other.closeAll();
    // Two fresh databases never share a password.
    const third = authFixture();
    expect(await third.open().ensureFirstAdmin()).not.toBe(pw);
    third.closeAll();
  });

  it('refuses to open a database it cannot create, naming the directory', () => {
    const file = join(fx.dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const dataDir = join(file, 'data');
    expect(() => openAuth({ dataDir })).toThrow(`cannot open the user database in ${dataDir}`);
  });

  it('works in memory for tests that need no file', async () => {
    const auth = openAuth({ dataDir: ':memory:', scryptLogN: 10 });
    await auth.addUser('mem', 'viewer', PW, ADMIN);
    expect((await auth.login('mem', PW, 'x')).ok).toBe(true);
    auth.close();
  });
});
