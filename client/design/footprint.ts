import {
  ARM_NOMINAL_REACH,
  CELL_MIN_HEIGHT,
  RACK_BAY_W,
  RACK_DEPTH,
  RACK_LEVEL_H,
  RACK_LEVELS,
  rackBays,
} from '../scene/plantIndex';
import { palette } from '../theme';
import type { DraftEquipment } from './layoutEdits';

/** A piece of equipment's box on the floor: size along its local x, y (up), z, in m. */
export interface Footprint {
  sx: number;
  sy: number;
  sz: number;
}

const num = (v: unknown, fallback: number) =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;

/**
 * The box design mode draws for equipment: the live scene's outer sizes (plantIndex) from the
 * floor up, read from a draft that may be invalid (missing props take the loader's defaults).
 */
export function footprintOf(e: DraftEquipment, out: Footprint): Footprint {
  const p = e.props ?? {};
  let [sx, sy, sz] = [1, 1, 1];
  switch (e.kind) {
    case 'robot-arm': {
      const s = num(p.reach, ARM_NOMINAL_REACH) / ARM_NOMINAL_REACH;
      [sx, sy, sz] = [1.3 * s, 2.1 * s, 1.3 * s];
      break;
    }
    case 'agv':
      [sx, sy, sz] = [1.3, 0.72, 0.9];
      break;
    case 'drone':
      [sx, sy, sz] = [0.9, 0.4, 0.9];
      break;
    case 'conveyor':
      [sx, sy, sz] = [num(p.length, 6), 1.1, 0.95];
      break;
    case 'vision-station':
      [sx, sy, sz] = [0.8, 2.2, 1.45];
      break;
    case 'base-station':
      [sx, sy, sz] = [0.6, Math.max(e.position[1], CELL_MIN_HEIGHT) + 0.3, 0.6];
      break;
    case 'charging-dock':
      [sx, sy, sz] = p.for === 'drone' ? [1.7, 0.2, 1.7] : [1.4, 1.1, 1.1];
      break;
    case 'transformer':
      [sx, sy, sz] = [2.6, 2.5, 2.1];
      break;
    case 'edge-server':
      [sx, sy, sz] = [0.7, 2.05, 1.1];
      break;
    case 'rack':
      [sx, sy, sz] = [
        rackBays(num(p.capacity, 24)) * RACK_BAY_W + 0.2,
        RACK_LEVELS * RACK_LEVEL_H + 0.2,
        RACK_DEPTH + 0.2,
      ];
      break;
    case 'feeder':
      [sx, sy, sz] = [1.15, 1.25, 0.9];
      break;
  }
  out.sx = sx;
  out.sy = sy;
  out.sz = sz;
  return out;
}

/**
 * Body color per kind: the operator scene's calm grays (ISA-101), a shade apart so kinds read
 * apart; red is kept for equipment the server's errors name.
 */
export const KIND_COLOR: Readonly<Record<string, string>> = {
  'robot-arm': palette.equipmentAccent,
  agv: palette.equipment,
  drone: palette.equipment,
  conveyor: palette.equipmentDark,
  'vision-station': palette.equipmentAccent,
  'base-station': palette.equipment,
  'edge-server': palette.equipmentDark,
  'charging-dock': palette.equipmentDark,
  transformer: palette.equipmentDark,
  rack: '#9aa1a8',
  feeder: palette.equipment,
};
