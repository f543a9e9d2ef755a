import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  DataType,
  MessageSecurityMode,
  makeEUInformation,
  type Namespace,
  OPCUACertificateManager,
  OPCUAServer,
  SecurityPolicy,
  type StatusCode,
  StatusCodes,
  standardUnits,
  type UAVariable,
  Variant,
} from 'node-opcua';

/** The namespace URI of the test server's machines. */
export const NS = 'urn:plant:test';
/** A node id of the test namespace as the sources file writes it. */
export const nsu = (s: string) => `nsu=${NS};s=${s}`;

/** Machine state codes the test PLC uses (mapped in the sources file). */
export const PLC_STATE = { running: 1, idle: 2, fault: 3 } as const;

/** What the test saw arrive on the server side (method calls and writes). */
export interface Observed {
  calls: string[];
  writes: { node: string; value: unknown; dataType: string }[];
}

/** Options of a test server start. */
export interface UaServerOptions {
  /** Folder for the server's PKI (kept across restarts: the same certificate). */
  dir: string;
  /** 0: a free port. */
  port?: number;
  /** Register another namespace first, so the test namespace gets another index. */
  shiftNamespaces?: boolean;
  /** Offer only SignAndEncrypt with Basic256Sha256 (no unsecured endpoint at all). */
  secureOnly?: boolean;
  /** Accept only this user (and no anonymous session) when given. */
  user?: { name: string; password: string };
}

/**
 * A real node-opcua server with a small plant in the namespace `urn:plant:test`: analog items with
 * EURange/EngineeringUnits, a machine state, a fuzz variable of any type, methods (Start works,
 * Stop answers BadInvalidState) and writable command variables. It accepts any client certificate
 * (the test is about the client trusting the server).
 */
export async function startUaServer(opts: UaServerOptions) {
  const cm = new OPCUACertificateManager({
    rootFolder: join(opts.dir, 'server-pki'),
    automaticallyAcceptUnknownCertificate: true,
  });
  await cm.initialize();
  const user = opts.user;
  const server = new OPCUAServer({
    port: opts.port ?? 0,
    serverCertificateManager: cm,
    allowAnonymous: !user,
    ...(opts.secureOnly
      ? {
          securityModes: [MessageSecurityMode.SignAndEncrypt],
          securityPolicies: [SecurityPolicy.Basic256Sha256],
        }
      : {}),
    // Every change goes out when a client asks for sampling interval 0 (the fuzz test counts them).
    serverCapabilities: { minSupportedSampleRate: 0 },
    userManager: user
      ? { isValidUser: (name: string, password: string) => name === user.name && password === user.password }
      : undefined,
  });
  await server.initialize();
  const space = server.engine.addressSpace;
  if (!space) throw new Error('no address space');
  if (opts.shiftNamespaces) space.registerNamespace('urn:plant:another');
  const ns = space.registerNamespace(NS);
  const observed: Observed = { calls: [], writes: [] };
  const vars = buildPlant(ns, space.rootFolder.objects, observed);
  await server.start();
  const port = server.endpoints[0].port;
  const set = (
    name: keyof typeof vars,
    value: Variant,
    status: StatusCode = StatusCodes.Good,
    ts = new Date(),
  ) => vars[name].setValueFromSource(value, status, ts);
  return {
    server,
    port,
    url: `opc.tcp://127.0.0.1:${port}`,
    vars,
    observed,
    set,
    /** The server's own certificate (PEM). */
    certificateFile: server.certificateFile,
    /** Copies the server's certificate into a client PKI's trust list. */
    trustIn(pki: string) {
      const to = join(pki, 'trusted', 'certs');
      mkdirSync(to, { recursive: true });
      copyFileSync(server.certificateFile, join(to, 'test-server.pem'));
    },
    async stop() {
      await server.shutdown(0);
      await cm.dispose();
    },
  };
}

export type UaServer = Awaited<ReturnType<typeof startUaServer>>;

const double = (v: number) => new Variant({ dataType: DataType.Double, value: v });

