import { Counter, Gauge, type Registry } from 'prom-client';
import type { Ingest } from '../ingest/ingest';
import { METRIC_PREFIX } from './appMetrics';

/**
 * Ingest metrics, read from the sources' own counters when Prometheus scrapes (nothing is counted
 * twice on the hot path): messages accepted and dropped by reason per source, and whether each
 * source is connected.
 */
export function registerIngestMetrics(registry: Registry, ingest: Ingest): void {
  const p = METRIC_PREFIX;
  const registers = [registry];
  new Counter({
    name: `${p}ingest_messages_total`,
    help: 'Device messages accepted per source.',
    labelNames: ['source'],
    registers,
    collect() {
      this.reset();
      for (const s of ingest.stats) this.inc({ source: s.id }, s.messages);
    },
  });
  new Counter({
    name: `${p}ingest_dropped_total`,
    help: 'Device messages dropped per source and reason (malformed, type, range, timestamp, size, rate, state, out-of-order).',
    labelNames: ['source', 'reason'],
    registers,
    collect() {
      this.reset();
      for (const s of ingest.stats) for (const [reason, n] of s.drops) this.inc({ source: s.id, reason }, n);
    },
  });
  new Gauge({
    name: `${p}ingest_source_connected`,
    help: '1 while the source is connected, else 0.',
    labelNames: ['source', 'kind'],
    registers,
    collect() {
      this.reset();
      for (const s of ingest.stats)
        this.set({ source: s.id, kind: s.kind }, s.status === 'connected' ? 1 : 0);
    },
  });
}
