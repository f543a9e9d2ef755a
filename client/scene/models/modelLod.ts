/**
 * Level of detail per copy by its distance from the camera, m: closer than 30 m draws the full
 * model (lod 0), closer than 80 m the first simplified level (about 50 % of the vertices), farther
 * the coarsest (about 15 %). A control-room view of a whole hall sits 60-150 m away.
 */
export const MODEL_LOD_DISTANCES: readonly number[] = [30, 80];

/**
 * Hysteresis, m: a copy near a threshold keeps its level until it is this much past it, so a
 * slowly orbiting camera does not make models flicker between levels.
 */
export const MODEL_LOD_HYSTERESIS = 2;

/**
 * The level to draw at `distance` m, given the level shown now (`current`, -1 for none) and how
 * many levels the model has (at least 1). No allocation.
 */
export function lodForDistance(distance: number, levels: number, current = -1): number {
  let lod = 0;
  while (lod < MODEL_LOD_DISTANCES.length && distance >= MODEL_LOD_DISTANCES[lod]) lod++;
  if (current >= 0 && current !== lod) {
    // Within the band around the threshold between `current` and `lod`: stay.
    const edge = lod > current ? MODEL_LOD_DISTANCES[lod - 1] : MODEL_LOD_DISTANCES[lod];
    if (Math.abs(distance - edge) < MODEL_LOD_HYSTERESIS && Math.abs(lod - current) === 1) lod = current;
  }
  return Math.min(lod, Math.max(levels, 1) - 1);
}
