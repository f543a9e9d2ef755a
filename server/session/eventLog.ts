import type { PlantEvent } from '../../protocol';
import type { PlantEventDraft } from '../sim/types';

/** Events kept in memory for snapshots (newest last). */
export const RECENT_EVENTS = 100;

/** Gives events their sequence numbers and keeps the most recent ones for snapshots. */
export class EventLog {
  private seqNo: number;
  private readonly recentEvents: PlantEvent[];

  /**
   * `from`: a log to carry on (a plant rebuilt on a new layout keeps numbering after the old
   * one's newest event and keeps its recent events, so clients see one strictly increasing log).
   */
  constructor(from?: { seq: number; recent: readonly PlantEvent[] }) {
    this.seqNo = from?.seq ?? 0;
    this.recentEvents = from ? from.recent.slice(-RECENT_EVENTS) : [];
  }

  /** Sequence number of the newest event (0 before any). */
  get seq(): number {
    return this.seqNo;
  }

  /** Numbers and records a batch of drafts; returns the sequenced events. */
  append(drafts: readonly PlantEventDraft[]): PlantEvent[] {
    const out: PlantEvent[] = [];
    for (const d of drafts) {
      const ev: PlantEvent = { seq: ++this.seqNo, ...d };
      out.push(ev);
      this.recentEvents.push(ev);
    }
    if (this.recentEvents.length > RECENT_EVENTS)
      this.recentEvents.splice(0, this.recentEvents.length - RECENT_EVENTS);
    return out;
  }

  /** The most recent events, oldest first (a copy). */
  recent(): PlantEvent[] {
    return this.recentEvents.slice();
  }
}
