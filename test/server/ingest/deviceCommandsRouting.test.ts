import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EquipmentCommandRequest, MACHINE_COMMANDS, Role } from '../../../protocol';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../../server/ingest/embeddedBroker';
import type { Ingest } from '../../../server/ingest/ingest';
import { HELD, type SimWorld } from '../../../server/sim/state';
import type { TestClient } from '../../helpers/server';
import { type DeviceBehaviour, OBEYED_STATE, RoutingTestAdapter } from './deviceCommandsTestAdapter';
import { startIngestServer, until } from './ingestServer';

/**
 * Routing tests: operators' commands through a real Socket.IO server, the real pipeline (role,
 * confirmation, exactly-once, audit) and the real Ingest, to a test adapter (RoutingTestAdapter,
 * injected through the ingest's test-only seam) that talks MQTT to a simulated device on a real
 * aedes broker. They test where commands go and what operators are told, not a protocol adapter.
 */

type Server = Awaited<ReturnType<typeof startIngestServer>>;
type Answer = { ok: boolean; [k: string]: unknown };

let broker: EmbeddedBroker;
let server: Server;
let adapter: RoutingTestAdapter;
let adapterPub: MqttClient;
let device: MqttClient;
let sniffer: MqttClient;
let op: TestClient;
/** Every message the broker carried, as seen by a subscriber on `#`. */
const carried: { topic: string; body: string }[] = [];
/** What each simulated device does with a command (default obey). */
const behaviour = new Map<string, DeviceBehaviour>();
/** Commands each simulated device received. */
const received: { equipment: string; commandId: string; action: string }[] = [];

/** Fed by source "plc" (commands allowed), except L2-R1 whose entry says commands: false. */
const DEVICES = ['L1-R2', 'L1-R3', 'L1-R4', 'L1-R5', 'L2-R1'];

beforeAll(async () => {
  broker = await startEmbeddedBroker(0, '127.0.0.1');
  const url = `mqtt://127.0.0.1:${broker.port}`;
  let ingest: Ingest | null = null;
  adapterPub = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: 'routing-adapter' });
  server = await startIngestServer(
    {
      sources: [
        {
          id: 'plc',
          kind: 'mqtt-json',
          broker: url,
          commands: true,
          topics: DEVICES.map((id) => ({
            topic: `dev/${id}`,
            equipment: id,
            fields: { state: '$.state' },
            ...(id === 'L2-R1' ? { commands: false } : {}),
          })),
        },
        {
          id: 'historian',
          kind: 'mqtt-json',
          broker: url,
          topics: [{ topic: 'ro/L3-C1', equipment: 'L3-C1', fields: { beltSpeed: '$.v' } }],
        },
      ],
      unmapped: 'simulate',
    },
    {
      adapterOverride: (built, source) => {
        if (source.id !== 'plc') return built;
        adapter = new RoutingTestAdapter(built, adapterPub, () => (ingest as Ingest).live);
        return adapter;
      },
    },
  );
  ingest = server.ingest;
  sniffer = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: 'sniffer' });
  sniffer.on('message', (topic, body) => carried.push({ topic, body: body.toString() }));
  await sniffer.subscribeAsync('#');
  device = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: 'devices' });
  device.on('message', (topic, body) => {
    const id = topic.slice('cmd/'.length);
    const m = JSON.parse(body.toString()) as { commandId: string; action: keyof typeof OBEYED_STATE };
    received.push({ equipment: id, commandId: m.commandId, action: m.action });
    const b = behaviour.get(id) ?? 'obey';
    if (b === 'ignore') return;
    const report = () => device.publish(`dev/${id}`, JSON.stringify({ state: OBEYED_STATE[m.action] }));
    if (b === 'slow') setTimeout(report, 1000);
    else report();
  });
  await device.subscribeAsync('cmd/#');
  await until(() => server.ingest.stats.every((s) => s.status === 'connected'), 20_000, 'sources connected');
  for (const id of DEVICES) await device.publishAsync(`dev/${id}`, JSON.stringify({ state: 'running' }));
  await device.publishAsync('ro/L3-C1', JSON.stringify({ v: 0.4 }));
  const running = server.session.world.equipment.find((e) => e.id === 'L1-R2')?.state;
  await until(
    () => DEVICES.every((id) => server.session.world.equipment.find((e) => e.id === id)?.state === running),
    20_000,
    'the devices to report running',
  );
  op = await server.client('operator');
});

afterAll(async () => {
  await Promise.all([adapterPub, device, sniffer].map((c) => c?.endAsync(true)));
  await server?.close();
  await broker?.close();
});

beforeEach(() => {
  behaviour.clear();
  adapter.refuse.clear();
  adapter.confirmMs = 5000;
});

let n = 0;
const newId = (p: string) => `${p}-${process.pid}-${++n}`;

