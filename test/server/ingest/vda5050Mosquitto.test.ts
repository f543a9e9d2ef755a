import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EquipmentAnswer, SourcesAnswer } from '../../../protocol';
import type { DeviceCommand, SourceAdapter } from '../../../server/ingest/adapter';
import type { Vda5050Adapter } from '../../../server/ingest/vda5050/observer';
import { hasMosquitto, startMosquitto, type TestMosquitto } from '../../helpers/mosquitto';
import { startIngestServer, until } from './ingestServer';
import { TestAgv } from './vda5050Agv';

// A missing Mosquitto is a loud skip on a developer machine and a failure in CI (`.ci/run` installs it).
if (!hasMosquitto && process.env.CI) throw new Error('mosquitto is not installed (/usr/sbin/mosquitto)');
if (!hasMosquitto) console.warn('SKIPPED: VDA 5050 Mosquitto interop tests (install mosquitto)');

describe.skipIf(!hasMosquitto)('VDA 5050 observer through a real Mosquitto', () => {
  let mosq: TestMosquitto;
  let server: Awaited<ReturnType<typeof startIngestServer>>;
  const agvs: TestAgv[] = [];

  beforeAll(async () => {
    mosq = await startMosquitto();
    const map = { mapId: 'hall', origin: [80, 40], rotationDeg: -30 };
    server = await startIngestServer({
      sources: [
        {
          id: 'fleet',
          kind: 'vda5050',
          broker: mosq.url,
          // An hour: nothing here goes stale by age, so what goes stale was made stale.
          staleAfterS: 3600,
          agvs: [
            { equipment: 'AGV-01', manufacturer: 'Acme', serialNumber: 'M1', map },
            { equipment: 'AGV-02', manufacturer: 'Acme', serialNumber: 'M2', map },
            { equipment: 'AGV-03', manufacturer: 'Acme', serialNumber: 'M3', map },
          ],
        },
      ],
    });
  });

  afterAll(async () => {
    for (const a of agvs) await a.close().catch(() => {});
    await server?.close();
    await mosq?.stop();
  });

  const eqOf = async (id: string) =>
    (await server.get<EquipmentAnswer>(`/api/equipment/${id}`, 'viewer')).body.equipment;
  const source = async () => (await server.get<SourcesAnswer>('/api/sources')).body.sources[0];
  const adapter = () =>
    (server.ingest as unknown as { adapters: SourceAdapter[] }).adapters[0] as Vda5050Adapter;
  const connect = async (serialNumber: string, will: boolean) => {
    const a = await TestAgv.connect(mosq.url, { serialNumber, will, reconnect: true });
    agvs.push(a);
    return a;
  };
  const isState = (id: string, state: string) => async () => (await eqOf(id)).state === state;

  it('shows an AGV offline as soon as Mosquitto delivers its CONNECTIONBROKEN last will', async () => {
    await until(async () => (await source()).status === 'connected', 15_000, 'the first connection');
    const m2 = await connect('M2', true);
    await m2.connection('ONLINE');
    await m2.state({ driving: true, batteryState: { batteryCharge: 64 } });
    await until(isState('AGV-02', 'running'), 15_000, 'running');
    expect((await eqOf('AGV-02')).values.battery).toMatchObject({ value: 64, quality: 'good' });
    m2.crash();
    await until(isState('AGV-02', 'offline'), 15_000, 'offline after the last will');
    expect((await eqOf('AGV-02')).quality).toBe('stale');
  });

  it('makes every AGV stale at once when the broker goes, refuses commands meanwhile, and resubscribes after it returns', async () => {
    const m1 = await connect('M1', false);
    const m3 = await connect('M3', false);
    await m1.state({ driving: true });
    await m3.state({ driving: false });
    await until(isState('AGV-01', 'running'), 15_000, 'AGV-01 running');
    await until(isState('AGV-03', 'idle'), 15_000, 'AGV-03 idle');

    await mosq.stop();
    await until(isState('AGV-01', 'offline'), 15_000, 'AGV-01 offline with the broker gone');
    await until(isState('AGV-03', 'offline'), 15_000, 'AGV-03 offline with the broker gone');
    const s = await source();
    expect(s.status).not.toBe('connected');
    expect(s.stale).toEqual(expect.arrayContaining(['AGV-01', 'AGV-03']));
    const pause: DeviceCommand = { commandId: 'p1', equipmentId: 'AGV-01', eq: 0, action: 'pause' };
    const refused = await adapter().command(pause);
    expect(refused).toMatchObject({ status: 'refused' });
    expect(refused.detail).toContain('not connected');

    await mosq.start();
    await until(async () => (await source()).status === 'connected', 20_000, 'the reconnection');
    // The twin subscribed again: states from the (also reconnected) AGV show it live again.
    await until(
      async () => {
        await m1.state({ driving: true, batteryState: { batteryCharge: 77 } });
        const d = await eqOf('AGV-01');
        return d.state === 'running' && d.values.battery.value === 77;
      },
      20_000,
      'AGV-01 live after the restart',
    );
    expect((await eqOf('AGV-01')).values.battery.quality).toBe('good');
  });
});
