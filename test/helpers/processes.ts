import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, onTestFinished } from 'vitest';

/**
 * Every process a test starts goes through `spawnTracked`: it runs in a process group of its own
 * (detached), and the whole group is killed with SIGKILL when the test that started it finishes
 * (or, when started outside a test, after the file), and also when this vitest worker exits or is
 * signalled, so a failing or crashing test leaves nothing behind (a wrapper's children included).
 */

/** Process-group ids still alive, shared by every copy of this module in the worker. */
const KEY = Symbol.for('plant-twin.test-process-groups');
type Registry = { groups: Set<number>; hooked: boolean };
const holder = globalThis as Record<symbol, Registry | undefined>;
holder[KEY] ??= { groups: new Set(), hooked: false };
const registry: Registry = holder[KEY];

/** SIGKILLs a whole process group; true when something was there to kill. */
export function killGroup(pgid: number): boolean {
  registry.groups.delete(pgid);
  try {
    process.kill(-pgid, 'SIGKILL');
    return true;
  } catch {
    return false; // ESRCH: the group is already gone
  }
}

/** Kills every group this worker started and has not killed yet (synchronous: fit for 'exit'). */
export function killAllGroups(): void {
  for (const pgid of [...registry.groups]) killGroup(pgid);
}

if (!registry.hooked) {
  registry.hooked = true;
  process.on('exit', killAllGroups);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllGroups();
      // Then die of the signal as if nobody had listened.
      process.kill(process.pid, signal);
    });
  }
}
afterAll(killAllGroups);

/** A tracked child: its output so far and a promise of how it ended. */
export interface Tracked {
  child: ChildProcess;
  pid: number;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** Resolves once it ended and its output is complete. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILLs its whole group and resolves once the child itself is reaped. */
  kill(): Promise<void>;
}

/** Spawns `cmd args` in its own process group, registered for cleanup (see above). */
export function spawnTracked(cmd: string, args: string[], options: SpawnOptions = {}): Tracked {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options, detached: true });
  if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
  const pid = child.pid;
  registry.groups.add(pid);
  let out = '';
  let so = '';
  let se = '';
  child.stdout?.on('data', (d) => {
    out += d;
    so += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
    se += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    // 'close', not 'exit': by then its output is complete too.
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const kill = async () => {
    killGroup(pid);
    if (child.exitCode === null && child.signalCode === null) await exited;
  };
  try {
    onTestFinished(() => kill());
  } catch {
    // Started outside a test (beforeAll, module scope): killed after the file or at exit.
  }
  return { child, pid, output: () => out, stdout: () => so, stderr: () => se, exited, kill };
}

/** Runs `cmd args` to completion (tracked like spawnTracked); resolves with its status and output. */
export async function runTracked(
  cmd: string,
  args: string[],
  options: SpawnOptions & { input?: string } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const { input, ...rest } = options;
  const t = spawnTracked(cmd, args, { ...rest, stdio: ['pipe', 'pipe', 'pipe'] });
  t.child.stdin?.end(input ?? '');
  const { code, signal } = await t.exited;
  return { code, signal, stdout: t.stdout(), stderr: t.stderr() };
}

/** Whether a process is alive (a zombie, dead but not yet reaped, counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Live child processes of `pid` (from /proc/N/stat's ppid field). */
export function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[0] state, fields[1] ppid
      if (Number(fields[1]) === pid && fields[0] !== 'Z') kids.push(Number(name));
    } catch {
      // gone while we looked
    }
  }
  return kids;
}

/** A process's command line as its arguments (empty when it is gone). */
export function cmdlineOf(pid: number): string[] {
  const file = `/proc/${pid}/cmdline`;
  if (!existsSync(file)) return [];
  try {
    return readFileSync(file, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}
