import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Alarm, type EquipmentAnswer, sourcesFileSchema } from '../../../protocol';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../../server/ingest/embeddedBroker';
import { hideUnmapped } from '../../../server/ingest/hideUnmapped';
import { defaultLayout } from '../../helpers/server';
import { until } from './ingestServer';
import { startQualityServer } from './qualityServer';

type Server = Awaited<ReturnType<typeof startQualityServer>>;

const FED = ['L1-C1', 'L1-R1', 'AGV-01'];

let broker: EmbeddedBroker;
let server: Server;

const sources = (url: string) => ({
  sources: [
    {
      id: 'uns',
      kind: 'mqtt-json',
      broker: url,
      topics: FED.map((id) => ({ topic: `hide/${id}`, equipment: id, fields: { state: '$.s' } })),
    },
  ],
  unmapped: 'hide',
});

beforeAll(async () => {
  broker = await startEmbeddedBroker(0, '127.0.0.1');
  server = await startQualityServer(sources(`mqtt://127.0.0.1:${broker.port}`), {
    // A rule that names hidden equipment too: it binds to what is shown instead of refusing the plant.
    rules: {
      rules: [
        {
          id: 'arm-fault',
          equipment: ['L1-R1', 'L1-R2'],
          type: 'state',
          states: ['fault'],
          priority: 'high',
          message: '{name} fault',
        },
      ],
    },
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await broker?.close();
});

describe('unmapped: hide', () => {
  it('leaves hidden equipment out of the snapshot, the frames and the lines; the plant keeps running', async () => {
    const { snapshot, marks } = await server.watch();
    expect(snapshot.plant.equipment.map((e) => e.id)).toEqual(FED);
    expect(snapshot.plant.lines.map((l) => [l.id, l.flow])).toEqual([['L1', ['L1-C1', 'L1-R1']]]);
    expect(snapshot.plant.droneRoutes).toEqual([]);
    expect([...marks.keys()].sort()).toEqual([...FED].sort());
    const tick = server.session.world.tick;
    await until(() => server.session.world.tick > tick + 20, 20_000, 'the loop to keep ticking');
    expect([...marks.keys()].sort()).toEqual([...FED].sort());
  });

  it('answers 404 for hidden equipment in the API, and its alarms do not exist', async () => {
    expect((await server.get('/api/equipment/L1-R2')).status).toBe(404);
    expect((await server.get('/api/equipment/AGV-02/history?signal=speed')).status).toBe(404);
    const shown = await server.get<EquipmentAnswer>('/api/equipment/L1-R1');
    expect(shown.status).toBe(200);
    expect(shown.body.equipment.source).toBe('uns');
    const alarms = await server.get<{ alarms: Alarm[] }>('/api/alarms');
    for (const a of alarms.body.alarms) expect(FED).toContain(a.equipmentId);
    expect(server.book.get('arm-fault@L1-R2')).toBeUndefined();
  });

  it('keeps only fed line members and refuses nothing a valid plant allows', () => {
    const file = sourcesFileSchema.parse(sources('mqtt://127.0.0.1:1883'));
    const r = hideUnmapped(defaultLayout(), file);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.hidden).toContain('L1-R2');
    expect(r.hidden).not.toContain('L1-C1');
    expect(r.layout.equipment.length).toBe(FED.length);
    expect(r.layout.equipment.find((e) => e.id === 'AGV-01')?.kind).toBe('agv');
    expect(r.layout.paths?.nodes.length).toBe(defaultLayout().paths?.nodes.length);
  });
});
