import { existsSync, mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttributeIds,
  MessageSecurityMode,
  makeBrowsePath,
  OPCUACertificateManager,
  OPCUAClient,
  SecurityPolicy,
  StatusCodes,
  DataType as UaDataType,
} from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileJsonPath,
  type EquipmentAnswer,
  type Layout,
  readJsonPath,
  SOURCE_KINDS,
  type SourcesAnswer,
  type SourcesFile,
  signalsOf,
} from '../../protocol';
import { MACHINE_COMMAND_EFFECT } from '../../server/ingest/adapter';
import { loadSourcesFile } from '../../server/ingest/sourcesFile';
import { DataType, encodePayload } from '../../server/ingest/sparkplug/payload';
import {
  connectionSchema,
  plantToVda,
  stateSchema,
  type VdaState,
  vdaToPlant,
  visualizationSchema,
} from '../../server/ingest/vda5050/messages';
import { ROOT } from '../../server/paths';
import { DEFAULT_PLANT, loadPlantFile } from '../../server/plantFile';
import { STATE_MAP } from '../../server/virtualPlant/protocolSplit';
import { addUserTo, loginAt, startMain } from '../helpers/mainProcess';
import { freePort, hasMosquitto, startMosquitto, type TestMosquitto } from '../helpers/mosquitto';
import { tempDataDir } from '../helpers/server';
import { until } from './ingest/ingestServer';
import {
  type Bus,
  json,
  listen,
  type Seen,
  sp,
  spawnVirtualPlant,
  virtualPlantReady,
} from './virtualPlantBus';

if (!hasMosquitto && process.env.CI) throw new Error('mosquitto is not installed (/usr/sbin/mosquitto)');
if (!hasMosquitto) console.warn('SKIPPED: virtual plant tests (install mosquitto)');

const loaded = loadPlantFile(DEFAULT_PLANT);
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
const layout: Layout = loaded.layout;
const sourcesLoaded = loadSourcesFile(join(ROOT, 'assets/sources/virtual-plant.yaml'), layout, SOURCE_KINDS);
if (!sourcesLoaded.ok) throw new Error(sourcesLoaded.errors.join('\n'));
const sources: SourcesFile = sourcesLoaded.file;
const source = <K extends SourcesFile['sources'][number]['kind']>(kind: K) =>
  sources.sources.find((s) => s.kind === kind) as Extract<SourcesFile['sources'][number], { kind: K }>;
const kindOf = new Map(layout.equipment.map((e) => [e.id, e.kind]));

/** Distance from (x, z) to the nearest aisle of the plant's AGV paths, m. */
function distanceToPaths(x: number, z: number): number {
  const pos = new Map(layout.paths?.nodes.map((n) => [n.id, n.position]) ?? []);
  let best = Number.POSITIVE_INFINITY;
  for (const [a, b] of layout.paths?.edges ?? []) {
    const [ax, az] = pos.get(a) as [number, number];
    const [bx, bz] = pos.get(b) as [number, number];
    const dx = bx - ax;
    const dz = bz - az;
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (z - az) * dz) / (dx * dx + dz * dz || 1)));
    best = Math.min(best, Math.hypot(ax + t * dx - x, az + t * dz - z));
  }
  return best;
}

/** Per test: AGVs drive and joints heat in plant time, and the machine is shared (generous), ms. */
const SLOW_MS = 240_000;
const SP = 'spBv1.0/PlantTwin';
const VDA = 'uagv/v2/PlantTwin';
const header = (serial: string, headerId: number) => ({
  headerId,
  timestamp: new Date().toISOString(),
  version: '2.0.0',
  manufacturer: 'PlantTwin',
  serialNumber: serial,
});

