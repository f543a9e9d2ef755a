import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import type { EquipmentAnswer } from '../../../protocol';
import { ROOT } from '../../../server/clientBuild';
import { addUserTo, killHard, loginAt, type MainProcess, startMain } from '../../helpers/mainProcess';
import { freePort, waitForPort } from '../../helpers/mosquitto';
import { tempDataDir } from '../../helpers/server';
import { until } from './ingestServer';

const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
let main: MainProcess | null = null;

afterAll(async () => {
  if (main) await killHard(main.child);
});

describe('--sources and --mqtt-listen through the real entry point', () => {
  it('stops the server with path-and-line errors for a source that maps a signal its machine lacks', async () => {
    const dir = tempDataDir();
    const file = join(dir, 'sources.yaml');
    writeFileSync(
      file,
      'sources:\n  - id: lines\n    kind: opcua\n    endpoint: opc.tcp://127.0.0.1:4840\n    items:\n      - { equipment: L1-R2, signals: { beltSpeed: "nsu=urn:x;s=T" } }\n',
    );
    const child = spawn(TSX, ['server/main.ts', '--port', '0', '--data', dir, '--sources', file], {
      cwd: ROOT,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(out).toContain(`Sources file ${file} is not valid:`);
    expect(out).toContain(
      'sources[0].items[0].signals.beltSpeed: "beltSpeed" is not a signal of a robot-arm (line 6)',
    );
  });

  it('runs the embedded broker: values published to it reach GET /api/equipment/:id', async () => {
    const dir = tempDataDir();
    const mqttPort = await freePort();
    const file = join(dir, 'sources.json');
    writeFileSync(
      file,
      JSON.stringify({
        sources: [
          {
            id: 'uns',
            kind: 'mqtt-json',
            broker: `mqtt://127.0.0.1:${mqttPort}`,
            topics: [{ topic: 'hall/rack1', equipment: 'RK-01', fields: { stock: '$.pallets' } }],
          },
        ],
      }),
    );
    const password = await addUserTo(dir, 'viewer9', 'viewer');
    main = await startMain(dir, [
      '--host',
      '127.0.0.1',
      '--sources',
      file,
      '--mqtt-listen',
      String(mqttPort),
    ]);
    const token = await loginAt(main.url, 'viewer9', password);
    const read = async () => {
      const res = await fetch(`${main?.url}/api/equipment/RK-01`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return ((await res.json()) as EquipmentAnswer).equipment;
    };
    const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { protocolVersion: 4 });
    try {
      const e = await until(
        async () => {
          await pub.publishAsync('hall/rack1', JSON.stringify({ pallets: 37 }));
          const d = await read();
          return d.values.stock.value === 37 ? d : null;
        },
        30_000,
        'the published stock',
      );
      expect(e).toMatchObject({ source: 'uns', quality: 'good', state: 'running' });
    } finally {
      await pub.endAsync(true);
    }
    // Unmapped equipment of the same plant: offline.
    const res = await fetch(`${main.url}/api/equipment/RK-02`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await res.json()) as EquipmentAnswer).equipment.state).toBe('offline');
    // A clean shutdown closes the embedded broker too.
    const child = main.child;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    main = null;
    await expect(waitForPort(mqttPort, 300)).rejects.toThrow(/nothing listens/);
  });
});
