import type { PlantEvent } from '../../protocol';

/**
 * What to do with an incoming plant event, given the newest sequence number already held:
 * - 'next': the expected one (seq + 1): append.
 * - 'gap': later than expected, so events were missed: append, then ask for a snapshot.
 * - 'old': already held (a replay or duplicate): drop.
 */
export type EventVerdict = 'next' | 'gap' | 'old';

/** Classifies event sequence number `seq` against the newest one held, `currentSeq`. */
export function classifyEvent(currentSeq: number, seq: number): EventVerdict {
  if (seq <= currentSeq) return 'old';
  return seq === currentSeq + 1 ? 'next' : 'gap';
}

/** A new list with `event` appended, keeping at most the newest `limit` events. */
export function appendEvent(events: readonly PlantEvent[], event: PlantEvent, limit: number): PlantEvent[] {
  const keep = Math.max(0, Math.min(events.length, limit - 1));
  const out = events.slice(events.length - keep);
  out.push(event);
  return out;
}
