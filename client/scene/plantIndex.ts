import { Sphere, Vector3 } from 'three';
import {
  EQUIPMENT_KINDS,
  type EquipmentKind,
  type EquipmentSpec,
  type Layout,
  MOBILE_KINDS,
} from '../../protocol';
import type { Detail } from './geometryKit';

const DEG = Math.PI / 180;

/**
 * Above this many equipment the scene builds low-detail geometry (same parts and draw calls,
 * ~3× fewer triangles): a 10,000-machine plant is seen from afar, where bevels are invisible.
 */
export const LOW_DETAIL_ABOVE = 1500;

/** Rack geometry, shared by the rack model and its pick box. */
export const RACK_LEVELS = 4; // storage levels incl. the floor level
export const RACK_LEVEL_H = 1.35; // m between beam levels (1.2 m pallet load + clearance)
export const RACK_BAY_W = 2.7; // m, one bay holds two 1.2 m pallets side by side
export const RACK_DEPTH = 1.1; // m
export const RACK_PER_BAY = RACK_LEVELS * 2;

/** Conveyor belt surface height, m (standard assembly conveyor ~0.9 m). */
export const BELT_TOP = 0.9;

/** Mast height of a floor-standing 5G small cell, m (indoor cells hang at 3.5-8 m). */
export const CELL_MIN_HEIGHT = 3.5;

/** Robot arm proportions are drawn for this reach and scaled by `props.reach / ARM_NOMINAL_REACH`. */
export const ARM_NOMINAL_REACH = 1.2; // m

/** Number of bays of a rack with the given pallet capacity. */
export function rackBays(capacity: number): number {
  return Math.max(1, Math.ceil(capacity / RACK_PER_BAY));
}

/** Mounting height of a base station's radio unit, m. */
export function cellHeight(spec: EquipmentSpec): number {
  return Math.max(spec.position[1], CELL_MIN_HEIGHT);
}

/**
 * Everything the scene derives once from a layout: equipment grouped by kind, the local box of each
 * equipment (for picking, selection, screen positions and beacons) and the plant bounds.
 */
export interface PlantIndex {
  readonly layout: Layout;
  /** Equipment count. */
  readonly count: number;
  /** Equipment indices of each kind, in layout order; a kind's InstancedMesh instance k is `byKind[kind][k]`. */
  readonly byKind: Readonly<Record<EquipmentKind, Int32Array>>;
  /** Indices of moving equipment (AGVs, drones). */
  readonly mobile: Int32Array;
  /** 1 where the equipment moves. */
  readonly isMobile: Uint8Array;
  /**
   * Per equipment, 6 floats in its local frame (m): box center x, y, z and size x, y, z. The
   * local frame is the pose frame: origin at the layout position (or live pose), yawed.
   */
  readonly extent: Float32Array;
  /** Height of the alarm beacon above the pose origin, m. */
  readonly beaconHeight: Float32Array;
  /** Static yaw per equipment, rad. */
  readonly yaw: Float32Array;
  /** Plant floor bounds (m) and a sphere holding everything (for raycast pre-tests). */
  readonly bounds: { minX: number; maxX: number; minZ: number; maxZ: number; maxY: number };
  readonly sphere: Sphere;
  /** Geometric detail for this plant's size. */
  readonly detail: Detail;
}

