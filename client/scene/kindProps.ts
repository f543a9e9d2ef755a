import type { TwinBuffer } from '../state/twinBuffer';
import type { PlantIndex } from './plantIndex';
import type { SceneResources } from './sceneResources';

/** What every per-kind equipment component receives. */
export interface KindProps {
  /** The scene's index of the current layout. */
  plant: PlantIndex;
  /** The live twin buffer (read inside useFrame only). */
  buffer: TwinBuffer;
  /** Shared materials. */
  res: SceneResources;
}
