import type { PlantEvent } from '../../protocol';
import type { PlantEventDraft } from '../sim/types';

/** Events kept in memory for snapshots (newest last). */
export const RECENT_EVENTS = 100;

/** Gives events their sequence numbers and keeps the most recent ones for snapshots. */
export class EventLog {
  private seqNo = 0;
  private readonly recentEvents: PlantEvent[] = [];

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
