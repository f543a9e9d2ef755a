import { afterAll, describe, expect, it } from 'vitest';
import type { AlarmTransition } from '../../protocol';
import { addUserTo, killHard, loginAt, startMain } from '../helpers/mainProcess';
import { connectClient, nextEvent, type TestClient, tempDataDir } from '../helpers/server';

const clients: TestClient[] = [];

afterAll(() => {
  for (const c of clients) c.close();
});

/** Starts the real entry point over `dataDir`, fast and seeded. */
async function start(dataDir: string) {
  const p = await startMain(dataDir, ['--speed', '50', '--seed', '1']);
  return p;
}

describe('alarm persistence', () => {
  it('keeps an acknowledgement through kill -9 and a restart', async () => {
    const dir = tempDataDir();
    const password = await addUserTo(dir, 'tester', 'operator');
    const first = await start(dir);
    const token = await loginAt(first.url, 'tester', password);
    const c = connectClient(first.url, { token });
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
    await killHard(first.child);

    const second = await start(dir);
    // The login session lives in the database too: the same token works after the restart.
    const hist = await (
      await fetch(`${second.url}/api/alarms/history?limit=1000&from=0`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();
    const entry = (hist.transitions as AlarmTransition[]).find((t) => t.seq === mine.seq);
    expect(entry).toMatchObject({ alarmId: raised.alarmId, user: 'tester', to: mine.to });
    const again = connectClient(second.url, { token });
    clients.push(again);
    const snap = await nextEvent(again, 'plant:snapshot');
    expect(snap.alarmSeq).toBeGreaterThanOrEqual(mine.seq);
    // The acknowledged alarm, if still standing, is still acknowledged (or has moved on from there).
    const now = snap.alarms.find((a) => a.id === raised.alarmId);
    if (now && mine.to === 'acknowledged') expect(now.seq).toBeGreaterThanOrEqual(mine.seq);
    await killHard(second.child);
  }, 60_000);
});
