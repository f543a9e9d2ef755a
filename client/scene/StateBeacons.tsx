import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import {
  BufferAttribute,
  BufferGeometry,
  DynamicDrawUsage,
  type PerspectiveCamera,
  Points,
  ShaderMaterial,
} from 'three';
import { MARK_QUALITY_MASK, STATE_CODE } from '../../protocol';
import type { TwinBuffer } from '../state/twinBuffer';
import { DirtyRange } from './instancedPart';
import type { PlantIndex } from './plantIndex';
import { localToWorld } from './poseMath';
import type { SceneResources } from './sceneResources';
import { STALE_GLSL } from './sceneResources';
import { BODY_RGB } from './stateTint';

/** Props of StateBeacons. */
export type StateBeaconsProps = {
  plant: PlantIndex;
  buffer: TwinBuffer;
  res: SceneResources;
};

/**
 * Beacon diameter: a 2.5 m (fault) / 1.6 m (other) disc in the world, but never smaller than
 * MIN_PX nor larger than its max in CSS px: a fault reads from across the room, and a whole
 * 10,000-machine plant seen from afar is dotted, not painted over.
 */
const FAULT_PX = 22;
const OTHER_PX = 14;
const MIN_PX = 5;
const FAULT_M = 2.5;
const OTHER_M = 1.6;

const _pose = new Float32Array(4);
const _p = new Float32Array(3);

const VERTEX = /* glsl */ `
  attribute vec3 color;
  attribute float aFault;
  uniform float uTime;
  uniform float uPx;
  uniform float uProj; // device px per world metre at distance 1 (viewport height / (2 tan(fov/2)))
  varying vec3 vColor;
  varying float vFault;
  void main() {
    vColor = color;
    vFault = aFault;
    vec4 mv = modelViewMatrix * vec4(position, 1.0);
    gl_Position = projectionMatrix * mv;
    // Faults breathe at 1 Hz (ISA-101: motion only for what needs attention).
    float pulse = 1.0 + 0.18 * aFault * sin(uTime * 6.2832);
    float metres = mix(${OTHER_M.toFixed(2)}, ${FAULT_M.toFixed(2)}, aFault);
    float maxPx = mix(${OTHER_PX.toFixed(1)}, ${FAULT_PX.toFixed(1)}, aFault) * uPx;
    gl_PointSize = clamp(metres * uProj / max(-mv.z, 0.1), ${MIN_PX.toFixed(1)} * uPx, maxPx) * pulse;
  }
`;

const FRAGMENT = /* glsl */ `
  uniform float uStale;
  varying vec3 vColor;
  varying float vFault;
  void main() {
    float d = length(gl_PointCoord - 0.5) * 2.0; // 0 center .. 1 edge
    float aa = fwidth(d);
    float core = 1.0 - smoothstep(0.62 - aa, 0.62 + aa, d);
    float ring = smoothstep(0.62 - aa, 0.62, d) * (1.0 - smoothstep(0.78 - aa, 0.78 + aa, d));
    float halo = vFault * (1.0 - smoothstep(0.78, 1.0, d)) * 0.35;
    float alpha = max(max(core, ring * 0.9), halo);
    if (alpha < 0.01) discard;
    // Colored core, dark rim for contrast on light bodies and on the floor.
    vec3 rgb = mix(vColor, vec3(0.08, 0.09, 0.1), ring);
    gl_FragColor = vec4(rgb, alpha);
    ${STALE_GLSL}
    #include <colorspace_fragment>
  }
`;

/**
 * Colored beacons above abnormal equipment (fault, blocked, starved, maintenance; offline is shown
 * by its dark body instead): one Points draw call, screen-constant size, drawn over everything.
 * Equipment whose data is stale or bad keeps its beacon in gray (last known, not live). The list of
 * lit beacons is rebuilt only when states or data marks change; per frame only moving equipment
 * with a lit beacon is re-placed.
 */
