import type { EquipmentKind } from './kinds';

/**
 * The signal catalog: for each equipment kind, the ordered list of signals it reports.
 * The order is the order on the wire; `min`/`max` is the encoding range (values are clamped to
 * it and quantized to 16 bits), `normal` the range an operator expects in normal operation.
 * Counters (`enc: 'u32'`) are sent as whole numbers.
 */
export interface SignalDef {
  /** Stable key, camelCase; used in code, alarm rules and the inspector. */
  readonly key: string;
  /** Human label for the inspector. */
  readonly label: string;
  /** Unit symbol ('' for dimensionless counts). */
  readonly unit: string;
  /** Encoding range; values outside are clamped. */
  readonly min: number;
  readonly max: number;
  /** Normal operating range (inclusive). */
  readonly normal: readonly [number, number];
  /** 'q16': 16-bit quantized over [min, max]; 'u32': unsigned integer counter. */
  readonly enc: 'q16' | 'u32';
  /** Decimals to show. */
  readonly decimals: number;
  /** Key signals get a trend in the inspector. */
  readonly trend?: boolean;
}

function q(
  key: string,
  label: string,
  unit: string,
  min: number,
  max: number,
  normal: [number, number],
  decimals: number,
  trend = false,
): SignalDef {
  return { key, label, unit, min, max, normal, enc: 'q16', decimals, trend };
}

function counter(key: string, label: string, unit = ''): SignalDef {
  return { key, label, unit, min: 0, max: 0xffffffff, normal: [0, 0xffffffff], enc: 'u32', decimals: 0 };
}

const JOINT_NAMES = ['J1 base', 'J2 shoulder', 'J3 elbow', 'J4 wrist roll', 'J5 wrist pitch', 'J6 flange'];

/** 5G link quality of a mobile device (3GPP RSRP / SINR scale). */
const LINK_SIGNALS: SignalDef[] = [
  q('rsrp', '5G RSRP', 'dBm', -140, -40, [-105, -40], 0),
  q('sinr', '5G SINR', 'dB', -10, 40, [5, 40], 1),
  q('latency', '5G latency', 'ms', 0, 200, [0, 20], 1, true),
];

const CATALOG: Record<EquipmentKind, readonly SignalDef[]> = {
  'robot-arm': [
    ...JOINT_NAMES.map((n, i) =>
      q(`j${i + 1}`, `${n} angle`, 'rad', -Math.PI, Math.PI, [-Math.PI, Math.PI], 2),
    ),
    ...JOINT_NAMES.map((n, i) =>
      q(`j${i + 1}Temp`, `${n} motor temp`, '°C', 0, 150, [20, 80], 1, i === 1 || i === 2),
    ),
    q('current', 'Motor current', 'A', 0, 40, [0, 25], 1, true),
    q('cycleTime', 'Last cycle time', 's', 0, 60, [2, 15], 2),
    counter('cycles', 'Cycle count'),
    // ISO 10816-3 RMS velocity; zone B/C boundary 2.8 mm/s (group 2, rigid foundation).
    q('vibration', 'Gearbox vibration (RMS)', 'mm/s', 0, 20, [0, 2.8], 2),
  ],
  agv: [
    q('speed', 'Speed', 'm/s', 0, 3, [0, 1.6], 2, true),
    q('battery', 'Battery', '%', 0, 100, [20, 100], 1, true),
    q('payload', 'Payload', 'kg', 0, 1500, [0, 1200], 0),
    ...LINK_SIGNALS,
  ],
  drone: [
    q('speed', 'Ground speed', 'm/s', 0, 20, [0, 12], 1, true),
    q('altitude', 'Altitude', 'm', 0, 120, [0, 60], 1),
    q('battery', 'Battery', '%', 0, 100, [25, 100], 1, true),
    q('rotorRpm', 'Rotor speed', 'rpm', 0, 12000, [0, 9000], 0),
    q('surfaceTemp', 'IR max surface temp', '°C', -20, 200, [-20, 90], 1),
    ...LINK_SIGNALS,
  ],
  conveyor: [
    q('beltSpeed', 'Belt speed', 'm/s', 0, 2, [0.1, 0.8], 2, true),
    q('offset', 'Product phase', 'm', 0, 5, [0, 5], 3),
    q('throughput', 'Throughput', 'units/min', 0, 200, [0, 200], 1, true),
    q('motorTemp', 'Drive motor temp', '°C', 0, 120, [20, 70], 1),
    q('motorCurrent', 'Drive current', 'A', 0, 20, [0, 12], 2),
    counter('carried', 'Units carried'),
    q('vibration', 'Drive vibration (RMS)', 'mm/s', 0, 20, [0, 2.8], 2, true),
  ],
  'vision-station': [
    counter('inspected', 'Units inspected'),
    counter('rejects', 'Units rejected'),
    q('defectRate', 'Defect rate (last 200)', '%', 0, 100, [0, 3], 2, true),
    q('uplink', 'Camera uplink', 'Mbit/s', 0, 500, [20, 200], 1, true),
    q('inferenceMs', 'Inference time', 'ms', 0, 500, [5, 60], 1),
    q('focus', 'Focus score', '%', 0, 100, [85, 100], 1),
  ],
  'base-station': [
    q('attached', 'Attached devices', '', 0, 1000, [0, 400], 0, true),
    q('ulLoad', 'Uplink load', '%', 0, 100, [0, 80], 1, true),
    q('dlLoad', 'Downlink load', '%', 0, 100, [0, 80], 1),
    q('ulMbps', 'Uplink throughput', 'Mbit/s', 0, 2000, [0, 1000], 1),
    q('dlMbps', 'Downlink throughput', 'Mbit/s', 0, 5000, [0, 3000], 1),
    q('latency', 'Air latency', 'ms', 0, 200, [0, 15], 1, true),
  ],
  'edge-server': [
    q('cpu', 'CPU load', '%', 0, 100, [0, 85], 1, true),
    q('gpu', 'GPU load', '%', 0, 100, [0, 90], 1, true),
    q('inferences', 'Inferences', '1/s', 0, 5000, [0, 5000], 0),
    q('temp', 'Inlet temp', '°C', 0, 80, [15, 35], 1),
  ],
  'charging-dock': [
    q('power', 'Charging power', 'kW', 0, 20, [0, 15], 2, true),
    q('occupied', 'Occupied', '', 0, 1, [0, 1], 0),
  ],
  transformer: [
    q('load', 'Load', '%', 0, 150, [0, 90], 1, true),
    q('oilTemp', 'Top-oil temp', '°C', -20, 150, [-20, 85], 1, true),
    q('windingTemp', 'Hot-spot temp', '°C', -20, 200, [-20, 110], 1),
  ],
  rack: [q('stock', 'Pallets stored', '', 0, 100, [2, 100], 0, true)],
  feeder: [
    q('level', 'Parts level', '%', 0, 100, [15, 100], 1, true),
    counter('delivered', 'Pallets received'),
  ],
};

/** The ordered signals of a kind (wire order). */
export function signalsOf(kind: EquipmentKind): readonly SignalDef[] {
  return CATALOG[kind];
}

/** Index of a signal within its kind, or -1. */
export function signalIndex(kind: EquipmentKind, key: string): number {
  return CATALOG[kind].findIndex((s) => s.key === key);
}

/** The largest number of signals any kind has (size of per-equipment signal slots). */
export const MAX_SIGNALS = Math.max(...Object.values(CATALOG).map((s) => s.length));
