import { rmSync } from 'node:fs';
import { DataType, StatusCodes, Variant, VariantArrayType } from 'node-opcua';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeFrameToObjects,
  type EquipmentAnswer,
  type EquipmentKind,
  type PlantSnapshot,
  type SourcesAnswer,
} from '../../../protocol';
import type { DeviceCommand, SourceAdapter } from '../../../server/ingest/adapter';
import { tempDataDir } from '../../helpers/server';
import { startIngestServer, until } from './ingestServer';
import { nsu, PLC_STATE, startUaServer, type UaServer } from './opcuaTestServer';

type Server = Awaited<ReturnType<typeof startIngestServer>>;

const dir = tempDataDir();
const logs: string[] = [];
let ua: UaServer;
let server: Server;

const eqOf = async (id: string) =>
  (await server.get<EquipmentAnswer>(`/api/equipment/${id}`, 'viewer')).body.equipment;
const statsOf = (id: string) => {
  const s = server.ingest.stats.find((x) => x.id === id);
  if (!s) throw new Error(`no source ${id}`);
  return s;
};
const sourceHealth = async (id: string) =>
  (await server.get<SourcesAnswer>('/api/sources', 'operator')).body.sources.find((s) => s.id === id);
/** The running adapter of a source (the ingest keeps them private; commands are not routed yet). */
const adapterOf = (i: number) => (server.ingest as unknown as { adapters: SourceAdapter[] }).adapters[i];
const command = (equipmentId: string, action: DeviceCommand['action']) => {
  const a = adapterOf(0);
  if (!a.command) throw new Error('the OPC UA adapter takes no commands');
  return a.command({
    commandId: `t-${equipmentId}-${action}-${Date.now()}`,
    equipmentId,
    eq: server.session.world.equipment.findIndex((e) => e.id === equipmentId),
    action,
  });
};
/** The warnings and errors the server logged so far. */
const logged = () => logs.map((l) => JSON.parse(l) as { level: number; msg: string; source?: string });
const double = (v: number) => new Variant({ dataType: DataType.Double, value: v });

beforeAll(async () => {
  ua = await startUaServer({ dir });
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(line) });
  server = await startIngestServer(
    {
      sources: [
        {
          id: 'plc',
          kind: 'opcua',
          endpoint: ua.url,
          securityMode: 'None',
          commands: true,
          // Staleness in these tests comes from a lost connection, never from age.
          staleAfterS: 3600,
          items: [
            {
              equipment: 'L1-C1',
              signals: { beltSpeed: nsu('L1-C1.BeltSpeed'), motorTemp: nsu('L1-C1.MotorTemp') },
              state: { node: nsu('L1-C1.State'), map: { '1': 'running', '2': 'idle', '3': 'fault' } },
              actions: {
                start: { call: { object: nsu('L1-C1'), method: nsu('L1-C1.Start') } },
                stop: { call: { object: nsu('L1-C1'), method: nsu('L1-C1.Stop') } },
                'e-stop': { write: nsu('L1-C1.EStop'), value: true },
                reset: { write: nsu('L1-C1.ResetCmd'), value: 1 },
              },
              samplingIntervalMs: 100,
            },
            {
              equipment: 'L1-C3',
              signals: { beltSpeed: nsu('L1-C3.BeltSpeed') },
              samplingIntervalMs: 0,
              queueSize: 1000,
            },
            {
              equipment: 'L2-C1',
              signals: { beltSpeed: nsu('L2-C1.BeltSpeed') },
              actions: { start: { write: nsu('L2-C1.Run'), value: true } },
              samplingIntervalMs: 100,
            },
          ],
        },
        {
          id: 'units',
          kind: 'opcua',
          endpoint: ua.url,
          securityMode: 'None',
          staleAfterS: 3600,
          items: [
            { equipment: 'L1-C2', signals: { beltSpeed: nsu('L1-C2.BeltSpeed') }, samplingIntervalMs: 200 },
          ],
        },
        {
          id: 'partial',
          kind: 'opcua',
          endpoint: ua.url,
          securityMode: 'None',
          staleAfterS: 3600,
          items: [
            {
              equipment: 'L1-C4',
              signals: { beltSpeed: 'nsu=urn:nowhere:else;s=Belt', motorTemp: nsu('L1-C1.MotorTemp') },
              samplingIntervalMs: 200,
            },
            { equipment: 'L2-C2', signals: { beltSpeed: nsu('L1-C1.NoSuchNode') }, samplingIntervalMs: 200 },
          ],
        },
      ],
      unmapped: 'offline',
    },
    { dataDir: dir, logger },
  );
  await until(
    () => server.ingest.stats.every((s) => s.status === 'connected'),
    60_000,
    'the OPC UA sources to connect',
  );
});