describe.skipIf(!hasMosquitto)('the virtual plant against a real Mosquitto', { timeout: SLOW_MS }, () => {
  let mosq: TestMosquitto;
  let bus: Bus;
  let opcuaPort: number;
  let vp: ReturnType<typeof spawnVirtualPlant>;
  const pki = mkdtempSync(join(tmpdir(), 'vp-pki-'));

  beforeAll(async () => {
    mosq = await startMosquitto();
    // Subscribed before the plant starts: the births are seen too.
    bus = await listen(mosq.url, ['spBv1.0/#', 'uagv/#', 'planttwin/#']);
    opcuaPort = await freePort();
    vp = spawnVirtualPlant([
      '--broker',
      mosq.url,
      '--opcua-port',
      String(opcuaPort),
      '--opcua-host',
      '127.0.0.1',
      '--pki',
      pki,
      '--seed',
      '3',
      '--speed',
      '2',
    ]);
    await virtualPlantReady(vp);
  });

  afterAll(async () => {
    await bus?.close();
    await vp?.kill();
    await mosq?.stop();
  });

  const latestBirth = (node: string) => bus.on(new RegExp(`^${SP}/NBIRTH/${node}$`)).at(-1);
  const bdSeqOf = (m: Seen) => sp(m).metrics.find((x) => x.name === 'bdSeq')?.value;
  /** The aliases of a device's latest DBIRTH: alias -> metric name. */
  const aliasesOf = (device: string) => {
    const birth = bus.on(new RegExp(`^${SP}/DBIRTH/[^/]+/${device}$`)).at(-1);
    if (!birth) throw new Error(`no DBIRTH of ${device}`);
    return new Map(sp(birth).metrics.map((m) => [m.alias, m.name]));
  };

  it('births each line as an edge node with bdSeq and Rebirth, and each machine as a device with every mapped metric, alias and engUnit', async () => {
    const sparkplug = source('sparkplug');
    const nodes = [...new Set(sparkplug.devices.map((d) => d.node))];
    expect(nodes.sort()).toEqual(['L1', 'L2', 'L3']);
    await until(
      () => sparkplug.devices.every((d) => bus.on(new RegExp(`^${SP}/DBIRTH/${d.node}/${d.device}$`)).length),
      30_000,
      'a DBIRTH of every device',
    );
    for (const node of nodes) {
      const birth = sp(latestBirth(node) as Seen);
      expect(birth.seq).toBe(0);
      expect(typeof bdSeqOf(latestBirth(node) as Seen)).toBe('number');
      expect(birth.metrics.find((m) => m.name === 'Node Control/Rebirth')).toMatchObject({
        value: false,
        datatype: DataType.Boolean,
      });
    }
    for (const d of sparkplug.devices) {
      const metrics = sp(bus.on(new RegExp(`^${SP}/DBIRTH/${d.node}/${d.device}$`)).at(-1) as Seen).metrics;
      const kind = kindOf.get(d.equipment) ?? 'conveyor';
      const mapped = new Set([
        ...Object.values(d.metrics),
        d.state?.metric,
        ...Object.values(d.commandMetrics ?? {}),
      ]);
      // Every metric the device births is read back by the sources file, and the other way round.
      for (const m of metrics) expect(mapped, `${d.device}: ${m.name}`).toContain(m.name);
      expect(metrics.length).toBe(mapped.size);
      const aliases = metrics.map((m) => m.alias);
      expect(new Set(aliases).size).toBe(aliases.length);
      for (const def of signalsOf(kind)) {
        const m = metrics.find((x) => x.name === d.metrics[def.key]);
        expect(m, `${d.device} ${def.key}`).toBeDefined();
        expect(m?.datatype).toBe(def.enc === 'u32' ? DataType.UInt32 : DataType.Double);
        if (def.unit) expect(m?.properties?.engUnit).toBe(def.unit);
        expect(typeof m?.value).toBe('number');
      }
      const state = metrics.find((x) => x.name === 'State');
      expect(Object.keys(STATE_MAP)).toContain(state?.value);
    }
  });

  it('sends DDATA by exception with aliases only, values in range, and seq counting up by one per node message, wrapping after 255', async () => {
    const from = bus.seen.length;
    // Over 256 messages: seq wraps from 255 to 0 at least once.
    await until(() => bus.on(new RegExp(`^${SP}/DDATA/L1/`), from).length >= 300, 60_000, '300 DDATA of L1');
    const aliases = new Map<number, { device: string; name: string }>();
    for (const d of source('sparkplug').devices.filter((x) => x.node === 'L1'))
      for (const [alias, name] of aliasesOf(d.device ?? ''))
        aliases.set(alias as number, { device: d.device ?? '', name: name ?? '' });
    const msgs = bus.on(new RegExp(`^${SP}/(NBIRTH|DBIRTH|DDATA)/L1(/|$)`), from);
    let prev: number | undefined;
    let wraps = 0;
    for (const m of msgs) {
      const p = sp(m);
      if (prev !== undefined) expect(p.seq).toBe((prev + 1) % 256);
      if (prev === 255) wraps++;
      prev = p.seq;
      if (!m.topic.includes('/DDATA/')) continue;
      const device = m.topic.split('/').at(-1) as string;
      const kind = kindOf.get(device) ?? 'conveyor';
      expect(p.metrics.length).toBeGreaterThan(0);
      for (const x of p.metrics) {
        expect(x.name).toBeUndefined();
        const known = aliases.get(x.alias as number);
        expect(known?.device).toBe(device);
        const key = known?.name.replace('Telemetry/', '') ?? '';
        if (known?.name === 'State') expect(Object.keys(STATE_MAP)).toContain(x.value);
        else {
          const def = signalsOf(kind).find((s) => s.key === key);
          expect(def, `${device} ${known?.name}`).toBeDefined();
          expect(x.value as number).toBeGreaterThanOrEqual((def?.min ?? 0) - 1e-9);
          expect(x.value as number).toBeLessThanOrEqual((def?.max ?? 0) + 1e-9);
        }
        expect(Math.abs((x.timestamp ?? 0) - m.at)).toBeLessThan(60_000);
      }
    }
    expect(wraps).toBeGreaterThan(0);
  });

  it('births the node again on NCMD Node Control/Rebirth, seq from 0 and the same bdSeq', async () => {
    const bdSeq = bdSeqOf(latestBirth('L2') as Seen);
    const from = bus.seen.length;
    await bus.client.publishAsync(
      `${SP}/NCMD/L2`,
      Buffer.from(
        encodePayload({
          timestamp: Date.now(),
          metrics: [{ name: 'Node Control/Rebirth', datatype: DataType.Boolean, value: true }],
        }),
      ),
    );
    const devices = source('sparkplug').devices.filter((d) => d.node === 'L2');
    await until(
      () => devices.every((d) => bus.on(new RegExp(`^${SP}/DBIRTH/L2/${d.device}$`), from).length),
      20_000,
      'the DBIRTHs after the rebirth',
    );
    const birth = bus.on(new RegExp(`^${SP}/NBIRTH/L2$`), from);
    expect(birth).toHaveLength(1);
    expect(sp(birth[0]).seq).toBe(0);
    expect(bdSeqOf(birth[0])).toBe(bdSeq);
    // Other nodes were not asked.
    expect(bus.on(new RegExp(`^${SP}/NBIRTH/L1$`), from)).toHaveLength(0);
  });

  it('applies DCMD Control/Stop to the machine, and its State metric then reports it stopped', async () => {
    const device = 'L2-C2';
    const stopped = MACHINE_COMMAND_EFFECT.stop.map((s) =>
      Object.keys(STATE_MAP).find((k) => STATE_MAP[k] === s),
    );
    const stateAlias = [...aliasesOf(device)].find(([, name]) => name === 'State')?.[0];
    const from = bus.seen.length;
    await bus.client.publishAsync(
      `${SP}/DCMD/L2/${device}`,
      Buffer.from(
        encodePayload({
          timestamp: Date.now(),
          metrics: [{ name: 'Control/Stop', datatype: DataType.Boolean, value: true }],
        }),
      ),
    );
    const state = await until(
      () =>
        bus
          .on(new RegExp(`^${SP}/DDATA/L2/${device}$`), from)
          .flatMap((m) => sp(m).metrics)
          .filter((m) => m.alias === stateAlias)
          .map((m) => m.value as string)
          .find((v) => stopped.includes(v)),
      20_000,
      'the State metric of a stopped machine',
    );
    expect(stopped).toContain(state);
    // By alias as well (a host may command with the DBIRTH's aliases): start it again.
    const startAlias = [...aliasesOf(device)].find(([, name]) => name === 'Control/Start')?.[0];
    const from2 = bus.seen.length;
    await bus.client.publishAsync(
      `${SP}/DCMD/L2/${device}`,
      Buffer.from(
        encodePayload({ metrics: [{ alias: startAlias, datatype: DataType.Boolean, value: true }] }),
      ),
    );
    await until(
      () =>
        bus
          .on(new RegExp(`^${SP}/DDATA/L2/${device}$`), from2)
          .flatMap((m) => sp(m).metrics)
          .some((m) => m.alias === stateAlias && !stopped.includes(m.value as string)),
      20_000,
      'the State metric after Control/Start',
    );
  });

  it('announces every AGV ONLINE on its retained connection topic', async () => {
    // A subscriber that comes later still gets the retained messages.
    const late = await listen(mosq.url, [`${VDA}/+/connection`]);
    try {
      const agvs = source('vda5050').agvs;
      await until(
        () => agvs.every((a) => late.on(new RegExp(`/${a.serialNumber}/connection$`)).length),
        15_000,
        'retained connections',
      );
      for (const a of agvs) {
        const m = late.on(new RegExp(`/${a.serialNumber}/connection$`))[0];
        expect(m.retain).toBe(true);
        expect(connectionSchema.parse(json(m))).toMatchObject({
          connectionState: 'ONLINE',
          serialNumber: a.serialNumber,
          manufacturer: 'PlantTwin',
        });
      }
    } finally {
      await late.close();
    }
  });

  it('reports valid state and visualization whose poses, mapped back through the map transform, lie on the plant paths', async () => {
    const from = bus.seen.length;
    const agvs = source('vda5050').agvs;
    await until(
      () => agvs.every((a) => bus.on(new RegExp(`^${VDA}/${a.serialNumber}/state$`), from).length >= 2),
      20_000,
      'two states of every AGV',
    );
    for (const a of agvs) {
      const states = bus
        .on(new RegExp(`^${VDA}/${a.serialNumber}/state$`), from)
        .map((m) => stateSchema.parse(json(m)));
      const vis = bus
        .on(new RegExp(`^${VDA}/${a.serialNumber}/visualization$`), from)
        .map((m) => visualizationSchema.parse(json(m)));
      expect(vis.length).toBeGreaterThan(states.length);
      for (const s of [...states, ...vis]) {
        const p = s.agvPosition;
        expect(p?.mapId).toBe(a.map.mapId);
        const [x, z] = vdaToPlant(a.map, p?.x ?? 0, p?.y ?? 0, p?.theta ?? 0);
        expect(distanceToPaths(x, z), `${a.serialNumber} at ${x}, ${z}`).toBeLessThan(0.5);
      }
      const s = states.at(-1) as VdaState;
      expect(s).toMatchObject({ operatingMode: 'AUTOMATIC', safetyState: { eStop: 'NONE' } });
      expect(s.batteryState.batteryCharge).toBeGreaterThan(0);
      expect(layout.paths?.nodes.map((n) => n.id)).toContain(s.lastNodeId);
      for (const e of s.errors) expect(e.errorLevel).toMatch(/WARNING|FATAL/);
      const ids = states.map((x) => x.headerId);
      expect([...ids].sort((p, q) => p - q)).toEqual(ids);
    }
  });

  /** The latest state of an AGV since message index `from`. */
  const stateOf = (serial: string, from = 0) => {
    const m = bus.on(new RegExp(`^${VDA}/${serial}/state$`), from).at(-1);
    return m ? stateSchema.parse(json(m)) : undefined;
  };

  it('pauses on instantActions startPause (reports paused, stands still) and drives on after stopPause', async () => {
    const driving = await until(
      () =>
        source('vda5050').agvs.find(
          (a) => stateOf(a.serialNumber)?.driving && !stateOf(a.serialNumber)?.errors.length,
        ),
      60_000,
      'an AGV that drives',
    );
    const serial = driving.serialNumber;
    const from = bus.seen.length;
    await bus.client.publishAsync(
      `${VDA}/${serial}/instantActions`,
      JSON.stringify({
        ...header(serial, 1),
        actions: [{ actionType: 'startPause', actionId: 'p-1', blockingType: 'HARD' }],
      }),
    );
    const paused = await until(
      () => {
        const s = stateOf(serial, from);
        return s?.paused && !s.driving ? s : null;
      },
      20_000,
      'a paused, standing AGV',
    );
    expect(paused.actionStates).toContainEqual(
      expect.objectContaining({ actionId: 'p-1', actionStatus: 'FINISHED' }),
    );
    expect(paused.velocity?.vx).toBeLessThan(0.01);
    await bus.client.publishAsync(
      `${VDA}/${serial}/instantActions`,
      JSON.stringify({
        ...header(serial, 2),
        actions: [{ actionType: 'stopPause', actionId: 'p-2', blockingType: 'HARD' }],
      }),
    );
    await until(() => stateOf(serial, from)?.paused === false, 20_000, 'the AGV resumed');
  });

  it("drives to the order's last node and reports the order done there", async () => {
    const agv = await until(
      () =>
        source('vda5050').agvs.find((a) => {
          const s = stateOf(a.serialNumber);
          return s && !s.paused && s.errors.length === 0 && s.orderId === '';
        }),
      60_000,
      'an AGV free for an order',
    );
    const serial = agv.serialNumber;
    const start = stateOf(serial)?.lastNodeId ?? '';
    const nodes = layout.paths?.nodes ?? [];
    const here = nodes.find((n) => n.id === start)?.position ?? [0, 0];
    // A node one aisle away: close enough to reach soon, far enough to drive.
    const target = nodes
      .filter((n) => n.id !== start && /^(HA|TA|A1|A2)-/.test(n.id))
      .sort(
        (a, b) =>
          Math.hypot(a.position[0] - here[0], a.position[1] - here[1]) -
          Math.hypot(b.position[0] - here[0], b.position[1] - here[1]),
      )[1];
    const [tx, ty] = plantToVda(agv.map, target.position[0], target.position[1], 0);
    const from = bus.seen.length;
    await bus.client.publishAsync(
      `${VDA}/${serial}/order`,
      JSON.stringify({
        ...header(serial, 1),
        orderId: 'order-1',
        orderUpdateId: 0,
        nodes: [
          { nodeId: start, sequenceId: 0, released: true, actions: [] },
          // Given by position only: the AGV finds the node through its map.
          {
            nodeId: 'goal',
            sequenceId: 2,
            released: true,
            nodePosition: { x: tx, y: ty, mapId: agv.map.mapId },
            actions: [],
          },
        ],
        edges: [
          { edgeId: 'e1', sequenceId: 1, released: true, startNodeId: start, endNodeId: 'goal', actions: [] },
        ],
      }),
    );
    const accepted = await until(
      () => stateOf(serial, from)?.orderId === 'order-1',
      20_000,
      'the order accepted',
    );
    expect(accepted).toBe(true);
    const done = await until(
      () => {
        const s = stateOf(serial, from);
        return s && s.lastNodeId === target.id && !s.driving && s.lastNodeSequenceId === 2 ? s : null;
      },
      120_000,
      `${serial} at ${target.id}`,
    );
    expect(done.nodeStates).toEqual([]);
    const [x, z] = vdaToPlant(agv.map, done.agvPosition?.x ?? 0, done.agvPosition?.y ?? 0, 0);
    expect(Math.hypot(x - target.position[0], z - target.position[1])).toBeLessThan(0.5);
  });

  it('docks and charges when the last node of an order carries startCharging, reporting the action RUNNING then FINISHED', async () => {
    const docksFree = () => {
      const taken = new Set(source('vda5050').agvs.map((a) => stateOf(a.serialNumber)?.lastNodeId));
      return layout.equipment
        .filter((e) => e.kind === 'charging-dock' && (e.props as { for?: string }).for === 'agv')
        .map((e) => (e.props as { node: string }).node)
        .filter((n) => !taken.has(n));
    };
    const pick = await until(
      () =>
        docksFree().length === 0
          ? null
          : source('vda5050')
              .agvs.map((a) => ({ a, s: stateOf(a.serialNumber) }))
              .find(
                ({ s }) =>
                  s && !s.paused && s.orderId === '' && s.errors.length === 0 && !s.batteryState.charging,
              ),
      60_000,
      'an AGV free for an order and a free dock',
    );
    const docks = docksFree();
    const serial = pick.a.serialNumber;
    const start = pick.s?.lastNodeId ?? '';
    const dock = docks[0];
    const from = bus.seen.length;
    await bus.client.publishAsync(
      `${VDA}/${serial}/order`,
      JSON.stringify({
        ...header(serial, 2),
        orderId: 'charge-order',
        orderUpdateId: 0,
        nodes: [
          { nodeId: start, sequenceId: 0, released: true, actions: [] },
          {
            nodeId: dock,
            sequenceId: 2,
            released: true,
            actions: [{ actionType: 'startCharging', actionId: 'charge-1', blockingType: 'HARD' }],
          },
        ],
        edges: [
          { edgeId: 'e1', sequenceId: 1, released: true, startNodeId: start, endNodeId: dock, actions: [] },
        ],
      }),
    );
    const status = () =>
      stateOf(serial, from)?.actionStates.find((a) => a.actionId === 'charge-1')?.actionStatus;
    await until(() => status() === 'WAITING', 20_000, 'the charge action waiting');
    const charged = await until(
      () => {
        const s = stateOf(serial, from);
        return status() === 'FINISHED' && s?.batteryState.charging ? s : null;
      },
      150_000,
      `${serial} charging at ${dock}`,
    );
    expect(charged.lastNodeId).toBe(dock);
    // Every state on the way said where the action stood, in order.
    const seen = bus
      .on(new RegExp(`^${VDA}/${serial}/state$`), from)
      .map(
        (m) => stateSchema.parse(json(m)).actionStates.find((a) => a.actionId === 'charge-1')?.actionStatus,
      )
      .filter((x, i, all) => x && x !== all[i - 1]);
    expect(seen).toEqual(['WAITING', 'RUNNING', 'FINISHED']);
  });

  it('refuses an order to a node off its map with a WARNING error, and keeps its order', async () => {
    const serial = source('vda5050').agvs[0].serialNumber;
    const before = stateOf(serial)?.orderId;
    const from = bus.seen.length;
    await bus.client.publishAsync(
      `${VDA}/${serial}/order`,
      JSON.stringify({
        ...header(serial, 9),
        orderId: 'nowhere',
        orderUpdateId: 0,
        nodes: [{ nodeId: 'no-such-node', sequenceId: 0, released: true, actions: [] }],
        edges: [],
      }),
    );
    const s = await until(
      () =>
        stateOf(serial, from)?.errors.find((e) => e.errorType === 'noRouteError') && stateOf(serial, from),
      20_000,
      'the refusal',
    );
    expect(s.orderId).toBe(before);
    expect(s.errors).toContainEqual(expect.objectContaining({ errorLevel: 'WARNING' }));
  });

  it('serves every mapped OPC UA variable with its value, source timestamp, EngineeringUnits and EURange', async () => {
    const ua = source('opcua');
    const client = OPCUAClient.create({
      endpointMustExist: false,
      connectionStrategy: { maxRetry: 3 },
      // Its own certificate store in a temporary folder, not the user's home.
      clientCertificateManager: new OPCUACertificateManager({
        rootFolder: mkdtempSync(join(tmpdir(), 'vp-client-pki-')),
      }),
    });
    const endpoint = `opc.tcp://127.0.0.1:${opcuaPort}`;
    await client.connect(endpoint);
    try {
      const endpoints = await client.getEndpoints();
      const modes = endpoints.map(
        (e) => `${MessageSecurityMode[e.securityMode]}/${(e.securityPolicyUri ?? '').split('#')[1]}`,
      );
      expect(modes).toEqual(expect.arrayContaining(['None/None', 'SignAndEncrypt/Basic256Sha256']));
      const session = await client.createSession();
      try {
        const nsArray = (await session.read({ nodeId: 'i=2255', attributeId: AttributeIds.Value })).value
          .value as string[];
        const ns = nsArray.indexOf('urn:plant-twin:virtual-plant');
        expect(ns).toBeGreaterThan(0);
        // The file names nodes by namespace URI; a client reads them by the server's index for it.
        const byIndex = (id: string) => id.replace(/^nsu=[^;]+;/, `ns=${ns};`);
        for (const item of ua.items) {
          const kind = kindOf.get(item.equipment) ?? 'transformer';
          expect(Object.keys(item.signals).sort()).toEqual(
            signalsOf(kind)
              .map((s) => s.key)
              .sort(),
          );
          for (const def of signalsOf(kind)) {
            const nodeId = byIndex(item.signals[def.key]);
            const dv = await session.read({ nodeId, attributeId: AttributeIds.Value });
            expect(dv.statusCode, `${nodeId}`).toBe(StatusCodes.Good);
            expect(dv.value.dataType).toBe(UaDataType.Double);
            expect(dv.value.value).toBeGreaterThanOrEqual(def.min);
            expect(dv.value.value).toBeLessThanOrEqual(def.max);
            expect(Math.abs((dv.sourceTimestamp?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
            const [eu, range] = await session.translateBrowsePath([
              makeBrowsePath(nodeId, '.EngineeringUnits'),
              makeBrowsePath(nodeId, '.EURange'),
            ]);
            const euValue = (
              await session.read({ nodeId: eu.targets?.[0].targetId, attributeId: AttributeIds.Value })
            ).value.value;
            // An empty LocalizedText comes back as null (dimensionless counts).
            expect(euValue.displayName.text ?? '', `${nodeId} unit`).toBe(def.unit);
            expect(euValue.unitId).toBeGreaterThan(0);
            const rangeValue = (
              await session.read({ nodeId: range.targets?.[0].targetId, attributeId: AttributeIds.Value })
            ).value.value;
            expect(rangeValue).toMatchObject({ low: def.min, high: def.max });
          }
          const state = await session.read({
            nodeId: byIndex(item.state?.node ?? ''),
            attributeId: AttributeIds.Value,
          });
          expect(Object.keys(STATE_MAP)).toContain(state.value.value);
        }
      } finally {
        await session.close();
      }
    } finally {
      await client.disconnect();
    }
  });

  it('offers SignAndEncrypt for real: an unknown client certificate is refused until it is moved to the trusted folder', async () => {
    const endpoint = `opc.tcp://127.0.0.1:${opcuaPort}`;
    // The client trusts the server's certificate (as an installer would); the server must be told too.
    const clientPki = new OPCUACertificateManager({
      rootFolder: mkdtempSync(join(tmpdir(), 'vp-client-pki-')),
    });
    await clientPki.initialize();
    const probe = OPCUAClient.create({ endpointMustExist: false, clientCertificateManager: clientPki });
    await probe.connect(endpoint);
    const serverCert = (await probe.getEndpoints()).find(
      (e) => e.serverCertificate?.length,
    )?.serverCertificate;
    await probe.disconnect();
    if (!serverCert) throw new Error('the server sent no certificate');
    await clientPki.trustCertificate(serverCert);
    const client = OPCUAClient.create({
      endpointMustExist: false,
      securityMode: MessageSecurityMode.SignAndEncrypt,
      securityPolicy: SecurityPolicy.Basic256Sha256,
      connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
      clientCertificateManager: clientPki,
    });
    const read = async () => {
      await client.connect(endpoint);
      try {
        const session = await client.createSession();
        const ns = (
          (await session.read({ nodeId: 'i=2255', attributeId: AttributeIds.Value })).value.value as string[]
        ).indexOf('urn:plant-twin:virtual-plant');
        const dv = await session.read({
          nodeId: `ns=${ns};s=TX-01.oilTemp`,
          attributeId: AttributeIds.Value,
        });
        await session.close();
        return dv;
      } finally {
        await client.disconnect();
      }
    };
    await expect(read()).rejects.toThrow();
    const rejected = await until(
      () => {
        const dir = join(pki, 'rejected');
        const files = existsSync(dir) ? readdirSync(dir) : [];
        return files.length ? files : null;
      },
      15_000,
      'the client certificate in rejected/',
    );
    for (const f of rejected) renameSync(join(pki, 'rejected', f), join(pki, 'trusted', 'certs', f));
    const dv = await until(() => read().catch(() => null), 30_000, 'a trusted, encrypted read');
    expect(dv.statusCode).toBe(StatusCodes.Good);
    expect(typeof dv.value.value).toBe('number');
  });

  it('publishes unified-namespace JSON for drones, racks and feeders that the mapped paths read', async () => {
    const uns = source('mqtt-json');
    const from = bus.seen.length;
    await until(
      () => uns.topics.every((t) => bus.on(new RegExp(`^${t.topic}$`), from).length),
      15_000,
      'a message on every topic',
    );
    for (const t of uns.topics) {
      const doc = json(bus.on(new RegExp(`^${t.topic}$`), from)[0]);
      expect(Math.abs((doc.ts as number) - Date.now())).toBeLessThan(60_000);
      const kind = kindOf.get(t.equipment) ?? 'rack';
      // Every signal the device sends is mapped, and every mapped path finds a value.
      expect(Object.keys(doc.telemetry as object).sort()).toEqual(
        signalsOf(kind)
          .map((s) => s.key)
          .sort(),
      );
      for (const [field, path] of Object.entries(t.fields)) {
        const c = compileJsonPath(path);
        if (!c.ok) throw new Error(c.error);
        const v = readJsonPath(doc, c.steps);
        if (field === 'state') expect(Object.keys(t.stateMap ?? {})).toContain(v);
        else expect(typeof v, `${t.topic} ${field}`).toBe('number');
      }
    }
  });

  it('fires its Wills when killed: NDEATH with the births bdSeq per node and CONNECTIONBROKEN per AGV', async () => {
    const bdSeqs = new Map(['L1', 'L2', 'L3'].map((n) => [n, bdSeqOf(latestBirth(n) as Seen)]));
    const from = bus.seen.length;
    await vp.kill(); // SIGKILL: no chance to say goodbye
    await until(
      () => ['L1', 'L2', 'L3'].every((n) => bus.on(new RegExp(`^${SP}/NDEATH/${n}$`), from).length),
      30_000,
      'the NDEATH Wills',
    );
    for (const [n, bdSeq] of bdSeqs)
      expect(bdSeqOf(bus.on(new RegExp(`^${SP}/NDEATH/${n}$`), from)[0])).toBe(bdSeq);
    const agvs = source('vda5050').agvs;
    await until(
      () => agvs.every((a) => bus.on(new RegExp(`^${VDA}/${a.serialNumber}/connection$`), from).length),
      30_000,
      'the CONNECTIONBROKEN Wills',
    );
    for (const a of agvs)
      expect(json(bus.on(new RegExp(`^${VDA}/${a.serialNumber}/connection$`), from)[0]).connectionState).toBe(
        'CONNECTIONBROKEN',
      );
  });
});

describe.skipIf(!hasMosquitto)('the virtual plant process', { timeout: SLOW_MS }, () => {
  it('says what is wrong and exits 2 on bad arguments', async () => {
    const bad = async (args: string[]) => {
      const p = spawnVirtualPlant(args);
      const { code } = await p.exited;
      return { code, out: p.output() };
    };
    expect(await bad([])).toMatchObject({ code: 2, out: expect.stringContaining('--broker: required') });
    expect(await bad(['--broker', 'http://x:1'])).toMatchObject({
      code: 2,
      out: expect.stringContaining('--broker: expected mqtt://'),
    });
    expect(
      await bad(['--broker', 'mqtt://127.0.0.1:1', '--faults', 'L1-C1:joint-overheat@20']),
    ).toMatchObject({
      code: 2,
      out: expect.stringContaining('"L1-C1" is a conveyor; joint-overheat fits robot-arm'),
    });
    expect(await bad(['--broker', 'mqtt://127.0.0.1:1', '--plant', '/nonexistent.json'])).toMatchObject({
      code: 2,
    });
  });

  it('logs an unreachable broker once per link, not once per retry, and keeps retrying', async () => {
    const p = spawnVirtualPlant(['--broker', `mqtt://127.0.0.1:${await freePort()}`, '--opcua-port', '0']);
    const failures = () =>
      p
        .output()
        .split('\n')
        .filter((l) => l.includes('broker connection failed')).length;
    // 3 edge nodes + 8 AGVs + the unified namespace: 12 links.
    await until(() => failures() >= 12, 30_000, 'a failure line per link');
    // Retries every second go on quietly (a few retry periods).
    await new Promise((r) => setTimeout(r, 3000));
    expect(failures()).toBe(12);
    expect(p.child.exitCode).toBeNull();
  });

  it('on SIGTERM publishes NDEATH and connection OFFLINE itself and exits 0', async () => {
    const mosq = await startMosquitto();
    const bus = await listen(mosq.url, ['spBv1.0/+/NBIRTH/+', 'spBv1.0/+/NDEATH/+', 'uagv/+/+/+/connection']);
    try {
      const p = spawnVirtualPlant(['--broker', mosq.url, '--opcua-port', '0']);
      await virtualPlantReady(p);
      await until(
        () => bus.on(/NBIRTH\/L3$/).length && bus.on(/AGV-08\/connection$/).length,
        30_000,
        'births',
      );
      const bdSeq = bdSeqOfAny(bus.on(/NBIRTH\/L3$/)[0]);
      const from = bus.seen.length;
      p.child.kill('SIGTERM');
      expect((await p.exited).code).toBe(0);
      const death = await until(() => bus.on(/NDEATH\/L3$/, from)[0], 15_000, 'NDEATH');
      expect(bdSeqOfAny(death)).toBe(bdSeq);
      const offline = await until(() => bus.on(/AGV-08\/connection$/, from)[0], 15_000, 'OFFLINE');
      expect(json(offline).connectionState).toBe('OFFLINE');
      // The Will did not fire as well: nothing says CONNECTIONBROKEN.
      await new Promise((r) => setTimeout(r, 500));
      expect(bus.on(/connection$/, from).map((m) => json(m).connectionState)).not.toContain(
        'CONNECTIONBROKEN',
      );
    } finally {
      await bus.close();
      await mosq.stop();
    }
  });
});

function bdSeqOfAny(m: Seen) {
  return sp(m).metrics.find((x) => x.name === 'bdSeq')?.value;
}

describe.skipIf(!hasMosquitto)('the virtual plant across a broker restart', { timeout: SLOW_MS }, () => {
  it('births again with the next bdSeq after reconnecting, and its Will then carries that bdSeq', async () => {
    const mosq = await startMosquitto();
    let bus = await listen(mosq.url, ['spBv1.0/+/NBIRTH/+']);
    try {
      const p = spawnVirtualPlant(['--broker', mosq.url, '--opcua-port', '0']);
      await virtualPlantReady(p);
      const first = bdSeqOfAny(await until(() => bus.on(/NBIRTH\/L1$/)[0], 30_000, 'the first NBIRTH'));
      await bus.close();
      await mosq.stop();
      await mosq.start();
      bus = await listen(mosq.url, ['spBv1.0/+/NBIRTH/+', 'spBv1.0/+/NDEATH/+']);
      // Ask for a birth, so this subscriber sees one whenever the node reconnected.
      await until(
        async () => {
          await bus.client.publishAsync(
            `${SP}/NCMD/L1`,
            Buffer.from(
              encodePayload({
                metrics: [{ name: 'Node Control/Rebirth', datatype: DataType.Boolean, value: true }],
              }),
            ),
          );
          await new Promise((r) => setTimeout(r, 300));
          return bus.on(/NBIRTH\/L1$/).length > 0;
        },
        30_000,
        'an NBIRTH after the restart',
      );
      const second = bdSeqOfAny(bus.on(/NBIRTH\/L1$/).at(-1) as Seen);
      expect(second).toBe(((first as number) + 1) % 256);
      await p.kill();
      const death = await until(() => bus.on(/NDEATH\/L1$/)[0], 30_000, 'the NDEATH Will');
      expect(bdSeqOfAny(death)).toBe(second);
    } finally {
      await bus.close();
      await mosq.stop();
    }
  });
});

describe.skipIf(!hasMosquitto)('the twin reading the virtual plant', { timeout: SLOW_MS }, () => {
  it('takes the unified-namespace part of virtual-plant.yaml today: racks, feeders and drones live and good in the twin', async () => {
    const mosq = await startMosquitto();
    try {
      const p = spawnVirtualPlant(['--broker', mosq.url, '--opcua-port', '0']);
      await virtualPlantReady(p);
      // Only the mqtt-json source: the kind this twin runs without the other adapters.
      const uns = { sources: [{ ...source('mqtt-json'), broker: mosq.url }], unmapped: 'offline' };
      const dir = tempDataDir();
      const file = join(dir, 'sources.json');
      writeFileSync(file, JSON.stringify(uns));
      const password = await addUserTo(dir, 'op-vp', 'operator');
      const main = await startMain(dir, ['--host', '127.0.0.1', '--sources', file]);
      const token = await loginAt(main.url, 'op-vp', password);
      const read = async (id: string) => {
        const res = await fetch(`${main.url}/api/equipment/${id}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        return ((await res.json()) as EquipmentAnswer).equipment;
      };
      for (const t of source('mqtt-json').topics) {
        const e = await until(
          async () => {
            const d = await read(t.equipment);
            return d.quality === 'good' && d.receivedAt !== null ? d : null;
          },
          30_000,
          `${t.equipment} fed by the virtual plant`,
        );
        expect(e.source).toBe('uns');
        expect(e.state).not.toBe('offline');
        expect(Object.keys(e.values).sort()).toEqual(
          Object.keys(t.fields)
            .filter((k) => k !== 'state')
            .sort(),
        );
      }
      const sourcesRes = await fetch(`${main.url}/api/sources`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const health = ((await sourcesRes.json()) as SourcesAnswer).sources[0];
      // Nothing the virtual plant sent was refused by the twin's checks (types, ranges, timestamps, states).
      expect(health).toMatchObject({ status: 'connected', errors: 0, lastError: null });
    } finally {
      await mosq.stop();
    }
  }, 120_000);
});
