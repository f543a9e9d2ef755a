import type { IngestSink } from './ingestSink';
import type { SourceStats } from './sourceStats';

/**
 * One protocol's connection to one source. Adapters only queue what they receive into the sink
 * (the loop applies it between steps) and count what they drop in their stats. Commands to real
 * equipment (`command()`) come with the protocols that carry them.
 */
export interface SourceAdapter {
  /** Connects (and keeps reconnecting by itself); received values go to `sink`. */
  start(sink: IngestSink): void;
  /** Disconnects; nothing is queued after it resolves. */
  stop(): Promise<void>;
  /** Connection state, counters, last error and skew of this source. */
  health(): SourceStats;
}
