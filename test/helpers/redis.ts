import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';
import { freePort } from './mosquitto';
import { spawnTracked, type Tracked } from './processes';

/**
 * Servers still running and their temp dirs. A file whose own afterAll did not stop its server
 * (it failed first) has it stopped here, after the file; a worker that exits removes the dirs.
 */
const live = new Set<() => Promise<void>>();
const leftovers = new Set<string>();
afterAll(async () => {
  for (const stop of [...live]) await stop();
});
process.on('exit', () => {
  for (const d of leftovers) rmSync(d, { recursive: true, force: true });
});

/** Debian's Redis server binary. */
export const REDIS_SERVER = '/usr/bin/redis-server';

/** An existing Redis to test against instead of starting one (`redis://host:port`). */
const EXTERNAL = process.env.PLANT_TWIN_TEST_REDIS;

/** Whether there is a Redis to test against (a binary to start, or an external URL). */
export const hasRedis = Boolean(EXTERNAL) || existsSync(REDIS_SERVER);

/** Whether tests may kill, pause and restart the Redis (only one this helper started). */
export const canControlRedis = !EXTERNAL && existsSync(REDIS_SERVER);

/** A Redis a test uses: its URL, and (for one the helper started) how to break it. */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** Kills it for good and removes its directory. */
  stop(): Promise<void>;
  /** SIGKILLs it (its whole process group), as a crash would; `restart()` brings it back. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty (no persistence), and waits until PING answers. */
  restart(): Promise<void>;
  /** SIGSTOP: connections stay open but nothing answers. */
  pause(): void;
  /** SIGCONT after `pause()`. */
  resume(): void;
}

/** Resolves once `PING` on 127.0.0.1:port answers `+PONG` (polls every 50 ms, up to `ms`). */
export async function waitForPing(port: number, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect(port, '127.0.0.1');
      let got = '';
      const done = (v: boolean) => {
        c.destroy();
        resolve(v);
      };
      c.setTimeout(1_000, () => done(false));
      c.once('connect', () => c.write('PING\r\n'));
      c.on('data', (d) => {
        got += d;
        if (got.includes('\r\n')) done(got.startsWith('+PONG'));
      });
      c.once('error', () => done(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`redis on port ${port} did not answer PING within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An external Redis: a db index of this file's own, flushed, so parallel test files do not mix. */
async function connectExternal(url: string): Promise<TestRedis> {
  const { Redis } = await import('ioredis');
  // Indexes 1..15 (0 is left to whoever owns that server); random so two workers rarely collide.
  const db = 1 + Math.floor(Math.random() * 15);
  const u = new URL(url);
  u.pathname = `/${db}`;
  const r = new Redis(u.toString(), { lazyConnect: true });
  await r.connect();
  await r.flushdb();
  r.disconnect();
  const refuse = () => {
    throw new Error('PLANT_TWIN_TEST_REDIS is set: this Redis cannot be killed or paused by tests');
  };
  return {
    url: u.toString(),
    port: Number(u.port || 6379),
    stop: async () => {},
    kill: async () => refuse(),
    restart: async () => refuse(),
    pause: refuse,
    resume: refuse,
  };
}

/**
 * Starts a real redis-server on a free port (no RDB, no AOF, a temp dir of its own) through
 * spawnTracked, so it dies with its test or file even when the test fails. Uses
 * `PLANT_TWIN_TEST_REDIS` instead when that is set.
 */
export async function startRedis(): Promise<TestRedis> {
  if (EXTERNAL) return connectExternal(EXTERNAL);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'redis-'));
  let proc: Tracked | null = null;
  const start = async () => {
    const p = spawnTracked(REDIS_SERVER, [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ]);
    proc = p;
    try {
      await waitForPing(port);
    } catch (e) {
      await p.kill();
      throw new Error(`${(e as Error).message}\n${p.output()}`);
    }
  };
  const kill = async () => {
    const p = proc;
    proc = null;
    if (p) await p.kill();
  };
  const signal = (sig: NodeJS.Signals) => {
    if (!proc) throw new Error('redis is not running');
    process.kill(-proc.pid, sig);
  };
  await start();
  const stop = async () => {
    live.delete(stop);
    await kill();
    rmSync(dir, { recursive: true, force: true });
    leftovers.delete(dir);
  };
  live.add(stop);
  leftovers.add(dir);
  try {
    // Started inside a test: gone with it, also when it fails before its own stop().
    onTestFinished(stop);
  } catch {
    // Started in beforeAll: the file's afterAll stops it (spawnTracked kills it in any case).
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    restart: async () => {
      await kill();
      await start();
    },
    stop,
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
  };
}
