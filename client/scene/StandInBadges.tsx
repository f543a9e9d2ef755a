import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import {
  BufferAttribute,
  BufferGeometry,
  type CanvasTexture,
  DynamicDrawUsage,
  LinearFilter,
  Points,
  ShaderMaterial,
  Vector2,
} from 'three';
import { useLocaleStore } from '../i18n/localeStore';
import { translate } from '../i18n/messages';
import { isStandIn, markQuality } from '../state/dataMark';
import { type DataMarkView, diagnostics } from '../state/diagnostics';
import type { TwinBuffer } from '../state/twinBuffer';
import { marksChanged, standInEquipment } from './dataMarks';
import type { PlantIndex } from './plantIndex';
import { localToWorld } from './poseMath';
import type { SceneResources } from './sceneResources';
import { STALE_GLSL } from './sceneResources';
import { paintStandInLabel, standInTexture } from './standInLabel';

/** Props of StandInBadges. */
export type StandInBadgesProps = {
  plant: PlantIndex;
  buffer: TwinBuffer;
  res: SceneResources;
};

/** The badge hangs this far above the equipment's beacon point, CSS px (clear of the alarm marker). */
const LIFT_PX = 44;
/**
 * Badges show on stand-ins near the camera only, fading out between these distances (m): a plant
 * left to the simulation would otherwise be a carpet of labels in the overview, where the ghosted
 * bodies already tell it. Close up, where someone reads values, every stand-in says so.
 */
const BADGE_NEAR_M = 30;
const BADGE_FAR_M = 45;

/** The console's Chinese face, how to test it has the badge's glyphs, and how long to wait for it. */
const CJK_FAMILY = 'Noto Sans SC';
const STAND_IN_SAMPLE = translate('zh-CN', 'quality.standInBadge');
const CJK_RETRY_MS = 500;
const CJK_TRIES = 40;

/**
 * Whether Noto Sans SC is declared and can draw `text` now (`fonts.check` alone says true when no
 * face of the family exists at all).
 */
