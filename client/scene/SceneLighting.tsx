import { useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import { PMREMGenerator } from 'three';
import { RoomEnvironment } from 'three/examples/jsm/environments/RoomEnvironment.js';
import { palette } from '../theme';
import type { PlantIndex } from './plantIndex';

/** Props of SceneLighting. */
export type SceneLightingProps = {
  plant: PlantIndex | null;
};

/**
 * Soft, shadowless operator lighting: a sky/ground hemisphere, a warm key and a weak cool fill, a dim neutral
 * room environment for soft reflections (generated locally: no HDR download), and a fog that
 * fades the far plant into the background.
 */
export function SceneLighting({ plant }: SceneLightingProps) {
  const gl = useThree((s) => s.gl);
  const scene = useThree((s) => s.scene);

  useEffect(() => {
    const pmrem = new PMREMGenerator(gl);
    const room = new RoomEnvironment();
    const target = pmrem.fromScene(room, 0.04);
    scene.environment = target.texture;
    scene.environmentIntensity = 0.45;
    room.dispose();
    pmrem.dispose();
    return () => {
      scene.environment = null;
      target.dispose();
    };
  }, [gl, scene]);

  const r = plant?.sphere.radius ?? 100;
  return (
    <>
      <hemisphereLight args={['#eef3f8', '#3a4046', 1.25]} />
      <directionalLight
        color="#fff5ea"
        intensity={1.35}
        // Only the direction matters for a directional light: from above, front-right.
        position={[0.45, 1.2, 0.75]}
      />
      {/* Cool fill from the opposite side: faces turned away from the key never go black. */}
      <directionalLight color="#dfe8f2" intensity={0.45} position={[-0.6, 0.5, -0.7]} />
      {/* From about the overview distance on: the plant itself stays clear, the floor's end never shows. */}
      <fog attach="fog" args={[palette.background, r * 4, r * 10]} />
    </>
  );
}
