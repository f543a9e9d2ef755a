import { describe, expect, it } from 'vitest';
import { chipTextDark, palette, priorityColor, stateColor, stateTextColor } from '../../client/theme';
import { ALARM_PRIORITIES, isAbnormal, MACHINE_STATES } from '../../protocol';

/** WCAG 2.2 AA for normal text. */
const AA = 4.5;

type Rgb = [number, number, number];

function parse(css: string): { rgb: Rgb; alpha: number } {
  const hex = /^#([0-9a-f]{6})$/i.exec(css);
  if (hex) {
    const n = Number.parseInt(hex[1], 16);
    return { rgb: [(n >> 16) & 255, (n >> 8) & 255, n & 255], alpha: 1 };
  }
  const rgba = /^rgba?\(([^)]+)\)$/.exec(css);
  if (!rgba) throw new Error(`not a color: ${css}`);
  const [r, g, b, a = '1'] = rgba[1].split(',').map((s) => s.trim());
  return { rgb: [Number(r), Number(g), Number(b)], alpha: Number(a) };
}

/** A translucent color over an opaque one. */
function over(top: string, below: Rgb): Rgb {
  const { rgb, alpha } = parse(top);
  return rgb.map((c, i) => c * alpha + below[i] * (1 - alpha)) as Rgb;
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio of two opaque colors. */
function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const rgb = (css: string) => parse(css).rgb;
// The HUD panels are translucent over the 3D plant: the worst case is the lightest thing behind them.
const behind = [palette.background, palette.equipmentAccent, palette.equipment].map(rgb);
const panels = behind.map((b) => over(palette.hudBg, b));

describe('color contrast of the console (WCAG 2.2 AA, 4.5:1)', () => {
  it('keeps every abnormal state chip readable: its text on its color', () => {
    for (const state of MACHINE_STATES.filter(isAbnormal)) {
      const ratio = contrast(rgb(stateTextColor[state]), rgb(stateColor[state]));
      expect(ratio, `${state}: ${ratio.toFixed(2)}`).toBeGreaterThanOrEqual(AA);
    }
  });

  it('keeps every priority chip readable: dark text on the priority color', () => {
    for (const p of ALARM_PRIORITIES) {
      const ratio = contrast(rgb(chipTextDark), rgb(priorityColor[p]));
      expect(ratio, `${p}: ${ratio.toFixed(2)}`).toBeGreaterThanOrEqual(AA);
    }
  });

  it('keeps HUD text, dim text and normal (outlined) chips readable on the panel over any plant color', () => {
    for (const panel of panels) {
      expect(contrast(rgb(palette.text), panel)).toBeGreaterThanOrEqual(AA);
      expect(contrast(rgb(palette.textDim), panel)).toBeGreaterThanOrEqual(AA);
    }
  });

  it('can fail: light gray on white is refused', () => {
    expect(contrast(rgb('#aaaaaa'), rgb('#ffffff'))).toBeLessThan(AA);
  });
});
