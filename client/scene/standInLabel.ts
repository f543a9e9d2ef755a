import { CanvasTexture, SRGBColorSpace } from 'three';
import { qualityColor } from '../theme';

/** Canvas pixels per CSS pixel of the badge (crisp on 2x screens, small enough to redraw at once). */
export const LABEL_SCALE = 2;
/** Badge band height and side padding, CSS px. */
export const LABEL_H = 16;
const LABEL_PAD = 6;
const FONT_PX = 11;

/** The badge's font at `px` (Noto Sans SC first for Chinese, which the console loads then). */
function font(zh: boolean, px: number): string {
  const family = zh
    ? '"Noto Sans SC", Inter, system-ui, sans-serif'
    : 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  return `${zh ? 700 : 600} ${px}px ${family}`;
}

/**
 * The stand-in badge ("Simulated" / "仿真") painted once into a square canvas (point sprites are
 * square): a dark band with a dashed steel-blue edge and the word, centered. Returns the sprite's
 * side in CSS px. Redrawn only when the language changes.
 */
export function paintStandInLabel(canvas: HTMLCanvasElement, text: string, zh: boolean): number {
  const ctx = canvas.getContext('2d');
  if (!ctx) return 0;
  ctx.font = font(zh, FONT_PX);
  const textW = ctx.measureText(text).width; // CSS px
  const w = Math.ceil(textW + 2 * LABEL_PAD);
  const side = Math.max(w, LABEL_H) + 2;
  canvas.width = canvas.height = side * LABEL_SCALE;
  ctx.scale(LABEL_SCALE, LABEL_SCALE); // resizing reset the context: from here on in CSS px
  const x = (side - w) / 2;
  const y = (side - LABEL_H) / 2;
  ctx.fillStyle = 'rgba(20, 22, 25, 0.86)';
  ctx.beginPath();
  ctx.roundRect(x, y, w, LABEL_H, 3);
  ctx.fill();
  ctx.setLineDash([2, 2]);
  ctx.lineWidth = 1;
  ctx.strokeStyle = qualityColor.standIn;
  ctx.beginPath();
  ctx.roundRect(x + 0.5, y + 0.5, w - 1, LABEL_H - 1, 3);
  ctx.stroke();
  ctx.font = font(zh, FONT_PX);
  ctx.fillStyle = qualityColor.standIn;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, side / 2, side / 2 + 0.5);
  return side;
}

/** A texture over the badge canvas (sRGB, no mipmaps: it is drawn at its own size). */
export function standInTexture(canvas: HTMLCanvasElement): CanvasTexture {
  const tex = new CanvasTexture(canvas);
  tex.colorSpace = SRGBColorSpace;
  tex.generateMipmaps = false;
  return tex;
}
