import { type IngestSink, STATE_SIG } from '../ingestSink';
import { Q } from '../liveValues';
import type { DropReason, SourceStats } from '../sourceStats';
import {
  type MetricInfo,
  type MetricScope,
  qualityOf,
  signalValue,
  stateCode,
  timestampOk,
} from './metricMap';
import type { DecodedPayload } from './payload';

/** Resolved metrics of the message being written (reused: no allocation per message). */
const scratch: (MetricInfo | undefined)[] = [];

/**
 * Writes the mapped metrics of births and data into the ingest sink, each with its quality and
 * source time. A metric the birth did not announce refuses the whole message (the host and the node
 * disagree on aliases); any other bad metric (datatype, value, timestamp, state) is dropped alone
 * and counted. Historical values go to the sink marked historical, never to the live values.
 */
export class MetricWriter {
  /** Last value written per signal slot (an is_null value keeps it, with quality bad). */
  private readonly last: Float64Array;

  constructor(
    private readonly sink: IngestSink,
    private readonly stats: SourceStats,
  ) {
    this.last = Float64Array.from(sink.live.value);
  }

  private drop(reason: DropReason, detail: string, rxMs: number): void {
    this.stats.drop(reason, detail, rxMs);
  }

  /**
   * Writes one message's metrics. Returns -1, or the index of a metric its birth did not announce
   * (then nothing is written: the caller counts it and asks for a rebirth).
   */
  write(scope: MetricScope, p: DecodedPayload, rxMs: number): number {
    const { sink, last } = this;
    const ms = p.metrics;
    for (let i = 0; i < ms.length; i++) {
      const info = scope.resolve(ms[i].name, ms[i].alias);
      if (!info) {
        scratch.fill(undefined, 0, i);
        return i;
      }
      scratch[i] = info;
    }
    const src = this.stats.index;
    let pushed = 0;
    let historical = true;
    for (let i = 0; i < ms.length; i++) {
      const info = scratch[i] as MetricInfo;
      scratch[i] = undefined;
      const targets = info.targets;
      if (!targets) continue;
      const m = ms[i];
      if (m.datatype !== undefined && info.datatype !== undefined && m.datatype !== info.datatype) {
        this.drop('type', `${info.name}: datatype ${m.datatype}, born as ${info.datatype}`, rxMs);
        continue;
      }
      const srcMs = m.timestamp ?? p.timestamp ?? rxMs;
      if (!timestampOk(srcMs, rxMs)) {
        this.drop('timestamp', `${info.name}: timestamp more than 5 min ahead or a day old`, rxMs);
        continue;
      }
      const quality = m.isNull ? Q.bad : qualityOf(m.quality);
      for (let t = 0; t < targets.length; t++) {
        const tg = targets[t];
        let v: number;
        if (tg.sig === STATE_SIG) {
          if (m.isNull) continue; // no state to show; the signals carry the bad quality
          v = stateCode(m.value, tg.stateMap);
          if (v < 0) {
            this.drop('state', `${info.name}: ${String(m.value).slice(0, 60)} is not in the state map`, rxMs);
            continue;
          }
        } else {
          const slot = sink.live.slot(tg.eq, tg.sig);
          if (m.isNull) v = last[slot];
          else {
            const r = signalValue(m.value, tg.def);
            if (typeof r === 'string') {
              this.drop(
                r,
                `${info.name}: ${String(m.value).slice(0, 60)} is not a value of ${tg.def?.key}`,
                rxMs,
              );
              continue;
            }
            v = r;
          }
          if (!m.isHistorical) last[slot] = v;
        }
        if (!sink.push(src, tg.eq, tg.sig, v, srcMs, rxMs, quality, m.isHistorical)) {
          this.drop('rate', 'ingest queue full', rxMs);
          return -1;
        }
        pushed++;
        if (!m.isHistorical) historical = false;
      }
    }
    if (pushed === 0 && ms.length > 0) return -1;
    this.stats.accepted(rxMs);
    if (!historical && p.timestamp !== undefined && timestampOk(p.timestamp, rxMs))
      this.stats.skewSample(rxMs - p.timestamp);
    return -1;
  }
}
