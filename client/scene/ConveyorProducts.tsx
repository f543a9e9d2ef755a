import { useFrame } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo } from 'react';
import {
  DataTexture,
  FloatType,
  InstancedBufferAttribute,
  Matrix4,
  MeshStandardMaterial,
  NearestFilter,
  RGFormat,
} from 'three';
import { STATE_CODE, signalIndex } from '../../protocol';
import { usePlantStore } from '../state/plantStore';
import { box } from './geometryKit';
import { createPart, flushPart, setMatrix } from './instancedPart';
import type { KindProps } from './kindProps';
import { PartMeshes } from './PartMeshes';
import { BELT_TOP } from './plantIndex';
import { beltStartMatrix } from './poseMath';
import { useParts } from './useParts';

/** Props of ConveyorProducts. */
export type ConveyorProductsProps = KindProps;

const OFFSET = signalIndex('conveyor', 'offset');
const BELT_SPEED = signalIndex('conveyor', 'beltSpeed');
/** Product footprint along the belt, m; products stay this far inside the belt ends. */
const PRODUCT_LEN = 0.28;
/** Texture row width for per-conveyor phases. */
const TEX_W = 256;
/** Extrapolate the phase at most this long past the last frame, ms (then it waits for data). */
const MAX_EXTRAPOLATION_MS = 250;

const _m = new Matrix4();

/**
 * The products on every belt: ONE InstancedMesh. Product k of a belt rests at k·pitch; the vertex
 * shader shifts it by the belt's phase (the `offset` signal, m, extrapolated with the belt speed
 * between frames) modulo the belt's span, read from a tiny float texture (one texel per
 * conveyor). Per frame the CPU writes one number per conveyor, never a matrix per product.
 */
export function ConveyorProducts({ plant, buffer, res }: ConveyorProductsProps) {
  const indices = plant.byKind.conveyor;
  const n = indices.length;

  // Slots per belt: as many pitches as fit inside the belt (>= 1).
  const layout = useMemo(() => {
    const slots: number[] = [];
    const pitch = new Float32Array(n);
    for (let k = 0; k < n; k++) {
      const e = plant.layout.equipment[indices[k]];
      const p = e.kind === 'conveyor' ? e.props : { length: 1, pitch: 0.6 };
      pitch[k] = p.pitch;
      slots.push(Math.max(1, Math.floor((p.length - PRODUCT_LEN) / p.pitch)));
    }
    const total = slots.reduce((a, b) => a + b, 0);
    return { slots, pitch, total };
  }, [plant, indices, n]);

  const texture = useMemo(() => {
    const rows = Math.max(1, Math.ceil(n / TEX_W));
    const t = new DataTexture(new Float32Array(TEX_W * rows * 2), TEX_W, rows, RGFormat, FloatType);
    t.magFilter = NearestFilter;
    t.minFilter = NearestFilter;
    t.generateMipmaps = false;
    t.needsUpdate = true;
    return t;
  }, [n]);
  useEffect(() => () => texture.dispose(), [texture]);

  const material = useMemo(() => {
    const m = new MeshStandardMaterial({
      vertexColors: true,
      roughness: 0.7,
      metalness: 0,
      envMapIntensity: 0.5,
    });
    m.onBeforeCompile = (shader) => {
      shader.uniforms.uPhase = { value: texture };
      shader.vertexShader = `attribute vec3 aProduct;\nuniform sampler2D uPhase;\n${shader.vertexShader.replace(
        '#include <begin_vertex>',
        `#include <begin_vertex>
        {
          // aProduct = (rest position along the belt m, belt span m, conveyor slot)
          int slot = int(aProduct.z + 0.5);
          vec2 ph = texelFetch(uPhase, ivec2(slot % ${TEX_W}, slot / ${TEX_W}), 0).rg;
          transformed.x += ${(PRODUCT_LEN / 2).toFixed(3)} + mod(aProduct.x + ph.r, aProduct.y);
          transformed *= ph.g; // 0 hides the belt's products (offline)
        }`,
      )}`;
    };
    m.customProgramCacheKey = () => 'conveyor-products';
    return res.patch(m);
  }, [texture, res]);
  useEffect(() => () => material.dispose(), [material]);

  const parts = useParts(
    () => {
      const g = box(PRODUCT_LEN, 0.15, 0.26, '#aeb3b8', { at: [0, 0.075, 0] }); // hundreds per plant: 12 triangles each
      const attr = new Float32Array(layout.total * 3);
      let p = 0;
      for (let k = 0; k < n; k++)
        for (let j = 0; j < layout.slots[k]; j++, p++) {
          attr[p * 3] = j * layout.pitch[k];
          attr[p * 3 + 1] = layout.slots[k] * layout.pitch[k];
          attr[p * 3 + 2] = k;
        }
      g.setAttribute('aProduct', new InstancedBufferAttribute(attr, 3));
      return {
        products: createPart('conveyor.products', g, material, layout.total, 'none', null, plant.sphere),
      };
    },
    [plant, layout, material],
    plant.detail,
  );

  // Each product's matrix is its belt's start frame: written once.
  useLayoutEffect(() => {
    let p = 0;
    for (let k = 0; k < n; k++) {
      beltStartMatrix(_m, plant, indices[k]);
      _m.elements[13] += BELT_TOP;
      for (let j = 0; j < layout.slots[k]; j++, p++) setMatrix(parts.products, p, _m);
    }
    flushPart(parts.products);
  }, [plant, parts, layout, indices, n]);

  useFrame(() => {
    if (n === 0) return;
    const now = performance.now();
    const speed = usePlantStore.getState().speed;
    const data = texture.image.data as Float32Array;
    for (let k = 0; k < n; k++) {
      const i = indices[k];
      const age = Math.min(Math.max(now - buffer.seenAt[i], 0), MAX_EXTRAPOLATION_MS) / 1000;
      const phase = buffer.signal(i, OFFSET) + buffer.signal(i, BELT_SPEED) * speed * age;
      data[k * 2] = phase % layout.pitch[k];
      data[k * 2 + 1] = buffer.state[i] === STATE_CODE.offline ? 0 : 1;
    }
    texture.needsUpdate = true;
  });

  return <PartMeshes parts={parts} />;
}
