import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeFrameToObjects,
  type EquipmentAnswer,
  type EquipmentKind,
  type PlantSnapshot,
  type SourcesAnswer,
  STATE_CODE,
} from '../../../protocol';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../../server/ingest/embeddedBroker';
import { startIngestServer, until } from './ingestServer';

type Server = Awaited<ReturnType<typeof startIngestServer>>;

let broker: EmbeddedBroker;
let server: Server;
let pub: MqttClient;

const eqOf = async (id: string) =>
  (await server.get<EquipmentAnswer>(`/api/equipment/${id}`, 'viewer')).body.equipment;
const send = (topic: string, payload: unknown) =>
  pub.publishAsync(
    topic,
    typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload),
  );
const stats = () => server.ingest.stats[0];

beforeAll(async () => {
  broker = await startEmbeddedBroker(0, '127.0.0.1');
  const url = `mqtt://127.0.0.1:${broker.port}`;
  server = await startIngestServer({
    sources: [
      {
        id: 'uns',
        kind: 'mqtt-json',
        broker: url,
        topics: [
          {
            topic: 'acme/line1/conveyor1',
            equipment: 'L1-C1',
            fields: { beltSpeed: '$.belt.speed', motorTemp: "$['motor']['temp']", state: '$.status' },
            timestamp: '$.ts',
            stateMap: { RUNNING: 'running', STOPPED: 'idle', FAULT: 'fault' },
          },
          {
            topic: 'acme/line1/conveyor2',
            equipment: 'L1-C2',
            fields: { beltSpeed: '$.speed' },
            staleAfterS: 1,
          },
          {
            topic: 'acme/fuzz',
            equipment: 'L1-C3',
            fields: { beltSpeed: '$.v', state: '$.s' },
            timestamp: '$.ts',
            maxPerS: 10_000,
          },
          { topic: 'acme/flood', equipment: 'L1-C4', fields: { beltSpeed: '$.v' }, maxPerS: 20 },
          { topic: 'acme/calm', equipment: 'L2-C1', fields: { beltSpeed: '$.v' } },
        ],
      },
    ],
    unmapped: 'offline',
  });
  pub = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: 'test-publisher' });
  await until(() => stats().status === 'connected', 15_000, 'the source to connect');
});

afterAll(async () => {
  await pub?.endAsync(true);
  await server?.close();
  await broker?.close();
});

