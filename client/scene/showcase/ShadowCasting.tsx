import { useFrame, useThree } from '@react-three/fiber';
import type { Object3D } from 'three';

/** Props of ShadowCasting (none). */
export type ShadowCastingProps = Record<string, never>;

/** Frames between passes (parts mount over time; ~1 s at 60 fps, and the pass allocates nothing). */
const EVERY_FRAMES = 60;

function flag(o: Object3D): void {
  const mesh = o as Object3D & {
    isMesh?: boolean;
    isInstancedMesh?: boolean;
    material?: { transparent?: boolean };
  };
  if (!mesh.isMesh) return;
  // Opaque meshes cast; everything receives (the floor, the zones, the machines on each other).
  const cast = mesh.material?.transparent !== true;
  if (mesh.castShadow !== cast) mesh.castShadow = cast;
  if (!mesh.receiveShadow) mesh.receiveShadow = true;
}

/**
 * Showcase only: lets the equipment meshes (built by the shared kind components, which know
 * nothing of shadows) cast and receive the key light's shadow.
 */
export function ShadowCasting(_: ShadowCastingProps) {
  const scene = useThree((s) => s.scene);
  let frame = 0;
  useFrame(() => {
    if (frame++ % EVERY_FRAMES === 0) scene.traverse(flag);
  });
  return null;
}
