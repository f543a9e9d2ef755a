import { useLayoutEffect } from 'react';
import { Matrix4 } from 'three';
import { flushPart, type Part, setMatrix } from './instancedPart';
import type { PlantIndex } from './plantIndex';
import { layoutPoseMatrix } from './poseMath';

const _m = new Matrix4();

/**
 * Writes each one-per-equipment part of a static kind at its layout pose, once per plant (static
 * equipment never moves; DESIGN principle 7). Parts with several instances per equipment, and
 * those listed in `except`, are placed by the kind itself.
 */
export function useStaticPlacement(
  plant: PlantIndex,
  indices: Int32Array,
  parts: Record<string, Part>,
  except: readonly string[] = [],
): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: `except` is a constant list per kind.
  useLayoutEffect(() => {
    for (const [name, part] of Object.entries(parts)) {
      if (part.first || except.includes(name)) continue;
      for (let k = 0; k < indices.length; k++) setMatrix(part, k, layoutPoseMatrix(_m, plant, indices[k]));
      flushPart(part);
    }
  }, [plant, indices, parts]);
}
