import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../server/paths';
import { DEFAULT_PLANT } from '../../server/plantFile';
import { openRecordingStore } from '../../server/store/recordingStore';
import { addUserTo, listeningUrl, loginAt, serverEnv, spawnMain } from '../helpers/mainProcess';
import { childrenOf, cmdlineOf, isAlive, spawnTracked, type Tracked } from '../helpers/processes';
import { connectClient, nextEvent, type TestClient } from '../helpers/server';

const tempDir = () => mkdtempSync(join(tmpdir(), 'plant-startup-'));

/**
 * Runs the compiled entry point (`node dist/server/main.js`, as `npm start` does after building)
 * on its own data directory (`dataDir`, or a fresh one): never the developer's ./data.
 */
function runServer(args: string[], dataDir = tempDir()): Tracked {
  return spawnMain([...args, '--data', dataDir]);
}

/** How long the issue allows from SIGTERM to exit, ms. */
const EXIT_BOUND_MS = 5000;

/** Sends `signal` to `pid` and resolves with the tracked process's exit and how long it took, ms. */
async function signalAndWait(p: Tracked, pid: number, signal: NodeJS.Signals = 'SIGTERM') {
  const sent = Date.now();
  process.kill(pid, signal);
  const result = await p.exited;
  return { ...result, ms: Date.now() - sent };
}

/** Polls until `cond()` holds; false when it never did within `timeoutMs`. */
async function until(cond: () => boolean, timeoutMs = 60_000): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; ) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

/** Files a process has mapped (native addons show here: a loaded Vite or esbuild would). */
function mappedFiles(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/maps`, 'utf8');
  } catch {
    return '';
  }
}

const FIRST_ADMIN = /created user "admin" \(role admin\) with the password\s+(\S+)/;

describe('the server entry point', () => {
  it('prints its URL, serves the client and answers /healthz', async () => {
    const s = runServer(['--port', '0', '--log-level', 'warn']);
    const url = await listeningUrl(s);
    expect(url, s.output()).not.toBe('');
    const health = await (await fetch(`${url}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok' });
    const page = await fetch(url);
    expect(await page.text()).toContain('<div id="root">');
    s.child.kill('SIGTERM');
    expect((await s.exited).code).toBe(0);
  });

  it('creates "admin" on first start, prints its password once, and not on the next start', async () => {
    const dir = tempDir();
    const first = runServer(['--port', '0', '--log-level', 'info'], dir);
    const url = await listeningUrl(first);
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
    expect((await first.exited).code).toBe(0);

    const second = runServer(['--port', '0', '--log-level', 'info'], dir);
    const url2 = await listeningUrl(second);
    expect(url2, second.output()).not.toBe('');
    expect(second.output()).not.toMatch(FIRST_ADMIN);
    expect(second.output()).not.toContain(password);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
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
    expect((await s.exited).code).toBe(1);
    expect(s.output()).toContain('equipment[0].position: expected 3 numbers');
  });

  it('refuses bad flags with a message naming the flag', async () => {
    const s = runServer(['--speed', '500']);
    expect((await s.exited).code).toBe(1);
    expect(s.output()).toContain('--speed: expected a speed between 0.1 and 50');
  });
});

describe('npm start', () => {
  it('serves from one plain node process with no child processes, and exits 0 on SIGTERM', async () => {
    const dir = tempDir();
    // As a user types it; it builds first when dist/ is missing or stale (npm test built it).
    const npm = spawnTracked('npm', ['start', '--', '--port', '0', '--data', dir, '--log-level', 'warn'], {
      cwd: ROOT,
      // No update check: nothing but the server may run beneath npm.
      env: { ...serverEnv(), npm_config_update_notifier: 'false' },
    });
    const url = await listeningUrl(npm, 120_000);
    expect(url, npm.output()).not.toBe('');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    // npm's own process, then exactly one: node running the launcher, which serves in-process.
    const [server, ...others] = childrenOf(npm.pid);
    expect(others, npm.output()).toEqual([]);
    const argv = cmdlineOf(server);
    expect(argv[0]).toMatch(/(^|\/)node$/);
    expect(argv[1]).toMatch(/scripts\/start\.mjs$/);
    expect(argv.join(' ')).not.toMatch(/tsx|vite|--import|--loader|--require/);
    // Vite (rolldown) and esbuild come with native code: neither is mapped into the server.
    expect(mappedFiles(server)).not.toMatch(/node_modules\/(@?rolldown|@?esbuild|vite)\b/);
    // The recording worker is a thread, not a process: nothing beneath the server.
    expect(childrenOf(server)).toEqual([]);

    const stop = await signalAndWait(npm, server);
    expect(stop.code, npm.output()).toBe(0);
    expect(stop.ms).toBeLessThan(EXIT_BOUND_MS);
    expect(isAlive(server)).toBe(false);
  }, 180_000);

  it('exits 0 on SIGTERM during start-up', async () => {
    const dir = tempDir();
    // The plant file is a FIFO: start-up stops reading it until this test writes the plant, so the
    // signal surely arrives mid start-up (after the handlers, before listening).
    const fifo = join(dir, 'plant.json');
    execFileSync('mkfifo', [fifo]);
    const p = spawnTracked(
      process.execPath,
      [join(ROOT, 'scripts', 'start.mjs'), '--port', '0', '--plant', fifo],
      {
        cwd: ROOT,
        env: { ...serverEnv(), DATA_DIR: join(dir, 'data') },
      },
    );
    // Opening a FIFO for writing completes once the server opened it for reading.
    const writer = await open(fifo, 'w');
    const sent = Date.now();
    process.kill(p.pid, 'SIGTERM');
    await writer.writeFile(readFileSync(DEFAULT_PLANT));
    await writer.close();
    const result = await p.exited;
    expect(result, p.output()).toEqual({ code: 0, signal: null });
    expect(Date.now() - sent).toBeLessThan(EXIT_BOUND_MS);
    expect(p.output()).not.toContain('listening');
  }, 120_000);

  it('exits 0 on SIGTERM under load, with the live recording committed', async () => {
    const dir = tempDir();
    const password = await addUserTo(dir, 'vera', 'viewer');
    const p = spawnTracked(
      process.execPath,
      [
        join(ROOT, 'scripts', 'start.mjs'),
        '--port',
        '0',
        '--data',
        dir,
        '--speed',
        '50',
        '--log-level',
        'warn',
      ],
      { cwd: ROOT, env: serverEnv() },
    );
    const url = await listeningUrl(p, 120_000);
    expect(url, p.output()).not.toBe('');
    const token = await loginAt(url, 'vera', password);
    const clients: TestClient[] = [];
    try {
      for (let i = 0; i < 6; i++) clients.push(connectClient(url, { token }));
      await Promise.all(clients.map((c) => nextEvent(c, 'plant:snapshot')));
      // Streaming: every client gets frames before the signal.
      let frames = 0;
      for (const c of clients) c.on('telemetry:frame', () => frames++);
      expect(await until(() => frames >= 30)).toBe(true);

      const stop = await signalAndWait(p, p.pid);
      expect(stop.code, p.output()).toBe(0);
      expect(stop.ms).toBeLessThan(EXIT_BOUND_MS);
    } finally {
      for (const c of clients) c.close();
    }
    const store = openRecordingStore(dir);
    try {
      const live = store.list().filter((r) => r.kind === 'live');
      expect(live).toHaveLength(1);
      expect(live[0].endedAt).not.toBeNull();
      expect(live[0].toSimS).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  }, 180_000);
});
