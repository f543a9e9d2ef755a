import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeFrameToObjects,
  type EquipmentAnswer,
  type EquipmentKind,
  type PlantSnapshot,
  type SourcesAnswer,
  STATE_CODE,
} from '../../../protocol';
import type { DeviceCommand, SourceAdapter } from '../../../server/ingest/adapter';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../../server/ingest/embeddedBroker';
import {
  instantActionsSchema,
  orderSchema,
  type VdaOrder,
  vdaToPlant,
} from '../../../server/ingest/vda5050/messages';
import type { Vda5050Adapter } from '../../../server/ingest/vda5050/observer';
import { startIngestServer, until } from './ingestServer';
import { TestAgv } from './vda5050Agv';

type Server = Awaited<ReturnType<typeof startIngestServer>>;

/** AGV-01's map: origin at plant (80, 40), its x axis turned 90° (pointing along plant −z). */
const ROTATED = { mapId: 'hall', origin: [80, 40] as [number, number], rotationDeg: 90 };

let broker: EmbeddedBroker;
let server: Server;
let url: string;
const agvs: TestAgv[] = [];

const eqOf = async (id: string) =>
  (await server.get<EquipmentAnswer>(`/api/equipment/${id}`, 'viewer')).body.equipment;
const stats = () => server.ingest.stats[0];
const sourceHealth = async () => (await server.get<SourcesAnswer>('/api/sources')).body.sources[0];
/** The source's adapter (the ingest's routing of operator commands is tested elsewhere). */
const adapter = () =>
  (server.ingest as unknown as { adapters: SourceAdapter[] }).adapters[0] as Vda5050Adapter;
const agv = async (serialNumber: string, will = false) => {
  const a = await TestAgv.connect(url, { serialNumber, will });
  agvs.push(a);
  return a;
};
const cmd = (equipmentId: string, action: DeviceCommand['action'], node?: string): DeviceCommand => ({
  commandId: `c-${Math.random()}`,
  equipmentId,
  eq: server.session.world.equipment.find((e) => e.id === equipmentId)?.index ?? -1,
  action,
  node,
});

beforeAll(async () => {
  broker = await startEmbeddedBroker(0, '127.0.0.1');
  url = `mqtt://127.0.0.1:${broker.port}`;
  server = await startIngestServer({
    sources: [
      {
        id: 'fleet',
        kind: 'vda5050',
        broker: url,
        // An hour: nothing in these tests goes stale by age, so what goes stale was made stale.
        staleAfterS: 3600,
        commands: true,
        agvs: [
          { equipment: 'AGV-01', manufacturer: 'Acme', serialNumber: 'A1', map: ROTATED },
          {
            equipment: 'AGV-02',
            manufacturer: 'Acme',
            serialNumber: 'A2',
            map: { mapId: 'hall', origin: [0, 0] },
          },
          {
            equipment: 'AGV-03',
            manufacturer: 'Acme',
            serialNumber: 'F3',
            map: { mapId: 'hall', origin: [0, 0] },
            maxPerS: 10_000,
          },
          {
            equipment: 'AGV-04',
            manufacturer: 'Acme',
            serialNumber: 'C4',
            map: { mapId: 'hall', origin: [0, 0] },
          },
          { equipment: 'AGV-05', manufacturer: 'Acme', serialNumber: 'K5', map: ROTATED },
          {
            equipment: 'AGV-06',
            manufacturer: 'Acme',
            serialNumber: 'B6',
            map: { mapId: 'hall', origin: [0, 0] },
          },
        ],
      },
    ],
    unmapped: 'offline',
  });
  await until(() => stats().status === 'connected', 15_000, 'the source to connect');
});

afterAll(async () => {
  for (const a of agvs) await a.close().catch(() => {});
  await server?.close();
  await broker?.close();
});

