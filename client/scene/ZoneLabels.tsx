import { useThree } from '@react-three/fiber';
import { useEffect, useMemo, useState } from 'react';
import {
  CanvasTexture,
  Float32BufferAttribute,
  LinearMipmapLinearFilter,
  MeshBasicMaterial,
  SRGBColorSpace,
} from 'three';
import { pickText } from '../../protocol';
import { canvasFont, canvasFontReady, loadCanvasFont } from '../i18n/canvasFont';
import { useLocaleStore } from '../i18n/localeStore';
import type { Locale } from '../i18n/messages';
import { diagnostics, type ZoneLabelsView } from '../state/diagnostics';
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
const WEIGHT = 600;
const INSET = 1.2; // m inside the zone's near edge

interface Placed {
  name: string;
  x: number;
  y: number;
  w: number;
}

/** What is painted: the names in one language and the font they need. */
interface Paint {
  locale: Locale;
  font: string;
  names: string[];
  /** Every face the names use was loaded when they were painted. */
  fontLoaded: boolean;
}

/** A zone's label in the reader's language (Latin names in capitals; Chinese has no case). */
function labelOf(zone: { name: string; names?: { 'zh-CN'?: string } }, locale: Locale): string {
  return pickText(zone.name, zone.names, locale).toUpperCase();
}

/**
 * Zone names painted flat on the floor at the middle of each zone's near edge, reading along +x, in
 * the reader's language. All labels share one canvas atlas and one mesh (one draw call). English
 * uses system fonts (no download, works offline in the control room); Chinese uses the bundled
 * Noto Sans SC, and is painted only once the glyphs of these names have loaded (a canvas never
 * repaints itself when a font arrives). A language switch repaints the atlas.
 */
export function ZoneLabels({ plant }: ZoneLabelsProps) {
  const anisotropy = useThree((s) => s.gl.capabilities.getMaxAnisotropy());
  const locale = useLocaleStore((s) => s.locale);
  const zones = useMemo(() => plant.layout.zones.slice(0, MAX_ZONE_LABELS), [plant]);
  const wanted = useMemo(() => {
    const names = zones.map((z) => labelOf(z, locale));
    return { locale, font: canvasFont(locale, WEIGHT, GLYPH_PX), names, text: names.join('') };
  }, [zones, locale]);
  const readyNow = (): Paint | null =>
    canvasFontReady(wanted.locale, wanted.font, wanted.text) ? { ...wanted, fontLoaded: true } : null;
  // What the atlas shows: the previous language's names stay until the new glyphs are in.
  const [paint, setPaint] = useState<Paint | null>(readyNow);
  const current = paint?.locale === wanted.locale && paint.names.join('\n') === wanted.names.join('\n');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `wanted` is the whole input.
  useEffect(() => {
    if (current) return;
    const now = readyNow();
    if (now) {
      setPaint(now);
      return;
    }
    let live = true;
    void loadCanvasFont(wanted.locale, wanted.font, wanted.text).then((fontLoaded) => {
      if (live) setPaint({ ...wanted, fontLoaded });
    });
    return () => {
      live = false;
    };
  }, [wanted, current]);

  const built = useMemo(
    () => (paint ? buildLabels(zones, paint, anisotropy) : null),
    [zones, paint, anisotropy],
  );

  useEffect(() => {
    if (!built || !paint) return;
    diagnostics.zoneLabels = () => describe(built.canvas, built.placed, zones, paint);
    return () => {
      diagnostics.zoneLabels = () => null;
      built.geometry.dispose();
      built.texture.dispose();
      built.material.dispose();
    };
  }, [built, paint, zones]);

  if (!built) return null;
  return (
    <mesh geometry={built.geometry} material={built.material} renderOrder={-4} matrixAutoUpdate={false} />
  );
}

/** The atlas (names laid out in rows) and the floor quads mapping it onto each zone. */
function buildLabels(zones: PlantIndex['layout']['zones'], paint: Paint, anisotropy: number) {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx || zones.length === 0) return null;
  ctx.font = paint.font;
  ctx.letterSpacing = '6px';
  const rowH = GLYPH_PX + 2 * PAD_PX;
  const placed: Placed[] = [];
  let x = 0;
  let y = 0;
  for (const name of paint.names) {
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
  ctx.font = paint.font; // resizing the canvas resets its state
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
  return { canvas, placed, geometry, texture, material };
}

/** The labels as painted, for `window.__twin.zoneLabels()` (reads the atlas back: tests only). */
function describe(
  canvas: HTMLCanvasElement,
  placed: Placed[],
  zones: PlantIndex['layout']['zones'],
  paint: Paint,
): ZoneLabelsView {
  const ctx = canvas.getContext('2d');
  const rowH = GLYPH_PX + 2 * PAD_PX;
  return {
    locale: paint.locale,
    font: paint.font,
    fontLoaded: paint.fontLoaded,
    labels: placed.map((p, i) => {
      let inkPx = 0;
      if (ctx) {
        const d = ctx.getImageData(p.x, p.y, p.w, rowH).data;
        for (let k = 3; k < d.length; k += 4) if (d[k] > 127) inkPx++;
      }
      return { zone: zones[i].id, text: p.name, inkPx };
    }),
  };
}
