import { useEffect, useMemo } from 'react';
import { DataTexture, DoubleSide, NearestFilter, RGBAFormat, UnsignedByteType } from 'three';
import type { WhatIfGrid } from '../../protocol/whatIf';
import { type HeatKind, heatPixels } from './whatIfView';

/** For tests: the heat map's texture while one is drawn (its size and kind). */
export const heatMapProbe: { kind: HeatKind | null; cols: number; rows: number } = {
  kind: null,
  cols: 0,
  rows: 0,
};

/** Props of HeatMap. */
export type HeatMapProps = {
  kind: HeatKind;
  grid: WhatIfGrid;
};

/**
 * A what-if heat map on the floor: one DataTexture (a pixel per cell, nearest filtering, cells off
 * the floor transparent) on one plane just above the grid. Built when the grid or kind changes;
 * nothing runs per frame.
 */
export function HeatMap({ kind, grid }: HeatMapProps) {
  const texture = useMemo(() => {
    const tex = new DataTexture(heatPixels(kind, grid), grid.cols, grid.rows, RGBAFormat, UnsignedByteType);
    tex.magFilter = NearestFilter;
    tex.minFilter = NearestFilter;
    tex.needsUpdate = true;
    return tex;
  }, [kind, grid]);
  useEffect(() => {
    heatMapProbe.kind = kind;
    heatMapProbe.cols = grid.cols;
    heatMapProbe.rows = grid.rows;
    return () => {
      texture.dispose();
      heatMapProbe.kind = null;
      heatMapProbe.cols = 0;
      heatMapProbe.rows = 0;
    };
  }, [texture, kind, grid]);
  const w = grid.cols * grid.cellM;
  const d = grid.rows * grid.cellM;
  // Turned +90° about x: the texture's first row (v = 0) lies at the grid's smallest z.
  return (
    <mesh
      position={[grid.originX + w / 2, 0.03, grid.originZ + d / 2]}
      rotation={[Math.PI / 2, 0, 0]}
      renderOrder={1}
      raycast={() => null}
    >
      <planeGeometry args={[w, d]} />
      <meshBasicMaterial map={texture} transparent depthWrite={false} side={DoubleSide} toneMapped={false} />
    </mesh>
  );
}
