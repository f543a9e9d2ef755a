import { existsSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataType, Variant } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EquipmentAnswer } from '../../../protocol';
import { pkiDir } from '../../../server/ingest/opcua/security';
import { tempDataDir } from '../../helpers/server';
import { startIngestServer, until } from './ingestServer';
import { nsu, startUaServer, type UaServer } from './opcuaTestServer';

type Server = Awaited<ReturnType<typeof startIngestServer>>;

const dirs: string[] = [];
const temp = () => {
  const d = tempDataDir();
  dirs.push(d);
  return d;
};
let ua: UaServer;
const servers: Server[] = [];
let passwordFile: string;

/** A sources file with one SignAndEncrypt source per password. */
const sources = (passwords: Record<string, string>) => ({
  sources: Object.entries(passwords).map(([id, file], i) => ({
    id,
    kind: 'opcua',
    endpoint: ua.url,
    username: 'twin',
    passwordFile: file,
    items: [
      {
        equipment: ['L1-C1', 'L1-C2'][i],
        signals: { beltSpeed: nsu('L1-C1.BeltSpeed') },
        samplingIntervalMs: 100,
      },
    ],
  })),
});
const start = async (dataDir: string, passwords: Record<string, string>) => {
  const s = await startIngestServer(sources(passwords), { dataDir });
  servers.push(s);
  return s;
};
const eqOf = async (s: Server, id: string) =>
  (await s.get<EquipmentAnswer>(`/api/equipment/${id}`, 'viewer')).body.equipment;

beforeAll(async () => {
  // The server offers SignAndEncrypt/Basic256Sha256 only and wants a user: nothing else can connect.
  ua = await startUaServer({
    dir: temp(),
    secureOnly: true,
    user: { name: 'twin', password: 's3cret pass' },
  });
  passwordFile = join(temp(), 'password');
  writeFileSync(passwordFile, 's3cret pass\n');
});

afterAll(async () => {
  for (const s of servers) await s.close();
  await ua?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('OPC UA security (SignAndEncrypt, Basic256Sha256, trust list in the data directory)', () => {
  it('connects with SignAndEncrypt and a user when the server certificate is trusted, and refuses a wrong password clearly', async () => {
    const dataDir = temp();
    const wrong = join(dataDir, 'wrong-password');
    writeFileSync(wrong, 'not it');
    ua.trustIn(pkiDir(dataDir));
    const s = await start(dataDir, { secure: passwordFile, wrong });
    await until(() => s.ingest.stats[0].status === 'connected', 120_000, 'the secure connection');
    ua.set('beltSpeed', new Variant({ dataType: DataType.Double, value: 1.75 }));
    await until(async () => (await eqOf(s, 'L1-C1')).values.beltSpeed.value === 1.75, 30_000, 'a value');
    // The client's own certificate was created under the data directory on first start.
    expect(readdirSync(join(pkiDir(dataDir), 'own', 'certs')).some((f) => f.endsWith('.pem'))).toBe(true);
    await until(
      () => s.ingest.stats[1].lastError?.includes('refused the user name or password'),
      60_000,
      'the wrong password to be reported',
    );
    expect(s.ingest.stats[1].status).not.toBe('connected');
    expect(s.ingest.stats[1].lastError).not.toContain('not it');
  }, 240_000);

  it('refuses an unknown server certificate, puts it in rejected/, and connects once a person moves it to trusted/', async () => {
    const dataDir = temp();
    const pki = pkiDir(dataDir);
    const s = await start(dataDir, { plc: passwordFile });
    const stats = s.ingest.stats[0];
    await until(() => stats.lastError?.includes('is not trusted'), 120_000, 'the refusal');
    expect(stats.lastError).toBe(
      `server certificate of ${ua.url} is not trusted: it was saved in ${join(pki, 'rejected')}; ` +
        `if it is your server's, move it to ${join(pki, 'trusted', 'certs')} (the twin retries by itself)`,
    );
    expect(stats.status).not.toBe('connected');
    expect((await eqOf(s, 'L1-C1')).values.beltSpeed.quality).toBe('bad');
    const rejected = readdirSync(join(pki, 'rejected')).filter(
      (f) => f.endsWith('.pem') || f.endsWith('.der'),
    );
    expect(rejected).toHaveLength(1);
    renameSync(join(pki, 'rejected', rejected[0]), join(pki, 'trusted', 'certs', rejected[0]));
    await until(() => stats.status === 'connected', 120_000, 'the connection after trusting the server');
    ua.set('beltSpeed', new Variant({ dataType: DataType.Double, value: 0.25 }));
    await until(async () => (await eqOf(s, 'L1-C1')).values.beltSpeed.value === 0.25, 30_000, 'a value');
    expect(existsSync(join(pki, 'rejected', rejected[0]))).toBe(false);
  }, 300_000);
});
