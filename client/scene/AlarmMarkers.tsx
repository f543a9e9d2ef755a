import { type ThreeEvent, useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import {
  BufferAttribute,
  BufferGeometry,
  Color,
  DynamicDrawUsage,
  type Intersection,
  Points,
  type Raycaster,
  ShaderMaterial,
  Vector3,
} from 'three';
import type { Alarm, AlarmPriority } from '../../protocol';
import { useAlarmStore } from '../state/alarmStore';
import { useAlarmUiStore } from '../state/alarmUiStore';
import { type AlarmMarkerView, diagnostics } from '../state/diagnostics';
import { useSelectionStore } from '../state/selectionStore';
import type { TwinBuffer } from '../state/twinBuffer';
import { priorityColor, priorityShape } from '../theme';
import type { PlantIndex } from './plantIndex';
import { localToWorld } from './poseMath';
import type { SceneResources } from './sceneResources';
import { STALE_GLSL } from './sceneResources';

/** Props of AlarmMarkers. */
export type AlarmMarkersProps = {
  plant: PlantIndex;
  buffer: TwinBuffer;
  res: SceneResources;
};

/** Marker size, CSS px: constant on screen, so an alarm reads from across the plant. */
const MARKER_PX = 20;
/** Drawn this far above the equipment's state beacon, CSS px (stacked over it, never hiding it). */
const LIFT_PX = 20;
/** Extra pick radius around a marker, CSS px. */
const PICK_SLACK_PX = 4;

/** Alarm states that put a marker on the equipment (shelved, suppressed, out of service do not). */
const SHOWN = new Set<Alarm['state']>(['unacknowledged', 'acknowledged', 'rtn-unacknowledged']);
const RANK: Readonly<Record<AlarmPriority, number>> = { critical: 0, high: 1, medium: 2, low: 3 };
/** Shape index per priority for the shader (priority never by color alone: the list shows the same shapes). */
const SHAPE_INDEX: Readonly<Record<(typeof priorityShape)[AlarmPriority], number>> = {
  triangle: 0,
  diamond: 1,
  square: 2,
  circle: 3,
};

/** Whether the user asked for reduced motion (then unacknowledged markers do not blink). */
function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

const _pose = new Float32Array(4);
const _p = new Float32Array(3);
const _v = new Vector3();
const _c = new Color();

const VERTEX = /* glsl */ `
  attribute vec3 color;
  attribute float aBlink;
  attribute float aShape;
  uniform float uTime;
  uniform float uReduced;
  uniform float uPx;
  uniform float uViewH;
  varying vec3 vColor;
  varying float vBlink;
  varying float vUnack;
  varying float vShape;
  void main() {
    vColor = color;
    vShape = aShape;
    // With reduced motion: no blinking, a steady light rim marks it unacknowledged instead.
    vUnack = aBlink * uReduced;
    // 1 Hz blink while unacknowledged: full for half a second, dim for the other half.
    vBlink = aBlink * step(0.5, fract(uTime)) * (1.0 - uReduced);
    gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
    // Lift in screen space, so the marker sits above the state beacon at any distance.
    gl_Position.y += ${LIFT_PX.toFixed(1)} * uPx * 2.0 / uViewH * gl_Position.w;
    gl_PointSize = ${MARKER_PX.toFixed(1)} * uPx;
  }
`;

const FRAGMENT = /* glsl */ `
  uniform float uStale;
  varying vec3 vColor;
  varying float vBlink;
  varying float vUnack;
  varying float vShape;
  void main() {
    vec2 q = abs(gl_PointCoord - 0.5) * 2.0;
    vec2 u = vec2(gl_PointCoord.x - 0.5, 0.5 - gl_PointCoord.y) * 2.0; // y up, -1..1
    // One shape per priority, d: 0 center .. 1 edge. Triangle (critical), diamond, square, circle (low).
    float tri = max((abs(u.x) * 1.8 + 0.95 * u.y) / 0.95, -u.y / 0.8);
    float d = vShape < 0.5 ? tri
      : vShape < 1.5 ? q.x + q.y
      : vShape < 2.5 ? max(q.x, q.y) / 0.84
      : length(u) / 0.92;
    float aa = fwidth(d);
    float body = 1.0 - smoothstep(1.0 - aa, 1.0, d);
    if (body < 0.01) discard;
    float rim = smoothstep(0.74 - aa, 0.74 + aa, d);
    // Exclamation mark: a bar and a dot, dark on the priority color.
    float bar = step(q.x, 0.09) * step(gl_PointCoord.y, 0.62) * step(0.22, gl_PointCoord.y);
    float dot_ = step(length(gl_PointCoord - vec2(0.5, 0.74)), 0.07);
    float mark = max(bar, dot_);
    vec3 rimColor = mix(vec3(0.08, 0.09, 0.1), vec3(1.0), vUnack);
    vec3 rgb = mix(mix(vColor, rimColor, rim), vec3(0.08, 0.09, 0.1), mark);
    // Blink: the body fades to its rim (the marker never disappears).
    float alpha = body * mix(1.0, 0.35 + 0.65 * rim, vBlink);
    gl_FragColor = vec4(rgb, alpha);
    ${STALE_GLSL}
    #include <colorspace_fragment>
  }
`;

interface Built {
  points: Points;
  geometry: BufferGeometry;
  material: ShaderMaterial;
  position: BufferAttribute;
  color: BufferAttribute;
  blink: BufferAttribute;
  shape: BufferAttribute;
  /** Equipment index and shown alarm per marker. */
  equipment: Int32Array;
  alarmIds: string[];
  priorities: AlarmPriority[];
  count: number;
  /** Markers on moving equipment (indices into the marker list). */
  mobile: Int32Array;
  mobileCount: number;
}

/**
 * A marker in its highest alarm's priority color and shape (triangle, diamond, square, circle: the
 * priority reads without color too) above every piece of equipment with a standing alarm,
 * blinking while any of its alarms is unacknowledged (with reduced motion: a steady light rim
 * instead). All shapes in one Points draw call (the shape is a vertex attribute), drawn
 * over everything, constant size on screen. Rebuilt only when the alarm set changes (store
 * subscription, outside React); per frame only markers on moving equipment are re-placed.
 * Clicking a marker selects the equipment and opens its alarm in the list.
 */
export function AlarmMarkers({ plant, buffer, res }: AlarmMarkersProps) {
  const dpr = useThree((s) => s.viewport.dpr);
  const get = useThree((s) => s.get);
  const n = Math.max(plant.count, 1);
  const built = useMemo<Built>(() => {
    const geometry = new BufferGeometry();
    const position = new BufferAttribute(new Float32Array(n * 3), 3).setUsage(DynamicDrawUsage);
    const color = new BufferAttribute(new Float32Array(n * 3), 3).setUsage(DynamicDrawUsage);
    const blink = new BufferAttribute(new Float32Array(n), 1).setUsage(DynamicDrawUsage);
    const shape = new BufferAttribute(new Float32Array(n), 1).setUsage(DynamicDrawUsage);
    geometry.setAttribute('position', position);
    geometry.setAttribute('color', color);
    geometry.setAttribute('aBlink', blink);
    geometry.setAttribute('aShape', shape);
    geometry.setDrawRange(0, 0);
    geometry.boundingSphere = plant.sphere.clone();
    const material = new ShaderMaterial({
      vertexShader: VERTEX,
      fragmentShader: FRAGMENT,
      uniforms: {
        uTime: { value: 0 },
        uPx: { value: 1 },
        uViewH: { value: 1000 },
        uStale: res.stale,
        uReduced: { value: prefersReducedMotion() ? 1 : 0 },
      },
      transparent: true,
      depthTest: false,
      depthWrite: false,
    });
    const points = new Points(geometry, material);
    points.frustumCulled = false;
    points.matrixAutoUpdate = false;
    points.renderOrder = 30; // above the state beacons (20)
    points.name = 'alarmMarkers';
    return {
      points,
      geometry,
      material,
      position,
      color,
      blink,
      shape,
      equipment: new Int32Array(n),
      alarmIds: [],
      priorities: [],
      count: 0,
      mobile: new Int32Array(n),
      mobileCount: 0,
    };
  }, [n, plant, res]);

  useEffect(
    () => () => {
      built.geometry.dispose();
      built.material.dispose();
    },
    [built],
  );

  // Rebuild on alarm changes, outside React render.
  useEffect(() => {
    const rebuild = () => rebuildMarkers(built, plant, buffer, useAlarmStore.getState().alarms);
    rebuild();
    return useAlarmStore.subscribe((s, prev) => {
      if (s.alarms !== prev.alarms) rebuild();
    });
  }, [built, plant, buffer]);

  // Screen-space picking: markers keep their pixel size, so a world-space threshold would not do.
  useEffect(() => {
    built.points.raycast = (_raycaster: Raycaster, intersects: Intersection[]) => {
      const { camera, size, pointer } = get();
      const px = pointer.x * size.width * 0.5;
      const py = pointer.y * size.height * 0.5;
      const r = MARKER_PX / 2 + PICK_SLACK_PX;
      let best = -1;
      let bestD = r;
      for (let k = 0; k < built.count; k++) {
        const a = built.position.array as Float32Array;
        _v.set(a[k * 3], a[k * 3 + 1], a[k * 3 + 2]).project(camera);
        if (_v.z > 1 || _v.z < -1) continue;
        const d = Math.hypot(_v.x * size.width * 0.5 - px, _v.y * size.height * 0.5 + LIFT_PX - py);
        if (d <= bestD) {
          bestD = d;
          best = k;
        }
      }
      if (best < 0) return;
      const a = built.position.array as Float32Array;
      // Distance 0: a marker is drawn over everything, so it wins over the equipment behind it.
      intersects.push({
        distance: 0,
        point: new Vector3(a[best * 3], a[best * 3 + 1], a[best * 3 + 2]),
        index: best,
        object: built.points,
      });
    };
  }, [built, get]);

  // Test/kiosk view of the markers (allocates; never called in the frame loop).
  useEffect(() => {
    diagnostics.alarmMarkers = (): AlarmMarkerView[] => {
      const { camera, gl } = get();
      const rect = gl.domElement.getBoundingClientRect();
      const a = built.position.array as Float32Array;
      const out: AlarmMarkerView[] = [];
      for (let k = 0; k < built.count; k++) {
        _v.set(a[k * 3], a[k * 3 + 1], a[k * 3 + 2]).project(camera);
        const on = _v.z <= 1 && _v.z >= -1 && Math.abs(_v.x) <= 1 && Math.abs(_v.y) <= 1;
        out.push({
          equipmentId: buffer.ids[built.equipment[k]],
          alarmId: built.alarmIds[k],
          priority: built.priorities[k],
          shape: priorityShape[built.priorities[k]],
          blinking: (built.blink.array as Float32Array)[k] > 0,
          screen: on
            ? {
                x: rect.left + ((_v.x + 1) / 2) * rect.width,
                y: rect.top + ((1 - _v.y) / 2) * rect.height - LIFT_PX,
              }
            : null,
        });
      }
      return out;
    };
    return () => {
      diagnostics.alarmMarkers = () => [];
    };
  }, [built, buffer, get]);

  useFrame((state) => {
    const u = built.material.uniforms;
    u.uTime.value = state.clock.elapsedTime;
    u.uPx.value = dpr;
    u.uViewH.value = state.size.height * dpr;
    if (built.mobileCount === 0) return;
    const now = performance.now();
    const pos = built.position.array as Float32Array;
    for (let m = 0; m < built.mobileCount; m++) {
      const k = built.mobile[m];
      place(plant, buffer, built.equipment[k], now, pos, k);
    }
    built.position.needsUpdate = true;
  });

  const open = (e: ThreeEvent<MouseEvent>, fly: boolean) => {
    if (e.index === undefined || e.index >= built.count) return;
    e.stopPropagation();
    const id = buffer.ids[built.equipment[e.index]];
    if (fly) useSelectionStore.getState().flyToEquipment(id);
    else useSelectionStore.getState().select(id);
    useAlarmUiStore.getState().focusAlarm(built.alarmIds[e.index]);
  };

  return (
    <primitive
      object={built.points}
      onClick={(e: ThreeEvent<MouseEvent>) => open(e, false)}
      onDoubleClick={(e: ThreeEvent<MouseEvent>) => open(e, true)}
    />
  );
}

/** Rebuilds the marker list from the alarms (runs on alarm changes only, never per frame). */
function rebuildMarkers(
  b: Built,
  plant: PlantIndex,
  buffer: TwinBuffer,
  alarms: ReadonlyMap<string, Alarm>,
): void {
  // Per equipment: its most urgent shown alarm (newest on ties), and whether any is unacknowledged.
  const top = new Map<number, { alarm: Alarm; blink: boolean }>();
  for (const a of alarms.values()) {
    if (!SHOWN.has(a.state)) continue;
    const i = buffer.indexById.get(a.equipmentId);
    if (i === undefined) continue;
    const unacked = a.state !== 'acknowledged';
    const cur = top.get(i);
    if (!cur) top.set(i, { alarm: a, blink: unacked });
    else {
      const r = RANK[a.priority] - RANK[cur.alarm.priority];
      if (r < 0 || (r === 0 && a.raisedAt > cur.alarm.raisedAt)) cur.alarm = a;
      cur.blink ||= unacked;
    }
  }
  const now = performance.now();
  const pos = b.position.array as Float32Array;
  const col = b.color.array as Float32Array;
  const blink = b.blink.array as Float32Array;
  const shapes = b.shape.array as Float32Array;
  let k = 0;
  let m = 0;
  b.alarmIds.length = 0;
  b.priorities.length = 0;
  for (const [i, t] of top) {
    b.equipment[k] = i;
    b.alarmIds.push(t.alarm.id);
    b.priorities.push(t.alarm.priority);
    place(plant, buffer, i, now, pos, k);
    _c.set(priorityColor[t.alarm.priority]);
    col[k * 3] = _c.r;
    col[k * 3 + 1] = _c.g;
    col[k * 3 + 2] = _c.b;
    blink[k] = t.blink ? 1 : 0;
    shapes[k] = SHAPE_INDEX[priorityShape[t.alarm.priority]];
    if (plant.isMobile[i]) b.mobile[m++] = k;
    k++;
  }
  b.count = k;
  b.mobileCount = m;
  b.geometry.setDrawRange(0, k);
  b.position.needsUpdate = true;
  b.color.needsUpdate = true;
  b.blink.needsUpdate = true;
  b.shape.needsUpdate = true;
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
