import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataType, Variant } from 'node-opcua';
import { afterAll, describe, expect, it } from 'vitest';
import type { EquipmentAnswer, SourcesAnswer } from '../../../protocol';
import { addUserTo, killHard, loginAt, type MainProcess, startMain } from '../../helpers/mainProcess';
import { tempDataDir } from '../../helpers/server';
import { until } from './ingestServer';
import { nsu, startUaServer, type UaServer } from './opcuaTestServer';

let main: MainProcess | null = null;
let ua: UaServer | null = null;
const dirs: string[] = [];

afterAll(async () => {
  if (main) await killHard(main.child);
  await ua?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('an OPC UA source through the real entry point (the server bundle)', () => {
  it('feeds a machine, creates the PKI under --data, and shuts down cleanly on SIGTERM', async () => {
    const uaDir = tempDataDir();
    const dir = tempDataDir();
    dirs.push(uaDir, dir);
    ua = await startUaServer({ dir: uaDir });
    const file = join(dir, 'sources.json');
    writeFileSync(
      file,
      JSON.stringify({
        sources: [
          {
            id: 'plc',
            kind: 'opcua',
            endpoint: ua.url,
            securityMode: 'None',
            items: [
              { equipment: 'L1-C1', signals: { beltSpeed: nsu('L1-C1.BeltSpeed') }, samplingIntervalMs: 100 },
            ],
          },
        ],
      }),
    );
    const password = await addUserTo(dir, 'op9', 'operator');
    main = await startMain(dir, ['--host', '127.0.0.1', '--sources', file]);
    const token = await loginAt(main.url, 'op9', password);
    const get = async <T>(path: string) =>
      (await (
        await fetch(`${main?.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as T;
    await until(
      async () => (await get<SourcesAnswer>('/api/sources')).sources[0]?.status === 'connected',
      60_000,
      'the source to connect',
    );
    ua.set('beltSpeed', new Variant({ dataType: DataType.Double, value: 1.05 }));
    const e = await until(
      async () => {
        const d = (await get<EquipmentAnswer>('/api/equipment/L1-C1')).equipment;
        return d.values.beltSpeed.value === 1.05 ? d : null;
      },
      30_000,
      'the value',
    );
    expect(e).toMatchObject({ source: 'plc', quality: 'good' });
    expect(existsSync(join(dir, 'pki', 'opcua', 'own', 'certs', 'client_certificate.pem'))).toBe(true);
    // node-opcua's console chatter goes into the JSON log, not raw onto the output.
    expect(main.output()).not.toMatch(/^\S*Z :\w+/m);
    const child = main.child;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    main = null;
  }, 120_000);
});
