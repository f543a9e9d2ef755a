import { useFrame } from '@react-three/fiber';
import { useMemo } from 'react';
import { Matrix4 } from 'three';
import { signalIndex } from '../../protocol';
import { box, cylinder, merge, QUARTER, roundedBox } from './geometryKit';
import { createPart, flushPart, prefixSums, setMatrix } from './instancedPart';
import type { KindProps } from './kindProps';
import { PartMeshes } from './PartMeshes';
import { poseMatrix } from './poseMath';
import { StateTinter } from './stateTint';
import { useParts } from './useParts';

/** Props of Drones. */
export type DronesProps = KindProps;

const SPEED = signalIndex('drone', 'speed');
const RPM = signalIndex('drone', 'rotorRpm');
/** Rotor hubs in the drone frame, m (0.7 m diagonal quad). */
const ROTOR_XZ = 0.25;
/** The model stands on its skids at pose y (a landed drone reports y = pad height). */
const LIFT = 0.085;
const ROTOR_Y = LIFT + 0.075;
/**
 * Real rotors turn at up to ~150 rev/s, far above the frame rate (they would strobe): the drawn
 * rotors turn at 1/40 of the telemetry rpm, enough to read "spinning" and "stopped".
 */
const ROTOR_VISUAL = 1 / 40;
/** Forward lean at full cruise speed, rad (a quadcopter pitches to accelerate). */
const MAX_LEAN = 0.22;
const CRUISE = 12; // m/s, catalog normal max

const _drone = new Matrix4();
const _local = new Matrix4();
const _m = new Matrix4();
const _pose = new Float32Array(4);

function droneGeometries() {
  const arm = (a: number) =>
    box(0.36, 0.025, 0.035, '#ffffff', {
      at: [Math.cos(a) * 0.18, 0.05, Math.sin(a) * 0.18],
      rot: [0, -a, 0],
    });
  const motor = (x: number, z: number) => cylinder(0.03, 0.03, 0.05, '#3a3f44', { at: [x, 0.05, z] }, 12);
  const r = ROTOR_XZ;
  const g = {
    body: merge([
      roundedBox(0.26, 0.09, 0.2, 0.03, '#ffffff', { at: [0, 0.045, 0] }),
      arm(Math.PI / 4),
      arm((3 * Math.PI) / 4),
      arm((5 * Math.PI) / 4),
      arm((7 * Math.PI) / 4),
    ]),
    gear: merge([
      motor(r, r),
      motor(r, -r),
      motor(-r, r),
      motor(-r, -r),
      box(0.3, 0.015, 0.015, '#3a3f44', { at: [0, -0.07, 0.09] }),
      box(0.3, 0.015, 0.015, '#3a3f44', { at: [0, -0.07, -0.09] }),
      box(0.015, 0.07, 0.015, '#3a3f44', { at: [0.08, -0.035, 0.09] }),
      box(0.015, 0.07, 0.015, '#3a3f44', { at: [-0.08, -0.035, 0.09] }),
      box(0.015, 0.07, 0.015, '#3a3f44', { at: [0.08, -0.035, -0.09] }),
      box(0.015, 0.07, 0.015, '#3a3f44', { at: [-0.08, -0.035, -0.09] }),
      // IR/visual gimbal under the nose.
      cylinder(0.035, 0.035, 0.05, '#2b2f33', { at: [0.1, -0.015, 0], rot: [QUARTER, 0, 0] }, 14),
    ]),
    rotor: merge([
      box(0.28, 0.006, 0.028, '#2b2f33', { at: [0, 0, 0] }),
      cylinder(0.018, 0.018, 0.02, '#5f656b', {}, 10),
    ]),
  };
  g.body.translate(0, LIFT, 0);
  g.gear.translate(0, LIFT, 0);
  return g;
}

/** All drones: body, gear and four spinning rotors each, at the interpolated 3D pose. */
export function Drones({ plant, buffer, res }: DronesProps) {
  const indices = plant.byKind.drone;
  const n = indices.length;
  const parts = useParts(
    () => {
      const g = droneGeometries();
      const s = plant.sphere;
      const four = prefixSums(new Int32Array(n).fill(4));
      return {
        body: createPart('drone.body', g.body, res.solid, n, 'body', null, s),
        gear: createPart('drone.gear', g.gear, res.solid, n, 'trim', null, s),
        rotor: createPart('drone.rotor', g.rotor, res.solid, n * 4, 'trim', four, s),
      };
    },
    [plant, res],
    plant.detail,
  );
  const tinter = useMemo(
    () => new StateTinter(indices, Object.values(parts), res.modelled),
    [indices, parts, res],
  );
  const rotorAngle = useMemo(() => new Float32Array(n), [n]);

  let seenVersion = -1;
  useFrame((_, delta) => {
    if (n === 0) return;
    const now = performance.now();
    if (buffer.version !== seenVersion) {
      seenVersion = buffer.version;
      tinter.update(buffer.state, buffer.mark);
    }
    const dt = Math.min(delta, 0.1); // s; a background tab must not jump the rotors
    for (let k = 0; k < n; k++) {
      const i = indices[k];
      buffer.samplePose(i, now, _pose);
      const lean = MAX_LEAN * Math.min(buffer.signal(i, SPEED) / CRUISE, 1);
      poseMatrix(_drone, _pose[0], _pose[1], _pose[2], _pose[3]);
      _drone.multiply(_local.makeRotationZ(-lean)); // nose (+x) down when flying forward
      setMatrix(parts.body, k, _drone);
      setMatrix(parts.gear, k, _drone);
      const a =
        (rotorAngle[k] + buffer.signal(i, RPM) * ((2 * Math.PI) / 60) * ROTOR_VISUAL * dt) % (2 * Math.PI);
      rotorAngle[k] = a;
      for (let r = 0; r < 4; r++) {
        const x = r & 1 ? ROTOR_XZ : -ROTOR_XZ;
        const z = r & 2 ? ROTOR_XZ : -ROTOR_XZ;
        const spin = (r === 0 || r === 3 ? a : -a) + r; // diagonal pairs counter-rotate
        _m.multiplyMatrices(_drone, _local.makeRotationY(spin).setPosition(x, ROTOR_Y + 0.03, z));
        setMatrix(parts.rotor, k * 4 + r, _m);
      }
    }
    flushPart(parts.body);
    flushPart(parts.gear);
    flushPart(parts.rotor);
  });

  return <PartMeshes parts={parts} />;
}
