import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../server/paths';
import { childrenOf, isAlive, runTracked, spawnTracked } from './processes';
import { tempDataDir } from './server';

const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const FIXTURE_CONFIG = join(ROOT, 'test', 'fixtures', 'leak', 'vitest.config.ts');

/** Polls until `pid` is gone (generous: a loaded machine may be slow to reap). */
async function gone(pid: number, timeoutMs = 20_000): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; ) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

/** Runs the failing fixture in a vitest of its own; resolves with its result and the servers' pids. */
async function runFixture(mode: 'fail' | 'signal') {
  const pidFile = join(tempDataDir(), 'pids');
  writeFileSync(pidFile, '');
  const r = await runTracked(process.execPath, [VITEST, 'run', '--config', FIXTURE_CONFIG], {
    cwd: ROOT,
    env: { ...process.env, LEAK_PID_FILE: pidFile, LEAK_MODE: mode, CI: 'true' },
  });
  const pids = readFileSync(pidFile, 'utf8').split('\n').filter(Boolean).map(Number);
  return { ...r, pids };
}

describe('processes started by tests', () => {
  it('leaves no server running after a test that fails', async () => {
    const r = await runFixture('fail');
    expect(r.code, r.stdout + r.stderr).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('failing on purpose');
    // One server from beforeAll, one from the test itself.
    expect(r.pids, r.stdout + r.stderr).toHaveLength(2);
    for (const pid of r.pids) expect(await gone(pid), `server ${pid}`).toBe(true);
  }, 180_000);

  it('leaves no server running when the test worker is killed by SIGTERM', async () => {
    const r = await runFixture('signal');
    expect(r.code, r.stdout + r.stderr).not.toBe(0);
    expect(r.pids.length, r.stdout + r.stderr).toBeGreaterThanOrEqual(1);
    for (const pid of r.pids) expect(await gone(pid), `server ${pid}`).toBe(true);
  }, 180_000);

  it('kills the whole group, also what a wrapper started beneath it', async () => {
    // A shell that starts a sleeping grandchild and waits: killing the shell alone would orphan it.
    const t = spawnTracked('sh', ['-c', 'sleep 600 & echo $!; wait']);
    for (let i = 0; i < 200 && !t.stdout().trim(); i++) await new Promise((r) => setTimeout(r, 50));
    const grandchild = Number(t.stdout().trim());
    expect(childrenOf(t.pid)).toContain(grandchild);
    await t.kill();
    expect(await gone(grandchild)).toBe(true);
    expect(isAlive(t.pid)).toBe(false);
  });
});
