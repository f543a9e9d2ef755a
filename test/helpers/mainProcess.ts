import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Role } from '../../protocol';
import { openAuth } from '../../server/auth/authService';
import { ROOT } from '../../server/clientBuild';
import { randomPassword, TEST_ACTOR } from './server';

const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** A server started from the real entry point (server/main.ts) in a child process. */
export interface MainProcess {
  child: ChildProcess;
  url: string;
  /** Everything it printed so far. */
  output(): string;
}

/**
 * Starts `server/main.ts --port 0 --data DIR` with `args` and resolves once it listens. The caller
 * kills it (SIGKILL is the point of most such tests).
 */
export async function startMain(dataDir: string, args: string[] = []): Promise<MainProcess> {
  const env = { ...process.env };
  const vars = ['PORT', 'HOST', 'SPEED', 'SEED', 'SCALE', 'PLANT', 'DATA_DIR', 'ALARMS', 'LOG_LEVEL'];
  for (const k of [...vars, 'ALLOW_ORIGINS', 'PUBLIC_SHOWCASE', 'SESSION_HOURS']) delete env[k];
  const argv = ['server/main.ts', '--port', '0', '--data', dataDir, '--log-level', 'warn', ...args];
  const child = spawn(TSX, argv, { cwd: ROOT, env });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  for (let i = 0; i < 300; i++) {
    const port = /Plant Twin listening on http:\/\/localhost:(\d+)/.exec(out)?.[1];
    if (port) return { child, url: `http://127.0.0.1:${port}`, output: () => out };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start:\n${out}`);
}

/** Kills a child with SIGKILL and resolves once it is gone. */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
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
