import { Environment, Lightformer } from '@react-three/drei';
import { useThree } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { DirectionalLight } from 'three';
import type { PlantIndex } from '../plantIndex';
import type { SceneResources } from '../sceneResources';

/** Props of ShowcaseLighting. */
export type ShowcaseLightingProps = {
  plant: PlantIndex;
  res: SceneResources;
};

/** The showcase's night-blue backdrop and fog color. */
export const SHOWCASE_BACKGROUND = '#161c22';
/** Shadow map size, texels (one map over the whole plant: ~10 cm per texel on the demo site, softened by PCF). */
const SHADOW_MAP = 2048;
/** Tone-mapping exposure: a bright, clean showroom rather than the console's calm gray. */
const EXPOSURE = 1.35;
/** Direction of the key light (from above, front-left, low enough for readable shadows). */
const KEY_DIR = [-0.55, 1, 0.45] as const;

/**
 * Full-material lighting: a studio environment built from Lightformers (rendered once into a cube
 * map on the GPU: no HDR download), one warm key light with a soft (PCF) shadow map fitted to the
 * plant, a cool sky/ground fill, and fog into the backdrop. Shared materials get a little more
 * sheen while the showcase is mounted.
 */
export function ShowcaseLighting({ plant, res }: ShowcaseLightingProps) {
  const key = useRef<DirectionalLight>(null);
  const scene = useThree((s) => s.scene);
  const gl = useThree((s) => s.gl);
  const b = plant.bounds;
  const cx = (b.minX + b.maxX) / 2;
  const cz = (b.minZ + b.maxZ) / 2;
  // Half the plant's diagonal plus a margin: the shadow camera covers every machine.
  const half = Math.hypot(b.maxX - b.minX, b.maxZ - b.minZ) / 2 + 4;
  const dist = half * 1.5;

  useLayoutEffect(() => {
    const light = key.current;
    if (!light) return;
    const len = Math.hypot(...KEY_DIR);
    light.position.set(
      cx + (KEY_DIR[0] / len) * dist,
      (KEY_DIR[1] / len) * dist,
      cz + (KEY_DIR[2] / len) * dist,
    );
    light.target.position.set(cx, 0, cz);
    light.target.updateMatrixWorld();
    const cam = light.shadow.camera;
    cam.left = -half;
    cam.right = half;
    cam.top = half;
    cam.bottom = -half;
    cam.near = 1;
    cam.far = dist * 2.2;
    cam.updateProjectionMatrix();
    light.shadow.needsUpdate = true;
    scene.add(light.target);
    return () => {
      scene.remove(light.target);
    };
  }, [cx, cz, half, dist, scene]);

  useEffect(() => {
    const before = gl.toneMappingExposure;
    gl.toneMappingExposure = EXPOSURE;
    return () => {
      gl.toneMappingExposure = before;
    };
  }, [gl]);

  useEffect(() => {
    const m = res.solid;
    const before = { roughness: m.roughness, metalness: m.metalness, envMapIntensity: m.envMapIntensity };
    m.roughness = 0.46;
    m.metalness = 0.22;
    m.envMapIntensity = 1.0;
    return () => {
      Object.assign(m, before);
    };
  }, [res]);

  useEffect(() => {
    const light = key.current;
    return () => light?.shadow.map?.dispose();
  }, []);

  const r = plant.sphere.radius;
  return (
    <>
      <Environment resolution={256} frames={1} environmentIntensity={0.75}>
        {/* A long soft ceiling panel, two cool side strips and a warm low bounce. */}
        <Lightformer
          form="rect"
          intensity={2.2}
          color="#f4f7ff"
          position={[0, 6, 0]}
          rotation-x={Math.PI / 2}
          scale={[12, 4, 1]}
        />
        <Lightformer
          form="rect"
          intensity={1.4}
          color="#bfe6ff"
          position={[-7, 1.5, 0]}
          rotation-y={Math.PI / 2}
          scale={[10, 1.2, 1]}
        />
        <Lightformer
          form="rect"
          intensity={1.0}
          color="#9fd0ff"
          position={[7, 1.5, 0]}
          rotation-y={-Math.PI / 2}
          scale={[10, 1.2, 1]}
        />
        <Lightformer form="ring" intensity={0.8} color="#ffd9b0" position={[0, -3, 6]} scale={4} />
      </Environment>
      <hemisphereLight args={['#d6e7f7', '#30363d', 0.9]} />
      <directionalLight
        ref={key}
        color="#fff1e0"
        intensity={2.8}
        castShadow
        shadow-mapSize={[SHADOW_MAP, SHADOW_MAP]}
        shadow-bias={-0.0004}
        shadow-normalBias={0.04}
        shadow-radius={3}
      />
      {/* A cool rim from behind so silhouettes separate from the dark floor. */}
      <directionalLight color="#a9d4ff" intensity={0.55} position={[0.6, 0.5, -0.8]} />
      <fog attach="fog" args={[SHOWCASE_BACKGROUND, r * 2.2, r * 6]} />
    </>
  );
}
