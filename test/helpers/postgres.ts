import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { afterAll } from 'vitest';
import { freePort } from './mosquitto';
import { childrenOf, cmdlineOf, isAlive, runTracked, spawnTracked, type Tracked } from './processes';

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

/** An existing PostgreSQL server to test against instead of starting one (`postgres://...`). */
const EXTERNAL = process.env.PLANT_TWIN_TEST_DATABASE;

/** Finds a PostgreSQL server binary on PATH or in Debian's /usr/lib/postgresql/<major>/bin. */
function findBin(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  // Newest major first.
  const majors = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const m of majors) if (existsSync(join(root, m, 'bin', name))) return join(root, m, 'bin', name);
  return null;
}

const INITDB = findBin('initdb');
const POSTGRES = findBin('postgres');

/** Whether there is a PostgreSQL to test against (binaries to start one, or an external URL). */
export const hasPostgres = Boolean(EXTERNAL) || (INITDB !== null && POSTGRES !== null);

/** A PostgreSQL server for one test file; each `createDatabase()` gives a fresh, empty database. */
export interface TestPostgres {
  /** URL of the server's `postgres` maintenance database. */
  readonly url: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (or drops the databases made on an external one) and removes its files. */
  stop(): Promise<void>;
}

/** Resolves once a client can connect and run a query (polls every 100 ms, up to `ms`). */
async function waitForServer(url: string, ms: number, proc: Tracked | null): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      await c.end();
      return;
    } catch (e) {
      await c.end().catch(() => {});
      if (proc && proc.child.exitCode !== null)
        throw new Error(`postgres exited while starting:\n${proc.output()}`);
      if (Date.now() > until)
        throw new Error(`postgres did not accept connections within ${ms} ms: ${(e as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A database name nobody else uses (lower case: unquoted identifiers fold to it). */
const freshName = () => `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function createOn(adminUrl: string, made: string[]): Promise<string> {
  const name = freshName();
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  made.push(name);
  return withDatabase(adminUrl, name);
}

async function connectExternal(url: string): Promise<TestPostgres> {
  const made: string[] = [];
  await waitForServer(url, 10_000, null);
  return {
    url,
    createDatabase: () => createOn(url, made),
    stop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        for (const name of made.splice(0)) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Starts a throwaway PostgreSQL cluster: initdb into a temp dir (trust auth, no fsync), then the
 * `postgres` server itself through spawnTracked on a free port, listening on 127.0.0.1 and a
 * socket in its own dir. Run as the `postgres` user when we are root, through the spawn's uid/gid
 * rather than a runuser wrapper, so the server is the group leader that the group kill reaches.
 * Start one per test file (beforeAll): initdb takes seconds on a loaded machine.
 * Uses `PLANT_TWIN_TEST_DATABASE` instead when that is set.
 */
export async function startPostgres(): Promise<TestPostgres> {
  if (EXTERNAL) return connectExternal(EXTERNAL);
  if (!INITDB || !POSTGRES) throw new Error('no PostgreSQL server binaries (initdb, postgres) found');
  const ids = postgresIds();
  const dir = mkdtempSync(join(tmpdir(), 'pg-'));
  leftovers.add(dir);
  if (ids) chownSync(dir, ids.uid, ids.gid);
  const data = join(dir, 'data');
  const as = ids ? { uid: ids.uid, gid: ids.gid } : {};
  // cwd: a dir that user can read (initdb and postgres refuse a cwd they cannot stat).
  const init = await runTracked(INITDB, ['-D', data, '-A', 'trust', '-U', 'postgres', '-N', '-E', 'UTF8'], {
    ...as,
    cwd: dir,
  });
  if (init.code !== 0) throw new Error(`initdb failed (${init.code}):\n${init.stdout}${init.stderr}`);
  const port = await freePort();
  const proc = spawnTracked(
    POSTGRES,
    [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      // Dynamic shared memory as files in the data dir: nothing left in /dev/shm after a kill.
      '-c',
      'dynamic_shared_memory_type=mmap',
      '-c',
      'shared_buffers=16MB',
      '-c',
      'max_connections=60',
    ],
    { ...as, cwd: dir },
  );
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  try {
    await waitForServer(url, 30_000, proc);
  } catch (e) {
    await proc.kill();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const made: string[] = [];
  const stop = async () => {
    live.delete(stop);
    // The server's children each call setsid(), so the group kill reaches the postmaster only
    // (they exit on their own when it dies); note them now and make sure of them below.
    const children = childrenOf(proc.pid);
    // SIGQUIT: immediate shutdown, the postmaster stops its children and removes its shared memory.
    if (proc.child.exitCode === null && proc.child.signalCode === null) {
      try {
        process.kill(proc.pid, 'SIGQUIT');
      } catch {}
      await Promise.race([proc.exited, new Promise((r) => setTimeout(r, 5_000))]);
    }
    await proc.kill();
    for (const pid of children) {
      // Only if it is still that server process (a pid may be reused once it is gone).
      if (!isAlive(pid) || !cmdlineOf(pid)[0]?.startsWith('postgres')) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    rmSync(dir, { recursive: true, force: true });
    leftovers.delete(dir);
  };
  live.add(stop);
  return { url, createDatabase: () => createOn(url, made), stop };
}

/** The `postgres` account's uid and gid (from /etc/passwd) when we are root; null when not root. */
function postgresIds(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null; // already unprivileged: run as ourselves
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) throw new Error('running as root but there is no `postgres` user to run the server as');
  return { uid: Number(uid), gid: Number(gid) };
}
