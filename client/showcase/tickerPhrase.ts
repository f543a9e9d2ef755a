import type { PlantEvent } from '../../protocol';
import { hasMessage, type Locale, type MessageKey, translate } from '../i18n/messages';

type Params = Record<string, string>;
/** Server message shape → catalog key and its parameters (group 1 is the equipment id). */
type Rule = [RegExp, MessageKey, (m: RegExpMatchArray, lineOf: (id: string) => string | null) => Params];

const id = (m: RegExpMatchArray): Params => ({ id: m[1] });

/**
 * The simulator's event messages, recognised by shape. Built client-side so each locale gets a
 * natural sentence; an unknown shape shows the server's English message unchanged.
 */
const RULES: readonly Rule[] = [
  [
    /^(\S+) delivered a pallet to (\S+) \(now (\d+)%\)/,
    'event.delivery',
    (m, lineOf) => ({ agv: m[1], line: lineOf(m[2]) ?? m[2], pct: m[3] }),
  ],
  [/^(\S+) battery low \((\d+)%\)/, 'event.batteryLow', (m) => ({ id: m[1], pct: m[2] })],
  [/^(\S+) launched:/, 'event.droneLaunched', id],
  [/^(\S+) .*landed at/, 'event.droneLanded', id],
  [/^Line (\S+) starved/, 'event.lineStarved', (m) => ({ line: m[1] })],
  [/^Line (\S+) running again/, 'event.lineRunning', (m) => ({ line: m[1] })],
  [/^(\S+) offline: monitoring/, 'event.offline', id],
  [/^(\S+) back online/, 'event.online', id],
  [/^(\S+) in planned maintenance/, 'event.maintenance', id],
  [/^(\S+) back in service after planned maintenance/, 'event.maintenanceDone', id],
  [/^(\S+) stopped: J\d motor over-temperature/, 'event.overheat', id],
  [/^(\S+) jam detected/, 'event.jam', id],
  [/^(\S+) camera defocus/, 'event.defocus', id],
  [/^(\S+) safety stop: obstacle/, 'event.obstacle', id],
  [/^(\S+) (back in service|jam cleared|refocused|resumed)/, 'event.recovered', id],
];

/** A line's display name in the locale ("Line 2", "2 号产线"), its id when the catalog lacks it. */
export function lineName(locale: Locale, lineId: string): string {
  const key = `line.${lineId}`;
  return hasMessage(key) ? translate(locale, key) : lineId;
}

/**
 * A plant event as one plain-language sentence in the locale. `lineOf` maps an equipment id to
 * its line id (a feeder belongs to a line), or null.
 */
export function tickerPhrase(
  locale: Locale,
  event: PlantEvent,
  lineOf: (id: string) => string | null,
): string {
  for (const [re, key, params] of RULES) {
    const m = event.message.match(re);
    if (!m) continue;
    const p = params(m, lineOf);
    if (p.line) p.line = lineName(locale, lineOf(p.line) ?? p.line);
    return translate(locale, key, p);
  }
  return event.message;
}
