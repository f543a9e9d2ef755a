import { chipTextDark, palette, qualityColor, stateColor } from '../theme';

/**
 * Publishes the palette as CSS custom properties (`--hud-bg`, `--state-fault`, …) so the
 * stylesheet and the 3D scene share one source of colors (client/theme.ts).
 */
export function applyThemeVars(root: HTMLElement): void {
  const vars: Record<string, string> = {
    '--hud-bg': palette.hudBg,
    '--hud-border': palette.hudBorder,
    '--hud-text': palette.text,
    '--hud-text-dim': palette.textDim,
    '--hud-live': palette.live,
    '--scene-bg': palette.background,
    '--chip-text-dark': chipTextDark,
  };
  for (const [state, color] of Object.entries(stateColor)) vars[`--state-${state}`] = color;
  for (const [name, color] of Object.entries(qualityColor)) vars[`--quality-${name}`] = color;
  for (const [name, value] of Object.entries(vars)) root.style.setProperty(name, value);
}
