import { rmSync } from 'node:fs';
import { DataType, Variant } from 'node-opcua';
import { afterAll, describe, expect, it } from 'vitest';
import type { EquipmentAnswer } from '../../../protocol';
import { freePort } from '../../helpers/mosquitto';
import { tempDataDir } from '../../helpers/server';
import { startIngestServer, until } from './ingestServer';
import { nsu, startUaServer, type UaServer } from './opcuaTestServer';

const dirs: string[] = [];
let ua: UaServer | null = null;
let server: Awaited<ReturnType<typeof startIngestServer>> | null = null;

afterAll(async () => {
  await server?.close();
  await ua?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('OPC UA source whose server is not there yet', () => {
  it('keeps trying, connects by itself once the server comes up, and stops cleanly', async () => {
    const dir = tempDataDir();
    const uaDir = tempDataDir();
    dirs.push(dir, uaDir);
    const port = await freePort();
    const endpoint = `opc.tcp://127.0.0.1:${port}`;
    server = await startIngestServer(
      {
        sources: [
          {
            id: 'late',
            kind: 'opcua',
            endpoint,
            securityMode: 'None',
            items: [
              { equipment: 'L1-C1', signals: { beltSpeed: nsu('L1-C1.BeltSpeed') }, samplingIntervalMs: 100 },
            ],
          },
        ],
      },
      { dataDir: dir },
    );
    const stats = server.ingest.stats[0];
    await until(
      () => stats.lastError?.startsWith(`cannot reach ${endpoint}`),
      60_000,
      'the first failed attempt',
    );
    expect(stats.status).toBe('connecting');
    const eq = async () =>
      (await (server as NonNullable<typeof server>).get<EquipmentAnswer>('/api/equipment/L1-C1', 'viewer'))
        .body.equipment;
    expect((await eq()).values.beltSpeed.quality).toBe('bad');
    ua = await startUaServer({ dir: uaDir, port });
    await until(() => stats.status === 'connected', 60_000, 'the connection once the server is up');
    ua.set('beltSpeed', new Variant({ dataType: DataType.Double, value: 0.6 }));
    await until(async () => (await eq()).values.beltSpeed.value === 0.6, 30_000, 'a value');
    await server.ingest.stop();
    expect(stats.status).toBe('down');
    // Stopped means stopped: nothing more is queued.
    ua.set('beltSpeed', new Variant({ dataType: DataType.Double, value: 0.9 }));
    const messages = stats.messages;
    await new Promise((r) => setTimeout(r, 500));
    expect(stats.messages).toBe(messages);
  }, 180_000);
});
