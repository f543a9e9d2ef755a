import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EquipmentAnswer, signalIndex, type ValueHistoryAnswer } from '../../../protocol';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../../server/ingest/embeddedBroker';
import { Q } from '../../../server/ingest/liveValues';
import { until } from './ingestServer';
import { startQualityServer } from './qualityServer';

type Server = Awaited<ReturnType<typeof startQualityServer>>;

let broker: EmbeddedBroker;
let pub: MqttClient;
let server: Server;
let simulated: Server;

const history = (query: string, id = 'L1-C1') =>
  server.get<ValueHistoryAnswer & { message?: string; code?: string }>(
    `/api/equipment/${id}/history${query}`,
  );

beforeAll(async () => {
  broker = await startEmbeddedBroker(0, '127.0.0.1');
  const url = `mqtt://127.0.0.1:${broker.port}`;
  server = await startQualityServer({
    sources: [
      {
        id: 'uns',
        kind: 'mqtt-json',
        broker: url,
        topics: [
          {
            topic: 'h/c1',
            equipment: 'L1-C1',
            fields: { beltSpeed: '$.v', motorTemp: '$.t' },
            timestamp: '$.ts',
          },
        ],
      },
    ],
    unmapped: 'offline',
  });
  simulated = await startQualityServer(null);
  pub = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: 'quality-history-publisher' });
  await until(() => server.ingest?.stats[0].status === 'connected', 15_000, 'the source to connect');
}, 60_000);

afterAll(async () => {
  await pub?.endAsync(true);
  await server?.close();
  await simulated?.close();
  await broker?.close();
});

describe('GET /api/equipment/:id/history', () => {
  it('answers the late (out-of-order) and historical values of a signal, ordered by source time, never shown live', async () => {
    const t = Date.now();
    await pub.publishAsync('h/c1', JSON.stringify({ v: 0.9, t: 50, ts: t }));
    await until(
      async () =>
        (await server.get<EquipmentAnswer>('/api/equipment/L1-C1')).body.equipment.values.beltSpeed.value ===
        0.9,
      20_000,
      'the live value',
    );
    // Late: older than the value shown, so it goes to history, not over the live value.
    await pub.publishAsync('h/c1', JSON.stringify({ v: 0.2, t: 40, ts: t - 3000 }));
    // Store-and-forward: a device's historical values, through the sink as every adapter queues them.
    const ingest = server.ingest!;
    const eq = server.session.world.equipment.find((e) => e.id === 'L1-C1')!.index;
    const belt = signalIndex('conveyor', 'beltSpeed');
    ingest.sink.push(0, eq, belt, 0.33, t - 5000, Date.now(), Q.uncertain, true);
    ingest.sink.push(0, eq, belt, 0.44, t - 4000, Date.now(), Q.good, true);
    const { status, body } = await until(
      async () => {
        const r = await history('?signal=beltSpeed');
        return r.body.values?.length === 3 ? r : null;
      },
      20_000,
      'three stored values',
    );
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.equipment).toBe('L1-C1');
    expect(body.signal).toBe('beltSpeed');
    expect(body.values.map((v) => [v.value, v.quality, v.sourceTimestamp])).toEqual([
      [0.33, 'uncertain', t - 5000],
      [0.44, 'good', t - 4000],
      [0.2, 'good', t - 3000],
    ]);
    for (const v of body.values) expect(v.receivedAt).toBeGreaterThanOrEqual(t);
    // The late motor temperature went to its own signal's history.
    expect((await history('?signal=motorTemp')).body.values.map((v) => v.value)).toEqual([40]);
    // The live value is untouched by either.
    const live = (await server.get<EquipmentAnswer>('/api/equipment/L1-C1')).body.equipment;
    expect(live.values.beltSpeed.value).toBe(0.9);
    // from/to (source time, inclusive) and limit.
    expect(
      (await history(`?signal=beltSpeed&from=${t - 4000}&to=${t - 3000}`)).body.values.map((v) => v.value),
    ).toEqual([0.44, 0.2]);
    expect((await history(`?signal=beltSpeed&limit=1`)).body.values.map((v) => v.value)).toEqual([0.33]);
    expect(
      (await history(`?signal=beltSpeed&from=${new Date(t - 3500).toISOString()}`)).body.values.map(
        (v) => v.value,
      ),
    ).toEqual([0.2]);
  });

  it('refuses bad queries with 400 and a message naming the parameter, and changes nothing', async () => {
    const before = (await history('?signal=beltSpeed')).body.values;
    const cases: [string, RegExp][] = [
      ['', /^signal: expected a signal name/],
      ['?signal=', /^signal: expected a signal name/],
      ['?signal=noSuchSignal', /"noSuchSignal" is not a signal of a conveyor \(expected one of: beltSpeed/],
      ['?signal=beltSpeed&from=yesterday', /^from: expected ms since epoch or an ISO 8601 date/],
      ['?signal=beltSpeed&from=2000&to=1000', /^from: from must not be after to/],
      ['?signal=beltSpeed&limit=0', /^limit: expected at least 1/],
      ['?signal=beltSpeed&limit=10001', /^limit: expected at most 10000/],
      ['?signal=beltSpeed&limit=many', /^limit: expected a whole number/],
      ['?signal=beltSpeed&signal=motorTemp', /^signal: given more than once/],
      ['?signal=beltSpeed&drop=table', /unrecognized|drop/i],
    ];
    for (const [query, message] of cases) {
      const r = await history(query);
      expect(r.status, query).toBe(400);
      expect(r.body.ok, query).toBe(false);
      expect(r.body.code, query).toBe('INVALID');
      expect(r.body.message, query).toMatch(message);
    }
    expect((await history('?signal=beltSpeed')).body.values).toEqual(before);
  });

  it('answers 401 without a login, 404 for unknown equipment, 405 for other methods, and serves viewers', async () => {
    expect((await server.get('/api/equipment/L1-C1/history?signal=beltSpeed', null)).status).toBe(401);
    expect((await history('?signal=beltSpeed', 'NOPE')).status).toBe(404);
    const post = await fetch(`${server.url}/api/equipment/L1-C1/history?signal=beltSpeed`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await server.login('viewer')}` },
    });
    expect(post.status).toBe(405);
    expect((await server.get('/api/equipment/L1-C1/history?signal=beltSpeed', 'viewer')).status).toBe(200);
  });

  it('answers an empty list for simulated equipment (a simulated plant keeps no history)', async () => {
    const r = await simulated.get<ValueHistoryAnswer>('/api/equipment/L1-C1/history?signal=beltSpeed');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: true, equipment: 'L1-C1', signal: 'beltSpeed', values: [] });
  });
});
