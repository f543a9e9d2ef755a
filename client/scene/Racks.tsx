import { useFrame } from '@react-three/fiber';
import { useLayoutEffect, useMemo } from 'react';
import { type BufferGeometry, Matrix4 } from 'three';
import { signalIndex } from '../../protocol';
import { box, merge } from './geometryKit';
import { createPart, flushPart, hideInstance, prefixSums, setMatrix } from './instancedPart';
import type { KindProps } from './kindProps';
import { PartMeshes } from './PartMeshes';
import { RACK_BAY_W, RACK_DEPTH, RACK_LEVEL_H, RACK_LEVELS, rackBays } from './plantIndex';
import { layoutPoseMatrix } from './poseMath';
import { StateTinter } from './stateTint';
import { useParts } from './useParts';

/** Props of Racks. */
export type RacksProps = KindProps;

const STOCK = signalIndex('rack', 'stock');
const HEIGHT = RACK_LEVELS * RACK_LEVEL_H + 0.2; // m, uprights run past the top beam
const POST = 0.08; // m, upright section
const BEAM_H = 0.1; // m

const _pose = new Matrix4();
const _m = new Matrix4();

function capacityOf(plant: KindProps['plant'], i: number): number {
  const e = plant.layout.equipment[i];
  return e.kind === 'rack' ? e.props.capacity : 0;
}

function rackGeometries() {
  const z = RACK_DEPTH / 2 - POST / 2;
  const upright: BufferGeometry[] = [
    box(POST, HEIGHT, POST, '#858c94', { at: [0, HEIGHT / 2, z] }),
    box(POST, HEIGHT, POST, '#858c94', { at: [0, HEIGHT / 2, -z] }),
  ];
  // Zig-zag bracing between the two posts of a frame.
  const brace = Math.hypot(RACK_DEPTH - POST, 0.7);
  const angle = Math.atan2(0.7, RACK_DEPTH - POST);
  for (let y = 0.2; y + 0.7 < HEIGHT; y += 0.7)
    upright.push(
      box(0.03, 0.03, brace, '#858c94', {
        at: [0, y + 0.35, 0],
        rot: [((y / 0.7) | 0) % 2 ? angle : -angle, 0, 0],
      }),
    );
  const beams: BufferGeometry[] = [];
  for (let l = 1; l <= RACK_LEVELS; l++)
    for (const side of [z, -z])
      beams.push(
        box(RACK_BAY_W - POST, BEAM_H, 0.05, '#ffffff', { at: [RACK_BAY_W / 2, l * RACK_LEVEL_H, side] }),
      );
  return {
    uprights: merge(upright),
    beams: merge(beams),
    pallets: merge([
      box(1.2, 0.14, 1.0, '#7c776e', { at: [0, 0.07, 0] }),
      box(1.12, 0.95, 0.96, '#a19d94', { at: [0, 0.14 + 0.475, 0] }), // many per rack: plain box
    ]),
  };
}

/**
 * All pallet racks: upright frames (trim), beams (state color) and the stored pallets (one
 * instance per slot; the first `stock` slots, bottom level first, are shown).
 */
export function Racks({ plant, buffer, res }: RacksProps) {
  const indices = plant.byKind.rack;
  const n = indices.length;
  const counts = useMemo(() => {
    const bays = Array.from(indices, (i) => rackBays(capacityOf(plant, i)));
    return {
      bays,
      frames: prefixSums(bays.map((b) => b + 1)),
      beams: prefixSums(bays),
      slots: prefixSums(Array.from(indices, (i) => capacityOf(plant, i))),
    };
  }, [plant, indices]);
  const parts = useParts(
    () => {
      const g = rackGeometries();
      const s = plant.sphere;
      return {
        uprights: createPart(
          'rack.uprights',
          g.uprights,
          res.solid,
          counts.frames[n],
          'trim',
          counts.frames,
          s,
        ),
        beams: createPart('rack.beams', g.beams, res.solid, counts.beams[n], 'body', counts.beams, s),
        pallets: createPart('rack.pallets', g.pallets, res.solid, counts.slots[n], 'trim', counts.slots, s),
      };
    },
    [plant, res, counts],
    plant.detail,
  );
  const tinter = useMemo(
    () => new StateTinter(indices, Object.values(parts), res.modelled),
    [indices, parts, res],
  );
  const shown = useMemo(() => new Int32Array(n).fill(-1), [n]);

  useLayoutEffect(() => {
    for (let k = 0; k < n; k++) {
      layoutPoseMatrix(_pose, plant, indices[k]);
      const bays = counts.bays[k];
      const x0 = (-bays * RACK_BAY_W) / 2;
      for (let b = 0; b <= bays; b++)
        setMatrix(
          parts.uprights,
          counts.frames[k] + b,
          _m.multiplyMatrices(_pose, _m.makeTranslation(x0 + b * RACK_BAY_W, 0, 0)),
        );
      for (let b = 0; b < bays; b++)
        setMatrix(
          parts.beams,
          counts.beams[k] + b,
          _m.multiplyMatrices(_pose, _m.makeTranslation(x0 + b * RACK_BAY_W, 0, 0)),
        );
    }
    flushPart(parts.uprights);
    flushPart(parts.beams);
    shown.fill(-1);
  }, [plant, parts, indices, n, counts, shown]);

  let seenVersion = -1;
  useFrame(() => {
    if (n === 0 || buffer.version === seenVersion) return;
    seenVersion = buffer.version;
    tinter.update(buffer.state, buffer.mark);
    for (let k = 0; k < n; k++) {
      const i = indices[k];
      const first = counts.slots[k];
      const capacity = counts.slots[k + 1] - first;
      const stock = Math.min(capacity, Math.max(0, Math.round(buffer.signal(i, STOCK))));
      if (stock === shown[k]) continue;
      shown[k] = stock;
      layoutPoseMatrix(_pose, plant, i);
      const perLevel = counts.bays[k] * 2;
      const x0 = (-counts.bays[k] * RACK_BAY_W) / 2;
      for (let s = 0; s < capacity; s++) {
        if (s >= stock) {
          hideInstance(parts.pallets, first + s);
          continue;
        }
        const level = Math.floor(s / perLevel);
        const inLevel = s % perLevel;
        const x =
          x0 + (inLevel >> 1) * RACK_BAY_W + POST / 2 + ((inLevel & 1) + 0.5) * ((RACK_BAY_W - POST) / 2);
        const y = level === 0 ? 0 : level * RACK_LEVEL_H + BEAM_H / 2;
        setMatrix(parts.pallets, first + s, _m.multiplyMatrices(_pose, _m.makeTranslation(x, y, 0)));
      }
    }
    tinter.flush();
  });

  return <PartMeshes parts={parts} />;
}
