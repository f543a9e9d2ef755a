import { Canvas } from '@react-three/fiber';
import { NeutralToneMapping, PCFShadowMap } from 'three';
import { usePlantStore } from '../state/plantStore';
import { useSelectionStore } from '../state/selectionStore';
import { palette } from '../theme';
import { PlantContent, type SceneQuality } from './PlantContent';
import { SHOWCASE_BACKGROUND } from './showcase/ShowcaseLighting';

/** Device pixel ratio cap: sharp on HiDPI control-room screens without paying for 2-3× pixels. */
const DPR: [number, number] = [1, 1.5];

/** Props of PlantScene. */
export type PlantSceneProps = {
  /** `showcase`: full materials, soft shadows, touring camera (the lobby screen). */
  quality?: SceneQuality;
};

/**
 * The plant in 3D, filling its container: one WebGL canvas with soft operator lighting and orbit
 * controls; draws the plant once a snapshot has delivered its layout. Clicking empty floor clears
 * the selection. Telemetry never re-renders this tree: components read the twin buffer per frame.
 */
export function PlantScene({ quality = 'operator' }: PlantSceneProps) {
  const showcase = quality === 'showcase';
  const background = showcase ? SHOWCASE_BACKGROUND : palette.background;
  const layout = usePlantStore((s) => s.layout);
  const buffer = usePlantStore((s) => s.buffer);
  return (
    <Canvas
      dpr={DPR}
      // One PCF shadow map (soft through the light's shadow.radius; three r18x removed PCFSoft).
      shadows={showcase ? { enabled: true, type: PCFShadowMap } : false}
      // Khronos PBR Neutral keeps the palette's hues (alarm red stays red) where ACES would shift them.
      gl={{ antialias: true, powerPreference: 'high-performance', toneMapping: NeutralToneMapping }}
      camera={{ fov: 40, near: 0.2, far: 2000, position: [60, 50, 80] }}
      onPointerMissed={(e) => {
        // A click (not a drag) on empty floor or sky.
        if (e.type === 'click') useSelectionStore.getState().select(null);
      }}
      style={{ position: 'absolute', inset: 0, background }}
    >
      <color attach="background" args={[background]} />
      {layout && buffer && <PlantContent layout={layout} buffer={buffer} quality={quality} />}
    </Canvas>
  );
}
