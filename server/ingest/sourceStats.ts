import type { Logger } from 'pino';
import type { SourceKind, SourceStatus } from '../../protocol';
import { median } from './liveValues';

/** Recent skew samples kept per source (median over these). */
const SKEW_SAMPLES = 64;
/** Window of the messages-per-second rate, ms. */
const RATE_WINDOW_MS = 5000;
/** At most one bad-input log line per source this often, ms. */
const LOG_EVERY_MS = 10_000;

/** Why a message was dropped (the keys of the drop counters and metrics). */
export type DropReason =
  | 'malformed'
  | 'type'
  | 'range'
  | 'timestamp'
  | 'size'
  | 'rate'
  | 'topic'
  | 'state'
  | 'out-of-order'
  /** Sparkplug: a metric alias or name the birth did not announce. */
  | 'alias'
  /** Sparkplug: a sequence gap, a duplicate, or data before its birth. */
  | 'sequence';

/**
 * One source's counters: messages accepted, drops by reason, the latest error, connection status
 * and clock skew (receive − source time). Bad input is logged at most once per LOG_EVERY_MS (with
 * the count suppressed since), so a device spraying garbage cannot flood the log.
 */
export class SourceStats {
  status: SourceStatus = 'connecting';
  messages = 0;
  lastMessageAt: number | null = null;
  lastError: string | null = null;
  /** VDA 5050: times an AGV's headerId skipped ahead (messages lost before they reached the twin). */
  headerIdGaps = 0;
  readonly drops = new Map<DropReason, number>();
  private readonly skew = new Float64Array(SKEW_SAMPLES);
  private skewN = 0;
  private skewAt = 0;
  /** Message count at the start of the rate window and when it started, ms. */
  private windowCount = 0;
  private windowStart = 0;
  private rate = 0;
  private lastLogMs = Number.NEGATIVE_INFINITY;
  private unlogged = 0;

  constructor(
    readonly index: number,
    readonly id: string,
    readonly kind: SourceKind,
    private readonly logger: Logger,
  ) {}

  /** Counts an accepted message received at `rxMs`. */
  accepted(rxMs: number): void {
    this.messages++;
    this.lastMessageAt = rxMs;
  }

  /** Adds a skew sample (receive − source time, ms). */
  skewSample(ms: number): void {
    this.skew[this.skewAt] = ms;
    this.skewAt = (this.skewAt + 1) % SKEW_SAMPLES;
    if (this.skewN < SKEW_SAMPLES) this.skewN++;
  }

  /** Median of recent skew samples, ms, or null. */
  get skewMs(): number | null {
    const m = median(this.skew, this.skewN);
    return m === null ? null : Math.round(m);
  }

  /** Counts a dropped message and logs it (rate-limited). */
  drop(reason: DropReason, detail: string, nowMs: number): void {
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + 1);
    this.lastError = `${reason}: ${detail}`;
    if (nowMs - this.lastLogMs < LOG_EVERY_MS) {
      this.unlogged++;
      return;
    }
    this.logger.warn(
      { source: this.id, reason, detail, suppressed: this.unlogged },
      'ingest: message dropped',
    );
    this.lastLogMs = nowMs;
    this.unlogged = 0;
  }

  /** Records a connection problem (shown as lastError; logged rate-limited like drops). */
  connectionError(message: string, nowMs: number): void {
    this.lastError = message;
    if (nowMs - this.lastLogMs < LOG_EVERY_MS) return;
    this.logger.warn({ source: this.id, err: message }, 'ingest: connection problem');
    this.lastLogMs = nowMs;
  }

  /** Every dropped message, all reasons. */
  get errors(): number {
    let n = 0;
    for (const v of this.drops.values()) n += v;
    return n;
  }

  /** Accepted messages per second over the last window (updated by `tick`). */
  get messagesPerS(): number {
    return this.rate;
  }

  /** Advances the rate window (called once a tick with the loop's wall time). */
  tick(nowMs: number): void {
    if (this.windowStart === 0) {
      this.windowStart = nowMs;
      this.windowCount = this.messages;
      return;
    }
    const span = nowMs - this.windowStart;
    if (span < RATE_WINDOW_MS) return;
    this.rate = Math.round(((this.messages - this.windowCount) * 1000 * 10) / span) / 10;
    this.windowStart = nowMs;
    this.windowCount = this.messages;
  }
}
