import { type EquipmentKind, type LateValue, signalsOf } from '../../protocol';
import type { ValueHistory } from './ingestSink';
import { qualityName } from './liveValues';

/** Most late values kept for one tick's recording; beyond it they go to the history only (counted). */
export const MAX_LATE_PER_TICK = 5_000;

/**
 * Where the sink sends historical and late values: on to the value history (the API's store), and
 * into this tick's list for the live recording, so a replay holds what a device delivered after the
 * fact as well as what the scene showed. Neither ever reaches the live scene.
 */
export class LateValues implements ValueHistory {
  private tick: LateValue[] = [];
  /** Values that did not fit a tick's list (they are still in the history). */
  dropped = 0;

  constructor(
    /** Per equipment index: its id and kind (signal names are the kind's catalog keys). */
    private readonly equipment: readonly { id: string; kind: EquipmentKind }[],
    private readonly history: ValueHistory | null,
  ) {}

  record(
    eq: number,
    sig: number,
    value: number,
    quality: number,
    srcMs: number,
    rxMs: number,
    historical = false,
  ) {
    this.history?.record(eq, sig, value, quality, srcMs, rxMs, historical);
    const e = this.equipment[eq];
    const signal = e && signalsOf(e.kind)[sig]?.key;
    if (!signal) return;
    if (this.tick.length >= MAX_LATE_PER_TICK) {
      this.dropped++;
      return;
    }
    this.tick.push({
      equipment: e.id,
      signal,
      value,
      quality: qualityName(quality),
      sourceTimestamp: srcMs,
      receivedAt: rxMs,
      historical,
    });
  }

  /** This tick's values (empty array: none), handing the list over. */
  take(): LateValue[] {
    if (this.tick.length === 0) return EMPTY;
    const out = this.tick;
    this.tick = [];
    return out;
  }
}

const EMPTY: LateValue[] = [];
