import { useFrame } from '@react-three/fiber';
import { useLayoutEffect, useMemo } from 'react';
import { Euler, Matrix4 } from 'three';
import { createPart, flushPart, setMatrix } from './instancedPart';
import { advanceJoints, createJointTrack, type JointTrack, retargetJoints } from './jointTrack';
import type { KindProps } from './kindProps';
import { PartMeshes } from './PartMeshes';
import { ARM_NOMINAL_REACH } from './plantIndex';
import { layoutPoseMatrix } from './poseMath';
import { ARM, armGeometries } from './robotArmGeometry';
import { StateTinter } from './stateTint';
import { useParts } from './useParts';

/** Props of RobotArms. */
export type RobotArmsProps = KindProps;

// Frame-loop scratch (DESIGN principle 8).
const _world = new Matrix4();
const _link = new Matrix4();
const _euler = new Euler(0, 0, 0, 'YZX');

/**
 * All robot arms: six InstancedMeshes (pedestal, shoulder, upper arm, forearm, wrist, gripper)
 * whose instance matrices chain the joint transforms j1..j6 of the telemetry, scaled by reach.
 */
export function RobotArms({ plant, buffer, res }: RobotArmsProps) {
  const indices = plant.byKind['robot-arm'];
  const n = indices.length;
  const parts = useParts(
    () => {
      const g = armGeometries();
      const s = plant.sphere;
      return {
        base: createPart('arm.base', g.base, res.solid, n, 'trim', null, s),
        shoulder: createPart('arm.shoulder', g.shoulder, res.solid, n, 'body', null, s),
        upper: createPart('arm.upper', g.upper, res.solid, n, 'body', null, s),
        fore: createPart('arm.fore', g.fore, res.solid, n, 'body', null, s),
        wrist: createPart('arm.wrist', g.wrist, res.solid, n, 'trim', null, s),
        gripper: createPart('arm.gripper', g.gripper, res.solid, n, 'trim', null, s),
      };
    },
    [plant, res],
    plant.detail,
  );
  const tinter = useMemo(
    () => new StateTinter(indices, Object.values(parts), res.modelled),
    [indices, parts, res],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: new parts start blank, so a fresh track redraws every arm.
  const track = useMemo<JointTrack & { scale: Float32Array }>(
    () => ({
      ...createJointTrack(n),
      // Model scale per arm (reach / nominal reach).
      scale: Float32Array.from(indices, (i) => reachOf(plant, i) / ARM_NOMINAL_REACH),
    }),
    [plant, indices, n, parts],
  );

  // Pedestals never move: written once.
  useLayoutEffect(() => {
    for (let k = 0; k < n; k++) {
      const i = indices[k];
      const s = track.scale[k];
      setMatrix(parts.base, k, layoutPoseMatrix(_world, plant, i, s, s, s));
    }
    flushPart(parts.base);
  }, [plant, parts, indices, n, track]);

  let seenVersion = -1;
  useFrame(() => {
    if (n === 0) return;
    const now = performance.now();
    if (buffer.version !== seenVersion) {
      seenVersion = buffer.version;
      tinter.update(buffer.state, buffer.mark);
      retargetJoints(buffer.signals, indices, track, now);
    }
    for (let k = 0; k < n; k++) if (advanceJoints(track, k, now)) writeArm(k, indices[k]);
    tinter.flush();
  });

  function writeArm(k: number, i: number): void {
    const q = track.shown;
    const o = k * 6;
    const s = track.scale[k];
    layoutPoseMatrix(_world, plant, i, s, s, s);
    // J1: turret yaw on the pedestal.
    _world.multiply(_link.makeRotationY(q[o]).setPosition(0, ARM.pedestalH, 0));
    setMatrix(parts.shoulder, k, _world);
    // J2: shoulder pitch (0 = upper arm vertical, + leans to local +x).
    _world.multiply(_link.makeRotationZ(-q[o + 1]).setPosition(ARM.shoulderX, ARM.shoulderY, 0));
    setMatrix(parts.upper, k, _world);
    // J3: elbow pitch relative to the upper arm.
    _world.multiply(_link.makeRotationZ(-q[o + 2]).setPosition(0, ARM.upperLen, 0));
    setMatrix(parts.fore, k, _world);
    // J4 roll about the forearm, then J5 pitch.
    _euler.set(0, q[o + 3], -q[o + 4]);
    _world.multiply(_link.makeRotationFromEuler(_euler).setPosition(0, ARM.foreLen, 0));
    setMatrix(parts.wrist, k, _world);
    // J6: flange roll.
    _world.multiply(_link.makeRotationY(q[o + 5]).setPosition(0, ARM.wristLen, 0));
    setMatrix(parts.gripper, k, _world);
  }

  return <PartMeshes parts={parts} />;
}

function reachOf(plant: KindProps['plant'], i: number): number {
  const e = plant.layout.equipment[i];
  return e.kind === 'robot-arm' ? e.props.reach : ARM_NOMINAL_REACH;
}