function cjkFontReady(text: string): boolean {
  const faces = [...document.fonts].some(
    (f) => f.family.replace(/["']/g, '') === CJK_FAMILY && f.status === 'loaded',
  );
  return faces && document.fonts.check(`700 11px "${CJK_FAMILY}"`, text);
}

const _pose = new Float32Array(4);
const _p = new Float32Array(3);

const VERTEX = /* glsl */ `
  uniform float uPx;
  uniform float uSide;
  uniform vec2 uView;
  varying float vShow;
  void main() {
    vec4 mv = modelViewMatrix * vec4(position, 1.0);
    vShow = 1.0 - smoothstep(${BADGE_NEAR_M.toFixed(1)}, ${BADGE_FAR_M.toFixed(1)}, -mv.z);
    gl_Position = projectionMatrix * mv;
    gl_Position.y += ${LIFT_PX.toFixed(1)} * uPx * 2.0 / uView.y * gl_Position.w;
    gl_PointSize = vShow > 0.01 ? uSide * uPx : 0.0;
  }
`;

const FRAGMENT = /* glsl */ `
  uniform sampler2D uMap;
  uniform float uStale;
  varying float vShow;
  void main() {
    vec4 c = texture2D(uMap, vec2(gl_PointCoord.x, 1.0 - gl_PointCoord.y));
    c.a *= vShow;
    if (c.a < 0.02) discard;
    gl_FragColor = c;
    ${STALE_GLSL}
    #include <colorspace_fragment>
  }
`;

interface Built {
  points: Points;
  geometry: BufferGeometry;
  material: ShaderMaterial;
  texture: CanvasTexture;
  canvas: HTMLCanvasElement;
  position: BufferAttribute;
  /** Equipment index per badge. */
  equipment: Int32Array;
  count: number;
  /** Badges on moving equipment (indices into the badge list). */
  mobile: Int32Array;
  mobileCount: number;
  /** Marks as last seen, per equipment. */
  last: Uint8Array;
}

/** Never picked: a click goes to the equipment behind the badge. */
const noRaycast = () => {};

/**
 * A small "Simulated" / "仿真" badge above every simulated stand-in near the camera (equipment the
 * sources file leaves to the simulation, `unmapped: simulate`), so a ghosted machine is never taken
 * for real data: one Points draw call, constant size on screen, drawn over everything; invisible (no draw
 * call) when there is none. Rebuilt only when data marks change; per frame only badges on moving
 * equipment are re-placed. Also keeps the shared pixel-ratio uniform of the mark patterns current.
 */
export function StandInBadges({ plant, buffer, res }: StandInBadgesProps) {
  const dpr = useThree((s) => s.viewport.dpr);
  const n = Math.max(plant.count, 1);
  const built = useMemo<Built>(() => {
    const geometry = new BufferGeometry();
    const position = new BufferAttribute(new Float32Array(n * 3), 3).setUsage(DynamicDrawUsage);
    geometry.setAttribute('position', position);
    geometry.setDrawRange(0, 0);
    geometry.boundingSphere = plant.sphere.clone();
    const canvas = document.createElement('canvas');
    const texture = standInTexture(canvas);
    texture.minFilter = LinearFilter;
    const material = new ShaderMaterial({
      vertexShader: VERTEX,
      fragmentShader: FRAGMENT,
      uniforms: {
        uPx: { value: 1 },
        uSide: { value: 0 },
        uView: { value: new Vector2(1000, 1000) },
        uMap: { value: texture },
        uStale: res.stale,
      },
      transparent: true,
      depthTest: false,
      depthWrite: false,
    });
    const points = new Points(geometry, material);
    points.frustumCulled = false;
    points.matrixAutoUpdate = false;
    points.renderOrder = 32; // over the alarm markers (30) and SIM tags (31)
    points.visible = false;
    points.raycast = noRaycast;
    points.name = 'standInBadges';
    return {
      points,
      geometry,
      material,
      texture,
      canvas,
      position,
      equipment: new Int32Array(n),
      count: 0,
      mobile: new Int32Array(n),
      mobileCount: 0,
      last: new Uint8Array(plant.count).fill(255),
    };
  }, [n, plant, res]);

  useEffect(
    () => () => {
      built.geometry.dispose();
      built.material.dispose();
      built.texture.dispose();
    },
    [built],
  );

  // The badge's word in the reader's language, repainted when it changes, and in Chinese again once
  // the console's Noto Sans SC can draw it (its CSS and glyph subset load after the switch; a canvas
  // painted before keeps the fallback's empty boxes).
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const paint = () => {
      if (!live) return;
      const locale = useLocaleStore.getState().locale;
      const side = paintStandInLabel(
        built.canvas,
        translate(locale, 'quality.standInBadge'),
        locale === 'zh-CN',
      );
      built.material.uniforms.uSide.value = side;
      built.texture.dispose(); // the canvas may have changed size: a new GPU texture
      built.texture.needsUpdate = true;
    };
    const paintWhenCjkReady = (tries: number) => {
      if (!live || useLocaleStore.getState().locale !== 'zh-CN') return;
      if (cjkFontReady(STAND_IN_SAMPLE)) {
        paint();
        return;
      }
      void document.fonts.load(`700 11px "${CJK_FAMILY}"`, STAND_IN_SAMPLE).catch(() => {});
      if (tries > 0) timer = setTimeout(() => paintWhenCjkReady(tries - 1), CJK_RETRY_MS);
    };
    const repaint = () => {
      if (timer !== undefined) clearTimeout(timer);
      paint();
      if (typeof document !== 'undefined' && document.fonts) paintWhenCjkReady(CJK_TRIES);
    };
    repaint();
    const unsubscribe = useLocaleStore.subscribe((s, prev) => {
      if (s.locale !== prev.locale) repaint();
    });
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
      unsubscribe();
    };
  }, [built]);

  useEffect(() => {
    res.px.value = dpr;
  }, [res, dpr]);

  // Test view of what is drawn (allocates; never called in the frame loop).
  useEffect(() => {
    diagnostics.dataMarks = () => {
      const out: DataMarkView[] = [];
      for (let i = 0; i < buffer.count; i++) {
        const m = built.last[i] === 255 ? 0 : built.last[i];
        if (m === 0) continue;
        out.push({ equipmentId: buffer.ids[i], quality: markQuality(m), standIn: isStandIn(m) });
      }
      return out;
    };
    return () => {
      diagnostics.dataMarks = () => [];
    };
  }, [built, buffer]);

  let seenVersion = -1;
  useFrame((state) => {
    const b = built;
    const now = performance.now();
    if (buffer.version !== seenVersion) {
      seenVersion = buffer.version;
      if (marksChanged(buffer.mark, b.last)) rebuild(b, plant, buffer, now);
    }
    if (b.count === 0) return;
    const u = b.material.uniforms;
    u.uPx.value = dpr;
    (u.uView.value as Vector2).set(state.size.width * dpr, state.size.height * dpr);
    if (b.mobileCount === 0) return;
    const pos = b.position.array as Float32Array;
    for (let m = 0; m < b.mobileCount; m++) {
      const k = b.mobile[m];
      place(plant, buffer, b.equipment[k], now, pos, k);
    }
    b.position.needsUpdate = true;
  });

  return <primitive object={built.points} />;
}

/** Rebuilds the badge list from the marks (runs only when some mark changed). */
function rebuild(b: Built, plant: PlantIndex, buffer: TwinBuffer, now: number): void {
  b.count = standInEquipment(buffer.mark, b.equipment);
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
}

/** Writes equipment i's beacon point into out[k]. */
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
