import type { SimWorld } from './state';
import type { World } from './types';

/** Production lines as a scenario's scoring sees them: ids, and whether each moves product. */

/** Line ids in line-slot order (the order linesRunningInto writes). */
export function lineIds(world: World): string[] {
  return (world as SimWorld).lines.map((l) => l.id);
}

/** Writes 1 per line that moved product in the last step, else 0, into `out` (one per line); returns it. */
export function linesRunningInto(world: World, out: Uint8Array): Uint8Array {
  const lines = (world as SimWorld).lines;
  for (let i = 0; i < lines.length; i++) out[i] = lines[i].running ? 1 : 0;
  return out;
}