afterAll(async () => {
  await server?.close();
  await ua?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('OPC UA client source (a real node-opcua server)', () => {
  it('shows a Good value with its source timestamp, the mapped state and the clock skew', async () => {
    const ts = new Date(Date.now() - 300);
    ua.set('beltSpeed', double(0.8), StatusCodes.Good, ts);
    ua.vars.state.setValueFromSource(new Variant({ dataType: DataType.Int32, value: PLC_STATE.running }));
    const e = await until(async () => {
      const d = await eqOf('L1-C1');
      return d.values.beltSpeed.value === 0.8 && d.state === 'running' ? d : null;
    });
    expect(e.source).toBe('plc');
    expect(e.values.beltSpeed).toEqual({ value: 0.8, quality: 'good', sourceTimestamp: ts.getTime() });
    expect(e.values.motorTemp).toMatchObject({ value: 40, quality: 'good' });
    expect(e.quality).toBe('good');
    const h = await sourceHealth('plc');
    expect(h).toMatchObject({ kind: 'opcua', status: 'connected' });
    expect(typeof h?.skewMs).toBe('number');
  });

  it('maps Uncertain to uncertain and Bad to bad, keeping the last value when a Bad one carries none', async () => {
    ua.set('beltSpeed', double(0.9), StatusCodes.UncertainLastUsableValue);
    await until(async () => {
      const v = (await eqOf('L1-C1')).values.beltSpeed;
      return v.value === 0.9 && v.quality === 'uncertain';
    });
    ua.set('beltSpeed', double(1.1), StatusCodes.BadSensorFailure);
    await until(async () => {
      const v = (await eqOf('L1-C1')).values.beltSpeed;
      return v.value === 1.1 && v.quality === 'bad';
    });
    ua.set('beltSpeed', double(0.7));
    await until(async () => (await eqOf('L1-C1')).values.beltSpeed.quality === 'good');
    ua.set('beltSpeed', new Variant({ dataType: DataType.Null }), StatusCodes.BadCommunicationError);
    const e = await until(async () => {
      const d = await eqOf('L1-C1');
      return d.values.beltSpeed.quality === 'bad' ? d : null;
    });
    expect(e.values.beltSpeed.value).toBe(0.7);
    expect(e.quality).toBe('bad');
    ua.set('beltSpeed', double(0.75));
    await until(async () => (await eqOf('L1-C1')).values.beltSpeed.quality === 'good');
  });

  it('warns once, naming the node, when a unit is not the catalog one, and still takes its values', async () => {
    const warning =
      'node nsu=urn:plant:test;s=L1-C2.BeltSpeed is in "mm/s" (EngineeringUnits), but beltSpeed is in m/s';
    await until(() => statsOf('units').lastError?.includes(warning), 15_000, 'the unit warning');
    const lines = logged().filter((l) => l.msg.includes(warning));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, source: 'units' });
    const e = await until(async () => {
      const d = await eqOf('L1-C2');
      return d.values.beltSpeed.quality === 'good' ? d : null;
    });
    expect(e.values.beltSpeed.value).toBe(1.5);
    // The nodes whose unit fits raise nothing.
    expect(logged().some((l) => l.msg.includes('L1-C1.BeltSpeed') && l.msg.includes('unit check'))).toBe(
      false,
    );
  });

  it('reports an unknown namespace URI and an unknown node by name while the other items run', async () => {
    await until(() => statsOf('partial').status === 'connected', 15_000, 'the partial source');
    const text = logged()
      .map((l) => l.msg)
      .join('\n');
    expect(text).toContain(
      'node nsu=urn:nowhere:else;s=Belt (L1-C4 beltSpeed): the server has no namespace urn:nowhere:else',
    );
    expect(text).toContain(
      'node nsu=urn:plant:test;s=L1-C1.NoSuchNode (L2-C2 beltSpeed): not on the server (BadNodeIdUnknown)',
    );
    expect(statsOf('partial').lastError).toMatch(/^node nsu=urn:/);
    ua.set('motorTemp', double(44.5));
    await until(async () => (await eqOf('L1-C4')).values.motorTemp.value === 44.5, 15_000, 'the known node');
    expect((await eqOf('L1-C4')).values.beltSpeed.quality).toBe('bad');
    // The same node feeds L1-C1 through another source's subscription, which samples on its own clock.
    await until(
      async () => (await eqOf('L1-C1')).values.motorTemp.value === 44.5,
      15_000,
      'the other source',
    );
  });

  it('calls a method and writes a variable for commands, confirmed by the state, and refuses a Bad answer', async () => {
    ua.vars.state.setValueFromSource(new Variant({ dataType: DataType.Int32, value: PLC_STATE.idle }));
    await until(async () => (await eqOf('L1-C1')).state === 'idle', 15_000, 'idle');
    const start = await command('L1-C1', 'start');
    expect(start).toMatchObject({ status: 'confirmed' });
    expect(start.detail).toContain('state running');
    expect(ua.observed.calls).toEqual(['Start']);

    const stop = await command('L1-C1', 'stop');
    expect(stop.status).toBe('refused');
    expect(stop.detail).toContain('BadInvalidState');
    expect(ua.observed.calls).toEqual(['Start', 'Stop']);
    expect((await eqOf('L1-C1')).state).toBe('running');

    const estop = await command('L1-C1', 'e-stop');
    expect(estop).toMatchObject({ status: 'confirmed' });
    expect(estop.detail).toContain('state fault');
    const reset = await command('L1-C1', 'reset');
    expect(reset).toMatchObject({ status: 'confirmed' });
    expect(reset.detail).toContain('state idle');
    // Written with the variables' own types (a Boolean and an Int16).
    expect(ua.observed.writes).toEqual([
      { node: 'EStop', value: true, dataType: 'Boolean' },
      { node: 'ResetCmd', value: 1, dataType: 'Int16' },
    ]);

    // No state mapped: the Good status of the write confirms it.
    const run = await command('L2-C1', 'start');
    expect(run).toEqual({ status: 'confirmed', detail: `write of true to ${nsu('L2-C1.Run')}: Good` });
    expect(ua.observed.writes.at(-1)).toEqual({ node: 'L2-C1.Run', value: true, dataType: 'Boolean' });

    expect((await command('L2-C1', 'stop')).status).toBe('refused');
    expect((await command('L1-C1', 'go-to')).status).toBe('refused');
  });

  it('survives 1,000 seeded bad values: frames keep coming, other machines keep their values, drops are counted', async () => {
    ua.set('calm', double(0.33));
    await until(async () => (await eqOf('L2-C1')).values.beltSpeed.value === 0.33, 15_000, 'the calm value');
    const others = await Promise.all(['L2-C1', 'L1-R1', 'AGV-01'].map(eqOf));
    const c = await server.client('viewer');
    const snap = await new Promise<PlantSnapshot>((resolve) => c.once('plant:snapshot', resolve));
    const kinds = snap.plant.equipment.map((e) => e.kind as EquipmentKind);
    const calm = snap.plant.equipment.findIndex((e) => e.id === 'L2-C1');
    let frames = 0;
    let calmFramed = false;
    c.on('telemetry:frame', (buf: ArrayBuffer) => {
      frames++;
      if (decodeFrameToObjects(buf, kinds).entries.some((en) => en.index === calm)) calmFramed = true;
    });
    const s = statsOf('plc');
    const rng = mulberry32(20261205);
    const seen = () => s.messages + s.errors;
    const before = { messages: s.messages, errors: s.errors, seen: seen() };
    let dropped = 0;
    let kept = 0;
    const BATCH = 50;
    for (let i = 0; i < 1000; i++) {
      const bad = badValue(rng, i);
      ua.set('fuzz', bad.value, bad.status, bad.ts);
      if (bad.dropped) dropped++;
      else kept++;
      // A good value between bad ones: every write is a change the server reports.
      ua.set('fuzz', double(0.1 + (i % 1000) / 1000));
      kept++;
      if (i % BATCH === BATCH - 1)
        await until(
          () => seen() - before.seen >= 2 * (i + 1),
          30_000,
          `the first ${2 * (i + 1)} values (seen ${seen() - before.seen}, last error ${s.lastError})`,
        );
    }
    await until(() => seen() - before.seen >= 2000, 30_000, 'every fuzz value');
    expect(s.errors - before.errors).toBe(dropped);
    expect(s.messages - before.messages).toBe(kept);
    expect(dropped).toBeGreaterThan(500);
    for (const reason of ['type', 'range', 'timestamp'] as const)
      expect(s.drops.get(reason) ?? 0, reason).toBeGreaterThan(0);
    const last = 0.1 + 999 / 1000;
    await until(
      async () => (await eqOf('L1-C3')).values.beltSpeed.value === last,
      15_000,
      'the last good value',
    );
    expect(await Promise.all(['L2-C1', 'L1-R1', 'AGV-01'].map(eqOf))).toEqual(others);
    expect(frames).toBeGreaterThan(0);
    // The plant still streams: a new value of another machine reaches a client in a frame.
    calmFramed = false;
    ua.set('calm', double(0.66));
    await until(() => calmFramed, 15_000, 'a frame after the fuzz');
    c.close();
  }, 180_000);

  it('marks every machine of a lost server stale, refuses commands, and resumes after the server restarts', async () => {
    ua.set('beltSpeed', double(0.5));
    await until(async () => (await eqOf('L1-C1')).values.beltSpeed.value === 0.5, 15_000, 'a value');
    const port = ua.port;
    await ua.stop();
    // staleAfterS is an hour: only the lost connection can make these stale.
    const h = await until(
      async () => {
        const x = await sourceHealth('plc');
        return x && x.stale.length === 3 ? x : null;
      },
      5_000,
      'the machines to go stale',
    );
    expect([...h.stale].sort()).toEqual(['L1-C1', 'L1-C3', 'L2-C1']);
    expect(h.status).not.toBe('connected');
    const e = await eqOf('L1-C1');
    expect(e.values.beltSpeed).toMatchObject({ value: 0.5, quality: 'stale' });
    expect(e.state).toBe('offline');
    expect(await command('L1-C1', 'start')).toEqual({
      status: 'refused',
      detail: `not connected to ${ua.url}`,
    });
    // Another namespace comes first now: the test namespace has another index after the restart.
    ua = await startUaServer({ dir, port, shiftNamespaces: true });
    await until(() => statsOf('plc').status === 'connected', 60_000, 'the source to reconnect');
    ua.set('beltSpeed', double(1.25));
    ua.set('calm', double(0.44));
    await until(
      async () => {
        const d = await eqOf('L1-C1');
        return d.values.beltSpeed.value === 1.25 && d.values.beltSpeed.quality === 'good';
      },
      60_000,
      'values to resume',
    );
    await until(async () => (await eqOf('L2-C1')).values.beltSpeed.value === 0.44, 15_000, 'the calm value');
    expect((await sourceHealth('plc'))?.stale).toEqual([]);
  });
});

