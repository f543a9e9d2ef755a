import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EquipmentAnswer, MARK_QUALITY_MASK, MARK_STAND_IN, QUALITIES } from '../../../protocol';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../../server/ingest/embeddedBroker';
import { until } from './ingestServer';
import { startQualityServer } from './qualityServer';

type Server = Awaited<ReturnType<typeof startQualityServer>>;

const GOOD = 0;
const BAD = 2;
const STALE = 3;

let broker: EmbeddedBroker;
let pub: MqttClient;
let fed: Server;
let standIn: Server;
let simulated: Server;

const sourcesFile = (url: string, unmapped: string) => ({
  sources: [
    {
      id: 'uns',
      kind: 'mqtt-json',
      broker: url,
      topics: [
        {
          topic: `${unmapped}/c1`,
          equipment: 'L1-C1',
          fields: { beltSpeed: '$.v', state: '$.s' },
          staleAfterS: 1,
        },
        { topic: `${unmapped}/c2`, equipment: 'L1-C2', fields: { beltSpeed: '$.v', motorTemp: '$.t' } },
      ],
    },
  ],
  unmapped,
});

const qualityOf = async (s: Server, id: string) =>
  (await s.get<EquipmentAnswer>(`/api/equipment/${id}`)).body.equipment.quality;

/** Publishes `payload` every 200 ms until stopped (a live device), so a slow machine still sees it fresh. */
function keepPublishing(topic: string, payload: () => unknown) {
  const send = () => void pub.publishAsync(topic, JSON.stringify(payload())).catch(() => {});
  send();
  const timer = setInterval(send, 200);
  return () => clearInterval(timer);
}

beforeAll(async () => {
  broker = await startEmbeddedBroker(0, '127.0.0.1');
  const url = `mqtt://127.0.0.1:${broker.port}`;
  fed = await startQualityServer(sourcesFile(url, 'offline'));
  standIn = await startQualityServer(sourcesFile(url, 'simulate'));
  simulated = await startQualityServer(null);
  pub = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: 'quality-mark-publisher' });
  await until(() => fed.ingest?.stats[0].status === 'connected', 15_000, 'the source to connect');
  await until(
    () => standIn.ingest?.stats[0].status === 'connected',
    15_000,
    'the stand-in source to connect',
  );
}, 60_000);

afterAll(async () => {
  await pub?.endAsync(true);
  await fed?.close();
  await standIn?.close();
  await simulated?.close();
  await broker?.close();
});

describe('data mark in the telemetry frames', () => {
  it('marks fed equipment good while fresh, then stale when its source goes quiet, as the API says', async () => {
    const { marks } = await fed.watch();
    const stop = keepPublishing('offline/c1', () => ({ v: 0.4, s: 'running' }));
    try {
      await until(
        async () => marks.get('L1-C1') === GOOD && (await qualityOf(fed, 'L1-C1')) === 'good',
        20_000,
        'a good mark while the device publishes',
      );
    } finally {
      stop();
    }
    await until(
      async () => marks.get('L1-C1') === STALE && (await qualityOf(fed, 'L1-C1')) === 'stale',
      20_000,
      'a stale mark once it stops',
    );
    expect(QUALITIES[(marks.get('L1-C1') ?? -1) & MARK_QUALITY_MASK]).toBe('stale');
  });

  it('marks fed equipment bad while one of its mapped values never arrived, as the API says', async () => {
    const { marks } = await fed.watch();
    const stop = keepPublishing('offline/c2', () => ({ v: 0.3 }));
    try {
      await until(
        async () =>
          (await fed.get<EquipmentAnswer>('/api/equipment/L1-C2')).body.equipment.values.beltSpeed.quality ===
          'good',
        20_000,
        'the published value to arrive',
      );
      await until(() => marks.get('L1-C2') === BAD, 20_000, 'a bad mark');
      expect(await qualityOf(fed, 'L1-C2')).toBe('bad');
    } finally {
      stop();
    }
  });

  it('marks unmapped equipment shown offline bad, without the stand-in bit', async () => {
    const { marks } = await fed.watch();
    expect(marks.get('L1-R1')).toBe(BAD);
    expect(marks.get('AGV-01')).toBe(BAD);
    expect(await qualityOf(fed, 'L1-R1')).toBe('bad');
  });

  it('marks unmapped equipment with unmapped: simulate as a simulated stand-in of good quality', async () => {
    const { marks } = await standIn.watch();
    expect(marks.get('L1-R1')).toBe(MARK_STAND_IN | GOOD);
    expect(marks.get('DR-01')).toBe(MARK_STAND_IN | GOOD);
    const e = (await standIn.get<EquipmentAnswer>('/api/equipment/L1-R1')).body.equipment;
    expect(e.source).toBe('simulation');
    expect(e.quality).toBe('good');
    // Fed equipment there carries no stand-in bit: before any value, its mapped values are bad.
    expect(marks.get('L1-C2')).toBe(BAD);
  });

  it('sends mark 0 for every equipment of a fully simulated plant, in keyframes and live frames', async () => {
    const { marks, snapshot } = await simulated.watch();
    const before = marks.size;
    await until(() => simulated.session.world.tick > 20, 20_000, 'some ticks');
    expect(before).toBe(snapshot.plant.equipment.length);
    expect([...marks.values()].every((m) => m === 0)).toBe(true);
    expect(simulated.session.world.equipment.every((e) => e.mark === 0)).toBe(true);
  });
});
