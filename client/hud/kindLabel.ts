import type { EquipmentKind } from '../../protocol';

/** Human names of equipment kinds, for the inspector. */
export const kindLabel: Readonly<Record<EquipmentKind, string>> = {
  'robot-arm': 'Robot arm',
  agv: 'AGV',
  drone: 'Inspection drone',
  conveyor: 'Conveyor',
  'vision-station': 'Vision station',
  'base-station': '5G base station',
  'edge-server': 'Edge server',
  'charging-dock': 'Charging dock',
  transformer: 'Transformer',
  rack: 'Rack',
  feeder: 'Feeder',
};
