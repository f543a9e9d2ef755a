import type { BufferGeometry } from 'three';
import { palette } from '../theme';
import { box, capsule, cylinder, merge, QUARTER } from './geometryKit';

/**
 * A six-axis industrial arm at nominal reach (ARM_NOMINAL_REACH), one geometry per link, each in
 * its joint's frame (origin on the joint axis, link along +y). Upright height ≈ 2.1 m (1.9 m at the common 1.1 m reach).
 *
 * Joint frames, chained (m): J1 yaw at the pedestal top, J2 shoulder pitch, J3 elbow pitch, J4
 * wrist roll + J5 wrist pitch, J6 flange roll. Angle 0 = link straight up; positive pitch leans
 * toward the arm's local +x.
 */
export const ARM = {
  pedestalH: 0.6, // line robots stand on a riser so the shoulder works above the 0.9 m belt
  shoulderY: 0.2, // J2 above J1
  shoulderX: 0.06, // J2 offset forward of the J1 axis
  upperLen: 0.55, // J2 -> J3
  foreLen: 0.5, // J3 -> J4/J5
  wristLen: 0.1, // J5 -> J6
} as const;

const WHITE = '#ffffff';
const JOINT = '#c9ccd0'; // joint housings: a touch darker than the body (multiplies the state color)
const DARK = palette.equipmentDark;
const STEEL = '#5f656b';

/** The arm's link geometries (one per InstancedMesh). */
export function armGeometries(): Record<
  'base' | 'shoulder' | 'upper' | 'fore' | 'wrist' | 'gripper',
  BufferGeometry
> {
  const h = ARM.pedestalH;
  return {
    // Pedestal: floor plate + column (trim: keeps its dark tone).
    base: merge([
      box(0.62, 0.04, 0.62, STEEL, { at: [0, 0.02, 0] }),
      cylinder(0.2, 0.24, h - 0.04, DARK, { at: [0, 0.04 + (h - 0.04) / 2, 0] }, 28),
    ]),
    // Turret rotating about J1 with the shoulder housing (J2 axis along z).
    shoulder: merge([
      cylinder(0.21, 0.21, 0.12, JOINT, { at: [0, 0.06, 0] }, 28),
      cylinder(0.15, 0.18, 0.1, WHITE, { at: [0.03, 0.16, 0] }, 28),
      cylinder(0.14, 0.14, 0.34, WHITE, { at: [ARM.shoulderX, ARM.shoulderY, 0], rot: [QUARTER, 0, 0] }, 28),
    ]),
    // Upper arm J2 -> J3 with the elbow housing.
    upper: merge([
      capsule(0.09, ARM.upperLen, WHITE, { at: [0, ARM.upperLen / 2, 0] }),
      cylinder(0.13, 0.13, 0.26, JOINT, { rot: [QUARTER, 0, 0] }, 24),
      cylinder(0.11, 0.11, 0.24, JOINT, { at: [0, ARM.upperLen, 0], rot: [QUARTER, 0, 0] }, 24),
    ]),
    // Forearm J3 -> wrist, with its motor pack behind the elbow.
    fore: merge([
      capsule(0.065, ARM.foreLen - 0.05, WHITE, { at: [0, ARM.foreLen / 2, 0] }),
      box(0.16, 0.16, 0.16, JOINT, { at: [0, -0.06, 0] }),
    ]),
    // Wrist: J5 housing and the stub up to the flange (trim).
    wrist: merge([
      cylinder(0.065, 0.065, 0.15, DARK, { rot: [QUARTER, 0, 0] }, 20),
      cylinder(0.05, 0.055, ARM.wristLen, DARK, { at: [0, ARM.wristLen / 2, 0] }, 20),
    ]),
    // Flange + two-finger gripper (trim).
    gripper: merge([
      cylinder(0.055, 0.055, 0.025, STEEL, { at: [0, 0.0125, 0] }, 20),
      box(0.15, 0.05, 0.07, DARK, { at: [0, 0.05, 0] }),
      box(0.022, 0.09, 0.05, STEEL, { at: [-0.048, 0.12, 0] }),
      box(0.022, 0.09, 0.05, STEEL, { at: [0.048, 0.12, 0] }),
    ]),
  };
}
