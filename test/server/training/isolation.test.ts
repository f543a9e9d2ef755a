import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmTransition, PlantEvent } from '../../../protocol';
import { STATE_CODE } from '../../../protocol';
import { simulatedFaults, type World } from '../../../server/sim';
import { HELD, type SimWorld } from '../../../server/sim/state';
import { startTestServer, type TestServer } from '../../helpers/server';
import { send } from '../access/support';
import { collect, control, createSession, FAST, FIXTURES, inject, until } from './support';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ scenarios: FIXTURES, security: FAST });
});
afterAll(async () => {
  await server?.close();
});

describe('isolation of training sessions from the live plant', () => {
  it("never lets a session's injected faults, alarms or events reach live clients or the live world", async () => {
    const live = await server.client('operator');
    const liveEvents = collect<PlantEvent>(live, 'plant:event');
    const liveAlarms = collect<AlarmTransition>(live, 'alarm:changed');
    const liveTraining = collect<unknown>(live, 'training:state');
    const liveSteps = collect<unknown>(live, 'training:step');

    const { code } = await createSession(server);
    const trainer = await server.client('trainer', { session: code });
    const trainee = await server.client('operator', { session: code });
    const sessionAlarms = collect<AlarmTransition>(trainee, 'alarm:changed');
    const sessionEvents = collect<PlantEvent>(trainee, 'plant:event');

    expect((await inject(trainer, { fault: { kind: 'conveyor-jam', equipment: 'L3-C1' } })).ok).toBe(true);
    expect((await inject(trainer, { fault: { kind: 'cell-outage', equipment: '5G-C2' } })).ok).toBe(true);
    expect((await control(trainer, { action: 'start', speed: 50 })).ok).toBe(true);
    // The scenario's own jam (L1-C2 at 2 s) and the hand-made one, both in the session only.
    await until(
      () =>
        sessionAlarms.some((t) => t.alarmId === 'conveyor-fault@L3-C1') &&
        sessionAlarms.some((t) => t.alarmId === 'conveyor-fault@L1-C2'),
      10_000,
      'the session alarms',
    );
    expect((await send(trainee, 'alarm:ack', { ids: ['conveyor-fault@L3-C1'] })).ok).toBe(true);
    expect((await control(trainer, { action: 'pause' })).ok).toBe(true);
    expect(sessionEvents.some((e) => e.simulated)).toBe(true);

    // Let anything that might leak arrive.
    await new Promise((r) => setTimeout(r, 300));
    expect(liveEvents.filter((e) => e.simulated)).toEqual([]);
    expect(liveAlarms.filter((t) => t.simulated)).toEqual([]);
    expect(
      liveAlarms.filter((t) => t.alarmId === 'conveyor-fault@L3-C1' || t.alarmId === 'conveyor-fault@L1-C2'),
    ).toEqual([]);
    expect(liveTraining).toEqual([]);
    expect(liveSteps).toEqual([]);

    // The live world carries no injected fault and the live alarm book never heard of the session's.
    expect(simulatedFaults(server.session.world)).toEqual([]);
    expect(server.session.alarms?.get('conveyor-fault@L3-C1')).toBeUndefined();
    expect(await send(live, 'alarm:ack', { ids: ['conveyor-fault@L3-C1'] })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    const liveL3 = server.session.world.equipment.find((e) => e.id === 'L3-C1')!;
    expect(liveL3.state).not.toBe(STATE_CODE.fault);
  });

  it("applies a trainee's command to the session's world only", async () => {
    const { code } = await createSession(server);
    const trainee = await server.client('operator', { session: code });
    const r = await send(trainee, 'equipment:command', {
      commandId: `iso-${process.pid}`,
      equipmentId: 'L2-R1',
      action: 'e-stop',
    });
    expect(r.ok).toBe(true);
    const held = (w: World) => (w as SimWorld).held[(w as SimWorld).indexById.get('L2-R1')!];
    const session = server.app.training.find(code)!;
    expect(held(session.plant().world)).toBe(HELD.estop);
    expect(held(server.session.world)).toBe(HELD.none);
  });
});
