import mqtt from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedLateAnswer } from '../../../protocol';
import {
  decodeFrameToObjects,
  type EquipmentAnswer,
  type EquipmentKind,
  type PlantSnapshot,
  signalsOf,
  sourcesFileSchema,
} from '../../../protocol';
import type { SourceAdapter } from '../../../server/ingest/adapter';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../../server/ingest/embeddedBroker';
import { mqttOptions } from '../../../server/ingest/mqttOptions';
import { SourceStats } from '../../../server/ingest/sourceStats';
import { SparkplugAdapter } from '../../../server/ingest/sparkplug/host';
import { DataType, encodePayload, type MetricToEncode } from '../../../server/ingest/sparkplug/payload';
import { startIngestServer, until } from './ingestServer';
import { type EdgeMetric, TestEdgeNode } from './sparkplugEdge';

type Server = Awaited<ReturnType<typeof startIngestServer>>;

let broker: EmbeddedBroker;
let server: Server;
let url: string;
const edges: TestEdgeNode[] = [];

const STATES = { RUNNING: 'running', STOPPED: 'idle', FAULT: 'fault' } as const;
const SOURCE = {
  id: 'sp',
  kind: 'sparkplug',
  hostId: 'twin',
  staleAfterS: 60,
  reorderTimeoutMs: 400,
  devices: [
    {
      equipment: 'L1-C1',
      group: 'plant',
      node: 'edge1',
      device: 'conv1',
      metrics: { beltSpeed: 'Belt/Speed', motorTemp: 'Motor/Temp', throughput: 'Running', carried: 'Count' },
      state: { metric: 'Status', map: STATES },
      commandMetrics: { start: 'Cmd/Start', stop: 'Cmd/Stop' },
    },
    {
      equipment: 'L1-C2',
      group: 'plant',
      node: 'edge1',
      device: 'conv2',
      metrics: { beltSpeed: 'Belt/Speed', motorCurrent: 'Current' },
    },
    { equipment: 'TX-01', group: 'plant', node: 'edge1', metrics: { oilTemp: 'Oil/Temp', load: 'Load' } },
    { equipment: 'L2-C1', group: 'plant', node: 'edge2', device: 'c1', metrics: { beltSpeed: 'Speed' } },
    {
      equipment: 'L1-C3',
      group: 'plant',
      node: 'fuzz',
      device: 'd',
      metrics: { beltSpeed: 'Speed', carried: 'Big' },
      state: { metric: 'Status', map: STATES },
      maxPerS: 10_000,
    },
    { equipment: 'L2-C2', group: 'plant', node: 'calm', device: 'd', metrics: { beltSpeed: 'Speed' } },
    {
      equipment: 'L1-C4',
      group: 'plant',
      node: 'flood',
      device: 'd',
      metrics: { beltSpeed: 'Speed' },
      maxPerS: 20,
    },
    { equipment: 'L2-C3', group: 'plant', node: 'late', device: 'd', metrics: { beltSpeed: 'Speed' } },
    { equipment: 'L2-C4', group: 'plant', node: 'ali', device: 'd', metrics: { beltSpeed: 'Speed' } },
  ],
};

const conv1: EdgeMetric[] = [
  { name: 'Belt/Speed', alias: 1, datatype: DataType.Double, value: 0.5 },
  { name: 'Motor/Temp', alias: 2, datatype: DataType.Float, value: 40 },
  { name: 'Running', alias: 3, datatype: DataType.Boolean, value: true },
  { name: 'Status', alias: 4, datatype: DataType.String, value: 'RUNNING' },
  { name: 'Cmd/Start', alias: 5, datatype: DataType.Boolean, value: false },
  { name: 'Cmd/Stop', alias: 6, datatype: DataType.Boolean, value: false },
  { name: 'Count', alias: 7, datatype: DataType.UInt64, value: 12 },
  { name: 'Unmapped', alias: 8, datatype: DataType.Double, value: 3 },
];
const speedOnly: EdgeMetric[] = [{ name: 'Speed', alias: 1, datatype: DataType.Double, value: 0.2 }];

const eqOf = async (id: string) =>
  (await server.get<EquipmentAnswer>(`/api/equipment/${id}`, 'viewer')).body.equipment;
