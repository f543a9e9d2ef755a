import { DoubleSide, type Material, MeshBasicMaterial, MeshStandardMaterial } from 'three';
import { patchQualityMarks } from './qualityMaterial';
import type { ModelMask } from './stateTint';

/**
 * Materials shared by every equipment part, created once per scene and disposed with it.
 *
 * Stale data must never look live (DESIGN, visual language): every equipment material gets the
 * same `uStale` uniform (0 live .. 1 stale) that desaturates and dims its final color in the
 * shader. One uniform write per frame grays the whole plant, whatever its size.
 */
export interface SceneResources {
  /** Opaque equipment: baked vertex tones × per-instance state color. */
  readonly solid: MeshStandardMaterial;
  /** Faint floor overlays per instance (coverage discs). */
  readonly faint: MeshBasicMaterial;
  /** Thin floor rings per instance (coverage edges). */
  readonly ring: MeshBasicMaterial;
  /** Shared stale factor (0..1) driven by StaleFade. */
  readonly stale: { value: number };
  /** Device pixels per CSS pixel, for screen-space patterns (the data-mark hatching); set by the scene. */
  readonly px: { value: number };
  /** Equipment drawn by an uploaded model (its built-in parts are hidden); sized and set by PlantModels. */
  readonly modelled: ModelMask;
  /** Applies the stale patch to a material this scene creates elsewhere (e.g. with its own shader hooks). */
  patch<M extends Material>(material: M): M;
  dispose(): void;
}

/** GLSL appended after the material's own output: gray and dim by `uStale` (luma weights BT.709). */
export const STALE_GLSL = `
  float staleLuma = dot(gl_FragColor.rgb, vec3(0.2126, 0.7152, 0.0722));
  gl_FragColor.rgb = mix(gl_FragColor.rgb, vec3(staleLuma) * 0.62, uStale * 0.88);
`;

/** Creates the scene's shared materials. */
export function createSceneResources(): SceneResources {
  const stale = { value: 0 };
  const px = { value: 1 };
  const created: Material[] = [];

  function patch<M extends Material>(material: M): M {
    const previous = material.onBeforeCompile;
    material.onBeforeCompile = (shader, renderer) => {
      previous.call(material, shader, renderer);
      shader.uniforms.uStale = stale;
      shader.fragmentShader = `uniform float uStale;\n${shader.fragmentShader.replace(
        '#include <dithering_fragment>',
        `#include <dithering_fragment>\n${STALE_GLSL}`,
      )}`;
    };
    const key = material.customProgramCacheKey.bind(material);
    material.customProgramCacheKey = () => `${key()}|stale`;
    return material;
  }

  // Equipment parts draw their data mark (stale, uncertain, stand-in) per instance: see qualityMaterial.ts.
  const solid = patch(
    patchQualityMarks(
      new MeshStandardMaterial({
        vertexColors: true,
        roughness: 0.62,
        metalness: 0.12,
        envMapIntensity: 0.55,
      }),
      px,
    ),
  );
  const faint = patch(
    new MeshBasicMaterial({ transparent: true, opacity: 0.022, depthWrite: false, side: DoubleSide }),
  );
  const ring = patch(new MeshBasicMaterial({ transparent: true, opacity: 0.085, depthWrite: false }));
  created.push(solid, faint, ring);

  return {
    solid,
    faint,
    ring,
    stale,
    px,
    modelled: { mask: new Uint8Array(0), version: 0 },
    patch,
    dispose() {
      for (const m of created) m.dispose();
    },
  };
}