describe('VDA 5050 observer (embedded aedes broker)', () => {
  it('places an AGV through a rotated, offset map in GET /api/equipment/:id and in the frames', async () => {
    const a1 = await agv('A1');
    // Map (3, 2) with the map's x axis along plant −z: 3 m towards −z and 2 m towards −x of the
    // origin (80, 40), i.e. plant (78, 37); heading 0 on the map is yaw 90° in the plant.
    await a1.state({ agvPosition: { x: 3, y: 2, theta: 0 } });
    const e = await until(
      async () => {
        const d = await eqOf('AGV-01');
        return d.pose && Math.abs(d.pose[0] - 78) < 1e-6 ? d : null;
      },
      15_000,
      'the received pose',
    );
    expect(e.pose?.[2]).toBeCloseTo(37, 6);
    expect(e.pose?.[3]).toBeCloseTo(Math.PI / 2, 6);
    expect(e.source).toBe('fleet');

    const c = await server.client('viewer');
    const snap = await new Promise<PlantSnapshot>((resolve) => c.once('plant:snapshot', resolve));
    const kinds = snap.plant.equipment.map((x) => x.kind as EquipmentKind);
    const idx = snap.plant.equipment.findIndex((x) => x.id === 'AGV-01');
    let framed: [number, number, number, number] | null = null;
    c.on('telemetry:frame', (buf: ArrayBuffer) => {
      for (const en of decodeFrameToObjects(buf, kinds).entries)
        if (en.index === idx && en.pose && Math.abs(en.pose[0] - 77) < 1e-3) framed = en.pose;
    });
    // Map (3, 3), heading π/2 (map +y, which is plant −x): plant (77, 37), yaw π.
    await a1.visualization(3, 3, Math.PI / 2);
    const p = await until(() => framed, 15_000, 'a frame with the new pose');
    expect(p[2]).toBeCloseTo(37, 3);
    expect(Math.cos(p[3])).toBeCloseTo(-1, 3);
    c.close();
  });

  it('maps battery, speed and the machine state by the protocol: FATAL and e-stop are faults, paused idle, driving running', async () => {
    const a2 = await agv('A2');
    const shows = async (state: string, what: string) =>
      until(
        async () => {
          const d = await eqOf('AGV-02');
          return d.state === state ? d : null;
        },
        15_000,
        what,
      );
    await a2.state({ driving: true, velocity: { vx: 0.6, vy: -0.8 }, batteryState: { batteryCharge: 55.5 } });
    const e = await shows('running', 'driving -> running');
    expect(e.values.speed).toMatchObject({ value: 1, quality: 'good' });
    expect(e.values.battery).toMatchObject({ value: 55.5, quality: 'good' });

    await a2.state({ driving: true, errors: [{ errorType: 'laserBlind', errorLevel: 'FATAL' }] });
    await shows('fault', 'a FATAL error -> fault');
    const warnings = adapter().warnings;
    await a2.state({ driving: true, errors: [{ errorType: 'lowBattery', errorLevel: 'WARNING' }] });
    await shows('running', 'a WARNING changes nothing');
    expect(adapter().warnings).toBe(warnings + 1);
    await a2.state({ driving: false, safetyState: { eStop: 'AUTOACK' } });
    await shows('fault', 'an emergency stop -> fault');
    await a2.state({ driving: false, paused: true });
    await shows('idle', 'paused -> idle');
    await a2.state({ driving: true, operatingMode: 'MANUAL' });
    await shows('maintenance', 'manual mode -> maintenance');
    await a2.state({ driving: false });
    await shows('idle', 'standing -> idle');
  });

  it('does not apply a position that is not initialized or on another map, and counts it', async () => {
    const a2 = agvs.find((a) => a.serialNumber === 'A2') ?? (await agv('A2'));
    await a2.state({ agvPosition: { x: 10, y: -20, theta: 0 } });
    await until(async () => (await eqOf('AGV-02')).pose?.[0] === 10, 15_000, 'the first pose');
    const skips = { ...adapter().poseSkips };
    await a2.state({
      agvPosition: { x: 50, y: -20, theta: 0, positionInitialized: false },
      batteryState: { batteryCharge: 41 },
    });
    await a2.state({
      agvPosition: { x: 60, y: -20, theta: 0, mapId: 'yard' },
      batteryState: { batteryCharge: 42 },
    });
    // The rest of those messages still applies.
    const e = await until(
      async () => {
        const d = await eqOf('AGV-02');
        return d.values.battery.value === 42 ? d : null;
      },
      15_000,
      'the battery of the later messages',
    );
    expect(e.pose?.[0]).toBe(10);
    expect(e.pose?.[2]).toBe(20);
    expect(adapter().poseSkips).toEqual({ uninitialized: skips.uninitialized + 1, map: skips.map + 1 });
  });

  it('shows an AGV offline within 1 s of its CONNECTIONBROKEN last will, long before its values could go stale', async () => {
    const b6 = await TestAgv.connect(url, { serialNumber: 'B6', will: true });
    await b6.connection('ONLINE');
    await b6.state({ driving: true });
    await until(async () => (await eqOf('AGV-06')).state === 'running', 15_000, 'running');
    const t0 = Date.now();
    b6.crash();
    const e = await until(
      async () => {
        const d = await eqOf('AGV-06');
        return d.state === 'offline' ? d : null;
      },
      15_000,
      'offline after the last will',
    );
    // staleAfterS is an hour: only the will can have done this. 1 s on a calm machine; the bound
    // here is loose because the test machine is shared.
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(e.quality).toBe('stale');
    expect(e.values.speed.quality).toBe('stale');
    expect((await sourceHealth()).stale).toContain('AGV-06');

    // Back: a new connection and its first state show it live again.
    const again = await agv('B6');
    again.nextHeaderId.state = 100;
    await again.connection('ONLINE');
    await again.state({ driving: true });
    const back = await until(
      async () => {
        const d = await eqOf('AGV-06');
        return d.state === 'running' ? d : null;
      },
      15_000,
      'running again',
    );
    expect(back.values.speed.quality).toBe('good');
    // A graceful OFFLINE does the same.
    await again.connection('OFFLINE');
    await until(async () => (await eqOf('AGV-06')).state === 'offline', 15_000, 'offline after OFFLINE');
  });

  it('counts headerId gaps per AGV and topic; a restart at 0 is not a gap', async () => {
    const c4 = await agv('C4');
    const before = (await sourceHealth()).headerIdGaps ?? 0;
    for (const id of [0, 1, 2]) await c4.state({ headerId: id });
    await c4.state({ headerId: 5 }); // 3 and 4 were lost: a gap
    await c4.state({ headerId: 6 });
    await c4.state({ headerId: 0 }); // the AGV restarted
    await c4.state({ headerId: 1 });
    // visualization counts on its own: 0, 1 after state's 6 is no gap
    await c4.visualization(1, 1, 0);
    await c4.visualization(2, 1, 0);
    await c4.state({ headerId: 2, batteryState: { batteryCharge: 66 } });
    await until(async () => (await eqOf('AGV-04')).values.battery.value === 66, 15_000, 'the last state');
    expect((await sourceHealth()).headerIdGaps).toBe(before + 1);
  });

  it('survives 1,000 seeded malformed messages: frames keep coming, other AGVs are unchanged, drops are counted', async () => {
    const f3 = await agv('F3');
    const c4 = agvs.find((a) => a.serialNumber === 'C4') ?? (await agv('C4'));
    const ts0 = Date.now();
    await f3.state({ ts: ts0, driving: true, batteryState: { batteryCharge: 70 } });
    await until(async () => (await eqOf('AGV-03')).values.battery.value === 70, 15_000, 'the valid state');
    const others = await Promise.all(['AGV-01', 'AGV-02', 'AGV-04', 'L1-R1'].map(eqOf));
    const errorsBefore = stats().errors;
    const rng = mulberry32(20261205);
    for (let i = 0; i < 1000; i++) {
      const m = malformed(rng, f3);
      await f3.raw(m.topic, m.payload);
    }
    await until(() => stats().errors - errorsBefore >= 1000, 30_000, 'every malformed message to be counted');
    expect(stats().errors - errorsBefore).toBe(1000);
    const drops = stats().drops;
    for (const reason of ['malformed', 'type', 'range', 'timestamp', 'size', 'topic'] as const)
      expect(drops.get(reason) ?? 0, reason).toBeGreaterThan(0);
    const f = await eqOf('AGV-03');
    expect(f.values.battery).toMatchObject({ value: 70, sourceTimestamp: ts0, quality: 'good' });
    expect(f.state).toBe('running');
    expect(await Promise.all(['AGV-01', 'AGV-02', 'AGV-04', 'L1-R1'].map(eqOf))).toEqual(others);

    const tick = server.session.world.tick;
    await until(() => server.session.world.tick > tick + 3, 15_000, 'the loop to keep ticking');
    const c = await server.client('viewer');
    const snap = await new Promise<PlantSnapshot>((resolve) => c.once('plant:snapshot', resolve));
    const kinds = snap.plant.equipment.map((x) => x.kind as EquipmentKind);
    const calm = snap.plant.equipment.findIndex((x) => x.id === 'AGV-04');
    let framed = false;
    c.on('telemetry:frame', (buf: ArrayBuffer) => {
      for (const en of decodeFrameToObjects(buf, kinds).entries)
        if (en.index === calm && en.state === STATE_CODE.running) framed = true;
    });
    await c4.state({ driving: true });
    await until(() => framed, 15_000, 'a frame after the fuzz');
    c.close();
    await f3.state({ driving: false, batteryState: { batteryCharge: 71 } });
    await until(
      async () => (await eqOf('AGV-03')).values.battery.value === 71,
      15_000,
      'a good state after the fuzz',
    );
  });

  it("rate-limits a flooding AGV on its own token bucket while another AGV's messages keep arriving", async () => {
    const a2 = agvs.find((a) => a.serialNumber === 'A2') ?? (await agv('A2'));
    const c4 = agvs.find((a) => a.serialNumber === 'C4') ?? (await agv('C4'));
    const before = stats().drops.get('rate') ?? 0;
    const sent: Promise<unknown>[] = [];
    for (let i = 0; i < 2000; i++) {
      sent.push(a2.visualization(i / 100, 0, 0));
      if (i % 250 === 0) sent.push(c4.state({ batteryState: { batteryCharge: 10 + i / 100 } }));
    }
    await Promise.all(sent);
    await c4.state({ batteryState: { batteryCharge: 93 } });
    await until(async () => (await eqOf('AGV-04')).values.battery.value === 93, 15_000, 'the calm AGV');
    // AGV-02 may send 50 a second with bursts of 100: most of its 2,000 are dropped.
    await until(() => (stats().drops.get('rate') ?? 0) - before > 1000, 15_000, 'the flood to be limited');
  });
});

