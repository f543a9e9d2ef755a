import { useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import {
  CanvasTexture,
  Float32BufferAttribute,
  LinearMipmapLinearFilter,
  MeshBasicMaterial,
  SRGBColorSpace,
} from 'three';
import { palette } from '../theme';
import { FlatBuilder } from './flatBuilder';
import type { PlantIndex } from './plantIndex';

/** Props of ZoneLabels. */
export type ZoneLabelsProps = {
  plant: PlantIndex;
};

/** At most this many zone names are painted (a 10,000-machine plant repeats its zones). */
export const MAX_ZONE_LABELS = 48;
const GLYPH_PX = 96; // atlas glyph height, px: crisp at ~1-2 m letters seen from 100 m
const PAD_PX = 16;
const ATLAS_W = 2048;
const FONT = `600 ${GLYPH_PX}px Inter, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif`;
const INSET = 1.2; // m inside the zone's near edge

interface Placed {
  name: string;
  x: number;
  y: number;
  w: number;
}

/**
 * Zone names painted flat on the floor at the middle of each zone's near edge, reading along +x. All
 * labels share one canvas atlas and one mesh (one draw call), drawn with system fonts: no font
 * download, works offline in the control room.
 */
export function ZoneLabels({ plant }: ZoneLabelsProps) {
  const anisotropy = useThree((s) => s.gl.capabilities.getMaxAnisotropy());
  const built = useMemo(() => {
    const zones = plant.layout.zones.slice(0, MAX_ZONE_LABELS);
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d');
    if (!ctx || zones.length === 0) return null;
    ctx.font = FONT;
    ctx.letterSpacing = '6px';
    const rowH = GLYPH_PX + 2 * PAD_PX;
    const placed: Placed[] = [];
    let x = 0;
    let y = 0;
    for (const z of zones) {
      const name = z.name.toUpperCase();
      const w = Math.min(ATLAS_W, Math.ceil(ctx.measureText(name).width) + 2 * PAD_PX);
      if (x + w > ATLAS_W) {
        x = 0;
        y += rowH;
      }
      placed.push({ name, x, y, w });
      x += w;
    }
    canvas.width = ATLAS_W;
    canvas.height = y + rowH;
    ctx.font = FONT; // resizing the canvas resets its state
    ctx.letterSpacing = '6px';
    ctx.fillStyle = '#ffffff';
    ctx.textBaseline = 'middle';
    for (const p of placed) ctx.fillText(p.name, p.x + PAD_PX, p.y + rowH / 2, p.w - 2 * PAD_PX);

    const f = new FlatBuilder();
    const uvs: number[] = [];
    zones.forEach((z, i) => {
      const p = placed[i];
      const zw = z.max[0] - z.min[0];
      const zd = z.max[1] - z.min[1];
      // Letter height ~4 % of the zone's short side, 0.9-1.8 m (legible, never dominant), smaller
      // if the name would not fit the zone's width.
      let h = Math.min(1.8, Math.max(0.9, 0.04 * Math.min(zw, zd))) * (rowH / GLYPH_PX);
      h = Math.min(h, ((zw - 2 * INSET) * rowH) / p.w);
      const w = (h * p.w) / rowH;
      // Centered on the zone's near edge (the default views look from +z): clear of the HUD panels
      // that sit at the screen's sides.
      const x0 = (z.min[0] + z.max[0]) / 2 - w / 2;
      const z1 = z.max[1] - INSET;
      f.rect(x0, z1 - h, x0 + w, z1, 0, '#ffffff');
      const u0 = p.x / ATLAS_W;
      const u1 = (p.x + p.w) / ATLAS_W;
      const v0 = 1 - p.y / canvas.height; // canvas top row = far edge of the label
      const v1 = 1 - (p.y + rowH) / canvas.height;
      uvs.push(u0, v0, u1, v0, u1, v1, u0, v1);
    });
    const geometry = f.build();
    geometry.setAttribute('uv', new Float32BufferAttribute(uvs, 2));
    const texture = new CanvasTexture(canvas);
    texture.colorSpace = SRGBColorSpace;
    texture.minFilter = LinearMipmapLinearFilter;
    texture.anisotropy = anisotropy;
    const material = new MeshBasicMaterial({
      map: texture,
      color: palette.textDim,
      transparent: true,
      opacity: 0.62,
      depthWrite: false,
      toneMapped: false,
    });
    return { geometry, texture, material };
  }, [plant, anisotropy]);

  useEffect(
    () => () => {
      built?.geometry.dispose();
      built?.texture.dispose();
      built?.material.dispose();
    },
    [built],
  );

  if (!built) return null;
  return (
    <mesh geometry={built.geometry} material={built.material} renderOrder={-4} matrixAutoUpdate={false} />
  );
}
