import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's Mosquitto (`.ci/run` installs it when missing). */
export const MOSQUITTO = '/usr/sbin/mosquitto';

/** Whether a Mosquitto binary is there to test against. */
export const hasMosquitto = existsSync(MOSQUITTO);

/** A free TCP port on 127.0.0.1 (bound and released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on the port (polls every 50 ms, up to `ms`). */
export async function waitForPort(port: number, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect(port, '127.0.0.1');
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on port ${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const running = new Set<ChildProcess>();
// Whatever happens to the test process, no Mosquitto outlives it.
process.on('exit', () => {
  for (const p of running) killGroup(p);
});

function killGroup(p: ChildProcess): void {
  if (p.pid === undefined || p.exitCode !== null || p.signalCode !== null) return;
  try {
    process.kill(-p.pid, 'SIGKILL');
  } catch {}
}

/** A Mosquitto the test started: its port, and how to stop and start it again on the same port. */
export interface TestMosquitto {
  readonly port: number;
  readonly url: string;
  /** Kills it (its whole process group) and waits until it is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

/**
 * Starts a real Mosquitto on a free port with a temporary config (`listener PORT 127.0.0.1`,
 * anonymous allowed, no persistence), in its own process group so that stop() kills all of it.
 */
export async function startMosquitto(): Promise<TestMosquitto> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  let proc: ChildProcess | null = null;
  const start = async () => {
    const p = spawn(MOSQUITTO, ['-c', conf], { detached: true, stdio: 'ignore' });
    running.add(p);
    p.once('exit', () => running.delete(p));
    proc = p;
    await waitForPort(port);
  };
  const stop = async () => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    killGroup(p);
    await gone;
  };
  await start();
  return { port, url: `mqtt://127.0.0.1:${port}`, start, stop };
}