describe('VDA 5050 commands', () => {
  it('pauses through instantActions startPause, confirmed when the AGV reports paused; resumes with stopPause', async () => {
    const k5 = await agv('K5');
    await k5.state({ driving: true });
    await until(async () => (await eqOf('AGV-05')).state === 'running', 15_000, 'running');
    k5.onReceive = (r) => {
      if (r.kind !== 'instantActions') return;
      const type = (r.message as { actions: { actionType: string }[] }).actions[0].actionType;
      void k5.state({ paused: type === 'startPause', driving: false });
    };
    const paused = await adapter().command(cmd('AGV-05', 'pause'));
    expect(paused.status).toBe('confirmed');
    const resumed = await adapter().command(cmd('AGV-05', 'resume'));
    expect(resumed.status).toBe('confirmed');
    k5.onReceive = null;

    const sent = k5.received.filter((r) => r.kind === 'instantActions');
    expect(sent).toHaveLength(2);
    const [p, r] = sent.map((s) => instantActionsSchema.parse(s.message));
    expect(sent[0].topic).toBe('uagv/v2/Acme/K5/instantActions');
    expect(p.actions).toEqual([
      { actionType: 'startPause', actionId: expect.any(String), blockingType: 'HARD' },
    ]);
    expect(r.actions[0]).toMatchObject({ actionType: 'stopPause', blockingType: 'HARD' });
    expect(r.actions[0].actionId).not.toBe(p.actions[0].actionId);
    expect(r.headerId).toBe(p.headerId + 1);
    expect(p).toMatchObject({ manufacturer: 'Acme', serialNumber: 'K5', version: '2.0.0' });
    expect(Date.parse(p.timestamp)).toBeGreaterThan(0);
  });

  it('answers refused with the reason when the AGV reports the action FAILED', async () => {
    const k5 = agvs.find((a) => a.serialNumber === 'K5') ?? (await agv('K5'));
    k5.onReceive = (r) => {
      if (r.kind !== 'instantActions') return;
      const { actionId, actionType } = (r.message as { actions: { actionId: string; actionType: string }[] })
        .actions[0];
      void k5.state({
        actionStates: [{ actionId, actionType, actionStatus: 'FAILED', resultDescription: 'in manual mode' }],
      });
    };
    const res = await adapter().command(cmd('AGV-05', 'pause'));
    k5.onReceive = null;
    expect(res.status).toBe('refused');
    expect(res.detail).toContain('in manual mode');
  });

  it('sends go-to as a valid order along the paths whose nodes invert through the map, confirmed when the AGV reports it', async () => {
    const k5 = agvs.find((a) => a.serialNumber === 'K5') ?? (await agv('K5'));
    // Plant (83, 5) is node PK-01; on the rotated map that is (35, -3).
    await k5.state({ agvPosition: { x: 35, y: -3, theta: 0 } });
    await until(
      async () => Math.abs(((await eqOf('AGV-05')).pose?.[0] ?? 0) - 83) < 1e-9,
      15_000,
      'the AGV at PK-01',
    );
    k5.onReceive = (r) => {
      if (r.kind === 'order')
        void k5.state({
          orderId: (r.message as VdaOrder).orderId,
          driving: true,
          agvPosition: { x: 35, y: -3, theta: 0 },
        });
    };
    const before = k5.received.length;
    const res = await adapter().command(cmd('AGV-05', 'go-to', 'HA-45'));
    k5.onReceive = null;
    expect(res.status).toBe('confirmed');
    const sent = k5.received.slice(before).filter((r) => r.kind === 'order');
    expect(sent).toHaveLength(1);
    const order = orderSchema.parse(sent[0].message);
    const nodes = order.nodes;
    expect(nodes[0].nodeId).toBe('PK-01');
    expect(nodes.at(-1)?.nodeId).toBe('HA-45');
    // HA-45 is plant (86, 45): 6 m along plant +x and 5 m along +z of the origin -> map (-5, -6).
    expect(nodes.at(-1)?.nodePosition?.x).toBeCloseTo(-5, 9);
    expect(nodes.at(-1)?.nodePosition?.y).toBeCloseTo(-6, 9);
    const layoutNodes = new Map(server.session.world.layout.paths?.nodes.map((n) => [n.id, n.position]));
    nodes.forEach((n, i) => {
      expect(n.sequenceId).toBe(2 * i);
      expect(n.released).toBe(true);
      expect(n.nodePosition?.mapId).toBe('hall');
      const [x, z] = vdaToPlant(ROTATED, n.nodePosition?.x ?? Number.NaN, n.nodePosition?.y ?? Number.NaN, 0);
      const want = layoutNodes.get(n.nodeId);
      expect(x).toBeCloseTo(want?.[0] ?? Number.NaN, 9);
      expect(z).toBeCloseTo(want?.[1] ?? Number.NaN, 9);
    });
    expect(order.edges).toHaveLength(nodes.length - 1);
    order.edges.forEach((e, i) => {
      expect(e).toMatchObject({
        sequenceId: 2 * i + 1,
        released: true,
        startNodeId: nodes[i].nodeId,
        endNodeId: nodes[i + 1].nodeId,
      });
    });
  });

  it('sends dock as an order to the nearest charging dock ending in startCharging; unconfirmed when the AGV never reports', async () => {
    const k5 = agvs.find((a) => a.serialNumber === 'K5') ?? (await agv('K5'));
    const before = k5.received.length;
    // From PK-01 (83, 5) the dock node CHG-01-N (83, 18.5) is nearest along the paths (19.5 m).
    const res = await adapter().command(cmd('AGV-05', 'dock'));
    expect(res.status).toBe('unconfirmed');
    const order = orderSchema.parse(k5.received.slice(before).find((r) => r.kind === 'order')?.message);
    const last = order.nodes.at(-1);
    expect(last?.nodeId).toBe('CHG-01-N');
    expect(last?.actions).toEqual([
      { actionType: 'startCharging', actionId: expect.any(String), blockingType: 'HARD' },
    ]);
    expect(order.nodes.slice(0, -1).every((n) => n.actions.length === 0)).toBe(true);
  });

  it('refuses what it cannot send: other actions, unknown nodes, unknown equipment', async () => {
    const a = adapter();
    expect((await a.command(cmd('AGV-05', 'start'))).status).toBe('refused');
    expect((await a.command(cmd('AGV-05', 'go-to', 'NOPE'))).status).toBe('refused');
    expect((await a.command(cmd('L1-C1', 'pause'))).status).toBe('refused');
  });
});

