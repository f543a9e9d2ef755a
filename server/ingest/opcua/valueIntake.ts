import type { DataValue } from 'node-opcua';
import { STATE_CODE } from '../../../protocol';
import { STATE_SIG } from '../ingestSink';
import { Q } from '../liveValues';
import { MAX_AGE_MS, MAX_FUTURE_MS } from '../mqttJsonAdapter';
import type { DropReason } from '../sourceStats';
import { epochMsOf, numberOf, qualityOfStatus, stateKeyOf, whyNotNumber } from './dataValues';
import type { MappedNode } from './mappedNodes';

/** A value beyond its catalog range by more than this many range spans is refused (as for MQTT). */
const RANGE_SPANS = 10;

/** What one DataValue brings: value (or state code), its quality and times (ms since epoch). */
export interface Intake {
  value: number;
  quality: number;
  srcMs: number;
  /** The server's timestamp (for the skew), NaN when absent. */
  serverMs: number;
}
/** A refused DataValue. */
export interface IntakeDrop {
  reason: DropReason;
  detail: string;
}

/** The one result object, overwritten by each call: no allocation per value. */
const out: Intake = { value: 0, quality: Q.good, srcMs: 0, serverMs: 0 };
const drop = (reason: DropReason, m: MappedNode, detail: string): IntakeDrop => ({
  reason,
  detail: `node ${m.node.text}: ${detail}`,
});

/**
 * Reads one DataValue of a mapped node received at `rxMs`: its quality from the StatusCode, its
 * source time (SourceTimestamp, else ServerTimestamp, else receive time) and its number or state.
 * Returns the shared Intake (read it before the next call), a drop, or null when there is nothing
 * to apply (a Bad value without a usable value before any value arrived). Remembers the node's
 * last value so that a Bad one without a value keeps it.
 */
export function readDataValue(m: MappedNode, dv: DataValue, rxMs: number): Intake | IntakeDrop | null {
  const q = qualityOfStatus(dv.statusCode.value);
  const serverMs = epochMsOf(dv.serverTimestamp);
  let srcMs = epochMsOf(dv.sourceTimestamp);
  if (Number.isNaN(srcMs)) srcMs = Number.isNaN(serverMs) ? rxMs : serverMs;
  if (srcMs > rxMs + MAX_FUTURE_MS) return drop('timestamp', m, 'source time more than 5 min in the future');
  if (srcMs < rxMs - MAX_AGE_MS) return drop('timestamp', m, 'source time more than a day old');
  let v: number;
  if (m.sig === STATE_SIG) {
    if (q === Q.bad) return drop('state', m, `state with status ${dv.statusCode.name}`);
    const key = stateKeyOf(dv.value);
    const name = key !== null && m.stateMap && Object.hasOwn(m.stateMap, key) ? m.stateMap[key] : undefined;
    if (name === undefined) return drop('state', m, `state ${String(key).slice(0, 60)} is not mapped`);
    v = STATE_CODE[name];
  } else {
    v = numberOf(dv.value);
    if (Number.isNaN(v)) {
      if (q !== Q.bad) return drop('type', m, whyNotNumber(dv.value));
      // Bad with no usable value: the last value stays, shown bad (none yet: it shows bad anyway).
      if (Number.isNaN(m.last)) return null;
      v = m.last;
    } else if (m.def) {
      const d = m.def;
      const span = d.max - d.min;
      if (v < d.min - RANGE_SPANS * span || v > d.max + RANGE_SPANS * span)
        return drop('range', m, `${v} is far outside ${d.min}..${d.max} ${d.unit}`);
    }
    m.last = v;
  }
  out.value = v;
  out.quality = q;
  out.srcMs = srcMs;
  out.serverMs = serverMs;
  return out;
}
