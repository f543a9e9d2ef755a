import { afterAll, describe, expect, it } from 'vitest';
import { openAuth } from '../../../server/auth/authService';
import { addUserTo, killHard, loginAt, startMain } from '../../helpers/mainProcess';
import { connectClient, nextEvent, type TestClient, tempDataDir } from '../../helpers/server';
import { newCommandId } from './support';

const clients: TestClient[] = [];

afterAll(() => {
  for (const c of clients) c.close();
});

describe('the audit trail', () => {
  it('keeps a command answered just before kill -9, and answers its retry the same way after a restart', async () => {
    const dir = tempDataDir();
    const password = await addUserTo(dir, 'kate', 'operator');
    const first = await startMain(dir, ['--seed', '3']);
    const token = await loginAt(first.url, 'kate', password);
    const c = connectClient(first.url, { token });
    clients.push(c);
    const snap = await nextEvent(c, 'plant:snapshot');
    const arm = snap.plant.equipment.find((e) => e.kind === 'robot-arm')!.id;
    const req = { commandId: newCommandId('kill'), equipmentId: arm, action: 'e-stop' as const };
    const reply = await new Promise<unknown>((resolve) => {
      c.emit('equipment:command', req, (r) => {
        // Killed the moment the answer arrives: nothing after it may be needed to keep the entry.
        void killHard(first.child);
        resolve(r);
      });
    });
    expect(reply).toMatchObject({ ok: true, commandId: req.commandId });
    c.close();
    await killHard(first.child);

    const auth = openAuth({ dataDir: dir, scryptLogN: 12 });
    try {
      const rows = auth.audit.query({ action: 'command:e-stop', limit: 10 });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        user: 'kate',
        role: 'operator',
        target: arm,
        result: 'ok',
        source: expect.stringMatching(/127\.0\.0\.1/),
      });
      expect(auth.audit.commandReply('kate', req.commandId)).toEqual(reply);
      // Neither the token nor the password is anywhere in the trail.
      const all = JSON.stringify(auth.audit.query({ limit: 1000 }));
      expect(all).not.toContain(token);
      expect(all).not.toContain(password);
    } finally {
      auth.close();
    }

    const second = await startMain(dir, ['--seed', '3']);
    const again = connectClient(second.url, { token });
    clients.push(again);
    await nextEvent(again, 'plant:snapshot');
    expect(await again.timeout(5000).emitWithAck('equipment:command', req)).toEqual(reply);
    await killHard(second.child);
    const after = openAuth({ dataDir: dir, scryptLogN: 12 });
    try {
      expect(after.audit.query({ action: 'command:e-stop', limit: 10 })).toHaveLength(1);
    } finally {
      after.close();
    }
  }, 60_000);
});