/** A small seeded PRNG (mulberry32): the same malformed messages every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One malformed message on one of the AGV's own topics, each of them refused: broken JSON, schema
 * failures, non-finite numbers, far-out-of-range values, a header naming another AGV, bad
 * timestamps, an oversized payload, deep nesting, prototype keys.
 */
function malformed(rng: () => number, agv: TestAgv): { topic: string; payload: string | Buffer } {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)];
  const topic = pick(['state', 'visualization', 'connection'] as const);
  const j = (o: unknown) => JSON.stringify(o);
  const state = () => agv.stateMessage();
  const kind = Math.floor(rng() * 11);
  switch (kind) {
    case 0:
      return {
        topic,
        payload: pick(['{"headerId": 1,', '{headerId: 1}', '', 'null]', '\u0000\u0001', '{}}']),
      };
    case 1: {
      // A required field missing or of the wrong type.
      const m: Record<string, unknown> = state();
      const key = pick(['headerId', 'timestamp', 'driving', 'batteryState', 'safetyState', 'operatingMode']);
      if (rng() < 0.5) delete m[key];
      else m[key] = pick(['x', [1], { a: 1 }, -1, null]);
      return { topic: 'state', payload: j(m) };
    }
    case 2: {
      // Non-finite: JSON has no NaN; a device that prints it sends text, or 1e999 (Infinity).
      const text = j(state()).replace(
        '"batteryCharge":80',
        `"batteryCharge":${pick(['NaN', '1e999', '-1e999', '"NaN"'])}`,
      );
      return { topic: 'state', payload: text };
    }
    case 3: {
      const m = state();
      const what = Math.floor(rng() * 3);
      if (what === 0) m.batteryState.batteryCharge = pick([1e6, -5000, 2e4]);
      else if (what === 1) m.velocity = { vx: pick([500, -1e4]), vy: 0 };
      else if (m.agvPosition) m.agvPosition.x = pick([1e9, -3e7]);
      return { topic: 'state', payload: j(m) };
    }
    case 4:
      return { topic: 'state', payload: j({ ...state(), serialNumber: pick(['ZZ9', 'A1', '', 'K5']) }) };
    case 5: {
      const now = Date.now();
      const ts = pick([
        new Date(now + 3600_000).toISOString(),
        new Date(now - 3 * 86400_000).toISOString(),
        'tomorrow',
        '2026-12-05 08:00:00',
        '2026-12-05T08:00:00',
      ]);
      return { topic: 'state', payload: j({ ...state(), timestamp: ts }) };
    }
    case 6:
      return { topic, payload: j({ ...state(), pad: 'x'.repeat(65 * 1024 + Math.floor(rng() * 1000)) }) };
    case 7: {
      const d = 100 + Math.floor(rng() * 5000);
      return { topic, payload: `${'['.repeat(d)}1${']'.repeat(d)}` };
    }
    case 8:
      return {
        topic,
        payload: pick(['{"__proto__": {"driving": true}}', '{"constructor": {"x": 1}}', '[]', '42']),
      };
    case 9:
      return {
        topic: 'connection',
        payload: j({ ...state(), connectionState: pick(['BROKEN', 'online', 7, null]) }),
      };
    default:
      return {
        topic: 'visualization',
        payload: j({
          ...state(),
          agvPosition: {
            x: 1,
            y: 1,
            theta: pick([1e4, '0', null]),
            mapId: 'hall',
            positionInitialized: true,
          },
        }),
      };
  }
}
