import { useFrame } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import {
  AdditiveBlending,
  BufferAttribute,
  BufferGeometry,
  CanvasTexture,
  DynamicDrawUsage,
  LineBasicMaterial,
  LineSegments,
  Points,
  PointsMaterial,
} from 'three';
import { STATE_CODE } from '../../../protocol';
import type { TwinBuffer } from '../../state/twinBuffer';
import { cellHeight, type PlantIndex } from '../plantIndex';
import { equipmentCenter } from '../poseMath';
import type { SceneResources } from '../sceneResources';

/** Props of DataLinks. */
export type DataLinksProps = {
  plant: PlantIndex;
  buffer: TwinBuffer;
  res: SceneResources;
};

/** Data packets riding each link at once. */
const PACKETS = 3;
/** Packet travel speed along a link, links per second (uplink: device → cell). */
const PACKET_RATE = 0.55;
/** Link color at the cell end and at the device end (linear RGB, additive). */
const CELL_RGB = [0.25, 0.85, 1.0] as const;
const DEVICE_RGB = [0.05, 0.22, 0.3] as const;
/** Packet sprite size, m. */
const PACKET_SIZE = 0.9;

const _a = new Float32Array(3);

/** A soft round sprite for the packets (64 px radial gradient, made once, disposed with the links). */
function glowTexture(): CanvasTexture {
  const c = document.createElement('canvas');
  c.width = c.height = 64;
  const g = c.getContext('2d');
  if (g) {
    const grad = g.createRadialGradient(32, 32, 0, 32, 32, 32);
    grad.addColorStop(0, 'rgba(255,255,255,1)');
    grad.addColorStop(0.25, 'rgba(170,240,255,0.8)');
    grad.addColorStop(1, 'rgba(0,0,0,0)');
    g.fillStyle = grad;
    g.fillRect(0, 0, 64, 64);
  }
  return new CanvasTexture(c);
}

/**
 * The live 5G data paths: one line per connected device (AGVs, drones, vision cameras) to its
 * nearest cell's radio unit, with packets gliding up each link. Two draw calls in all (one
 * LineSegments, one Points), rewritten in place every frame from the twin buffer.
 */
export function DataLinks({ plant, buffer, res }: DataLinksProps) {
  const built = useMemo(() => {
    const eq = plant.layout.equipment;
    const devices = Int32Array.from(
      [...plant.byKind.agv, ...plant.byKind.drone, ...plant.byKind['vision-station']].filter(
        (i) => i < eq.length,
      ),
    );
    const cells = plant.byKind['base-station'];
    const cellPos = new Float32Array(cells.length * 3);
    cells.forEach((i, k) => {
      const e = eq[i];
      cellPos[k * 3] = e.position[0];
      cellPos[k * 3 + 1] = cellHeight(e) + 0.05;
      cellPos[k * 3 + 2] = e.position[2];
    });
    const n = devices.length;
    const lineGeo = new BufferGeometry();
    const linePos = new BufferAttribute(new Float32Array(n * 6), 3).setUsage(DynamicDrawUsage);
    const lineCol = new Float32Array(n * 6);
    for (let k = 0; k < n; k++) {
      lineCol.set(CELL_RGB, k * 6);
      lineCol.set(DEVICE_RGB, k * 6 + 3);
    }
    lineGeo.setAttribute('position', linePos);
    lineGeo.setAttribute('color', new BufferAttribute(lineCol, 3));
    const lineMat = res.patch(
      new LineBasicMaterial({
        vertexColors: true,
        transparent: true,
        opacity: 0.9,
        blending: AdditiveBlending,
        depthWrite: false,
        fog: true,
      }),
    );
    const lines = new LineSegments(lineGeo, lineMat);
    const pointGeo = new BufferGeometry();
    const pointPos = new BufferAttribute(new Float32Array(n * PACKETS * 3), 3).setUsage(DynamicDrawUsage);
    pointGeo.setAttribute('position', pointPos);
    const sprite = glowTexture();
    const pointMat = res.patch(
      new PointsMaterial({
        map: sprite,
        color: '#9feeff',
        size: PACKET_SIZE,
        sizeAttenuation: true,
        transparent: true,
        blending: AdditiveBlending,
        depthWrite: false,
      }),
    );
    const points = new Points(pointGeo, pointMat);
    for (const o of [lines, points]) {
      // Positions change every frame and span the plant: skip culling rather than recompute bounds.
      o.frustumCulled = false;
      o.matrixAutoUpdate = false;
    }
    return {
      devices,
      cellPos,
      lines,
      points,
      linePos,
      pointPos,
      sprite,
      lineMat,
      pointMat,
      lineGeo,
      pointGeo,
    };
  }, [plant, res]);

  useEffect(
    () => () => {
      built.lineGeo.dispose();
      built.pointGeo.dispose();
      built.lineMat.dispose();
      built.pointMat.dispose();
      built.sprite.dispose();
    },
    [built],
  );

  useFrame(() => {
    const { devices, cellPos, linePos, pointPos } = built;
    const lp = linePos.array as Float32Array;
    const pp = pointPos.array as Float32Array;
    const now = performance.now();
    const nCells = cellPos.length / 3;
    let shown = 0;
    for (let k = 0; k < devices.length; k++) {
      const i = devices[k];
      if (nCells === 0 || buffer.state[i] === STATE_CODE.offline) continue;
      equipmentCenter(plant, buffer, i, now, _a);
      // Nearest cell (horizontal distance): the one the device is most likely attached to.
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      for (let c = 0; c < nCells; c++) {
        const dx = cellPos[c * 3] - _a[0];
        const dz = cellPos[c * 3 + 2] - _a[2];
        const d = dx * dx + dz * dz;
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      const cx = cellPos[best * 3];
      const cy = cellPos[best * 3 + 1];
      const cz = cellPos[best * 3 + 2];
      const o = shown * 6;
      lp[o] = cx;
      lp[o + 1] = cy;
      lp[o + 2] = cz;
      lp[o + 3] = _a[0];
      lp[o + 4] = _a[1];
      lp[o + 5] = _a[2];
      // Each device's packets run at their own phase so the links never pulse in unison.
      const phase = now * 0.001 * PACKET_RATE + k * 0.37;
      for (let p = 0; p < PACKETS; p++) {
        const f = (phase + p / PACKETS) % 1;
        const q = (shown * PACKETS + p) * 3;
        pp[q] = _a[0] + (cx - _a[0]) * f;
        pp[q + 1] = _a[1] + (cy - _a[1]) * f;
        pp[q + 2] = _a[2] + (cz - _a[2]) * f;
      }
      shown++;
    }
    built.lineGeo.setDrawRange(0, shown * 2);
    built.pointGeo.setDrawRange(0, shown * PACKETS);
    linePos.addUpdateRange(0, shown * 6);
    linePos.needsUpdate = true;
    pointPos.addUpdateRange(0, shown * PACKETS * 3);
    pointPos.needsUpdate = true;
  });

  return (
    <>
      <primitive object={built.lines} />
      <primitive object={built.points} />
    </>
  );
}
