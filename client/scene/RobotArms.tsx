import { useFrame } from '@react-three/fiber';
import { useLayoutEffect, useMemo } from 'react';
import { Euler, Matrix4 } from 'three';
import { MAX_SIGNALS, signalIndex } from '../../protocol';
import { FRAME_INTERVAL_MS } from '../state/twinBuffer';
import { createPart, flushPart, setMatrix } from './instancedPart';
import type { KindProps } from './kindProps';
import { PartMeshes } from './PartMeshes';
import { ARM_NOMINAL_REACH } from './plantIndex';
import { layoutPoseMatrix } from './poseMath';
import { ARM, armGeometries } from './robotArmGeometry';
import { StateTinter } from './stateTint';
import { useParts } from './useParts';

/** Props of RobotArms. */
export type RobotArmsProps = KindProps;

const J1 = signalIndex('robot-arm', 'j1'); // j1..j6 are consecutive in the catalog
const TWO_PI = Math.PI * 2;

// Frame-loop scratch (DESIGN principle 8).
const _world = new Matrix4();
const _link = new Matrix4();
const _euler = new Euler(0, 0, 0, 'YZX');

/** Per-arm joint blending: joints arrive at 10 Hz, the screen runs at 60 Hz. */
interface JointTrack {
  from: Float32Array; // 6 per arm, rad
  to: Float32Array; // blend target (may differ from `raw` by whole turns)
  raw: Float32Array; // last telemetry values, for change detection
  shown: Float32Array;
  /** Model scale per arm (reach / nominal reach). */
  scale: Float32Array;
  startedAt: Float64Array; // ms (performance clock)
  /** 1 while the arm still has to be redrawn. */
  moving: Uint8Array;
}

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
  const tinter = useMemo(() => new StateTinter(indices, Object.values(parts)), [indices, parts]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new parts start blank, so a fresh track redraws every arm.
  const track = useMemo<JointTrack>(
    () => ({
      from: new Float32Array(n * 6),
      to: new Float32Array(n * 6),
      raw: new Float32Array(n * 6),
      shown: new Float32Array(n * 6),
      scale: Float32Array.from(indices, (i) => reachOf(plant, i) / ARM_NOMINAL_REACH),
      startedAt: new Float64Array(n),
      moving: new Uint8Array(n).fill(1),
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
      retarget(buffer.signals, indices, track, now);
    }
    for (let k = 0; k < n; k++) {
      if (!track.moving[k]) continue;
      let a = (now - track.startedAt[k]) / FRAME_INTERVAL_MS;
      if (a >= 1) {
        a = 1;
        track.moving[k] = 0; // final pose written below, then the arm rests until new joints arrive
      }
      const o = k * 6;
      for (let j = 0; j < 6; j++)
        track.shown[o + j] = track.from[o + j] + (track.to[o + j] - track.from[o + j]) * a;
      writeArm(k, indices[k]);
    }
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

/** Starts a new blend for every arm whose joints changed: from what is shown now to the new values. */
function retarget(signals: Float32Array, indices: Int32Array, t: JointTrack, now: number): void {
  for (let k = 0; k < indices.length; k++) {
    const s = indices[k] * MAX_SIGNALS + J1;
    const o = k * 6;
    let changed = false;
    for (let j = 0; j < 6; j++) if (signals[s + j] !== t.raw[o + j]) changed = true;
    if (!changed) continue;
    for (let j = 0; j < 6; j++) {
      const shown = t.shown[o + j];
      t.raw[o + j] = signals[s + j];
      // Shortest way round: a joint going from +π to -π turns a little, not a full circle.
      let d = (signals[s + j] - shown) % TWO_PI;
      if (d > Math.PI) d -= TWO_PI;
      else if (d < -Math.PI) d += TWO_PI;
      t.from[o + j] = shown;
      t.to[o + j] = shown + d;
    }
    t.startedAt[k] = now;
    t.moving[k] = 1;
  }
}
