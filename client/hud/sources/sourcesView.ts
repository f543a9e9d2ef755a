import type { SourceHealth, SourceKind, SourceStatus } from '../../../protocol';
import { type Locale, type MessageKey, translate } from '../../i18n/messages';
import { formatNumber, NO_VALUE } from '../format';
import { formatAgo } from '../inspector/dataQualityView';

/**
 * The Sources panel's rows as plain text: pure functions of `GET /api/sources`, the language and
 * the time, so both languages and every edge (never a message, no skew yet, a long error) are
 * tested without a browser.
 */

/** How often the panel asks for the sources' health while open, ms. */
export const SOURCES_POLL_MS = 2000;
/** Stale equipment listed by name per source; the rest are counted ("+3 more"). */
export const STALE_SHOWN = 6;
/** A last error longer than this is cut (the whole text stays in the cell's title), characters. */
export const ERROR_SHOWN = 80;

/** Protocol names: proper names, the same in every language. */
export const SOURCE_KIND_NAME: Readonly<Record<SourceKind, string>> = {
  vda5050: 'VDA 5050',
  sparkplug: 'Sparkplug B',
  opcua: 'OPC UA',
  'mqtt-json': 'MQTT JSON',
};

/** A shape per connection status, shown with its name (never color alone). */
export const STATUS_GLYPH: Readonly<Record<SourceStatus, string>> = {
  connected: '✓',
  connecting: '↻',
  down: '✕',
};

const STATUS_KEY: Readonly<Record<SourceStatus, MessageKey>> = {
  connected: 'sources.status.connected',
  connecting: 'sources.status.connecting',
  down: 'sources.status.down',
};

/** One row of the panel. */
export interface SourceRow {
  id: string;
  kind: string;
  status: SourceStatus;
  statusText: string;
  glyph: string;
  /** Messages per second, one decimal in the reader's locale. */
  rate: string;
  /** "3.2 s ago", or "Never". */
  last: string;
  errors: string;
  /** Whether any message was dropped (the count is emphasized). */
  hasErrors: boolean;
  /** Cut to ERROR_SHOWN characters with an ellipsis; `lastErrorFull` is the whole text (title). */
  lastError: string;
  lastErrorFull: string;
  /** The first STALE_SHOWN stale equipment ids, and how many more there are. */
  stale: string[];
  staleMore: number;
  /** "12 ms", or NO_VALUE before any timestamped message. */
  skew: string;
}

/** Cuts a text to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** The rows of `GET /api/sources`, in the answer's order (the sources file's). */
export function sourceRows(locale: Locale, sources: readonly SourceHealth[], nowMs: number): SourceRow[] {
  return sources.map((s) => ({
    id: s.id,
    kind: SOURCE_KIND_NAME[s.kind] ?? s.kind,
    status: s.status,
    statusText: translate(locale, STATUS_KEY[s.status] ?? 'sources.status.down'),
    glyph: STATUS_GLYPH[s.status] ?? STATUS_GLYPH.down,
    rate: formatNumber(s.messagesPerS, 1),
    last: formatAgo(locale, s.lastMessageAt, nowMs),
    errors: formatNumber(s.errors, 0),
    hasErrors: s.errors > 0,
    lastError: s.lastError ? truncate(s.lastError, ERROR_SHOWN) : NO_VALUE,
    lastErrorFull: s.lastError ?? '',
    stale: s.stale.slice(0, STALE_SHOWN),
    staleMore: Math.max(0, s.stale.length - STALE_SHOWN),
    skew: s.skewMs === null || !Number.isFinite(s.skewMs) ? NO_VALUE : `${formatNumber(s.skewMs, 0)} ms`,
  }));
}
