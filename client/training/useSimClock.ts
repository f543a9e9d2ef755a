import { useHudSample } from '../hud/useHudSample';
import { currentBuffer } from '../state/plantStore';

const readSim = () => Math.floor(currentBuffer()?.simTimeS ?? Number.NaN);
const asKey = (s: number) => String(s);

/** Whole sim seconds of the twin buffer, on the 1 Hz HUD tick (a commit only when it changes). */
export function useSimClock(): number {
  return useHudSample(readSim, asKey, []);
}