describe('plain MQTT JSON ingest (embedded aedes broker)', () => {
  it('shows a published value with quality good and its source timestamp in GET /api/equipment/:id', async () => {
    const ts = Date.now() - 250;
    await send('acme/line1/conveyor1', {
      belt: { speed: 0.42 },
      motor: { temp: 51.5 },
      status: 'RUNNING',
      ts,
    });
    const e = await until(async () => {
      const d = await eqOf('L1-C1');
      return d.values.beltSpeed.value === 0.42 ? d : null;
    });
    expect(e.source).toBe('uns');
    expect(e.state).toBe('running');
    expect(e.values.beltSpeed).toEqual({ value: 0.42, quality: 'good', sourceTimestamp: ts });
    expect(e.values.motorTemp).toEqual({ value: 51.5, quality: 'good', sourceTimestamp: ts });
    expect(e.sourceTimestamp).toBe(ts);
    expect(e.receivedAt).toBeGreaterThanOrEqual(ts);
    // A signal no topic maps is shown, but as bad: it is not measured.
    expect(e.values.throughput.quality).toBe('bad');
    expect(e.quality).toBe('good');
  });

  it('streams received values in the telemetry frames a real client decodes', async () => {
    const c = await server.client('viewer');
    const snap = await new Promise<PlantSnapshot>((resolve) => c.once('plant:snapshot', resolve));
    const kinds = snap.plant.equipment.map((e) => e.kind as EquipmentKind);
    const idx = snap.plant.equipment.findIndex((e) => e.id === 'L1-C1');
    let seen: number[] | null = null;
    let state = -1;
    c.on('telemetry:frame', (buf: ArrayBuffer) => {
      for (const en of decodeFrameToObjects(buf, kinds).entries)
        if (en.index === idx && Math.abs(en.signals[0] - 1.25) < 0.001) {
          seen = en.signals;
          state = en.state;
        }
    });
    await send('acme/line1/conveyor1', {
      belt: { speed: 1.25 },
      motor: { temp: 60 },
      status: 'FAULT',
      ts: Date.now(),
    });
    await until(() => seen, 15_000, 'a frame with the received belt speed');
    expect(state).toBe(STATE_CODE.fault);
    c.close();
  });

  it('shows unmapped equipment offline, with bad quality and no source', async () => {
    const e = await eqOf('L1-R1');
    expect(e.state).toBe('offline');
    expect(e.source).toBeNull();
    expect(e.quality).toBe('bad');
  });

  it('does not apply a value older than the one shown, and counts it', async () => {
    const t = Date.now();
    const before = stats().drops.get('out-of-order') ?? 0;
    await send('acme/line1/conveyor1', { belt: { speed: 1.5 }, ts: t });
    await send('acme/line1/conveyor1', { belt: { speed: 0.1 }, ts: t - 5000 });
    await until(
      () => (stats().drops.get('out-of-order') ?? 0) > before,
      15_000,
      'the late value to be counted',
    );
    const e = await eqOf('L1-C1');
    expect(e.values.beltSpeed.value).toBe(1.5);
    expect(e.values.beltSpeed.sourceTimestamp).toBe(t);
  });

  it('marks values stale when the publisher stops, judged on receive time, and the machine offline', async () => {
    await send('acme/line1/conveyor2', { speed: 0.3 });
    await until(
      async () => (await eqOf('L1-C2')).values.beltSpeed.quality === 'good',
      15_000,
      'a good value',
    );
    const e = await until(
      async () => {
        const d = await eqOf('L1-C2');
        return d.values.beltSpeed.quality === 'stale' ? d : null;
      },
      15_000,
      'the value to go stale',
    );
    expect(e.values.beltSpeed.value).toBe(0.3);
    expect(e.state).toBe('offline');
    const { body } = await server.get<SourcesAnswer>('/api/sources', 'operator');
    expect(body.sources[0].stale).toContain('L1-C2');
  });

  it('answers GET /api/sources to operators only, with status, counters and skew', async () => {
    const viewer = await server.get<unknown>('/api/sources', 'viewer');
    expect(viewer.status).toBe(403);
    const { status, body } = await server.get<SourcesAnswer>('/api/sources', 'operator');
    expect(status).toBe(200);
    const s = body.sources[0];
    expect(s).toMatchObject({ id: 'uns', kind: 'mqtt-json', status: 'connected' });
    expect(s.lastMessageAt).toBeGreaterThan(0);
    expect(typeof s.skewMs).toBe('number');
  });

  it('refuses operator commands to fed equipment: the simulation does not run it', () => {
    const r = server.session.command({ equipmentId: 'L1-C1', action: 'stop' });
    expect(r.ok).toBe(false);
  });

  it('survives 1,000 seeded malformed messages: frames keep coming, nothing else changes, drops are counted', async () => {
    const ts0 = Date.now();
    await send('acme/fuzz', { v: 0.7, s: 'running', ts: ts0 });
    await send('acme/calm', { v: 0.33 });
    await until(async () => (await eqOf('L1-C3')).values.beltSpeed.value === 0.7, 15_000, 'the valid value');
    await until(async () => (await eqOf('L2-C1')).values.beltSpeed.value === 0.33, 15_000, 'the calm value');
    const others = await Promise.all(['L2-C1', 'L1-R1', 'AGV-01'].map(eqOf));
    const errorsBefore = stats().errors;
    const rng = mulberry32(20261204);
    let delivered = 0;
    for (let i = 0; i < 1000; i++) {
      const m = malformed(rng, Date.now());
      if (m.topic === 'acme/fuzz') delivered++;
      await send(m.topic, m.payload);
    }
    // Every message that reached the mapped topic is dropped and counted (the others have no subscriber).
    await until(
      () => stats().errors - errorsBefore >= delivered,
      30_000,
      'every malformed message to be counted',
    );
    const drops = stats().drops;
    for (const reason of ['malformed', 'type', 'range', 'timestamp', 'size', 'state'] as const)
      expect(drops.get(reason) ?? 0, reason).toBeGreaterThan(0);
    const c3 = await eqOf('L1-C3');
    expect(c3.values.beltSpeed).toMatchObject({ value: 0.7, sourceTimestamp: ts0 });
    expect(c3.state).toBe('running');
    // Unmapped equipment (offline, values frozen) and the calm topic's machine: exactly as before.
    expect(await Promise.all(['L2-C1', 'L1-R1', 'AGV-01'].map(eqOf))).toEqual(others);
    // The plant still ticks and streams (a delta frame carries what changed: a new calm value),
    // and the fuzzed topic still takes a good message.
    const tick = server.session.world.tick;
    await until(() => server.session.world.tick > tick + 3, 15_000, 'the loop to keep ticking');
    const c = await server.client('viewer');
    const snap = await new Promise<PlantSnapshot>((resolve) => c.once('plant:snapshot', resolve));
    const kinds = snap.plant.equipment.map((e) => e.kind as EquipmentKind);
    const calm = snap.plant.equipment.findIndex((e) => e.id === 'L2-C1');
    let framed = false;
    c.on('telemetry:frame', (buf: ArrayBuffer) => {
      if (decodeFrameToObjects(buf, kinds).entries.some((en) => en.index === calm)) framed = true;
    });
    await send('acme/calm', { v: 0.66 });
    await until(() => framed, 15_000, 'a frame after the fuzz');
    c.close();
    await send('acme/fuzz', { v: 0.9, s: 'idle', ts: Date.now() });
    await until(
      async () => (await eqOf('L1-C3')).values.beltSpeed.value === 0.9,
      15_000,
      'a good value after the fuzz',
    );
  });

  it('exports messages and drops by reason to Prometheus', async () => {
    const res = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${await server.login('admin')}` },
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    const value = (re: RegExp) => Number(re.exec(text)?.[1] ?? Number.NaN);
    expect(value(/^plant_twin_ingest_messages_total\{source="uns"\} (\d+)$/m)).toBe(stats().messages);
    expect(
      value(/^plant_twin_ingest_dropped_total\{source="uns",reason="malformed"\} (\d+)$/m),
    ).toBeGreaterThan(0);
    expect(value(/^plant_twin_ingest_source_connected\{source="uns",kind="mqtt-json"\} (\d+)$/m)).toBe(1);
  });

  it('rate-limits a flooding topic while another topic keeps arriving', async () => {
    const before = stats().drops.get('rate') ?? 0;
    const flood: Promise<unknown>[] = [];
    for (let i = 0; i < 2000; i++) {
      flood.push(send('acme/flood', { v: (i % 200) / 100 }));
      if (i % 250 === 0) flood.push(send('acme/calm', { v: 1 + i / 2500 }));
    }
    await Promise.all(flood);
    await send('acme/calm', { v: 1.9 });
    await until(async () => (await eqOf('L2-C1')).values.beltSpeed.value === 1.9, 15_000, 'the calm topic');
    await until(() => (stats().drops.get('rate') ?? 0) - before > 1000, 15_000, 'the flood to be limited');
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

/** One malformed device message: broken JSON, wrong types, NaN, huge, deep, far-future, wrong topic... */
function malformed(rng: () => number, now: number): { topic: string; payload: string | Buffer } {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)];
  const ok = { ts: now };
  const kind = Math.floor(rng() * 10);
  const j = (o: unknown) => JSON.stringify(o);
  switch (kind) {
    case 0:
      return {
        topic: 'acme/fuzz',
        payload: pick(['{"v": 1,', '{v: 1}', "{'v': 1}", '', 'null]', '\u0000\u0001', '{"v": 1}}']),
      };
    case 1:
      return { topic: 'acme/fuzz', payload: j({ ...ok, v: pick([true, { a: 1 }, [1], null, '', 'fast']) }) };
    case 2:
      return {
        topic: 'acme/fuzz',
        payload: j({ ...ok, v: pick(['NaN', 'Infinity', '-Infinity', '1e999']) }),
      };
    case 3:
      return {
        topic: 'acme/fuzz',
        payload: j({ ...ok, v: 1, pad: 'x'.repeat(65 * 1024 + Math.floor(rng() * 1000)) }),
      };
    case 4: {
      const d = 100 + Math.floor(rng() * 5000);
      return { topic: 'acme/fuzz', payload: `${'['.repeat(d)}1${']'.repeat(d)}` };
    }
    case 5:
      return {
        topic: 'acme/fuzz',
        payload: j({ v: 1, ts: pick([now + 3600_000, now - 3 * 86400_000, 'tomorrow', -1e20]) }),
      };
    case 6:
      return {
        topic: pick(['acme/fuzz/extra', 'acme', 'other/topic', 'acme/fuzz2']),
        payload: j({ ...ok, v: 1 }),
      };
    case 7:
      return { topic: 'acme/fuzz', payload: j({ ...ok, v: pick([1e6, -1e6, 50, -30]) }) };
    case 8:
      return {
        topic: 'acme/fuzz',
        payload: j({ ...ok, v: 1, s: pick(['EXPLODED', 7, 'RUNNING', '__proto__', 'toString']) }),
      };
    default:
      return {
        topic: 'acme/fuzz',
        payload: pick(['{"__proto__": {"v": 1}}', '{"constructor": {"v": 1}}', '[]', '42']),
      };
  }
}
