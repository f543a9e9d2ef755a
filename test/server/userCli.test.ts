import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAuth } from '../../server/auth/authService';
import { ROOT, SERVER_DIST } from '../../server/paths';
import { runTracked } from '../helpers/processes';

const PW = 'cli-password-1';

/** Runs `npm run user -- ...args` as the real thing does (node dist/server/user.js), stdin piped. */
async function cli(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}) {
  const env = { ...process.env, ...opts.env };
  if (!opts.env?.DATA_DIR) delete env.DATA_DIR;
  const r = await runTracked(process.execPath, [join(SERVER_DIST, 'user.js'), ...args], {
    cwd: ROOT,
    env,
    input: opts.stdin ?? '',
  });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

const newDir = () => mkdtempSync(join(tmpdir(), 'plant-cli-'));

describe('npm run user', () => {
  it('adds a user from --password-stdin (one trailing newline stripped) who can then log in', async () => {
    const dir = newDir();
    const r = await cli(['add', 'nina', '--role', 'operator', '--data', dir, '--password-stdin'], {
      stdin: `${PW}\n`,
    });
    expect(r, r.stderr).toMatchObject({ code: 0 });
    expect(r.stdout).toContain('Added user "nina" (operator)');
    expect(r.stdout + r.stderr).not.toContain(PW);
    const auth = openAuth({ dataDir: dir });
    try {
      expect(await auth.login('nina', PW, 'test')).toMatchObject({ ok: true, role: 'operator' });
      expect(auth.audit.query({ action: 'user:add', limit: 1 })[0]).toMatchObject({
        user: 'cli',
        role: null,
        source: 'cli',
        target: 'nina',
        result: 'ok',
      });
    } finally {
      auth.close();
    }
  });

  it('adds an engineer, a role beside the others that may design but not command', async () => {
    const dir = newDir();
    const r = await cli(['add', 'edda', '--role', 'engineer', '--data', dir, '--password-stdin'], {
      stdin: PW,
    });
    expect(r, r.stderr).toMatchObject({ code: 0 });
    expect(r.stdout).toContain('Added user "edda" (engineer)');
    const auth = openAuth({ dataDir: dir });
    try {
      expect(await auth.login('edda', PW, 'test')).toMatchObject({ ok: true, role: 'engineer' });
    } finally {
      auth.close();
    }
  });

  it('lists, changes the role of, sets the password of and removes users', async () => {
    const dir = newDir();
    await cli(['add', 'admin1', '--role', 'admin', '--data', dir, '--password-stdin'], { stdin: PW });
    await cli(['add', 'walt', '--role', 'viewer', '--data', dir, '--password-stdin'], { stdin: PW });
    const list = await cli(['list', '--data', dir]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/admin1\s+admin/);
    expect(list.stdout).toMatch(/walt\s+viewer/);

    const role = await cli(['role', 'walt', 'trainer', '--data', dir]);
    expect(role).toMatchObject({ code: 0 });
    expect((await cli(['list', '--data', dir])).stdout).toMatch(/walt\s+trainer/);

    const passwd = await cli(['passwd', 'walt', '--data', dir, '--password-stdin'], {
      stdin: 'second-password\r\n',
    });
    expect(passwd, passwd.stderr).toMatchObject({ code: 0 });
    expect(passwd.stdout + passwd.stderr).not.toContain('second-password');
    const auth = openAuth({ dataDir: dir });
    try {
      expect((await auth.login('walt', PW, 'test')).ok).toBe(false);
      expect((await auth.login('walt', 'second-password', 'test')).ok).toBe(true);
    } finally {
      auth.close();
    }

    expect(await cli(['remove', 'walt', '--data', dir])).toMatchObject({ code: 0 });
    const after = await cli(['list', '--data', dir]);
    expect(after.stdout).not.toContain('walt');
    const again = await cli(['remove', 'walt', '--data', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('NOT_FOUND');
  });

  it('takes the data directory from DATA_DIR when --data is not given', async () => {
    const dir = newDir();
    const r = await cli(['add', 'envy', '--role', 'viewer', '--password-stdin'], {
      stdin: PW,
      env: { DATA_DIR: dir },
    });
    expect(r.code).toBe(0);
    expect((await cli(['list', '--data', dir])).stdout).toContain('envy');
  });

  it('ends the sessions of a running server within a second (another process, same database)', async () => {
    const dir = newDir();
    const server = openAuth({ dataDir: dir, scryptLogN: 10 });
    try {
      await server.addUser('sam', 'operator', PW, { user: 'test', role: null, source: 'test' });
      const login = await server.login('sam', PW, '10.0.0.1');
      if (!login.ok) throw new Error('login failed');
      const v = server.verify(login.token);
      if (!v.ok || !v.principal.sid) throw new Error('no session');
      expect(server.sessionState(v.principal.sid)).toBe('ok');
      const r = await cli(['role', 'sam', 'viewer', '--data', dir]);
      expect(r, r.stderr).toMatchObject({ code: 0 });
      const t0 = performance.now();
      while (server.sessionState(v.principal.sid) === 'ok' && performance.now() - t0 < 2000)
        await new Promise((res) => setTimeout(res, 20));
      expect(server.sessionState(v.principal.sid)).toBe('revoked');
      expect(performance.now() - t0).toBeLessThan(1000);
    } finally {
      server.close();
    }
  });

  it('answers usage errors with exit status 2 and the usage text', async () => {
    const dir = newDir();
    const cases: [string[], RegExp][] = [
      [[], /no command/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['add', 'x', '--data', dir, '--password-stdin'], /needs --role/],
      [['add', 'x', '--role', 'root', '--data', dir, '--password-stdin'], /"root" is not a role/],
      [['role', 'x', 'superuser', '--data', dir], /"superuser" is not a role/],
      [['add', '-bad-', '--role', 'viewer', '--data', dir], /Unknown option|not a user name/],
      [['add', 'bad name', '--role', 'viewer', '--data', dir, '--password-stdin'], /not a user name/],
      [['remove'], /takes 1 argument/],
      [['list', '--nope'], /Unknown option/],
      // stdin is a pipe, not a terminal: the password must come with --password-stdin
      [['add', 'x', '--role', 'viewer', '--data', dir], /--password-stdin/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args, { stdin: PW });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).toContain('Usage: npm run user');
    }
  });

  it('refuses to work on a directory without a database, except to add the first users', async () => {
    const dir = newDir();
    const list = await cli(['list', '--data', dir]);
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(/no database in .*is --data right/);
    expect(readdirSync(dir)).toEqual([]);
    expect(
      (await cli(['add', 'early', '--role', 'admin', '--data', dir, '--password-stdin'], { stdin: PW })).code,
    ).toBe(0);
    expect((await cli(['list', '--data', dir])).stdout).toContain('early');
  });

  it('answers refusals with exit status 1 and a clear message', async () => {
    const dir = newDir();
    const short = await cli(['add', 'tiny', '--role', 'viewer', '--data', dir, '--password-stdin'], {
      stdin: 'short',
    });
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/10 to 200 characters/);
    expect(short.stdout + short.stderr).not.toContain('short\n');
    await cli(['add', 'dup', '--role', 'viewer', '--data', dir, '--password-stdin'], { stdin: PW });
    const dup = await cli(['add', 'DUP', '--role', 'viewer', '--data', dir, '--password-stdin'], {
      stdin: PW,
    });
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/CONFLICT.*already exists/);
    const ghost = await cli(['passwd', 'ghost', '--data', dir, '--password-stdin'], { stdin: PW });
    expect(ghost.code).toBe(1);
    expect(ghost.stderr).toMatch(/NOT_FOUND.*no user "ghost"/);
  });

  it('prints its usage for --help with exit status 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: npm run user');
  });
});
