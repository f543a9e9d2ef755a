import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EquipmentAnswer, SourcesAnswer } from '../../../protocol';
import { DataType } from '../../../server/ingest/sparkplug/payload';
import { hasMosquitto, startMosquitto, type TestMosquitto } from '../../helpers/mosquitto';
import { startIngestServer, until } from './ingestServer';
import { TestEdgeNode } from './sparkplugEdge';

// A missing Mosquitto is a loud skip on a developer machine and a failure in CI (`.ci/run` installs it).
if (!hasMosquitto && process.env.CI) throw new Error('mosquitto is not installed (/usr/sbin/mosquitto)');
if (!hasMosquitto) console.warn('SKIPPED: Sparkplug Mosquitto interop tests (install mosquitto)');

describe.skipIf(!hasMosquitto)('Sparkplug B host application through a real Mosquitto', () => {
  let mosq: TestMosquitto;
  let server: Awaited<ReturnType<typeof startIngestServer>>;
  let edge: TestEdgeNode;

  beforeAll(async () => {
    mosq = await startMosquitto();
    server = await startIngestServer({
      sources: [
        {
          id: 'sp',
          kind: 'sparkplug',
          broker: mosq.url,
          hostId: 'twin-host',
          staleAfterS: 60,
          devices: [
            {
              equipment: 'TX-01',
              group: 'site',
              node: 'sub1',
              device: 'tx1',
              metrics: { oilTemp: 'Oil/Temp', load: 'Load' },
            },
          ],
        },
      ],
    });
    edge = new TestEdgeNode(mosq.url, 'site', 'sub1', [], {
      tx1: [
        { name: 'Oil/Temp', alias: 1, datatype: DataType.Double, value: 50 },
        { name: 'Load', alias: 2, datatype: DataType.Double, value: 30 },
      ],
    });
  });

  afterAll(async () => {
    await edge?.stop();
    await server?.close();
    await mosq?.stop();
  });

  const tx = async () => (await server.get<EquipmentAnswer>('/api/equipment/TX-01', 'viewer')).body.equipment;
  const status = async () => (await server.get<SourcesAnswer>('/api/sources')).body.sources[0].status;
  /** The retained STATE message a newly connecting client is given. */
  const retainedState = async () => {
    const c = await mqtt.connectAsync(mosq.url, { protocolVersion: 4, reconnectPeriod: 0 });
    try {
      const got = new Promise<{ online: boolean; timestamp: number }>((resolve) =>
        c.on('message', (_t, p) => resolve(JSON.parse(p.toString()))),
      );
      await c.subscribeAsync('spBv1.0/STATE/twin-host', { qos: 1 });
      return await Promise.race([got, new Promise<null>((r) => setTimeout(() => r(null), 2000))]);
    } finally {
      await c.endAsync();
    }
  };

  it('republishes its STATE and receives data again after the broker restarts, without a twin restart; the lost session marks data stale at once', async () => {
    await until(async () => (await status()) === 'connected', 15_000, 'the first connection');
    const first = await until(retainedState, 15_000, 'the retained STATE');
    expect(first.online).toBe(true);
    await edge.start();
    await edge.data('tx1', [{ alias: 1, datatype: DataType.Double, value: 61.5 }]);
    await until(async () => (await tx()).values.oilTemp.value === 61.5, 15_000, 'the first value');
    expect((await tx()).values.oilTemp.quality).toBe('good');

    await mosq.stop();
    await until(async () => (await status()) !== 'connected', 15_000, 'the source to notice');
    // staleAfterS is 60 s: only the lost session can have made it stale this soon.
    await until(async () => (await tx()).values.oilTemp.quality === 'stale', 15_000, 'stale data');

    await mosq.start(); // no persistence: the retained STATE is gone with the old broker
    await until(async () => (await status()) === 'connected', 20_000, 'the reconnection');
    const again = await until(
      async () => {
        const s = await retainedState();
        return s?.online === true ? s : null;
      },
      20_000,
      'the republished STATE',
    );
    expect(again.timestamp).toBeGreaterThan(first.timestamp);
    // The edge node reconnects by itself and births again (or is asked to): data flow again.
    await until(
      async () => {
        await edge.data('tx1', [{ alias: 2, datatype: DataType.Double, value: 72.25 }]).catch(() => {});
        return (await tx()).values.load.value === 72.25;
      },
      30_000,
      'values after the restart',
    );
    expect((await tx()).values.load.quality).toBe('good');
  });

  it('has the broker publish an offline STATE with its birth timestamp when its connection dies, then comes back online', async () => {
    const online = await until(retainedState, 15_000, 'the retained STATE');
    const watcher = await mqtt.connectAsync(mosq.url, { protocolVersion: 4, reconnectPeriod: 0 });
    const seen: { online: boolean; timestamp: number }[] = [];
    watcher.on('message', (_t, p) => seen.push(JSON.parse(p.toString())));
    await watcher.subscribeAsync('spBv1.0/STATE/twin-host', { qos: 1 });
    await until(() => seen.length > 0, 15_000, 'the retained STATE on the watcher');
    // Cut the twin's connection without a clean disconnect: the broker publishes the Will.
    const client = (server.ingest as unknown as { adapters: { client: mqtt.MqttClient }[] }).adapters[0]
      .client;
    client.stream.destroy();
    const will = await until(() => seen.find((s) => s.online === false), 15_000, 'the Will');
    expect(will.timestamp).toBe(online.timestamp);
    const back = await until(
      () => seen.find((s) => s.online === true && s.timestamp > online.timestamp),
      20_000,
      'a new STATE birth',
    );
    expect(back.timestamp).toBeGreaterThan(will.timestamp);
    await watcher.endAsync();
  });
});
