import { Canvas } from '@react-three/fiber';
import { NeutralToneMapping } from 'three';
import { usePlantStore } from '../state/plantStore';
import { useSelectionStore } from '../state/selectionStore';
import { palette } from '../theme';
import { PlantContent } from './PlantContent';

/** Device pixel ratio cap: sharp on HiDPI control-room screens without paying for 2-3× pixels. */
const DPR: [number, number] = [1, 1.5];

/**
 * The plant in 3D, filling its container: one WebGL canvas with soft operator lighting and orbit
 * controls; draws the plant once a snapshot has delivered its layout. Clicking empty floor clears
 * the selection. Telemetry never re-renders this tree: components read the twin buffer per frame.
 */
export function PlantScene() {
  const layout = usePlantStore((s) => s.layout);
  const buffer = usePlantStore((s) => s.buffer);
  return (
    <Canvas
      dpr={DPR}
      // Khronos PBR Neutral keeps the palette's hues (alarm red stays red) where ACES would shift them.
      gl={{ antialias: true, powerPreference: 'high-performance', toneMapping: NeutralToneMapping }}
      camera={{ fov: 40, near: 0.2, far: 2000, position: [60, 50, 80] }}
      onPointerMissed={(e) => {
        // A click (not a drag) on empty floor or sky.
        if (e.type === 'click') useSelectionStore.getState().select(null);
      }}
      style={{ position: 'absolute', inset: 0, background: palette.background }}
    >
      <color attach="background" args={[palette.background]} />
      {layout && buffer && <PlantContent layout={layout} buffer={buffer} />}
    </Canvas>
  );
}
