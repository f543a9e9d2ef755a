import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EquipmentCommandRequest } from '../../../protocol';
import { sleep, startTestServer, type TestClient, type TestServer } from '../../helpers/server';
import { actionAudit, command, commandEvents, newCommandId, refusal } from './support';

let server: TestServer;
let op: TestClient;
let ARM = '';
let AGV = '';
let NODE = '';

beforeAll(async () => {
  server = await startTestServer({ seed: 8 });
  const eq = server.session.layout.equipment;
  ARM = eq.filter((e) => e.kind === 'robot-arm')[2].id;
  AGV = eq.filter((e) => e.kind === 'agv')[3].id;
  NODE = server.session.layout.paths!.nodes.find((n) => n.id.startsWith('TA-'))!.id;
  op = await server.client('operator');
});
afterAll(async () => {
  await server?.close();
});

/** Audit entries of this command id's target and action that ended 'ok'. */
const okRows = (action: string, target: string) =>
  actionAudit(server, 'ok').filter((e) => e.action === `command:${action}` && e.target === target);

describe('a command id is applied once', () => {
  it('applies the same command id sent three times (after the answer and concurrently) once, answering alike', async () => {
    const events = commandEvents(op);
    const req: EquipmentCommandRequest = {
      commandId: newCommandId('thrice'),
      equipmentId: ARM,
      action: 'stop',
    };
    const first = await command(op, req);
    expect(first).toMatchObject({ ok: true, commandId: req.commandId, message: `${ARM} stopped` });
    const [second, third] = await Promise.all([command(op, req), command(op, req)]);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    await sleep(400);
    expect(events.filter((e) => e.equipmentId === ARM)).toHaveLength(1);
    expect(okRows('stop', ARM)).toHaveLength(1);
  });

  it('replays a command id sent three times at once before any answer, applying it once', async () => {
    const events = commandEvents(op);
    const req: EquipmentCommandRequest = {
      commandId: newCommandId('burst'),
      equipmentId: AGV,
      action: 'pause',
    };
    const answers = await Promise.all([command(op, req), command(op, req), command(op, req)]);
    expect(answers[0]).toMatchObject({ ok: true, message: `${AGV} paused` });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    await sleep(400);
    expect(events.filter((e) => e.equipmentId === AGV && /paused/.test(e.message))).toHaveLength(1);
    expect(okRows('pause', AGV)).toHaveLength(1);
  });

  it('answers a confirmed command’s retries with the stored answer, not a new confirmation', async () => {
    const commandId = newCommandId('confirmed');
    const req: EquipmentCommandRequest = {
      commandId,
      equipmentId: AGV,
      action: 'go-to',
      params: { node: NODE },
    };
    const token = refusal(await command(op, req)).confirmation!;
    const done = await command(op, { ...req, confirmation: token });
    expect(done).toMatchObject({ ok: true, commandId });
    // The used confirmation, and no confirmation at all: both get the same stored answer.
    expect(await command(op, { ...req, confirmation: token })).toEqual(done);
    expect(await command(op, req)).toEqual(done);
    expect(okRows('go-to', AGV)).toHaveLength(1);
  });

  it('stores a refusal of the simulation as the answer too', async () => {
    // An AGV nobody paused or sent anywhere cannot be resumed: the simulation refuses.
    const idle = server.session.layout.equipment.filter((e) => e.kind === 'agv')[5].id;
    const req: EquipmentCommandRequest = {
      commandId: newCommandId('refused'),
      equipmentId: idle,
      action: 'resume',
    };
    const r = await command(op, req);
    expect(r).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(await command(op, req)).toEqual(r);
    const rows = actionAudit(server).filter((e) => e.action === 'command:resume' && e.target === idle);
    expect(rows.map((e) => [e.result, e.code])).toEqual([['refused', 'CONFLICT']]);
  });

  it('keeps command ids apart per user', async () => {
    const trainer = await server.client('trainer');
    const commandId = newCommandId('shared');
    const arm = server.session.layout.equipment.filter((e) => e.kind === 'robot-arm')[4].id;
    expect(await command(op, { commandId, equipmentId: arm, action: 'stop' })).toMatchObject({
      ok: true,
      message: `${arm} stopped`,
    });
    // The same id from another user is that user's own command: applied, and answered for it.
    expect(await command(trainer, { commandId, equipmentId: arm, action: 'e-stop' })).toMatchObject({
      ok: true,
      message: `${arm} emergency-stopped`,
    });
  });

  it('answers a retried command id the same way after a restart (the answer lives in the database)', async () => {
    const req: EquipmentCommandRequest = {
      commandId: newCommandId('restart'),
      equipmentId: ARM,
      action: 'e-stop',
    };
    const before = await command(op, req);
    expect(before).toMatchObject({ ok: true });
    const dataDir = server.dataDir;
    await server.close();
    server = await startTestServer({ seed: 8, dataDir });
    op = await server.client('operator');
    expect(await command(op, req)).toEqual(before);
    await sleep(300);
    expect(okRows('e-stop', ARM)).toHaveLength(1);
  });
});