/** One seeded bad value for the fuzz variable, and whether the adapter must drop it. */
function badValue(rng: () => number, i: number) {
  const now = Date.now();
  const pick = Math.floor(rng() * 8);
  const good = StatusCodes.Good;
  const v = (value: Variant, dropped = true, status = good, ts = new Date(now)) => ({
    value,
    status,
    ts,
    dropped,
  });
  switch (pick) {
    case 0:
      return v(new Variant({ dataType: DataType.String, value: `bad-${i}-${rng().toString(36).slice(2)}` }));
    case 1:
      return v(
        new Variant({
          dataType: DataType.Double,
          arrayType: VariantArrayType.Array,
          value: new Float64Array([rng(), rng(), i]),
        }),
      );
    case 2:
      return v(double(Number.NaN));
    case 3:
      return v(double(rng() < 0.5 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY));
    case 4:
      return v(double((rng() < 0.5 ? -1 : 1) * (1e6 + rng() * 1e300)));
    case 5:
      // A Bad status is quality, not garbage: taken, shown bad.
      return v(
        double(0.2 + rng()),
        false,
        rng() < 0.5 ? StatusCodes.BadSensorFailure : StatusCodes.BadOutOfService,
      );
    case 6:
      return v(double(rng()), true, good, new Date(now + 86_400_000 * (1 + rng() * 3650)));
    default:
      return v(new Variant({ dataType: DataType.ByteString, value: Buffer.from([i & 0xff, 1, 2]) }));
  }
}

/** A small seeded PRNG (mulberry32): the same bad values every run. */
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
