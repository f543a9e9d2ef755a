import { Color, type Material } from 'three';
import { qualityColor } from '../theme';

/**
 * Draws each instance's data mark on the shared equipment material, in the shader, per instance
 * (the `aMark` attribute every part carries, see instancedPart.ts): no extra mesh, no extra draw
 * call, whatever the plant size. The mark code is the frame's MARK_* bits (0..7):
 *
 * - quality stale (3) or bad (2): the state color is dropped for a gray by luma with 45° hatching
 *   (bad cross-hatched), so a machine whose data stopped is never shown in a healthy tone;
 * - uncertain (1): its colors stay, with sparse muted-amber dashes over them;
 * - stand-in (bit 2): a steel-blue ghost, half its pixels cut away (screen-door transparency: an
 *   opaque pass with no sorting, so instancing stays intact).
 *
 * The patterns are procedural in screen space (CSS px via `uPx`) rather than a stripe texture: the
 * merged part geometries carry no UVs, and screen-space lines keep one width at any distance.
 * Nothing animates (reduced motion needs no special case).
 */

/** sRGB triple of a CSS color as GLSL (the patch runs after the output color-space conversion). */
function glslRgb(css: string): string {
  const c = new Color(css);
  // Color stores linear values; the patched code runs on the already converted (sRGB) output.
  const srgb = c.clone().convertLinearToSRGB();
  return `vec3(${srgb.r.toFixed(4)}, ${srgb.g.toFixed(4)}, ${srgb.b.toFixed(4)})`;
}

/** Hatch period and line width, CSS px. */
const HATCH_PERIOD = 8;
const HATCH_WIDTH = 2.2;
/** Uncertain dashes: diagonal lines every 12 px, dashes 5 px on / 5 px off. */
const DASH_PERIOD = 12;
const DASH_LENGTH = 10;

/** Vertex: declares and forwards the instance's mark (only instanced programs read the attribute). */
export const MARK_VERTEX_DECL = /* glsl */ `
#ifdef USE_INSTANCING
attribute float aMark;
#endif
varying float vMark;
`;

export const MARK_VERTEX_MAIN = /* glsl */ `
#ifdef USE_INSTANCING
  vMark = aMark;
#else
  vMark = 0.0;
#endif
`;

export const MARK_FRAGMENT_DECL = /* glsl */ `
uniform float uPx;
varying float vMark;
`;

/** Fragment: applied to the final output color (gl_FragColor, sRGB). */
export const MARK_FRAGMENT_MAIN = /* glsl */ `
  if (vMark > 0.5) {
    if (vMark > 7.5) discard; // MARK_HIDDEN: an uploaded model draws this equipment
    float markCode = floor(vMark + 0.5);
    float markQ = mod(markCode, 4.0);
    vec2 markPx = gl_FragCoord.xy / max(uPx, 1.0);
    if (markQ > 1.5) {
      float markLuma = dot(gl_FragColor.rgb, vec3(0.2126, 0.7152, 0.0722));
      vec3 markGray = vec3(0.34 + markLuma * 0.3);
      float markHatch = step(mod(markPx.x + markPx.y, ${HATCH_PERIOD.toFixed(1)}), ${HATCH_WIDTH.toFixed(1)});
      if (markQ < 2.5)
        markHatch = max(markHatch, step(mod(markPx.x - markPx.y, ${HATCH_PERIOD.toFixed(1)}), ${HATCH_WIDTH.toFixed(1)}));
      gl_FragColor.rgb = mix(markGray, ${glslRgb(qualityColor.hatch)}, markHatch * 0.85);
    } else if (markQ > 0.5) {
      float markLine = step(mod(markPx.x - markPx.y, ${DASH_PERIOD.toFixed(1)}), 1.6);
      float markDash = step(0.5, fract((markPx.x + markPx.y) / ${DASH_LENGTH.toFixed(1)}));
      gl_FragColor.rgb = mix(gl_FragColor.rgb, ${glslRgb(qualityColor.uncertain)}, markLine * markDash * 0.9);
    }
    if (markCode > 3.5) {
      vec2 markCell = mod(floor(gl_FragCoord.xy), 2.0);
      if (abs(markCell.x - markCell.y) < 0.5) discard;
      gl_FragColor.rgb = mix(gl_FragColor.rgb, ${glslRgb(qualityColor.standIn)}, 0.5);
    }
  }
`;

/**
 * Adds the data-mark look to a built-in material (MeshStandardMaterial and the like) whose
 * InstancedMeshes carry `aMark`. `px` is the shared device-pixel-ratio uniform (CSS px patterns).
 */
export function patchQualityMarks<M extends Material>(material: M, px: { value: number }): M {
  const previous = material.onBeforeCompile;
  material.onBeforeCompile = (shader, renderer) => {
    previous.call(material, shader, renderer);
    shader.uniforms.uPx = px;
    shader.vertexShader = shader.vertexShader
      .replace('#include <common>', `#include <common>\n${MARK_VERTEX_DECL}`)
      .replace('#include <begin_vertex>', `#include <begin_vertex>\n${MARK_VERTEX_MAIN}`);
    shader.fragmentShader = `${MARK_FRAGMENT_DECL}${shader.fragmentShader.replace(
      '#include <dithering_fragment>',
      `#include <dithering_fragment>\n${MARK_FRAGMENT_MAIN}`,
    )}`;
  };
  const key = material.customProgramCacheKey.bind(material);
  material.customProgramCacheKey = () => `${key()}|mark`;
  return material;
}