const stats = () => server.ingest.stats[0];
const drops = (reason: Parameters<SourceStats['drops']['get']>[0]) => stats().drops.get(reason) ?? 0;
const adapter = () =>
  (server.ingest as unknown as { adapters: SourceAdapter[] }).adapters[0] as SparkplugAdapter;

async function edge(node: string, devices: Record<string, EdgeMetric[]>, nodeMetrics: EdgeMetric[] = []) {
  const e = new TestEdgeNode(url, 'plant', node, nodeMetrics, devices);
  edges.push(e);
  return e;
}

beforeAll(async () => {
  broker = await startEmbeddedBroker(0, '127.0.0.1');
  url = `mqtt://127.0.0.1:${broker.port}`;
  server = await startIngestServer(
    { sources: [{ ...SOURCE, broker: url }], unmapped: 'offline' },
    { record: true },
  );
  await until(() => stats().status === 'connected', 15_000, 'the source to connect');
});

afterAll(async () => {
  for (const e of edges) await e.stop();
  await server?.close();
  await broker?.close();
});

describe('Sparkplug B host application (embedded aedes broker)', () => {
  let edge1: TestEdgeNode;

  it('announces itself with a retained STATE online message', async () => {
    const sub = await mqtt.connectAsync(url, { protocolVersion: 4 });
    const got = new Promise<{ online: boolean; timestamp: number }>((resolve) =>
      sub.on('message', (_t, p) => resolve(JSON.parse(p.toString()))),
    );
    await sub.subscribeAsync('spBv1.0/STATE/twin', { qos: 1 });
    const state = await got;
    await sub.endAsync();
    expect(state.online).toBe(true);
    expect(state.timestamp).toBeGreaterThan(Date.now() - 3600_000);
  });

  it('learns names and aliases from NBIRTH/DBIRTH and applies DDATA and NDATA by alias with their source time', async () => {
    edge1 = await edge(
      'edge1',
      {
        conv1,
        conv2: [
          { name: 'Belt/Speed', alias: 11, datatype: DataType.Double, value: 0.3 },
          { name: 'Current', alias: 12, datatype: DataType.Double, value: 4 },
        ],
      },
      [
        { name: 'Oil/Temp', alias: 21, datatype: DataType.Double, value: 55 },
        { name: 'Load', alias: 22, datatype: DataType.Int32, value: 40 },
      ],
    );
    await edge1.start();
    // Birth values are shown at once.
    await until(async () => (await eqOf('L1-C1')).values.beltSpeed.value === 0.5, 15_000, 'the birth values');
    const born = await eqOf('L1-C1');
    expect(born.state).toBe('running');
    expect(born.values.throughput.value).toBe(1); // Boolean true -> 1
    expect(born.values.carried.value).toBe(12);

    const ts = Date.now();
    await edge1.data('conv1', [
      { alias: 1, datatype: DataType.Double, value: 1.25, timestamp: ts },
      { alias: 2, datatype: DataType.Float, value: 61.5, timestamp: ts },
      { alias: 3, datatype: DataType.Boolean, value: false, timestamp: ts },
      { alias: 4, datatype: DataType.String, value: 'FAULT', timestamp: ts },
      { alias: 8, datatype: DataType.Double, value: 99, timestamp: ts },
    ]);
    await edge1.data('conv2', [{ alias: 12, datatype: DataType.Double, value: 7.5, timestamp: ts }]);
    await edge1.data(null, [
      { alias: 21, datatype: DataType.Double, value: 66.5, timestamp: ts },
      { name: 'Load', datatype: DataType.Int32, value: -5, timestamp: ts },
    ]);
    const tx = await until(async () => {
      const d = await eqOf('TX-01');
      return d.values.oilTemp.value === 66.5 ? d : null;
    });
    expect(tx.values.load).toEqual({ value: -5, quality: 'good', sourceTimestamp: ts });
    const c1 = await eqOf('L1-C1');
    expect(c1.source).toBe('sp');
    expect(c1.state).toBe('fault');
    expect(c1.values.beltSpeed).toEqual({ value: 1.25, quality: 'good', sourceTimestamp: ts });
    expect(c1.values.motorTemp).toEqual({ value: 61.5, quality: 'good', sourceTimestamp: ts });
    expect(c1.values.throughput.value).toBe(0);
    expect((await eqOf('L1-C2')).values.motorCurrent).toEqual({
      value: 7.5,
      quality: 'good',
      sourceTimestamp: ts,
    });
    expect(stats().skewMs).not.toBeNull();
    expect(drops('alias') + drops('sequence') + drops('type')).toBe(0);
  });

  it('maps the Quality property (192 good, 500 stale, 64..191 uncertain, < 64 bad) and shows is_null as bad without changing the value', async () => {
    const send = async (metrics: MetricToEncode[]) => {
      await edge1.data('conv1', metrics);
    };
    await send([{ alias: 1, datatype: DataType.Double, value: 0.9, quality: 500 }]);
    await until(async () => (await eqOf('L1-C1')).values.beltSpeed.quality === 'stale', 15_000, 'stale');
    await send([{ alias: 1, datatype: DataType.Double, value: 0.8, quality: 100 }]);
    await until(
      async () => (await eqOf('L1-C1')).values.beltSpeed.quality === 'uncertain',
      15_000,
      'uncertain',
    );
    await send([{ alias: 1, datatype: DataType.Double, value: 0.7, quality: 0 }]);
    await until(async () => (await eqOf('L1-C1')).values.beltSpeed.quality === 'bad', 15_000, 'bad');
    await send([{ alias: 1, datatype: DataType.Double, value: 0.6, quality: 192 }]);
    await until(async () => (await eqOf('L1-C1')).values.beltSpeed.quality === 'good', 15_000, 'good');
    expect((await eqOf('L1-C1')).values.beltSpeed.value).toBe(0.6);
    await send([{ alias: 2, datatype: DataType.Float, value: null }]);
    const e = await until(async () => {
      const d = await eqOf('L1-C1');
      return d.values.motorTemp.quality === 'bad' ? d : null;
    });
    expect(e.values.motorTemp.value).toBe(61.5);
  });

  it('keeps is_historical values out of the live scene, and records them with the live recording', async () => {
    const before = await eqOf('L1-C1');
    // Newer than the values shown (store-and-forward of the last seconds): only the flag keeps them out.
    const ts = Date.now() + 1;
    await edge1.data('conv1', [
      { alias: 1, datatype: DataType.Double, value: 1.9, timestamp: ts, isHistorical: true },
      { alias: 4, datatype: DataType.String, value: 'STOPPED', timestamp: ts, isHistorical: true },
    ]);
    // Then a live value of another metric: once it shows, the historical ones were processed.
    await edge1.data('conv1', [{ alias: 2, datatype: DataType.Float, value: 44 }]);
    const e = await until(async () => {
      const d = await eqOf('L1-C1');
      return d.values.motorTemp.value === 44 ? d : null;
    });
    expect(e.values.beltSpeed).toEqual(before.values.beltSpeed);
    expect(e.state).toBe(before.state);
    const eq = server.session.world.equipment.findIndex((x) => x.id === 'L1-C1');
    expect(server.ingest.live.value[server.ingest.live.slot(eq, 0)]).toBe(before.values.beltSpeed.value);
    // The live recording holds the historical value beside the frames of the tick it came in.
    const id = server.app.liveRecordingId;
    expect(id).not.toBeNull();
    const late = await until(async () => {
      const r = await server.get<RecordedLateAnswer>(`/api/recordings/${id}/late?equipment=L1-C1`, 'viewer');
      return r.body.ok && r.body.values.some((v) => v.signal === 'beltSpeed') ? r.body : null;
    });
    const v = late.values.find((x) => x.signal === 'beltSpeed')!;
    expect(v).toMatchObject({ equipment: 'L1-C1', value: 1.9, historical: true, quality: 'good' });
    expect(v.sourceTimestamp).toBe(ts);
    expect(v.simS).toBeGreaterThan(0);
    // Filters work: another signal or another machine has none of it.
    const other = await server.get<RecordedLateAnswer>(
      `/api/recordings/${id}/late?equipment=L1-C2`,
      'viewer',
    );
    expect(other.body.values.filter((x) => x.value === 1.9)).toEqual([]);
    const bad = await server.get<{ ok: false; message: string }>(
      `/api/recordings/${id}/late?from=soon`,
      'viewer',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/simulation time/);
  });

  it('ignores an NDEATH whose bdSeq is not the current birth', async () => {
    await edge1.death(edge1.bdSeq + 7);
    await edge1.data('conv1', [{ alias: 1, datatype: DataType.Double, value: 0.45 }]);
    await until(async () => (await eqOf('L1-C1')).values.beltSpeed.value === 0.45, 15_000, 'data after it');
    const e = await eqOf('L1-C1');
    expect(e.values.beltSpeed.quality).toBe('good');
    expect((await eqOf('TX-01')).values.oilTemp.quality).toBe('good');
  });

  it("marks a node's and all its devices' equipment stale at once on its NDEATH, long before staleAfterS", async () => {
    const sent = Date.now();
    await edge1.death();
    await until(
      async () => {
        const all = await Promise.all(['L1-C1', 'L1-C2', 'TX-01'].map(eqOf));
        return all.every((e) => e.values.beltSpeed?.quality !== 'good' && e.quality === 'stale');
      },
      15_000,
      'the node and its devices to be stale',
    );
    // staleAfterS is 60 s: only the death can have done it.
    expect(Date.now() - sent).toBeLessThan(60_000);
    expect((await eqOf('L1-C1')).values.motorTemp.quality).toBe('stale');
    // Data after the death and before a new birth are not applied; a new birth brings fresh data.
    await edge1.birth();
    await edge1.data('conv1', [{ alias: 1, datatype: DataType.Double, value: 0.55 }]);
    await until(async () => (await eqOf('L1-C1')).values.beltSpeed.quality === 'good', 15_000, 'fresh data');
  });

  it('applies messages that arrive out of order within the reorder timeout in seq order, without a rebirth', async () => {
    const e2 = await edge('edge2', { c1: speedOnly });
    await e2.start();
    await until(async () => (await eqOf('L2-C1')).values.beltSpeed.value === 0.2, 15_000, 'the birth');
    const requests = e2.rebirthRequests();
    const seqDrops = drops('sequence');
    const ts = Date.now();
    const first = e2.nextSeq();
    const second = e2.nextSeq();
    await e2.data('c1', [{ alias: 1, datatype: DataType.Double, value: 1.1, timestamp: ts }], second);
    await e2.data('c1', [{ alias: 1, datatype: DataType.Double, value: 0.9, timestamp: ts }], first);
    await e2.data('c1', [{ alias: 1, datatype: DataType.Double, value: 1.3, timestamp: ts }]);
    await until(
      async () => (await eqOf('L2-C1')).values.beltSpeed.value === 1.3,
      15_000,
      'the third message',
    );
    expect(drops('sequence')).toBe(seqDrops);
    expect(e2.rebirthRequests()).toBe(requests);
  });

  it('asks for a rebirth after a seq gap, drops the data until the new NBIRTH, then applies fresh data', async () => {
    const e2 = edges.find((e) => e.node === 'edge2') as TestEdgeNode;
    const gaps = adapter().counters.gaps;
    const requests = e2.rebirthRequests();
    const births = e2.births;
    e2.nextSeq(); // this message is lost
    await e2.data('c1', [{ alias: 1, datatype: DataType.Double, value: 1.7 }]);
    await until(() => e2.rebirthRequests() > requests, 15_000, 'the rebirth request on the broker');
    const req = e2.commands.at(-1);
    expect(req?.topic).toBe('spBv1.0/plant/NCMD/edge2');
    expect(req?.payload.metrics[0]).toMatchObject({ name: 'Node Control/Rebirth', value: true });
    expect(adapter().counters.gaps).toBe(gaps + 1);
    await until(() => e2.births > births, 15_000, 'the new birth');
    // The held message after the gap was never applied.
    expect((await eqOf('L2-C1')).values.beltSpeed.value).not.toBe(1.7);
    await e2.data('c1', [{ alias: 1, datatype: DataType.Double, value: 1.45 }]);
    await until(async () => (await eqOf('L2-C1')).values.beltSpeed.value === 1.45, 15_000, 'fresh data');
  });

  it('asks for a rebirth when data come before any birth', async () => {
    const late = await edge('late', { d: speedOnly });
    late.birthOnConnect = false;
    await late.start();
    const before = drops('sequence');
    await late.data('d', [{ alias: 1, datatype: DataType.Double, value: 1.05 }], 17);
    await until(() => late.rebirthRequests() > 0, 15_000, 'a rebirth request');
    expect(drops('sequence')).toBeGreaterThan(before);
    await until(() => late.births > 0, 15_000, 'the birth');
    await late.data('d', [{ alias: 1, datatype: DataType.Double, value: 1.15 }]);
    await until(async () => (await eqOf('L2-C3')).values.beltSpeed.value === 1.15, 15_000, 'data after it');
  });

  it('drops data with an alias the birth did not announce and asks for a rebirth at most once per 5 s', async () => {
    const ali = await edge('ali', { d: speedOnly });
    ali.autoRebirth = false;
    await ali.start();
    await until(async () => (await eqOf('L2-C4')).values.beltSpeed.value === 0.2, 15_000, 'the birth');
    const before = drops('alias');
    for (let i = 0; i < 5; i++) await ali.data('d', [{ alias: 77, datatype: DataType.Double, value: 1 }]);
    await until(() => drops('alias') - before >= 5, 15_000, 'the unknown aliases to be counted');
    await until(() => ali.rebirthRequests() >= 1, 15_000, 'a rebirth request');
    expect(ali.rebirthRequests()).toBe(1);
    expect((await eqOf('L2-C4')).values.beltSpeed.value).toBe(0.2);
  });

  it('sends a mapped command as a DCMD and confirms it by the state the device reports; refuses an unmapped one without publishing', async () => {
    const eq = server.session.world.equipment.findIndex((x) => x.id === 'L1-C1');
    // The device obeys: a Cmd/Start write makes it report RUNNING, Cmd/Stop STOPPED.
    const obey = edge1.client;
    const onCmd = (topic: string) => {
      if (topic !== 'spBv1.0/plant/DCMD/edge1/conv1') return;
      const last = edge1.commands.at(-1);
      const name = last?.payload.metrics[0]?.name;
      const value = name === 'Cmd/Start' ? 'RUNNING' : 'STOPPED';
      void edge1.data('conv1', [{ alias: 4, datatype: DataType.String, value }]).catch(() => {});
    };
    obey.on('message', onCmd);
    const a = adapter();
    await edge1.data('conv1', [{ alias: 4, datatype: DataType.String, value: 'FAULT' }]);
    await until(async () => (await eqOf('L1-C1')).state === 'fault', 15_000, 'the fault state');
    const seen = edge1.commands.length;
    const refused = await a.command({ commandId: 'c1', equipmentId: 'L1-C1', eq, action: 'reset' });
    expect(refused.status).toBe('refused');
    const started = await a.command({ commandId: 'c2', equipmentId: 'L1-C1', eq, action: 'start' });
    expect(started.status).toBe('confirmed');
    // The first command the device saw after the refused one is the start: nothing was sent for reset.
    const next = edge1.commands[seen];
    expect(next.topic).toBe('spBv1.0/plant/DCMD/edge1/conv1');
    expect(next.payload.metrics).toHaveLength(1);
    expect(next.payload.metrics[0]).toMatchObject({
      name: 'Cmd/Start',
      value: true,
      datatype: DataType.Boolean,
    });
    const stopped = await a.command({ commandId: 'c3', equipmentId: 'L1-C1', eq, action: 'stop' });
    expect(stopped.status).toBe('confirmed');
    expect((await eqOf('L1-C1')).state).toBe('idle');
    obey.off('message', onCmd);
    // Equipment without a mapping: refused.
    const other = server.session.world.equipment.findIndex((x) => x.id === 'L2-C1');
    expect(
      (await a.command({ commandId: 'c4', equipmentId: 'L2-C1', eq: other, action: 'stop' })).status,
    ).toBe('refused');
  });

  it('refuses commands while not connected to a broker', async () => {
    const src = sourcesFileSchema.parse({ sources: [{ ...SOURCE, broker: 'mqtt://127.0.0.1:1' }] })
      .sources[0];
    if (src.kind !== 'sparkplug') throw new Error('unreachable');
    const o = mqttOptions(src, {});
    if (!o.ok) throw new Error(o.errors.join());
    const byId = new Map(server.session.world.equipment.map((e) => [e.id, e]));
    const plant = {
      indexOf: (id: string) => byId.get(id)?.index ?? -1,
      signalsOf: (id: string) => signalsOf(byId.get(id)?.kind ?? 'conveyor'),
    };
    const a = new SparkplugAdapter(
      src,
      o.options,
      plant,
      new SourceStats(0, 'x', 'sparkplug', pino({ level: 'silent' })),
      Date.now,
    );
    const eq = byId.get('L1-C1')?.index ?? -1;
    const r = await a.command({ commandId: 'c', equipmentId: 'L1-C1', eq, action: 'start' });
    expect(r).toMatchObject({ status: 'refused', detail: 'not connected to the broker' });
  });

  it('says offline itself (retained STATE with its birth timestamp) when it stops cleanly', async () => {
    const src = sourcesFileSchema.parse({
      sources: [
        {
          id: 'sp2',
          kind: 'sparkplug',
          broker: url,
          hostId: 'twin2',
          devices: [{ equipment: 'L1-C1', group: 'nobody', node: 'none', metrics: { beltSpeed: 'S' } }],
        },
      ],
    }).sources[0];
    if (src.kind !== 'sparkplug') throw new Error('unreachable');
    const o = mqttOptions(src, {});
    if (!o.ok) throw new Error(o.errors.join());
    const byId = new Map(server.session.world.equipment.map((e) => [e.id, e]));
    const plant = {
      indexOf: (id: string) => byId.get(id)?.index ?? -1,
      signalsOf: (id: string) => signalsOf(byId.get(id)?.kind ?? 'conveyor'),
    };
    const stats2 = new SourceStats(0, 'sp2', 'sparkplug', pino({ level: 'silent' }));
    const a = new SparkplugAdapter(src, o.options, plant, stats2, Date.now);
    const watcher = await mqtt.connectAsync(url, { protocolVersion: 4 });
    const seen: { online: boolean; timestamp: number }[] = [];
    watcher.on('message', (_t, p) => seen.push(JSON.parse(p.toString())));
    await watcher.subscribeAsync('spBv1.0/STATE/twin2', { qos: 1 });
    a.start(server.ingest.sink);
    const online = await until(() => seen.find((x) => x.online), 15_000, 'the online STATE');
    await a.stop();
    const offline = await until(() => seen.find((x) => !x.online), 15_000, 'the offline STATE');
    expect(offline.timestamp).toBe(online.timestamp);
    await watcher.endAsync();
  });

  it('asks for a rebirth at once, without waiting out the reorder timeout, when 64 messages pile up behind a gap', async () => {
    const src = sourcesFileSchema.parse({
      sources: [
        {
          id: 'sp3',
          kind: 'sparkplug',
          broker: url,
          hostId: 'twin3',
          reorderTimeoutMs: 60_000,
          devices: [
            {
              equipment: 'L3-C1',
              group: 'plant',
              node: 'held',
              device: 'd',
              metrics: { beltSpeed: 'Speed' },
            },
          ],
        },
      ],
    }).sources[0];
    if (src.kind !== 'sparkplug') throw new Error('unreachable');
    const o = mqttOptions(src, {});
    if (!o.ok) throw new Error(o.errors.join());
    const byId = new Map(server.session.world.equipment.map((e) => [e.id, e]));
    const plant = {
      indexOf: (id: string) => byId.get(id)?.index ?? -1,
      signalsOf: (id: string) => signalsOf(byId.get(id)?.kind ?? 'conveyor'),
    };
    const stats3 = new SourceStats(0, 'sp3', 'sparkplug', pino({ level: 'silent' }));
    const a = new SparkplugAdapter(src, o.options, plant, stats3, Date.now);
    a.start(server.ingest.sink);
    try {
      await until(() => stats3.status === 'connected', 15_000, 'the second host to connect');
      const held = await edge('held', { d: speedOnly });
      held.autoRebirth = false;
      await held.start();
      await until(() => stats3.messages > 0, 15_000, 'the birth');
      held.nextSeq(); // lost
      for (let i = 0; i < 63; i++) await held.data('d', [{ alias: 1, datatype: DataType.Double, value: 1 }]);
      // A marker: once a message published after them is counted, the 63 were all received.
      await held.raw(held.topic('DDATA', 'd'), 'not protobuf');
      await until(() => (stats3.drops.get('malformed') ?? 0) > 0, 15_000, 'the marker');
      expect(held.rebirthRequests()).toBe(0); // 63 held: still waiting
      await held.data('d', [{ alias: 1, datatype: DataType.Double, value: 1 }]);
      await until(() => held.rebirthRequests() > 0, 15_000, 'the rebirth request');
      expect(stats3.drops.get('sequence')).toBe(64);
      expect(a.counters.gaps).toBe(1);
    } finally {
      await a.stop();
    }
  });

  it('rate-limits a flooding node while another node keeps arriving', async () => {
    const flood = await edge('flood', { d: speedOnly });
    const calm = await edge('calm', { d: speedOnly });
    await flood.start();
    await calm.start();
    await until(async () => (await eqOf('L2-C2')).values.beltSpeed.value === 0.2, 15_000, 'the calm birth');
    const before = drops('rate');
    const sent: Promise<unknown>[] = [];
    for (let i = 0; i < 2000; i++) {
      sent.push(flood.data('d', [{ alias: 1, datatype: DataType.Double, value: (i % 200) / 100 }]));
      if (i % 250 === 0) {
        sent.push(calm.data('d', [{ alias: 1, datatype: DataType.Double, value: 1 + i / 2500 }]));
        // In batches: a few hundred publishes in flight at once, not thousands.
        await Promise.all(sent.splice(0));
      }
    }
    await Promise.all(sent);
    await calm.data('d', [{ alias: 1, datatype: DataType.Double, value: 1.9 }]);
    await until(async () => (await eqOf('L2-C2')).values.beltSpeed.value === 1.9, 15_000, 'the calm node');
    await until(() => drops('rate') - before > 1000, 15_000, 'the flood to be limited');
  });

  it('survives 1,000 seeded malformed Sparkplug messages: frames keep coming, other equipment is unchanged, drops are counted', async () => {
    const fz = await edge('fuzz', {
      d: [
        { name: 'Speed', alias: 1, datatype: DataType.Double, value: 0.7 },
        { name: 'Status', alias: 2, datatype: DataType.String, value: 'RUNNING' },
        { name: 'Big', alias: 3, datatype: DataType.UInt64, value: 5 },
      ],
    });
    fz.autoRebirth = false;
    await fz.start();
    const calm = edges.find((e) => e.node === 'calm') as TestEdgeNode;
    await calm.data('d', [{ alias: 1, datatype: DataType.Double, value: 0.33 }]);
    await until(async () => (await eqOf('L1-C3')).values.beltSpeed.value === 0.7, 15_000, 'the fuzz birth');
    await until(async () => (await eqOf('L2-C2')).values.beltSpeed.value === 0.33, 15_000, 'the calm value');
    const others = await Promise.all(['L2-C2', 'L1-R1', 'AGV-01', 'L1-C1'].map(eqOf));
    const errorsBefore = stats().errors;
    const rng = mulberry32(20261205);
    for (let i = 0; i < 1000; i++) {
      const m = malformed(rng, fz, i >= 800);
      await fz.raw(m.topic, m.payload);
    }
    await until(() => stats().errors - errorsBefore >= 800, 30_000, 'the malformed messages to be counted');
    for (const reason of [
      'malformed',
      'size',
      'type',
      'range',
      'timestamp',
      'alias',
      'state',
      'sequence',
    ] as const)
      expect(drops(reason), reason).toBeGreaterThan(0);
    expect(await Promise.all(['L2-C2', 'L1-R1', 'AGV-01', 'L1-C1'].map(eqOf))).toEqual(others);
    // The plant still ticks and streams: a new calm value reaches a client in a frame.
    const tick = server.session.world.tick;
    await until(() => server.session.world.tick > tick + 3, 15_000, 'the loop to keep ticking');
    const c = await server.client('viewer');
    const snap = await new Promise<PlantSnapshot>((resolve) => c.once('plant:snapshot', resolve));
    const kinds = snap.plant.equipment.map((e) => e.kind as EquipmentKind);
    const idx = snap.plant.equipment.findIndex((e) => e.id === 'L2-C2');
    let framed = false;
    c.on('telemetry:frame', (buf: ArrayBuffer) => {
      for (const en of decodeFrameToObjects(buf, kinds).entries)
        if (en.index === idx && Math.abs(en.signals[0] - 0.66) < 0.01) framed = true;
    });
    await calm.data('d', [{ alias: 1, datatype: DataType.Double, value: 0.66 }]);
    await until(() => framed, 15_000, 'a frame after the fuzz');
    c.close();
    // The fuzzed node is still served: a new birth and good data are applied.
    await fz.birth();
    await fz.data('d', [{ alias: 1, datatype: DataType.Double, value: 0.95 }]);
    await until(
      async () => (await eqOf('L1-C3')).values.beltSpeed.value === 0.95,
      15_000,
      'good data after the fuzz',
    );
  });
});

