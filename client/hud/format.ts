import type { SignalDef } from '../../protocol';
import { currentLocale } from '../i18n/localeStore';
import { unitLabel } from '../i18n/signalNames';

/**
 * Number and time formatting for the HUD. One place, so every figure on screen reads the same:
 * fixed decimals (figures do not jitter in width with tabular numerals), thousands separators,
 * and an en dash for "no value" rather than a misleading 0.
 */

/** Shown where a value is unknown (no data yet, NaN). */
export const NO_VALUE = '–';

// Intl formatters are costly to build and cheap to reuse; one per locale and decimal count.
const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(decimals: number): Intl.NumberFormat {
  // The reader's locale decides grouping and decimal marks (per page, switched live).
  const locale = currentLocale();
  const key = `${locale}|${decimals}`;
  let f = numberFormats.get(key);
  if (!f) {
    // signDisplay 'negative' keeps "-0.0" from ever appearing for tiny negatives.
    f = new Intl.NumberFormat(locale, {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
      signDisplay: 'negative',
    });
    numberFormats.set(key, f);
  }
  return f;
}

/** A number with fixed decimals and the locale's grouping ("1,234.5"); NO_VALUE if not finite. */
export function formatNumber(value: number, decimals = 0): string {
  return Number.isFinite(value) ? numberFormat(decimals).format(value) : NO_VALUE;
}

/** A signal value with its catalog decimals and unit ("42.1 °C", "1,204" for unitless counts). */
export function formatSignal(value: number, def: Pick<SignalDef, 'decimals' | 'unit'>): string {
  const n = formatNumber(value, def.decimals);
  return def.unit && n !== NO_VALUE ? `${n} ${unitLabel(currentLocale(), def.unit)}` : n;
}

/** Whether a value lies outside the signal's normal operating range (NaN counts as normal: unknown). */
export function isOutOfNormal(value: number, def: Pick<SignalDef, 'normal'>): boolean {
  return value < def.normal[0] || value > def.normal[1];
}

/** A 0..1 ratio as a percentage ("87.3 %"). */
export function formatPercent(ratio: number, decimals = 1): string {
  const n = formatNumber(ratio * 100, decimals);
  return n === NO_VALUE ? n : `${n} %`;
}

/** A simulation speed multiplier ("×1", "×0.5", "×10"). */
export function formatSpeed(speed: number): string {
  if (!Number.isFinite(speed)) return NO_VALUE;
  return `×${Number.parseFloat(speed.toFixed(2))}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Simulation time since start as a clock: "01:02:03", with whole days in front past 24 h
 * ("2d 01:02:03"). Whole seconds only: the HUD updates at 1 Hz.
 */
export function formatSimClock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return NO_VALUE;
  const total = Math.floor(seconds);
  const days = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const clock = `${pad2(h)}:${pad2(m)}:${pad2(s)}`;
  if (days <= 0) return clock;
  // Whole days before the clock: "2d" in English, "2天" in Chinese.
  return currentLocale() === 'zh-CN' ? `${days}天 ${clock}` : `${days}d ${clock}`;
}
