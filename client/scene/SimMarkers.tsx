import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import {
  BufferAttribute,
  BufferGeometry,
  Color,
  DynamicDrawUsage,
  Points,
  ShaderMaterial,
  Vector2,
} from 'three';
import { useAlarmStore } from '../state/alarmStore';
import { diagnostics } from '../state/diagnostics';
import type { TwinBuffer } from '../state/twinBuffer';
import type { PlantIndex } from './plantIndex';
import { localToWorld } from './poseMath';
import type { SceneResources } from './sceneResources';
import { STALE_GLSL } from './sceneResources';
import { SIM_GLYPH_BITS, SIM_GLYPH_COLS, SIM_GLYPH_ROWS, simulatedEquipment } from './simMarkerSet';

/** Props of SimMarkers. */
export type SimMarkersProps = {
  plant: PlantIndex;
  buffer: TwinBuffer;
  res: SceneResources;
};

/** Tag size, CSS px (the point sprite is TAG_W square; the tag is a TAG_H band across it). */
const TAG_W = 34;
const TAG_H = 15;
/** One glyph cell, CSS px. */
const CELL = 1.8;
/** Tag center relative to the equipment's beacon, CSS px: right of the alarm marker (20 px diamond lifted 20 px). */
const OFFSET_X = 10 + 4 + TAG_W / 2;
const LIFT_PX = 20;
/** Steel blue of the SIM tag (CSS --sim), in the renderer's working (linear) color space. */
const SIM_COLOR = new Color('#8fb3d9');
const SIM_RGB = [SIM_COLOR.r, SIM_COLOR.g, SIM_COLOR.b].map((v) => v.toFixed(4)).join(', ');

const _pose = new Float32Array(4);
const _p = new Float32Array(3);

const VERTEX = /* glsl */ `
  uniform float uPx;
  uniform vec2 uView;
  void main() {
    gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
    // Beside the alarm marker, in screen space, at any distance.
    gl_Position.x += ${OFFSET_X.toFixed(1)} * uPx * 2.0 / uView.x * gl_Position.w;
    gl_Position.y += ${LIFT_PX.toFixed(1)} * uPx * 2.0 / uView.y * gl_Position.w;
    gl_PointSize = ${TAG_W.toFixed(1)} * uPx;
  }
`;

const [R0, R1, R2, R3, R4] = SIM_GLYPH_BITS.map((b) => b.toFixed(1));
const TEXT_W = SIM_GLYPH_COLS * CELL;
const TEXT_H = SIM_GLYPH_ROWS * CELL;

const FRAGMENT = /* glsl */ `
  uniform float uStale;
  void main() {
    // CSS px inside the sprite, origin top-left.
    vec2 p = gl_PointCoord * ${TAG_W.toFixed(1)};
    vec2 q = abs(p - vec2(${(TAG_W / 2).toFixed(1)}, ${(TAG_W / 2).toFixed(1)}));
    vec2 half_ = vec2(${(TAG_W / 2 - 0.5).toFixed(1)}, ${(TAG_H / 2).toFixed(1)});
    if (q.x > half_.x || q.y > half_.y) discard;
    // Dashed 1 px border (2 px dash, 2 px gap), like the SIM tag in the lists.
    vec2 edge = half_ - q;
    float onH = step(edge.y, 1.0) * step(0.5, fract(p.x / 4.0));
    float onV = step(edge.x, 1.0) * step(0.5, fract(p.y / 4.0));
    float border = max(onH, onV);
    // "SIM" from a 13x5 cell bitmap.
    vec2 t = (p - vec2(${((TAG_W - TEXT_W) / 2).toFixed(2)}, ${((TAG_W - TEXT_H) / 2).toFixed(2)})) / ${CELL.toFixed(2)};
    float glyph = 0.0;
    if (t.x >= 0.0 && t.y >= 0.0 && t.x < ${SIM_GLYPH_COLS.toFixed(1)} && t.y < ${SIM_GLYPH_ROWS.toFixed(1)}) {
      float row = floor(t.y);
      float bits = row < 0.5 ? ${R0} : row < 1.5 ? ${R1} : row < 2.5 ? ${R2} : row < 3.5 ? ${R3} : ${R4};
      glyph = mod(floor(bits / exp2(floor(t.x))), 2.0);
    }
    vec3 sim = vec3(${SIM_RGB});
    float ink = max(border, glyph);
    vec3 rgb = mix(vec3(0.08, 0.09, 0.1), sim, ink);
    gl_FragColor = vec4(rgb, mix(0.82, 1.0, ink));
    ${STALE_GLSL}
    #include <colorspace_fragment>
  }
`;

