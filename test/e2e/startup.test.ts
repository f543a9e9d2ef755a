import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../server/clientBuild';

const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const children: ChildProcess[] = [];

const tempDir = () => mkdtempSync(join(tmpdir(), 'plant-startup-'));

/**
 * Runs the real entry point (as `npm start` does after building) and collects its output. Always
 * on its own data directory (`dataDir`, or a fresh one): never the developer's ./data.
 */
function runServer(args: string[], dataDir = tempDir()) {
  const env = { ...process.env };
  for (const k of [
    'PORT',
    'SPEED',
    'SEED',
    'SCALE',
    'PLANT',
    'DATA_DIR',
    'ALARMS',
    'ALLOW_ORIGINS',
    'PUBLIC_SHOWCASE',
    'SESSION_HOURS',
  ])
    delete env[k];
  const child = spawn(TSX, ['server/main.ts', ...args, '--data', dataDir], { cwd: ROOT, env });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

/** Waits for the "listening" line; the URL, or '' when it never came. */
async function listeningUrl(output: () => string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const url = /Plant Twin listening on (http:\/\/localhost:\d+)/.exec(output())?.[1];
    if (url) return url;
    await new Promise((r) => setTimeout(r, 100));
  }
  return '';
}

const FIRST_ADMIN = /created user "admin" \(role admin\) with the password\s+(\S+)/;

describe('the server entry point', () => {
  it('prints its URL, serves the client and answers /healthz', async () => {
    const s = runServer(['--port', '0', '--log-level', 'warn']);
    const url = await listeningUrl(s.output);
    expect(url, s.output()).not.toBe('');
    const health = await (await fetch(`${url}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok' });
    const page = await fetch(url);
    expect(await page.text()).toContain('<div id="root">');
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('creates "admin" on first start, prints its password once, and not on the next start', async () => {
    const dir = tempDir();
    const first = runServer(['--port', '0', '--log-level', 'info'], dir);
    const url = await listeningUrl(first.output);
    expect(url, first.output()).not.toBe('');
    const password = FIRST_ADMIN.exec(first.output())?.[1] ?? '';
    expect(password, first.output()).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(first.output()).toContain('npm run user -- passwd admin');
    // Exactly once, and never in a log line.
    expect(first.output().split(password)).toHaveLength(2);
    const login = await fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(login.status).toBe(200);
    expect(await login.json()).toMatchObject({ ok: true, user: 'admin', role: 'admin' });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = runServer(['--port', '0', '--log-level', 'info'], dir);
    const url2 = await listeningUrl(second.output);
    expect(url2, second.output()).not.toBe('');
    expect(second.output()).not.toMatch(FIRST_ADMIN);
    expect(second.output()).not.toContain(password);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('refuses a broken plant file at start with path-named errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plant-'));
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'Bad',
        zones: [{ id: 'H', name: 'Hall', kind: 'hall', min: [0, 0], max: [10, 10] }],
        equipment: [
          { id: 'C1', kind: 'conveyor', name: 'C1', zone: 'H', position: [1, 2], props: { length: 5 } },
        ],
      }),
    );
    const s = runServer(['--port', '0', '--plant', file]);
    expect(await s.exited).toBe(1);
    expect(s.output()).toContain('equipment[0].position: expected 3 numbers');
  });

  it('refuses bad flags with a message naming the flag', async () => {
    const s = runServer(['--speed', '500']);
    expect(await s.exited).toBe(1);
    expect(s.output()).toContain('--speed: expected a speed between 0.1 and 50');
  });
});
