import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Role } from '../../protocol';
import { openAuth } from '../../server/auth/authService';
import { ROOT, SERVER_DIST } from '../../server/paths';
import { killGroup, spawnTracked, type Tracked } from './processes';
import { randomPassword, TEST_ACTOR } from './server';

/** The compiled entry point, as production runs it (`npm run build` made it; vitest's setup rebuilds it when stale). */
export const MAIN_JS = join(SERVER_DIST, 'main.js');

/** Environment for a child server: the test runner's, without the server's own configuration variables. */
export function serverEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  const vars = [
    'PORT',
    'HOST',
    'SPEED',
    'SEED',
    'SCALE',
    'PLANT',
    'DATA_DIR',
    'ALARMS',
    'LOG_LEVEL',
    'SCENARIOS',
  ];
  for (const k of [...vars, 'ALLOW_ORIGINS', 'PUBLIC_SHOWCASE', 'SESSION_HOURS', 'RECORD', 'RETENTION_HOURS'])
    delete env[k];
  return env;
}

/** A server started from the real entry point (`node dist/server/main.js`) in a child process. */
export interface MainProcess {
  child: ChildProcess;
  url: string;
  /** Everything it printed so far. */
  output(): string;
  /** How it ended. */
  exited: Tracked['exited'];
}

/** Starts `node dist/server/main.js` with `args` (in its own process group, killed after the test). */
export function spawnMain(args: string[]): Tracked {
  return spawnTracked(process.execPath, [MAIN_JS, ...args], { cwd: ROOT, env: serverEnv() });
}

/** Waits for the "listening" line; the URL (http://127.0.0.1:PORT), or '' when the process ended first. */
export async function listeningUrl(
  p: Pick<Tracked, 'output' | 'child'>,
  timeoutMs = 60_000,
): Promise<string> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; ) {
    const port = /Plant Twin listening on http:\/\/localhost:(\d+)/.exec(p.output())?.[1];
    if (port) return `http://127.0.0.1:${port}`;
    if (p.child.exitCode !== null || p.child.signalCode !== null) return '';
    await new Promise((r) => setTimeout(r, 100));
  }
  return '';
}

/**
 * Starts `node dist/server/main.js --port 0 --data DIR` with `args` and resolves once it listens.
 * It is killed (its whole process group) when the test ends; `killHard` kills it sooner.
 */
export async function startMain(dataDir: string, args: string[] = []): Promise<MainProcess> {
  const p = spawnMain(['--port', '0', '--data', dataDir, '--log-level', 'warn', ...args]);
  const url = await listeningUrl(p);
  if (!url) {
    await p.kill();
    throw new Error(`server did not start:\n${p.output()}`);
  }
  return { child: p.child, url, output: p.output, exited: p.exited };
}

/** Kills a started server (its whole process group) with SIGKILL and resolves once it is gone. */
export async function killHard(child: ChildProcess): Promise<void> {
  const gone =
    child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : null;
  if (child.pid !== undefined) killGroup(child.pid);
  await gone;
}

/** Creates a user in `dataDir` before a server starts there (as the CLI would); returns its password. */
export async function addUserTo(dataDir: string, name: string, role: Role): Promise<string> {
  const auth = openAuth({ dataDir, scryptLogN: 12 });
  try {
    const password = randomPassword();
    const r = await auth.addUser(name, role, password, TEST_ACTOR);
    if (!r.ok) throw new Error(r.message);
    return password;
  } finally {
    auth.close();
  }
}

/** Logs in over the real HTTP API and resolves with the token. */
export async function loginAt(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { token?: string; message?: string };
  if (!body.token) throw new Error(`login of ${username} failed: ${body.message}`);
  return body.token;
}
