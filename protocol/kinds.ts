/**
 * Equipment kinds and machine states: the vocabulary shared by the plant file, the simulation,
 * the wire and the scene. Order matters: a state's index is its byte on the wire.
 */

/** Every equipment kind a plant file may use; the string is the one in files and on the wire. */
export const EQUIPMENT_KINDS = [
  'robot-arm',
  'agv',
  'drone',
  'conveyor',
  'vision-station',
  'base-station',
  'edge-server',
  'charging-dock',
  'transformer',
  'rack',
  'feeder',
] as const;

export type EquipmentKind = (typeof EQUIPMENT_KINDS)[number];

/** Machine states (ISA-88-like run states plus availability); index = wire byte. */
export const MACHINE_STATES = [
  'running',
  'idle',
  'blocked',
  'starved',
  'fault',
  'maintenance',
  'offline',
] as const;

export type MachineState = (typeof MACHINE_STATES)[number];

/** Wire byte of each state, by name. */
export const STATE_CODE: Readonly<Record<MachineState, number>> = Object.freeze(
  Object.fromEntries(MACHINE_STATES.map((s, i) => [s, i])) as Record<MachineState, number>,
);

/** Kinds whose pose changes at run time and is therefore carried in every frame. */
export const MOBILE_KINDS: ReadonlySet<EquipmentKind> = new Set<EquipmentKind>(['agv', 'drone']);

/** States an operator must notice (colored in the ISA-101 operator view). */
export function isAbnormal(state: MachineState): boolean {
  return (
    state === 'fault' ||
    state === 'blocked' ||
    state === 'starved' ||
    state === 'maintenance' ||
    state === 'offline'
  );
}