/** Sends `equipment:command` and resolves with the answer (generous: the device is waited for). */
function command(c: TestClient, req: EquipmentCommandRequest): Promise<Answer> {
  return (c as unknown as { timeout: (ms: number) => { emitWithAck: (...a: unknown[]) => Promise<Answer> } })
    .timeout(30_000)
    .emitWithAck('equipment:command', req);
}

/** Sends a deliberate command and its confirmation; resolves with the final answer. */
async function confirmed(c: TestClient, req: EquipmentCommandRequest): Promise<Answer> {
  const first = await command(c, req);
  expect(first).toMatchObject({ ok: false, code: 'CONFIRMATION_REQUIRED' });
  return command(c, { ...req, confirmation: first.confirmation as string });
}

const callsOf = (commandId: string) => adapter.calls.filter((c) => c.commandId === commandId);
const receivedOf = (commandId: string) => received.filter((r) => r.commandId === commandId);
/** Finished audit rows of commands to `target`, newest first. */
const auditOf = (target: string, action?: (typeof MACHINE_COMMANDS)[number]) =>
  server.auth.audit
    .query({ limit: 10_000, equipment: target })
    .filter((e) => e.action.startsWith('command:') && (!action || e.action === `command:${action}`));
const held = (id: string) => {
  const w = server.session.world as SimWorld;
  return w.held[w.indexById.get(id) as number];
};
/** Publishes a probe and waits until the `#` subscriber saw it: what was published before has arrived. */
async function flushBroker(): Promise<void> {
  const probe = newId('probe');
  await device.publishAsync(`probe/${probe}`, '1');
  await until(() => carried.some((m) => m.topic === `probe/${probe}`), 15_000, 'the probe');
}