function buildPlant(
  ns: Namespace,
  objects: Parameters<Namespace['addObject']>[0]['organizedBy'],
  seen: Observed,
) {
  const c1 = ns.addObject({ organizedBy: objects, browseName: 'L1-C1', nodeId: 's=L1-C1' });
  const analog = (
    id: string,
    range: [number, number],
    unit: ReturnType<typeof makeEUInformation>,
    value: number,
  ) => {
    const v = ns.addAnalogDataItem({
      organizedBy: objects,
      browseName: id,
      nodeId: `s=${id}`,
      dataType: 'Double',
      engineeringUnitsRange: { low: range[0], high: range[1] },
      engineeringUnits: unit,
      minimumSamplingInterval: 0,
    });
    v.setValueFromSource(double(value));
    return v;
  };
  const state = ns.addVariable({
    componentOf: c1,
    browseName: 'State',
    nodeId: 's=L1-C1.State',
    dataType: 'Int32',
    minimumSamplingInterval: 0,
  });
  state.setValueFromSource(new Variant({ dataType: DataType.Int32, value: PLC_STATE.idle }));
  const setState = (code: number) =>
    state.setValueFromSource(new Variant({ dataType: DataType.Int32, value: code }));
  const command = (id: string, dataType: 'Boolean' | 'Int16', onWrite: (v: Variant) => void) => {
    let current = new Variant({ dataType: DataType[dataType], value: dataType === 'Boolean' ? false : 0 });
    return ns.addVariable({
      componentOf: c1,
      browseName: id,
      nodeId: `s=L1-C1.${id}`,
      dataType,
      accessLevel: 'CurrentRead | CurrentWrite',
      userAccessLevel: 'CurrentRead | CurrentWrite',
      // Read through a getter: sampled, not exception-based (node-opcua warns about 0 here).
      minimumSamplingInterval: 100,
      value: {
        get: () => current,
        set: (v: Variant) => {
          current = v;
          seen.writes.push({ node: id, value: v.value, dataType: DataType[v.dataType] });
          onWrite(v);
          return StatusCodes.Good;
        },
      },
    });
  };
  command('EStop', 'Boolean', (v) => v.value === true && setState(PLC_STATE.fault));
  command('ResetCmd', 'Int16', () => setState(PLC_STATE.idle));
  const method = (id: string, answer: StatusCode, effect?: () => void) => {
    const m = ns.addMethod(c1, {
      browseName: id,
      nodeId: `s=L1-C1.${id}`,
      inputArguments: [],
      outputArguments: [],
    });
    m.bindMethod((_args, _context, callback) => {
      seen.calls.push(id);
      if (answer.isGood()) effect?.();
      callback(null, { statusCode: answer });
    });
  };
  method('Start', StatusCodes.Good, () => setState(PLC_STATE.running));
  method('Stop', StatusCodes.BadInvalidState);
  const c2cmd = ns.addVariable({
    organizedBy: objects,
    browseName: 'L2-C1.Run',
    nodeId: 's=L2-C1.Run',
    dataType: 'Boolean',
    accessLevel: 'CurrentRead | CurrentWrite',
    userAccessLevel: 'CurrentRead | CurrentWrite',
    minimumSamplingInterval: 100,
    value: {
      get: () => new Variant({ dataType: DataType.Boolean, value: false }),
      set: (v: Variant) => {
        seen.writes.push({ node: 'L2-C1.Run', value: v.value, dataType: DataType[v.dataType] });
        return StatusCodes.Good;
      },
    },
  });
  const fuzz = ns.addVariable({
    organizedBy: objects,
    browseName: 'L1-C3.BeltSpeed',
    nodeId: 's=L1-C3.BeltSpeed',
    dataType: 'BaseDataType',
    minimumSamplingInterval: 0,
  });
  fuzz.setValueFromSource(double(0.5));
  return {
    beltSpeed: analog('L1-C1.BeltSpeed', [0, 2], standardUnits.metre_per_second, 0.4),
    motorTemp: analog('L1-C1.MotorTemp', [0, 120], standardUnits.degree_celsius, 40),
    /** In mm/s: the catalog's beltSpeed is in m/s (the unit check warns). */
    mmSpeed: analog(
      'L1-C2.BeltSpeed',
      [0, 2000],
      makeEUInformation('C16', 'mm/s', 'millimetre per second'),
      1.5,
    ),
    calm: analog('L2-C1.BeltSpeed', [0, 2], standardUnits.metre_per_second, 0.33),
    state,
    fuzz,
    c2cmd,
  } satisfies Record<string, UAVariable>;
}
