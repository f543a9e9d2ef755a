import { OrbitControls } from '@react-three/drei';
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { MathUtils, PerspectiveCamera, Vector3 } from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import type { Layout } from '../../protocol';
import { useSelectionStore } from '../state/selectionStore';
import type { TwinBuffer } from '../state/twinBuffer';
import type { PlantIndex } from './plantIndex';
import { equipmentCenter } from './poseMath';

/** Props of CameraRig. */
export type CameraRigProps = {
  plant: PlantIndex;
  buffer: TwinBuffer;
};

/** Fly-to duration, ms (eased in and out). */
const FLY_MS = 1000;
/** Fly-to view elevation, rad (~32°: sees the top and the front of a machine). */
const FLY_ELEVATION = MathUtils.degToRad(32);
/** Default view when the layout has no viewpoint: from the south-east, 40° down. */
const DEFAULT_AZIMUTH = MathUtils.degToRad(28);
const DEFAULT_ELEVATION = MathUtils.degToRad(40);

// Frame-loop scratch.
const _center = new Float32Array(3);
const _end = new Vector3();
const _goal = new Vector3();

/** The plant the camera was last framed for: a resync snapshot of the same plant keeps the view. */
let framedFor = '';

function signature(l: Layout): string {
  const z = l.zones;
  return `${l.name}|${l.equipment.length}|${z.length}|${z[0]?.min.join(',')}|${z[z.length - 1]?.max.join(',')}`;
}

function easeInOutCubic(t: number): number {
  return t < 0.5 ? 4 * t * t * t : 1 - (-2 * t + 2) ** 3 / 2;
}

/**
 * Orbit/pan/zoom with damping, the initial framing of the plant (first layout viewpoint, else the
 * whole plant), and eased fly-to on every `flyTo` request of the selection store; a moving machine
 * (AGV, drone) is then followed. The user takes over at once: touching the controls, or selecting
 * another machine, ends a flight or a follow.
 */
export function CameraRig({ plant, buffer }: CameraRigProps) {
  const controls = useRef<OrbitControlsImpl>(null);
  const camera = useThree((s) => s.camera);
  const flight = useMemo(
    () => ({
      active: false,
      /** After arriving at a moving machine, keep it centered until the user takes the controls. */
      follow: false,
      arrived: false,
      index: -1,
      startedAt: 0,
      fromPos: new Vector3(),
      fromTarget: new Vector3(),
      offset: new Vector3(),
    }),
    [],
  );
  const radius = plant.sphere.radius;

  useLayoutEffect(() => {
    const c = controls.current;
    if (!c) return;
    if (camera instanceof PerspectiveCamera) {
      camera.near = 0.2;
      camera.far = Math.max(1500, radius * 12);
      camera.updateProjectionMatrix();
    }
    const sig = signature(plant.layout);
    if (framedFor === sig) return;
    framedFor = sig;
    const vp = plant.layout.viewpoints[0];
    if (vp) {
      camera.position.set(vp.position[0], vp.position[1], vp.position[2]);
      c.target.set(vp.target[0], vp.target[1], vp.target[2]);
    } else {
      const b = plant.bounds;
      const size = Math.max(b.maxX - b.minX, b.maxZ - b.minZ, 20);
      const fov = camera instanceof PerspectiveCamera ? MathUtils.degToRad(camera.fov) : 0.8;
      const dist = (size / 2 / Math.tan(fov / 2)) * 1.05;
      c.target.set((b.minX + b.maxX) / 2, 0, (b.minZ + b.maxZ) / 2);
      camera.position.set(
        c.target.x + dist * Math.cos(DEFAULT_ELEVATION) * Math.sin(DEFAULT_AZIMUTH),
        dist * Math.sin(DEFAULT_ELEVATION),
        c.target.z + dist * Math.cos(DEFAULT_ELEVATION) * Math.cos(DEFAULT_AZIMUTH),
      );
    }
    c.update();
  }, [plant, camera, radius]);

  // Fly-to requests arrive through the store, outside React renders.
  useEffect(() => {
    const start = (id: string) => {
      const c = controls.current;
      const index = buffer.indexById.get(id);
      if (!c || index === undefined) return;
      const o = index * 6;
      const e = plant.extent;
      const size = Math.hypot(e[o + 3], e[o + 4], e[o + 5]);
      const dist = MathUtils.clamp(size * 1.8 + 3, 5, 45); // m: the machine fills ~1/3 of the view
      const azimuth = Math.atan2(camera.position.x - c.target.x, camera.position.z - c.target.z);
      flight.offset.set(
        dist * Math.cos(FLY_ELEVATION) * Math.sin(azimuth),
        dist * Math.sin(FLY_ELEVATION),
        dist * Math.cos(FLY_ELEVATION) * Math.cos(azimuth),
      );
      flight.fromPos.copy(camera.position);
      flight.fromTarget.copy(c.target);
      flight.index = index;
      flight.startedAt = performance.now();
      flight.active = true;
      flight.arrived = false;
      flight.follow = plant.isMobile[index] === 1;
    };
    return useSelectionStore.subscribe((s, prev) => {
      if (s.flyTo && s.flyTo.nonce !== prev.flyTo?.nonce) start(s.flyTo.id);
      else if (s.selectedId !== prev.selectedId) flight.active = false; // another machine picked
    });
  }, [buffer, plant, camera, flight]);

  useEffect(() => {
    const c = controls.current;
    if (!c) return;
    const cancel = () => {
      flight.active = false;
    };
    c.addEventListener('start', cancel);
    return () => c.removeEventListener('start', cancel);
  }, [flight]);

  useFrame(() => {
    const c = controls.current;
    if (!flight.active || !c) return;
    const now = performance.now();
    const t = Math.min((now - flight.startedAt) / FLY_MS, 1);
    // Aim at where the machine is now: a moving AGV is met, not chased.
    equipmentCenter(plant, buffer, flight.index, now, _center);
    _goal.set(_center[0], _center[1], _center[2]);
    if (t < 1) {
      const k = easeInOutCubic(t);
      _end.copy(_goal).add(flight.offset);
      c.target.lerpVectors(flight.fromTarget, _goal, k);
      camera.position.lerpVectors(flight.fromPos, _end, k);
    } else if (!flight.arrived) {
      // Land exactly on the end view, however few frames the flight got (slow GPU, hidden tab).
      c.target.copy(_goal);
      camera.position.copy(_goal).add(flight.offset);
      flight.arrived = true;
      flight.active = flight.follow;
    } else {
      // Ride along with a moving machine, keeping the user's view angle.
      _end.subVectors(_goal, c.target);
      camera.position.add(_end);
      c.target.copy(_goal);
    }
    c.update();
  });

  return (
    <OrbitControls
      ref={controls}
      makeDefault
      enableDamping
      dampingFactor={0.09}
      screenSpacePanning={false}
      minDistance={1.5}
      maxDistance={Math.max(200, radius * 4.5)}
      maxPolarAngle={MathUtils.degToRad(84)}
      zoomSpeed={0.9}
    />
  );
}
