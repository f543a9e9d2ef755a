import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EquipmentAnswer, SourcesAnswer } from '../../../protocol';
import { hasMosquitto, startMosquitto, type TestMosquitto } from '../../helpers/mosquitto';
import { startIngestServer, until } from './ingestServer';

// A missing Mosquitto is a loud skip on a developer machine and a failure in CI (`.ci/run` installs it).
if (!hasMosquitto && process.env.CI) throw new Error('mosquitto is not installed (/usr/sbin/mosquitto)');
if (!hasMosquitto) console.warn('SKIPPED: Mosquitto interop tests (install mosquitto)');

describe.skipIf(!hasMosquitto)('plain MQTT JSON ingest through a real Mosquitto', () => {
  let mosq: TestMosquitto;
  let server: Awaited<ReturnType<typeof startIngestServer>>;

  beforeAll(async () => {
    mosq = await startMosquitto();
    server = await startIngestServer({
      sources: [
        {
          id: 'plant',
          kind: 'mqtt-json',
          broker: mosq.url,
          topics: [
            { topic: 'site/hall/tx1', equipment: 'TX-01', fields: { oilTemp: '$.oil.temp', load: '$.load' } },
          ],
        },
      ],
    });
  });

  afterAll(async () => {
    await server?.close();
    await mosq?.stop();
  });

  /** Publishes one message with a fresh client (a device that reconnects on its own). */
  const publish = async (payload: unknown) => {
    const c = await mqtt.connectAsync(mosq.url, { protocolVersion: 4, reconnectPeriod: 0 });
    await c.publishAsync('site/hall/tx1', JSON.stringify(payload));
    await c.endAsync();
  };
  const oil = async () =>
    (await server.get<EquipmentAnswer>('/api/equipment/TX-01', 'viewer')).body.equipment.values.oilTemp;
  const status = async () => (await server.get<SourcesAnswer>('/api/sources')).body.sources[0].status;

  it('receives values, then reconnects and resubscribes after the broker restarts, without a twin restart', async () => {
    await until(async () => (await status()) === 'connected', 15_000, 'the first connection');
    await publish({ oil: { temp: 61.5 }, load: 40 });
    await until(async () => (await oil()).value === 61.5, 15_000, 'the first value');
    expect((await oil()).quality).toBe('good');

    await mosq.stop();
    await until(
      async () => (await status()) !== 'connected',
      15_000,
      'the source to notice the broker is gone',
    );
    await mosq.start();
    await until(async () => (await status()) === 'connected', 20_000, 'the reconnection');
    // The subscription is renewed on reconnect: new values flow again.
    await until(
      async () => {
        await publish({ oil: { temp: 72.25 }, load: 55 });
        return (await oil()).value === 72.25;
      },
      20_000,
      'values after the restart',
    );
    const e = (await server.get<EquipmentAnswer>('/api/equipment/TX-01', 'viewer')).body.equipment;
    expect(e.values.load).toMatchObject({ value: 55, quality: 'good' });
    expect(e.source).toBe('plant');
  });
});
