import {
  DataType,
  MessageSecurityMode,
  type Namespace,
  OPCUACertificateManager,
  OPCUAServer,
  SecurityPolicy,
  StatusCodes,
  type UAVariable,
  Variant,
} from 'node-opcua';
import { MACHINE_STATES, type MachineState, signalsOf } from '../../protocol';
import type { EquipmentRuntime } from '../sim/types';
import { OPCUA_NAMESPACE, opcuaNodeName, STATE_TEXT } from './protocolSplit';
import { engineeringUnits } from './units';

/** One published variable and the catalog slot it reads (-1: the state). */
interface Published {
  eq: EquipmentRuntime;
  sig: number;
  variable: UAVariable;
  /** Value last set (state as its code): unchanged values keep their source timestamp. */
  last: number;
}

/** Fastest rate a client may sample at, ms (the plant steps every 100 ms). */
const MIN_SAMPLING_MS = 100;

/**
 * The OPC UA server of the infrastructure (transformers, 5G cells, edge servers, chargers): a
 * folder `VirtualPlant` with an object per machine, each signal an AnalogItem (`s=<ID>.<signal>` in
 * namespace OPCUA_NAMESPACE) with EngineeringUnits and EURange from the catalog, and `s=<ID>.State`
 * (String). Values are set from the simulation every tick with the tick's wall time as source
 * timestamp. Offers SecurityMode None and SignAndEncrypt (Basic256Sha256); anonymous login. Client
 * certificates are not trusted automatically: a client that connects with SignAndEncrypt lands in
 * `<pki>/rejected` until moved to `<pki>/trusted/certs`.
 */
export class OpcuaPlantServer {
  private server: OPCUAServer | null = null;
  private readonly published: Published[] = [];

  constructor(
    private readonly equipment: EquipmentRuntime[],
    private readonly port: number,
    private readonly host: string,
    private readonly pkiFolder: string,
  ) {}

  /** Starts listening; resolves with the endpoint URL. */
  async start(): Promise<string> {
    const certs = new OPCUACertificateManager({
      rootFolder: this.pkiFolder,
      automaticallyAcceptUnknownCertificate: false,
    });
    await certs.initialize();
    const server = new OPCUAServer({
      port: this.port,
      hostname: this.host,
      resourcePath: '/',
      serverCertificateManager: certs,
      securityModes: [MessageSecurityMode.None, MessageSecurityMode.SignAndEncrypt],
      securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
      allowAnonymous: true,
      buildInfo: { productName: 'Plant Twin virtual plant', manufacturerName: 'Plant Twin' },
      serverInfo: { applicationUri: 'urn:plant-twin:virtual-plant:server', productUri: OPCUA_NAMESPACE },
    });
    await server.initialize();
    const addressSpace = server.engine.addressSpace;
    if (!addressSpace) throw new Error('OPC UA server has no address space');
    const ns = addressSpace.registerNamespace(OPCUA_NAMESPACE);
    const folder = ns.addFolder(addressSpace.rootFolder.objects, { browseName: 'VirtualPlant' });
    for (const eq of this.equipment) this.addEquipment(ns, folder, eq);
    await server.start();
    this.server = server;
    return server.getEndpointUrl();
  }

  private addEquipment(
    ns: Namespace,
    folder: Parameters<Namespace['addObject']>[0]['organizedBy'],
    eq: EquipmentRuntime,
  ): void {
    const obj = ns.addObject({ organizedBy: folder, browseName: eq.id, nodeId: `s=${eq.id}` });
    signalsOf(eq.kind).forEach((d, sig) => {
      const variable = ns.addAnalogDataItem({
        componentOf: obj,
        browseName: d.key,
        displayName: d.label,
        nodeId: `s=${opcuaNodeName(eq.id, d.key)}`,
        dataType: 'Double',
        engineeringUnitsRange: { low: d.min, high: d.max },
        engineeringUnits: engineeringUnits(d.unit),
        minimumSamplingInterval: MIN_SAMPLING_MS,
      });
      this.published.push({ eq, sig, variable, last: Number.NaN });
    });
    const state = ns.addVariable({
      componentOf: obj,
      browseName: 'State',
      nodeId: `s=${opcuaNodeName(eq.id, 'State')}`,
      dataType: 'String',
      minimumSamplingInterval: MIN_SAMPLING_MS,
    });
    this.published.push({ eq, sig: -1, variable: state, last: Number.NaN });
  }

  /** Sets every changed value with the tick's wall time as its source timestamp. */
  tick(nowMs: number): void {
    if (!this.server) return;
    const ts = new Date(nowMs);
    for (const p of this.published) {
      const raw = p.sig < 0 ? p.eq.state : p.eq.signals[p.sig];
      if (raw === p.last) continue;
      p.last = raw;
      const value =
        p.sig < 0
          ? new Variant({
              dataType: DataType.String,
              value: STATE_TEXT[MACHINE_STATES[raw] as MachineState] ?? 'OFFLINE',
            })
          : new Variant({ dataType: DataType.Double, value: raw });
      p.variable.setValueFromSource(value, StatusCodes.Good, ts);
    }
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await s.shutdown(0);
  }
}
