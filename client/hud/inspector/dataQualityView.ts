import { type EquipmentDetail, QUALITIES, type Quality } from '../../../protocol';
import { type Locale, type MessageKey, translate } from '../../i18n/messages';
import { isStandIn, markQuality } from '../../state/dataMark';
import { NO_VALUE } from '../format';

/**
 * The inspector's "data source and quality" block as plain text: pure functions of the answer of
 * `GET /api/equipment/:id`, the twin buffer's data mark and the time, so both languages and every
 * edge (no source, never received, a clock ahead of ours) are tested without a browser.
 */

/**
 * A shape per quality, shown with its name so quality is never told by color alone. None of them
 * is an alarm priority's shape (▲ ◆ ■ ●).
 */
export const QUALITY_GLYPH: Readonly<Record<Quality, string>> = {
  good: '✓',
  uncertain: '?',
  bad: '✕',
  stale: '◌',
};

const QUALITY_KEY: Readonly<Record<Quality, MessageKey>> = {
  good: 'quality.good',
  uncertain: 'quality.uncertain',
  bad: 'quality.bad',
  stale: 'quality.stale',
};

/** The quality's name in the reader's language. */
export function qualityLabel(locale: Locale, q: Quality): string {
  return translate(locale, QUALITY_KEY[q]);
}

export { isStandIn, markQuality };

/**
 * How long ago, in the reader's language: "0.4 s" and "3.2 s" under 10 s (the refresh rate of a
 * live value matters there), then "42 s", "3 min 5 s", "2 h 4 min", "3 d 1 h". Negative ages (a
 * server clock ahead of this one) read as 0; not finite: NO_VALUE.
 */
export function formatAge(locale: Locale, ms: number): string {
  if (!Number.isFinite(ms)) return NO_VALUE;
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return translate(locale, 'age.s', { n: (Math.floor(s * 10) / 10).toFixed(1) });
  const whole = Math.floor(s);
  if (whole < 60) return translate(locale, 'age.s', { n: whole });
  if (whole < 3600) return translate(locale, 'age.min', { m: Math.floor(whole / 60), s: whole % 60 });
  if (whole < 86400)
    return translate(locale, 'age.h', { h: Math.floor(whole / 3600), m: Math.floor((whole % 3600) / 60) });
  return translate(locale, 'age.d', { d: Math.floor(whole / 86400), h: Math.floor((whole % 86400) / 3600) });
}

/** "12 s ago" / "12 秒前" from a receive time (ms since epoch) and now; "Never" for null. */
export function formatAgo(locale: Locale, receivedAt: number | null, nowMs: number): string {
  if (receivedAt === null || !(receivedAt > 0)) return translate(locale, 'dataq.never');
  return translate(locale, 'dataq.ago', { age: formatAge(locale, nowMs - receivedAt) });
}

const timeFormats = new Map<Locale, Intl.DateTimeFormat>();

/** A wall time as a 24 h clock with seconds ("14:03:27"), in the reader's locale; NO_VALUE for null. */
export function formatClockTime(locale: Locale, ms: number | null): string {
  if (ms === null || !(ms > 0)) return NO_VALUE;
  let f = timeFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    timeFormats.set(locale, f);
  }
  return f.format(ms);
}

/** Where an equipment's data come from. */
export type SourceKindView = 'external' | 'simulation' | 'none';

/** The source's line: the source id, "Simulation", or "No data source" (unmapped and offline). */
export function sourceText(locale: Locale, source: string | null): { kind: SourceKindView; text: string } {
  if (source === null) return { kind: 'none', text: translate(locale, 'dataq.noSource') };
  if (source === 'simulation') return { kind: 'simulation', text: translate(locale, 'dataq.simulation') };
  return { kind: 'external', text: source };
}

/** One signal whose value is not good: its catalog key and quality. */
export interface SignalMark {
  key: string;
  quality: Quality;
}

/** The signals whose quality is not good, in the answer's order (good ones carry no mark). */
export function signalMarks(detail: Pick<EquipmentDetail, 'values'>): SignalMark[] {
  const out: SignalMark[] = [];
  for (const [key, v] of Object.entries(detail.values))
    if (v.quality !== 'good') out.push({ key, quality: v.quality });
  return out;
}

/** What the block shows, apart from the age (repainted every second without a render). */
export interface DataQualityView {
  source: { kind: SourceKindView; text: string };
  /** Overall quality, its name and its shape. */
  quality: Quality;
  qualityText: string;
  glyph: string;
  /** A simulated stand-in for real equipment: the "not real data" notice shows. */
  standIn: boolean;
  /** Source time of the newest value ("14:03:27"), or NO_VALUE. */
  sourceTime: string;
  /** Per-signal marks (not good only), by catalog key. */
  marks: Readonly<Record<string, Quality>>;
}

/**
 * The view of one answer. `mark` is the twin buffer's data mark of the equipment: it alone tells a
 * stand-in (`unmapped: simulate`) from a plant that is all simulation, and a stale mark wins over
 * an answer that is up to a second old.
 */
export function dataQualityView(
  locale: Locale,
  detail: Pick<EquipmentDetail, 'source' | 'quality' | 'sourceTimestamp' | 'values'>,
  mark: number,
): DataQualityView {
  const fromMark = markQuality(mark);
  const quality = QUALITIES.indexOf(fromMark) > QUALITIES.indexOf(detail.quality) ? fromMark : detail.quality;
  const marks: Record<string, Quality> = {};
  for (const m of signalMarks(detail)) marks[m.key] = m.quality;
  return {
    source: sourceText(locale, detail.source),
    quality,
    qualityText: qualityLabel(locale, quality),
    glyph: QUALITY_GLYPH[quality],
    standIn: isStandIn(mark),
    sourceTime: formatClockTime(locale, detail.sourceTimestamp),
    marks,
  };
}
