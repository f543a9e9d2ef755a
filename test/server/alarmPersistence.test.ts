import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlarmTransition } from '../../protocol';
import { ROOT } from '../../server/clientBuild';
import { connectClient, nextEvent, type TestClient, tempDataDir } from '../helpers/server';

const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const children: ChildProcess[] = [];
const clients: TestClient[] = [];

afterAll(() => {
  for (const c of clients) c.close();
  for (const c of children) c.kill('SIGKILL');
});

/** Starts the real entry point and resolves with its URL once it listens. */
async function start(dataDir: string) {
  const env = { ...process.env };
  for (const k of ['PORT', 'SPEED', 'SEED', 'SCALE', 'PLANT', 'DATA_DIR', 'ALARMS']) delete env[k];
  const args = [
    'server/main.ts',
    '--port',
    '0',
    '--data',
    dataDir,
    '--speed',
    '50',
    '--seed',
    '1',
    '--log-level',
    'warn',
  ];
  const child = spawn(TSX, args, { cwd: ROOT, env });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  for (let i = 0; i < 300; i++) {
    const url = /Plant Twin listening on http:\/\/localhost:(\d+)/.exec(out)?.[1];
    if (url) return { child, url: `http://127.0.0.1:${url}` };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start:\n${out}`);
}

describe('alarm persistence', () => {
  it('keeps an acknowledgement through kill -9 and a restart', async () => {
    const dir = tempDataDir();
    const first = await start(dir);
    const c = connectClient(first.url, { user: 'tester' });
    clients.push(c);
    await nextEvent(c, 'plant:snapshot');
    // At --speed 50 and seed 1 the vision stations raise a defect-rate alarm within seconds.
    const raised = await new Promise<AlarmTransition>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no alarm raised')), 20_000);
      c.on('alarm:changed', (t) => {
        if (t.to !== 'unacknowledged' && t.to !== 'rtn-unacknowledged') return;
        clearTimeout(timer);
        resolve(t);
      });
    });
    const acked = new Promise<AlarmTransition>((resolve) => {
      c.on('alarm:changed', (t) => {
        if (t.alarmId === raised.alarmId && t.user === 'tester') resolve(t);
      });
    });
    const ack = await c.timeout(5000).emitWithAck('alarm:ack', { ids: [raised.alarmId] });
    expect(ack).toMatchObject({ ok: true, acknowledged: [raised.alarmId] });
    const mine = await acked;
    c.close();
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await start(dir);
    const hist = await (await fetch(`${second.url}/api/alarms/history?limit=1000&from=0`)).json();
    const entry = (hist.transitions as AlarmTransition[]).find((t) => t.seq === mine.seq);
    expect(entry).toMatchObject({ alarmId: raised.alarmId, user: 'tester', to: mine.to });
    const again = connectClient(second.url);
    clients.push(again);
    const snap = await nextEvent(again, 'plant:snapshot');
    expect(snap.alarmSeq).toBeGreaterThanOrEqual(mine.seq);
    // The acknowledged alarm, if still standing, is still acknowledged (or has moved on from there).
    const now = snap.alarms.find((a) => a.id === raised.alarmId);
    if (now && mine.to === 'acknowledged') expect(now.seq).toBeGreaterThanOrEqual(mine.seq);
    second.child.kill('SIGKILL');
  }, 60_000);
});
