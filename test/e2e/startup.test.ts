import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../server/clientBuild';

const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const children: ChildProcess[] = [];

/** Runs the real entry point (as `npm start` does after building) and collects its output. */
function runServer(args: string[]) {
  const env = { ...process.env };
  for (const k of ['PORT', 'SPEED', 'SEED', 'SCALE', 'PLANT']) delete env[k];
  const child = spawn(TSX, ['server/main.ts', ...args], { cwd: ROOT, env });
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

describe('the server entry point', () => {
  it('prints its URL, serves the client and answers /healthz', async () => {
    const s = runServer(['--port', '0', '--log-level', 'warn']);
    let url = '';
    for (let i = 0; i < 200 && !url; i++) {
      url = /Plant Twin listening on (http:\/\/localhost:\d+)/.exec(s.output())?.[1] ?? '';
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(url, s.output()).not.toBe('');
    const health = await (await fetch(`${url}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok' });
    const page = await fetch(url);
    expect(await page.text()).toContain('<div id="root">');
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
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