function extentOf(e: EquipmentSpec): [number, number, number, number, number, number, number] {
  // [cx, cy, cz, sx, sy, sz, beacon height]
  switch (e.kind) {
    case 'robot-arm': {
      const s = e.props.reach / ARM_NOMINAL_REACH;
      return [0, 1.05 * s, 0, 1.3 * s, 2.1 * s, 1.3 * s, 2.5 * s];
    }
    case 'agv':
      return [0, 0.36, 0, 1.3, 0.72, 0.9, 1.3];
    case 'drone':
      return [0, 0.12, 0, 0.9, 0.4, 0.9, 0.8];
    case 'conveyor':
      // The layout position is the belt's centre.
      return [0, 0.55, 0, e.props.length, 1.1, 0.95, 1.7];
    case 'vision-station':
      return [0, 1.05, 0, 0.8, 2.2, 1.45, 2.8];
    case 'base-station': {
      // Mast from the floor to the radio unit; the pose origin is the mounting point (often 6-8 m up).
      const h = cellHeight(e);
      const y0 = e.position[1];
      return [0, (h + 0.3) / 2 - y0, 0, 0.6, h + 0.3, 0.6, h + 0.9 - y0];
    }
    case 'charging-dock':
      return e.props.for === 'drone' ? [0, 0.1, 0, 1.7, 0.2, 1.7, 1.0] : [0, 0.55, 0, 1.4, 1.1, 1.1, 1.7];
    case 'transformer':
      return [0, 1.25, 0, 2.6, 2.5, 2.1, 3.3];
    case 'edge-server':
      return [0, 1.02, 0, 0.7, 2.05, 1.1, 2.7];
    case 'rack': {
      const len = rackBays(e.props.capacity) * RACK_BAY_W;
      const h = RACK_LEVELS * RACK_LEVEL_H + 0.2;
      return [0, h / 2, 0, len + 0.2, h, RACK_DEPTH + 0.2, h + 0.7];
    }
    case 'feeder':
      return [0, 0.62, 0, 1.15, 1.25, 0.9, 1.8];
  }
}

/** Builds the scene's index of a layout (allocates; once per snapshot). */
export function buildPlantIndex(layout: Layout): PlantIndex {
  const n = layout.equipment.length;
  const lists = Object.fromEntries(EQUIPMENT_KINDS.map((k) => [k, [] as number[]])) as Record<
    EquipmentKind,
    number[]
  >;
  const extent = new Float32Array(n * 6);
  const beaconHeight = new Float32Array(n);
  const yaw = new Float32Array(n);
  const isMobile = new Uint8Array(n);
  const mobile: number[] = [];
  let minX = Infinity;
  let maxX = -Infinity;
  let minZ = Infinity;
  let maxZ = -Infinity;
  let maxY = 0;
  layout.equipment.forEach((e, i) => {
    lists[e.kind].push(i);
    const x = extentOf(e);
    extent.set(x.slice(0, 6), i * 6);
    beaconHeight[i] = x[6];
    yaw[i] = e.rotation * DEG;
    if (MOBILE_KINDS.has(e.kind)) {
      isMobile[i] = 1;
      mobile.push(i);
    }
    const [px, py, pz] = e.position;
    const r = Math.hypot(x[3], x[5]) / 2 + Math.hypot(x[0], x[2]);
    minX = Math.min(minX, px - r);
    maxX = Math.max(maxX, px + r);
    minZ = Math.min(minZ, pz - r);
    maxZ = Math.max(maxZ, pz + r);
    maxY = Math.max(maxY, py + x[1] + x[4] / 2);
  });
  for (const z of layout.zones) {
    minX = Math.min(minX, z.min[0]);
    maxX = Math.max(maxX, z.max[0]);
    minZ = Math.min(minZ, z.min[1]);
    maxZ = Math.max(maxZ, z.max[1]);
    maxY = Math.max(maxY, z.height);
  }
  for (const r of layout.droneRoutes)
    for (const w of r.waypoints) {
      minX = Math.min(minX, w[0]);
      maxX = Math.max(maxX, w[0]);
      minZ = Math.min(minZ, w[2]);
      maxZ = Math.max(maxZ, w[2]);
      maxY = Math.max(maxY, w[1] + 1);
    }
  const byKind = Object.fromEntries(EQUIPMENT_KINDS.map((k) => [k, Int32Array.from(lists[k])])) as Record<
    EquipmentKind,
    Int32Array
  >;
  const center = new Vector3((minX + maxX) / 2, maxY / 2, (minZ + maxZ) / 2);
  // Margin: drones may leave the route hull a little, AGVs the path hull.
  const radius = Math.hypot(maxX - minX, maxY, maxZ - minZ) / 2 + 10;
  return {
    layout,
    count: n,
    byKind,
    mobile: Int32Array.from(mobile),
    isMobile,
    extent,
    beaconHeight,
    yaw,
    bounds: { minX, maxX, minZ, maxZ, maxY },
    sphere: new Sphere(center, radius),
    detail: n > LOW_DETAIL_ABOVE ? 'low' : 'high',
  };
}