/** A small seeded PRNG (mulberry32): the same malformed messages every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One bad message for the fuzz node. Before `chaos`, well-formed payloads carry the next seq (so
 * the host reaches their contents and judges them), bytes that are no payload carry none; with
 * `chaos`, seqs, deaths and births go wild.
 */
function malformed(
  rng: () => number,
  fz: TestEdgeNode,
  chaos: boolean,
): { topic: string; payload: Uint8Array | string } {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)];
  const dd = fz.topic('DDATA', 'd');
  const enc = (metrics: MetricToEncode[], seq = fz.nextSeq()) => ({
    topic: dd,
    payload: encodeRaw(metrics, seq),
  });
  const now = Date.now();
  if (chaos) {
    switch (Math.floor(rng() * 5)) {
      case 0:
        return enc([{ alias: 1, datatype: DataType.Double, value: 1 }], Math.floor(rng() * 256));
      case 1:
        return {
          topic: fz.topic('NDEATH'),
          payload: encodeRaw([
            { name: 'bdSeq', datatype: DataType.Int64, value: 200 + Math.floor(rng() * 50) },
          ]),
        };
      case 2:
        return {
          topic: fz.topic('DBIRTH', 'd'),
          payload: encodeRaw([{ alias: 1, datatype: DataType.Double, value: 1 }], Math.floor(rng() * 256)),
        };
      case 3:
        return {
          topic: fz.topic('DDATA', 'ghost'),
          payload: encodeRaw([{ alias: 9, datatype: DataType.Double, value: 1 }], Math.floor(rng() * 256)),
        };
      default:
        return enc([{ alias: 1, datatype: DataType.Double, value: 1 }], 300 + Math.floor(rng() * 1000));
    }
  }
  switch (Math.floor(rng() * 10)) {
    case 0: {
      // Wire type 7 does not exist: never a valid protobuf, whatever follows.
      const junk = Uint8Array.from({ length: 1 + Math.floor(rng() * 200) }, () => Math.floor(rng() * 256));
      junk[0] = 0x0f;
      return { topic: dd, payload: junk };
    }
    case 1: {
      // Cut short (seq is the last field, so a cut payload never carries one).
      const whole = encodeRaw([{ alias: 1, datatype: DataType.Double, value: 1 }], 0);
      return { topic: dd, payload: whole.slice(0, Math.floor(rng() * (whole.length - 1))) };
    }
    case 2:
      return { topic: dd, payload: new Uint8Array(256 * 1024 + 1 + Math.floor(rng() * 4096)) };
    case 3:
      return enc([
        pick([
          { alias: 1, datatype: DataType.String, value: 'fast' },
          { alias: 1, datatype: DataType.Boolean, value: true },
          { alias: 2, datatype: DataType.Double, value: 3 },
        ]) as MetricToEncode,
      ]);
    case 4:
      return enc([{ alias: 1, datatype: DataType.Double, value: pick([Number.NaN, Infinity, -Infinity]) }]);
    case 5:
      return enc([
        {
          alias: 1,
          datatype: DataType.Double,
          value: 1,
          timestamp: pick([now + 3600_000, now - 3 * 86400_000]),
        },
      ]);
    case 6:
      return enc([{ alias: 100 + Math.floor(rng() * 1000), datatype: DataType.Double, value: 1 }]);
    case 7:
      return enc([
        pick([
          { alias: 1, datatype: DataType.Double, value: pick([1e6, -1e6]) },
          { alias: 3, datatype: DataType.UInt64, value: 2n ** 60n },
        ]) as MetricToEncode,
      ]);
    case 8:
      return enc([
        { alias: 2, datatype: DataType.String, value: pick(['EXPLODED', '__proto__', 'toString', '']) },
      ]);
    default:
      return enc([{ name: pick(['Nope', 'Speed2', '']), datatype: DataType.Double, value: 1 }]);
  }
}

function encodeRaw(metrics: MetricToEncode[], seq?: number): Uint8Array {
  return encodePayload({ timestamp: Date.now(), seq, metrics });
}
