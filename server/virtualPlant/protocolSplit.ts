import type { EquipmentKind, Layout, MachineState } from '../../protocol';
import type { MapTransform } from '../ingest/vda5050/messages';

/**
 * Which protocol the virtual plant speaks for each piece of equipment, and the names it uses on
 * each (Sparkplug node/device/metric names, VDA 5050 topics and map, OPC UA node ids, unified
 * namespace topics). The publishers and the sources file they are read back with (sourcesFor.ts,
 * assets/sources/virtual-plant.yaml) both take their names from here, so they cannot drift apart.
 */

export type VirtualProtocol = 'sparkplug' | 'vda5050' | 'opcua' | 'mqtt-json';

/** The protocol of each equipment kind, as a plant of this kind would typically wire it. */
export const PROTOCOL_OF: Readonly<Record<EquipmentKind, VirtualProtocol>> = {
  // Line machines: PLCs behind a Sparkplug B edge gateway, one edge node per line.
  'robot-arm': 'sparkplug',
  conveyor: 'sparkplug',
  'vision-station': 'sparkplug',
  // Mobile robots: the fleet speaks VDA 5050.
  agv: 'vda5050',
  // Infrastructure with its own OPC UA server (substation, network, IT, chargers).
  transformer: 'opcua',
  'base-station': 'opcua',
  'edge-server': 'opcua',
  'charging-dock': 'opcua',
  // Everything else reports into the plant's unified namespace as JSON.
  drone: 'mqtt-json',
  rack: 'mqtt-json',
  feeder: 'mqtt-json',
};

/** Sparkplug group of every edge node. */
export const SPARKPLUG_GROUP = 'PlantTwin';
/** Edge node of line machines that belong to no line. */
export const LOOSE_NODE = 'Cell';
/** Host application id the sources file gives the twin. */
export const SPARKPLUG_HOST_ID = 'plant-twin';

/** The edge node (one per production line) of a line machine. */
export function sparkplugNodeOf(layout: Layout, equipmentId: string): string {
  const own = layout.equipment.find((e) => e.id === equipmentId)?.line;
  return own ?? layout.lines.find((l) => l.flow.includes(equipmentId))?.id ?? LOOSE_NODE;
}

/** Sparkplug metric of a signal (a folder per concern, as edge gateways name tags). */
export function metricOf(signal: string): string {
  return `Telemetry/${signal}`;
}
/** Sparkplug metric that carries the machine state (a String of STATE_TEXT). */
export const STATE_METRIC = 'State';
/** Writable Boolean metrics of the machine commands, as DCMD takes them. */
export const CONTROL_METRICS = {
  start: 'Control/Start',
  stop: 'Control/Stop',
  reset: 'Control/Reset',
  'e-stop': 'Control/EStop',
} as const;

/** Machine state as the devices spell it (PLC-style upper case), mapped back in the sources file. */
export const STATE_TEXT: Readonly<Record<MachineState, string>> = {
  running: 'RUNNING',
  idle: 'IDLE',
  blocked: 'BLOCKED',
  starved: 'STARVED',
  fault: 'FAULT',
  maintenance: 'MAINTENANCE',
  offline: 'OFFLINE',
};
/** STATE_TEXT inverted: the state map of the sources file. */
export const STATE_MAP: Readonly<Record<string, MachineState>> = Object.fromEntries(
  Object.entries(STATE_TEXT).map(([k, v]) => [v, k as MachineState]),
);

/** VDA 5050 topic prefix parts. */
export const VDA_INTERFACE = 'uagv';
export const VDA_MAJOR = 'v2';
export const VDA_VERSION = '2.0.0';
export const VDA_MANUFACTURER = 'PlantTwin';
/**
 * The AGVs' map frame: rotated and offset against the plant's (x, z) so that a wrong transform on
 * either side shows as a pose far off the paths.
 */
export const VDA_MAP: MapTransform & { mapId: string } = { mapId: 'hall', origin: [5, -3], rotationDeg: 90 };

/** OPC UA namespace of the virtual plant's variables. */
export const OPCUA_NAMESPACE = 'urn:plant-twin:virtual-plant';
/** Default OPC UA port (the IANA port of opc.tcp). */
export const OPCUA_DEFAULT_PORT = 4840;
/** String node id (inside OPCUA_NAMESPACE) of a signal, or of the state with signal 'State'. */
export function opcuaNodeName(equipmentId: string, signal: string): string {
  return `${equipmentId}.${signal}`;
}
/** The node id with its namespace URI, as sources files write it. */
export function opcuaNodeId(equipmentId: string, signal: string): string {
  return `nsu=${OPCUA_NAMESPACE};s=${opcuaNodeName(equipmentId, signal)}`;
}

/** Root of the unified namespace topics. */
export const UNS_ROOT = 'planttwin';
/** `planttwin/<area>/<id>`: area is the equipment's zone id in lower case. */
export function unsTopic(zone: string, equipmentId: string): string {
  return `${UNS_ROOT}/${zone.toLowerCase()}/${equipmentId}`;
}
