import { RateLimiter } from '../../auth/rateLimiter';
import { MetricScope } from './metricMap';
import type { DecodedPayload } from './payload';

/** At most one rebirth request per edge node this often, ms. */
export const REBIRTH_EVERY_MS = 5000;

/** A sequenced message type (everything an edge node sends after its NBIRTH except NDEATH). */
export type SequencedType = 'NDATA' | 'DBIRTH' | 'DDATA' | 'DDEATH';

/** A message held back after a sequence gap, waiting for the missing ones. */
export interface Held {
  type: SequencedType;
  device: string | null;
  payload: DecodedPayload;
  rxMs: number;
}

/**
 * What to do with a sequenced message: apply it now, hold it (it is ahead of a gap), drop it as a
 * duplicate or late one, or drop it because the node has no valid birth (ask for a rebirth).
 */
export type SeqVerdict = 'apply' | 'hold' | 'late' | 'unborn';

/**
 * The host's view of one edge node: its birth (bdSeq, the announced metrics of the node and of each
 * mapped device), the next expected `seq` (every message after NBIRTH counts up mod 256, devices'
 * messages included), the messages held after a gap, and its message budget.
 */
export class NodeSession {
  /** The node's own metrics. */
  readonly own = new MetricScope(null);
  /** The mapped devices' metrics, by device id (unmapped devices are followed for `seq` only). */
  readonly devices = new Map<string, MetricScope>();
  /** Whether an NBIRTH was received and no NDEATH (or lost session) since. */
  born = false;
  /** A gap was not filled in time: data are dropped until the next NBIRTH. */
  awaitingRebirth = false;
  /** bdSeq of the current birth; null without one (or when the NBIRTH carried none). */
  bdSeq: number | null = null;
  /** The next expected seq, 0..255. */
  expected = 0;
  /** The next sequenced message sets `expected` (after messages this host chose to drop). */
  resync = false;
  /** Messages held after a gap, by seq. */
  readonly held = new Map<number, Held>();
  /** Fires when the gap was not filled within the reorder timeout. */
  gapTimer: NodeJS.Timeout | null = null;
  private lastRebirthMs = Number.NEGATIVE_INFINITY;
  private readonly limiter: RateLimiter;

  constructor(
    readonly group: string,
    readonly node: string,
    /** Messages a second the node may send (bursts of twice that). */
    maxPerS: number,
    now: () => number,
  ) {
    this.limiter = new RateLimiter(maxPerS, Math.max(1, 2 * maxPerS), now, 1);
  }

  /** The scope of a device (created when the file maps it). */
  deviceScope(device: string): MetricScope {
    let s = this.devices.get(device);
    if (!s) {
      s = new MetricScope(device);
      this.devices.set(device, s);
    }
    return s;
  }

  /** Every piece of equipment the node and its devices feed. */
  equipment(): number[] {
    const out = [...this.own.equipment];
    for (const s of this.devices.values()) for (const eq of s.equipment) if (!out.includes(eq)) out.push(eq);
    return out;
  }

  /** Takes one message from the node's budget. */
  take(): boolean {
    return this.limiter.take('node').ok;
  }

  /** A new NBIRTH: everything announced before is forgotten, counting restarts after `seq`. */
  birth(seq: number, bdSeq: number | null): void {
    this.forget();
    this.born = true;
    this.bdSeq = bdSeq;
    this.expected = (seq + 1) & 255;
  }

  /** The node is gone (NDEATH, a lost broker session or a malformed birth). */
  death(): void {
    this.forget();
    this.bdSeq = null;
  }

  private forget(): void {
    this.born = false;
    this.awaitingRebirth = false;
    this.resync = false;
    this.own.forget();
    for (const s of this.devices.values()) s.forget();
    this.held.clear();
    this.clearTimer();
  }

  clearTimer(): void {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = null;
  }

  /** Judges a sequenced message's seq (and advances `expected` when it is applied). */
  sequence(seq: number): SeqVerdict {
    if (!this.born || this.awaitingRebirth) return 'unborn';
    if (this.resync) {
      this.resync = false;
      this.expected = (seq + 1) & 255;
      return 'apply';
    }
    // Distance ahead of the expected seq, mod 256: the first half is "ahead", the rest "behind".
    const d = (seq - this.expected) & 255;
    if (d === 0) {
      this.expected = (this.expected + 1) & 255;
      return 'apply';
    }
    if (d < 128 && !this.held.has(seq)) return 'hold';
    return 'late';
  }

  /** The held message that is next in sequence now, if any (and advances `expected`). */
  nextHeld(): Held | undefined {
    const h = this.held.get(this.expected);
    if (!h) return undefined;
    this.held.delete(this.expected);
    this.expected = (this.expected + 1) & 255;
    return h;
  }

  /** Whether a rebirth request may be sent now (at most one per REBIRTH_EVERY_MS); records it. */
  rebirthDue(nowMs: number): boolean {
    if (nowMs - this.lastRebirthMs < REBIRTH_EVERY_MS) return false;
    this.lastRebirthMs = nowMs;
    return true;
  }
}
