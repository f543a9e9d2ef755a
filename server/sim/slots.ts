import { type EquipmentKind, signalIndex } from '../../protocol';

/**
 * Signal slots (index into EquipmentRuntime.signals) resolved once from the catalog, so the hot
 * loops write `sig[AGV.battery]` instead of searching by key. A key missing from the catalog is a
 * contract break and fails at load.
 */
function slot(kind: EquipmentKind, key: string): number {
  const i = signalIndex(kind, key);
  if (i < 0) throw new Error(`signal catalog has no "${key}" for ${kind}`);
  return i;
}

/** robot-arm: j1..j6 at ARM.joint + k, motor temps at ARM.jointTemp + k. */
export const ARM = {
  joint: slot('robot-arm', 'j1'),
  jointTemp: slot('robot-arm', 'j1Temp'),
  current: slot('robot-arm', 'current'),
  cycleTime: slot('robot-arm', 'cycleTime'),
  cycles: slot('robot-arm', 'cycles'),
  vibration: slot('robot-arm', 'vibration'),
} as const;

/** agv: speed, battery, payload and 5G link. */
export const AGV = {
  speed: slot('agv', 'speed'),
  battery: slot('agv', 'battery'),
  payload: slot('agv', 'payload'),
  rsrp: slot('agv', 'rsrp'),
  sinr: slot('agv', 'sinr'),
  latency: slot('agv', 'latency'),
} as const;

/** drone: flight, battery, rotors, IR reading and 5G link. */
export const DRONE = {
  speed: slot('drone', 'speed'),
  altitude: slot('drone', 'altitude'),
  battery: slot('drone', 'battery'),
  rotorRpm: slot('drone', 'rotorRpm'),
  surfaceTemp: slot('drone', 'surfaceTemp'),
  rsrp: slot('drone', 'rsrp'),
  sinr: slot('drone', 'sinr'),
  latency: slot('drone', 'latency'),
} as const;

/** conveyor: belt, product phase, throughput, drive. */
export const CONV = {
  beltSpeed: slot('conveyor', 'beltSpeed'),
  offset: slot('conveyor', 'offset'),
  throughput: slot('conveyor', 'throughput'),
  motorTemp: slot('conveyor', 'motorTemp'),
  motorCurrent: slot('conveyor', 'motorCurrent'),
  carried: slot('conveyor', 'carried'),
  vibration: slot('conveyor', 'vibration'),
} as const;

/** vision-station: counters, defect rate, camera stream, inference, focus. */
export const VIS = {
  inspected: slot('vision-station', 'inspected'),
  rejects: slot('vision-station', 'rejects'),
  defectRate: slot('vision-station', 'defectRate'),
  uplink: slot('vision-station', 'uplink'),
  inferenceMs: slot('vision-station', 'inferenceMs'),
  focus: slot('vision-station', 'focus'),
} as const;

/** base-station: attachment, load, throughput, latency. */
export const CELL = {
  attached: slot('base-station', 'attached'),
  ulLoad: slot('base-station', 'ulLoad'),
  dlLoad: slot('base-station', 'dlLoad'),
  ulMbps: slot('base-station', 'ulMbps'),
  dlMbps: slot('base-station', 'dlMbps'),
  latency: slot('base-station', 'latency'),
} as const;

/** edge-server: load, inference rate, inlet temperature. */
export const MEC = {
  cpu: slot('edge-server', 'cpu'),
  gpu: slot('edge-server', 'gpu'),
  inferences: slot('edge-server', 'inferences'),
  temp: slot('edge-server', 'temp'),
} as const;

/** charging-dock: power and occupancy. */
export const DOCK = {
  power: slot('charging-dock', 'power'),
  occupied: slot('charging-dock', 'occupied'),
} as const;

/** transformer: load and temperatures. */
export const TX = {
  load: slot('transformer', 'load'),
  oilTemp: slot('transformer', 'oilTemp'),
  windingTemp: slot('transformer', 'windingTemp'),
} as const;

/** rack: pallets stored. */
export const RACK = { stock: slot('rack', 'stock') } as const;

/** feeder: parts level and pallets received. */
export const FEEDER = { level: slot('feeder', 'level'), delivered: slot('feeder', 'delivered') } as const;
