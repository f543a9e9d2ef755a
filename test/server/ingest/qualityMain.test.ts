import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import type { EquipmentAnswer, PlantSnapshot, ValueHistoryAnswer } from '../../../protocol';
import { DB_FILE } from '../../../server/store/alarmStore';
import { addUserTo, killHard, loginAt, type MainProcess, startMain } from '../../helpers/mainProcess';
import { freePort } from '../../helpers/mosquitto';
import { connectClient, tempDataDir } from '../../helpers/server';
import { until } from './ingestServer';

let main: MainProcess | null = null;

afterAll(async () => {
  if (main) await killHard(main.child);
});

describe('data quality through the real entry point (dist/server/main.js)', () => {
  it('hides unmapped equipment, binds BAD-INPUT and keeps late values in the data directory database', async () => {
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
            topics: [
              { topic: 'm/c1', equipment: 'L1-C1', fields: { beltSpeed: '$.v' }, timestamp: '$.ts' },
              { topic: 'm/r1', equipment: 'RK-01', fields: { stock: '$.n' } },
            ],
          },
        ],
        unmapped: 'hide',
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
    const url = main.url;
    const token = await loginAt(url, 'viewer9', password);
    const get = async <T>(path: string) => {
      const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, body: (await res.json()) as T };
    };
    const c = connectClient(url, { token });
    try {
      const snap = await new Promise<PlantSnapshot>((resolve) => c.once('plant:snapshot', resolve));
      expect(snap.plant.equipment.map((e) => e.id)).toEqual(['L1-C1', 'RK-01']);
    } finally {
      c.close();
    }
    expect((await get('/api/equipment/L1-R1')).status).toBe(404);
    const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { protocolVersion: 4 });
    const t = Date.now();
    try {
      await until(
        async () => {
          await pub.publishAsync('m/c1', JSON.stringify({ v: 0.8, ts: t }));
          return (
            (await get<EquipmentAnswer>('/api/equipment/L1-C1')).body.equipment.values.beltSpeed.value === 0.8
          );
        },
        30_000,
        'the live value',
      );
      await pub.publishAsync('m/c1', JSON.stringify({ v: 0.1, ts: t - 60_000 }));
      const h = await until(
        async () => {
          const r = await get<ValueHistoryAnswer>('/api/equipment/L1-C1/history?signal=beltSpeed');
          return r.body.values.length > 0 ? r.body : null;
        },
        30_000,
        'the late value in the history',
      );
      expect(h.values.map((v) => [v.value, v.sourceTimestamp])).toEqual([[0.1, t - 60_000]]);
    } finally {
      await pub.endAsync(true);
    }
    const child = main.child;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    main = null;
    // After a clean shutdown the row is in the same database file as the alarms.
    const db = new Database(join(dir, DB_FILE), { readonly: true });
    try {
      const rows = db.prepare('SELECT equipment, signal, value FROM value_history').all();
      expect(rows).toEqual([{ equipment: 'L1-C1', signal: 'beltSpeed', value: 0.1 }]);
      const alarmIds = db
        .prepare('SELECT alarm_id AS id FROM alarm_current')
        .all()
        .map((r) => (r as { id: string }).id);
      // Default rules read a conveyor's vibration, which no source maps here: its bad input is said.
      expect(alarmIds).toContain('BAD-INPUT@L1-C1');
    } finally {
      db.close();
    }
  });
});