describe('routing of operators’ commands to real equipment (test adapter through the real Ingest)', () => {
  it('checks the role first: a viewer’s stop to real equipment reaches neither the device nor the audit', async () => {
    const viewer = await server.client('viewer' as Role);
    const commandId = newId('viewer');
    const a = await command(viewer, { commandId, equipmentId: 'L1-R2', action: 'stop' });
    expect(a).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(callsOf(commandId)).toHaveLength(0);
    await flushBroker();
    expect(receivedOf(commandId)).toHaveLength(0);
    expect(auditOf('L1-R2').filter((e) => JSON.stringify(e).includes(commandId))).toHaveLength(0);
  });

  it('sends a stop to the device and answers accepted and confirmed once the device reports idle', async () => {
    const commandId = newId('stop');
    const before = auditOf('L1-R2', 'stop').length;
    const a = await command(op, { commandId, equipmentId: 'L1-R2', action: 'stop' });
    expect(a).toMatchObject({
      ok: true,
      commandId,
      confirmed: true,
      message: 'L1-R2: stop confirmed by the device',
      text: { code: 'cmd.device.confirmed', params: { equipment: 'L1-R2', action: 'stop' } },
    });
    expect(callsOf(commandId)).toEqual([
      { commandId, equipmentId: 'L1-R2', eq: expect.any(Number), action: 'stop' },
    ]);
    expect(receivedOf(commandId)).toHaveLength(1);
    // The simulation was not commanded: its own hold of the machine did not change.
    expect(held('L1-R2')).toBe(HELD.none);
    const rows = auditOf('L1-R2', 'stop');
    expect(rows).toHaveLength(before + 1);
    expect(rows[0]).toMatchObject({ result: 'ok', user: expect.any(String), message: a.message });
  });

  it('asks for the confirmation of a start before anything is sent, then sends it once confirmed', async () => {
    const commandId = newId('start');
    const a = await confirmed(op, { commandId, equipmentId: 'L1-R2', action: 'start' });
    expect(a).toMatchObject({ ok: true, confirmed: true, text: { code: 'cmd.device.confirmed' } });
    expect(callsOf(commandId)).toHaveLength(1);
    const rows = auditOf('L1-R2', 'start');
    expect(rows.map((r) => r.result)).toEqual(['ok', 'refused']);
    expect(rows[1].code).toBe('CONFIRMATION_REQUIRED');
  });

  it('answers accepted but unconfirmed when the device shows no effect within the (shortened) timeout', async () => {
    behaviour.set('L1-R3', 'ignore');
    adapter.confirmMs = 300;
    const commandId = newId('unconfirmed');
    const a = await command(op, { commandId, equipmentId: 'L1-R3', action: 'stop' });
    expect(a).toMatchObject({
      ok: true,
      confirmed: false,
      message: 'L1-R3: stop sent to the device; no confirmation within 5 s',
      text: { code: 'cmd.device.unconfirmed' },
    });
    expect(receivedOf(commandId)).toHaveLength(1);
    expect(auditOf('L1-R3', 'stop')[0]).toMatchObject({ result: 'ok', message: a.message });
  });

  it('answers CONFLICT with the device’s reason when the adapter refuses, and audits the refusal', async () => {
    adapter.refuse.set('L1-R4', 'interlock open');
    const commandId = newId('refused');
    const a = await command(op, { commandId, equipmentId: 'L1-R4', action: 'e-stop' });
    expect(a).toMatchObject({
      ok: false,
      code: 'CONFLICT',
      message: 'L1-R4: the device refused e-stop: interlock open',
      text: { code: 'cmd.device.refused' },
    });
    expect(callsOf(commandId)).toHaveLength(1);
    await flushBroker();
    expect(receivedOf(commandId)).toHaveLength(0);
    expect(auditOf('L1-R4', 'e-stop')[0]).toMatchObject({ result: 'refused', code: 'CONFLICT' });
  });

  it('sends a command id once: retries while it is in flight (two sockets) and after it are answered alike', async () => {
    behaviour.set('L1-R5', 'slow');
    const other = await server.client('operator');
    const req: EquipmentCommandRequest = { commandId: newId('once'), equipmentId: 'L1-R5', action: 'stop' };
    const first = command(op, req);
    await until(() => callsOf(req.commandId).length === 1, 15_000, 'the first send');
    const [a, b, c] = await Promise.all([first, command(op, req), command(other, req)]);
    expect(a).toMatchObject({ ok: true, confirmed: true });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(await command(op, req)).toEqual(a);
    expect(callsOf(req.commandId)).toHaveLength(1);
    await flushBroker();
    expect(receivedOf(req.commandId)).toHaveLength(1);
    expect(auditOf('L1-R5', 'stop').filter((e) => e.result === 'ok')).toHaveLength(1);
  });

  it('refuses commands to read-only equipment (CONFLICT) and publishes nothing on the broker', async () => {
    const mark = carried.length;
    const stop = await command(op, { commandId: newId('ro'), equipmentId: 'L2-R1', action: 'stop' });
    const estop = await command(op, { commandId: newId('ro'), equipmentId: 'L3-C1', action: 'e-stop' });
    // A deliberate action to read-only equipment is refused at once, not confirmed first.
    const start = await command(op, { commandId: newId('ro'), equipmentId: 'L2-R1', action: 'start' });
    for (const [a, id] of [
      [stop, 'L2-R1'],
      [estop, 'L3-C1'],
      [start, 'L2-R1'],
    ] as const)
      expect(a).toMatchObject({
        ok: false,
        code: 'CONFLICT',
        text: { code: 'cmd.refused.readOnlySource', params: { equipment: id } },
      });
    await flushBroker();
    expect(carried.slice(mark).filter((m) => !m.topic.startsWith('probe/'))).toEqual([]);
    expect(adapter.calls.filter((c) => c.equipmentId === 'L2-R1' || c.equipmentId === 'L3-C1')).toEqual([]);
    expect(auditOf('L2-R1', 'stop')[0]).toMatchObject({ result: 'refused', code: 'CONFLICT' });
    expect(auditOf('L3-C1', 'e-stop')[0]).toMatchObject({ result: 'refused', code: 'CONFLICT' });
  });

  it('stops a whole line: its real machines through their devices, its simulated ones in the simulation', async () => {
    const commandId = newId('line');
    const a = await command(op, { commandId, equipmentId: 'L1', action: 'stop' });
    expect(a).toMatchObject({
      ok: true,
      confirmed: true,
      text: { code: 'cmd.device.lineConfirmed', params: { line: 'L1', action: 'stop' } },
    });
    expect(
      callsOf(commandId)
        .map((c) => c.equipmentId)
        .sort(),
    ).toEqual(['L1-R2', 'L1-R3', 'L1-R4', 'L1-R5']);
    expect(receivedOf(commandId)).toHaveLength(4);
    for (const id of ['L1-C1', 'L1-R1', 'L1-C2', 'L1-C4']) expect(held(id)).toBe(HELD.stopped);
    expect(auditOf('L1', 'stop')[0]).toMatchObject({ result: 'ok' });
  });

  it('refuses a whole-line command before doing anything when one of its machines is read-only', async () => {
    const mark = carried.length;
    const commandId = newId('line-ro');
    const before = ['L2-C1', 'L2-R2'].map(held);
    const a = await command(op, { commandId, equipmentId: 'L2', action: 'stop' });
    expect(a).toMatchObject({
      ok: false,
      code: 'CONFLICT',
      text: { code: 'cmd.refused.lineReadOnly', params: { line: 'L2', equipment: 'L2-R1' } },
    });
    expect(['L2-C1', 'L2-R2'].map(held)).toEqual(before);
    expect(callsOf(commandId)).toHaveLength(0);
    await flushBroker();
    expect(carried.slice(mark).filter((m) => !m.topic.startsWith('probe/'))).toEqual([]);
    expect(auditOf('L2', 'stop')[0]).toMatchObject({ result: 'refused', code: 'CONFLICT' });
  });
});