export function StateBeacons({ plant, buffer, res }: StateBeaconsProps) {
  const dpr = useThree((s) => s.viewport.dpr);
  const n = plant.count;
  const built = useMemo(() => {
    const geometry = new BufferGeometry();
    const position = new BufferAttribute(new Float32Array(Math.max(n, 1) * 3), 3).setUsage(DynamicDrawUsage);
    const color = new BufferAttribute(new Float32Array(Math.max(n, 1) * 3), 3).setUsage(DynamicDrawUsage);
    const fault = new BufferAttribute(new Float32Array(Math.max(n, 1)), 1).setUsage(DynamicDrawUsage);
    geometry.setAttribute('position', position);
    geometry.setAttribute('color', color);
    geometry.setAttribute('aFault', fault);
    geometry.setDrawRange(0, 0);
    geometry.boundingSphere = plant.sphere.clone();
    const material = new ShaderMaterial({
      vertexShader: VERTEX,
      fragmentShader: FRAGMENT,
      uniforms: { uTime: { value: 0 }, uPx: { value: 1 }, uProj: { value: 1000 }, uStale: res.stale },
      transparent: true,
      depthTest: false,
      depthWrite: false,
    });
    const points = new Points(geometry, material);
    points.frustumCulled = false;
    points.matrixAutoUpdate = false;
    points.renderOrder = 20;
    return {
      points,
      geometry,
      material,
      position,
      lit: new Int32Array(n), // equipment index per lit beacon
      litCount: 0,
      last: new Uint8Array(n).fill(255),
      lastMark: new Uint8Array(n).fill(255),
      color,
      fault,
      positions: new DirtyRange(),
      colors: new DirtyRange(),
      faults: new DirtyRange(),
    };
  }, [plant, n, res]);
  useEffect(
    () => () => {
      built.geometry.dispose();
      built.material.dispose();
    },
    [built],
  );

  let seenVersion = -1;
  useFrame((state) => {
    const b = built;
    b.material.uniforms.uTime.value = state.clock.elapsedTime;
    b.material.uniforms.uPx.value = dpr;
    const cam = state.camera as PerspectiveCamera;
    const fov = cam.isPerspectiveCamera ? cam.fov : 40;
    b.material.uniforms.uProj.value = (state.size.height * dpr) / (2 * Math.tan((fov * Math.PI) / 360));
    const now = performance.now();
    if (buffer.version !== seenVersion) {
      seenVersion = buffer.version;
      // Both checks run (no short-circuit): each keeps its own copy current.
      const states = statesChanged(buffer.state, b.last);
      const marks = statesChanged(buffer.mark, b.lastMark);
      if (states || marks) relight(b, plant, buffer, now);
    }
    // Moving equipment carries its beacon along.
    for (let k = 0; k < b.litCount; k++) {
      const i = b.lit[k];
      if (!plant.isMobile[i]) continue;
      place(plant, buffer, i, now, b.position.array as Float32Array, k);
      b.positions.add(k);
    }
    b.positions.flush(b.position);
    b.colors.flush(b.color);
    b.faults.flush(b.fault);
  });

  return <primitive object={built.points} />;
}

/** Copies `state` into `last` and says whether anything differed (state bytes or data marks). */
function statesChanged(state: Uint8Array, last: Uint8Array): boolean {
  let changed = false;
  for (let i = 0; i < state.length; i++)
    if (state[i] !== last[i]) {
      last[i] = state[i];
      changed = true;
    }
  return changed;
}

/** Gray of a beacon whose data is stale or bad (linear RGB): the last known state, never its live color. */
const DOUBTFUL_GRAY = 0.22;
/** Mark quality codes from which the data is no longer trusted (bad 2, stale 3). */
const DOUBTFUL_FROM = 2;

function lights(s: number): boolean {
  return (
    s === STATE_CODE.fault ||
    s === STATE_CODE.blocked ||
    s === STATE_CODE.starved ||
    s === STATE_CODE.maintenance
  );
}

/** Rebuilds the compact list of lit beacons (runs only when some state changed). */
function relight(
  b: {
    lit: Int32Array;
    litCount: number;
    geometry: BufferGeometry;
    position: BufferAttribute;
    color: BufferAttribute;
    fault: BufferAttribute;
    positions: DirtyRange;
    colors: DirtyRange;
    faults: DirtyRange;
  },
  plant: PlantIndex,
  buffer: TwinBuffer,
  now: number,
): void {
  const pos = b.position.array as Float32Array;
  const col = b.color;
  const fault = b.fault;
  let k = 0;
  for (let i = 0; i < buffer.count; i++) {
    const s = buffer.state[i];
    if (!lights(s)) continue;
    b.lit[k] = i;
    place(plant, buffer, i, now, pos, k);
    const doubtful = (buffer.mark[i] & MARK_QUALITY_MASK) >= DOUBTFUL_FROM;
    col.array[k * 3] = doubtful ? DOUBTFUL_GRAY : BODY_RGB[s * 3];
    col.array[k * 3 + 1] = doubtful ? DOUBTFUL_GRAY : BODY_RGB[s * 3 + 1];
    col.array[k * 3 + 2] = doubtful ? DOUBTFUL_GRAY : BODY_RGB[s * 3 + 2];
    // A fault seen on data that stopped does not breathe: it is not known to be happening now.
    fault.array[k] = s === STATE_CODE.fault && !doubtful ? 1 : 0;
    k++;
  }
  b.litCount = k;
  b.geometry.setDrawRange(0, k);
  if (k > 0) {
    b.positions.addSpan(0, k - 1);
    b.colors.addSpan(0, k - 1);
    b.faults.addSpan(0, k - 1);
  }
}

function place(
  plant: PlantIndex,
  buffer: TwinBuffer,
  i: number,
  now: number,
  out: Float32Array,
  k: number,
): void {
  buffer.samplePose(i, now, _pose);
  const o = i * 6;
  localToWorld(_pose, plant.extent[o], plant.beaconHeight[i], plant.extent[o + 2], _p);
  out[k * 3] = _p[0];
  out[k * 3 + 1] = _p[1];
  out[k * 3 + 2] = _p[2];
}
