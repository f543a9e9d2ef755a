import { useFrame } from '@react-three/fiber';
import { useConnectionStore } from '../state/connectionStore';
import type { TwinBuffer } from '../state/twinBuffer';
import type { SceneResources } from './sceneResources';

/** Props of StaleFade. */
export type StaleFadeProps = {
  buffer: TwinBuffer;
  res: SceneResources;
};

/** Fade speed of the stale gray, 1/s (about a third of a second, visible but not jumpy). */
const FADE_PER_S = 3;

/**
 * Grays the whole plant when its data is not live (socket reconnecting, no frame for a while):
 * eases the shared `uStale` uniform toward 1, back to 0 when frames flow again.
 */
export function StaleFade({ buffer, res }: StaleFadeProps) {
  useFrame((_, delta) => {
    const status = useConnectionStore.getState().status;
    const stale = status === 'stale' || status === 'reconnecting' || buffer.isStale(performance.now());
    const target = stale ? 1 : 0;
    const step = Math.min(delta, 0.1) * FADE_PER_S;
    const v = res.stale.value;
    res.stale.value = v < target ? Math.min(target, v + step) : Math.max(target, v - step);
  });
  return null;
}