interface Built {
  points: Points;
  geometry: BufferGeometry;
  material: ShaderMaterial;
  position: BufferAttribute;
  /** Equipment index per tag. */
  equipment: Int32Array;
  count: number;
  /** Tags on moving equipment (indices into the tag list). */
  mobile: Int32Array;
  mobileCount: number;
}

/** Never picked: a click goes to the alarm marker or the equipment behind the tag. */
const noRaycast = () => {};

/**
 * A small dashed steel-blue "SIM" tag beside the alarm marker of every piece of equipment with a
 * shown simulated alarm (training): one Points draw call, constant size on screen, drawn over
 * everything. Rebuilt only when the alarm set changes (store subscription, outside React); per
 * frame only tags on moving equipment are re-placed. Invisible with no tags, so outside training
 * it costs no draw call.
 */
export function SimMarkers({ plant, buffer, res }: SimMarkersProps) {
  const dpr = useThree((s) => s.viewport.dpr);
  const n = Math.max(plant.count, 1);
  const built = useMemo<Built>(() => {
    const geometry = new BufferGeometry();
    const position = new BufferAttribute(new Float32Array(n * 3), 3).setUsage(DynamicDrawUsage);
    geometry.setAttribute('position', position);
    geometry.setDrawRange(0, 0);
    geometry.boundingSphere = plant.sphere.clone();
    const material = new ShaderMaterial({
      vertexShader: VERTEX,
      fragmentShader: FRAGMENT,
      uniforms: { uPx: { value: 1 }, uView: { value: new Vector2(1000, 1000) }, uStale: res.stale },
      transparent: true,
      depthTest: false,
      depthWrite: false,
    });
    const points = new Points(geometry, material);
    points.frustumCulled = false;
    points.matrixAutoUpdate = false;
    points.renderOrder = 31; // beside the alarm markers (30)
    points.visible = false;
    points.raycast = noRaycast;
    points.name = 'simMarkers';
    return {
      points,
      geometry,
      material,
      position,
      equipment: new Int32Array(n),
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
    const rebuild = () => {
      const b = built;
      b.count = simulatedEquipment(useAlarmStore.getState().alarms, buffer.indexById, b.equipment);
      const now = performance.now();
      const pos = b.position.array as Float32Array;
      let m = 0;
      for (let k = 0; k < b.count; k++) {
        const i = b.equipment[k];
        place(plant, buffer, i, now, pos, k);
        if (plant.isMobile[i]) b.mobile[m++] = k;
      }
      b.mobileCount = m;
      b.geometry.setDrawRange(0, b.count);
      b.points.visible = b.count > 0;
      b.position.needsUpdate = true;
    };
    rebuild();
    return useAlarmStore.subscribe((s, prev) => {
      if (s.alarms !== prev.alarms) rebuild();
    });
  }, [built, plant, buffer]);

  // Test view of the tags: equipment ids (allocates; never called in the frame loop).
  useEffect(() => {
    diagnostics.simMarkers = () => Array.from(built.equipment.subarray(0, built.count), (i) => buffer.ids[i]);
    return () => {
      diagnostics.simMarkers = () => [];
    };
  }, [built, buffer]);

  useFrame((state) => {
    const b = built;
    if (b.count === 0) return;
    const u = b.material.uniforms;
    u.uPx.value = dpr;
    (u.uView.value as Vector2).set(state.size.width * dpr, state.size.height * dpr);
    if (b.mobileCount === 0) return;
    const now = performance.now();
    const pos = b.position.array as Float32Array;
    for (let m = 0; m < b.mobileCount; m++) {
      const k = b.mobile[m];
      place(plant, buffer, b.equipment[k], now, pos, k);
    }
    b.position.needsUpdate = true;
  });

  return <primitive object={built.points} />;
}

/** Writes equipment i's beacon point (where its alarm marker hangs) into out[k]. */
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
